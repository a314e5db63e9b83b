import KafkaWire

/// Group and transaction coordinators, found with FindCoordinator and cached.
extension KafkaCluster {
    /// The connection to the coordinator for `key` (`type` 0: group, 1: transaction).
    func coordinatorConnection(key: String, type: Int8) async throws(KafkaError) -> BrokerConnection {
        let cacheKey = CoordinatorKey(key: key, type: type)
        if let known = coordinators[cacheKey] {
            return try await connection(to: known.host, port: known.port, nodeId: known.nodeId)
        }
        let address = try await findCoordinator(key: key, type: type)
        coordinators[cacheKey] = address
        return try await connection(to: address.host, port: address.port, nodeId: address.nodeId)
    }

    /// Forgets the coordinator of `key` (after NOT_COORDINATOR or a disconnect).
    package func invalidateCoordinator(group: String) {
        coordinators[CoordinatorKey(key: group, type: 0)] = nil
    }

    /// Forgets the coordinator of a transactional id.
    package func invalidateCoordinator(transactionalId: String) {
        coordinators[CoordinatorKey(key: transactionalId, type: 1)] = nil
    }

    /// Sends `request` to `group`'s coordinator, finding the coordinator again (up to
    /// twice) after a connection failure or timeout.
    package func sendToGroupCoordinator<R: KafkaRequest>(_ request: R, group: String, versionCeiling: Int16? = nil)
        async throws(KafkaError) -> R.Response {
        var attempt = 0
        while true {
            attempt += 1
            do throws(KafkaError) {
                // Finding the coordinator (FindCoordinator, then a connection) can fail
                // like the request itself: both are retried.
                let connection = try await connection(for: .groupCoordinator(group))
                return try await connection.send(request, versionCeiling: versionCeiling)
            } catch {
                guard attempt < 3, error.isRetriable else { throw error }
                invalidateCoordinator(group: group)
            }
        }
    }

    /// Asks any broker for the coordinator, at the highest version both support:
    /// v4+ carries keys in a batch, earlier versions one key.
    func findCoordinator(key: String, type: Int8) async throws(KafkaError) -> BrokerAddress {
        let connection = try await anyConnection()
        let version = try await connection.apiVersions().version(for: FindCoordinatorRequest.self)
        var request = FindCoordinatorRequest()
        if version >= 4 { request.coordinatorKeys = [key] } else { request.key = key }
        if version >= 1 { request.keyType = type } else if type != 0 {
            throw KafkaError(.unsupportedVersion, detail: "the broker cannot find transaction coordinators (FindCoordinator v0)",
                             apiKey: .findCoordinator)
        }
        let response = try await connection.send(request, versionCeiling: version)
        let (code, message, nodeId, host, port): (Int16, String?, Int32, String, Int32)
        if version >= 4 {
            guard let entry = response.coordinators.first(where: { $0.key == key }) ?? response.coordinators.first else {
                throw KafkaError(.protocolViolation, detail: "FindCoordinator answered no coordinator for \(key)", apiKey: .findCoordinator)
            }
            (code, message, nodeId, host, port) = (entry.errorCode, entry.errorMessage, entry.nodeId, entry.host, entry.port)
        } else {
            (code, message, nodeId, host, port) = (response.errorCode, response.errorMessage, response.nodeId, response.host, response.port)
        }
        let error = KafkaErrorCode(code)
        guard !error.isError else {
            throw KafkaError.broker(error, apiKey: .findCoordinator, message: message ?? "no coordinator for \(key): \(error.message)")
        }
        return BrokerAddress(nodeId: nodeId, host: host, port: Int(port))
    }
}
