import KafkaWire

/// Connections: one per broker address, reopened after failures with backoff.
extension KafkaCluster {
    /// The connection to the broker with node id `nodeId`.
    package func connection(toBroker nodeId: Int32) async throws(KafkaError) -> BrokerConnection {
        var address = metadata?.brokers[nodeId]
        if address == nil {
            address = try await refreshMetadata().brokers[nodeId]
        }
        guard let address else {
            throw KafkaError(.notConnected, detail: "broker \(nodeId) is not in the cluster's metadata", brokerId: nodeId)
        }
        return try await connection(to: address.host, port: address.port, nodeId: nodeId)
    }

    /// The connection for `route`, looking up leaders and coordinators as needed.
    package func connection(for route: RequestRoute) async throws(KafkaError) -> BrokerConnection {
        switch route {
        case .anyBroker:
            return try await anyConnection()
        case .broker(let id):
            return try await connection(toBroker: id)
        case .leader(let topic, let partition):
            return try await leaderConnection(topic: topic, partition: partition)
        case .controller:
            var current = try await metadata()
            if current.controllerId == nil { current = try await refreshMetadata() }
            // KRaft brokers forward controller requests, and some clusters (librdkafka's
            // mock) name a controller that is not among the brokers: any broker will do then.
            guard let controller = current.controllerId, current.brokers[controller] != nil else { return try await anyConnection() }
            return try await connection(toBroker: controller)
        case .groupCoordinator(let group):
            return try await coordinatorConnection(key: group, type: 0)
        case .transactionCoordinator(let id):
            return try await coordinatorConnection(key: id, type: 1)
        }
    }

    /// Sends `request` along `route`. A failed connection marks the metadata
    /// stale, so the next call looks the route up again.
    package func send<R: KafkaRequest>(_ request: R, to route: RequestRoute, timeout: Duration? = nil) async throws(KafkaError) -> R.Response {
        let connection = try await connection(for: route)
        do {
            return try await connection.send(request, timeout: timeout)
        } catch {
            if error.code == .ioError || error.code == .connectionClosed || error.code == .requestTimedOut {
                metadataIsStale = true
                if case .groupCoordinator = route { coordinators.removeAll() }
                if case .transactionCoordinator = route { coordinators.removeAll() }
            }
            throw error
        }
    }

    /// The connection to the leader of `topic`'s `partition`.
    package func leaderConnection(topic: String, partition: Int32) async throws(KafkaError) -> BrokerConnection {
        var current = try await metadata(topics: [topic])
        if current.leader(topic: topic, partition: partition) == nil {
            current = try await refreshMetadata(topics: [topic])
        }
        guard let topicMetadata = current.topics[topic], !topicMetadata.error.isError || topicMetadata.error == .leaderNotAvailable else {
            let code = current.topics[topic]?.error ?? .unknownTopicOrPartition
            throw KafkaError.broker(code, apiKey: .metadata, message: "topic \(topic): \(code.message)")
        }
        guard let partitionMetadata = topicMetadata.partition(partition) else {
            throw KafkaError(.unknownTopicOrPartition, detail: "topic \(topic) has no partition \(partition) (it has \(topicMetadata.partitions.count))",
                             brokerErrorCode: .unknownTopicOrPartition)
        }
        guard let leader = current.leader(topic: topic, partition: partition) else {
            metadataIsStale = true
            throw KafkaError.broker(.leaderNotAvailable, apiKey: .metadata,
                                    message: "\(topic)-\(partition) has no live leader (leader id \(partitionMetadata.leaderId))")
        }
        return try await connection(to: leader.host, port: leader.port, nodeId: leader.nodeId)
    }

    /// An open connection to any broker, preferring one already open.
    package func anyConnection() async throws(KafkaError) -> BrokerConnection {
        if let open = connections.values.first(where: { !$0.isClosed && $0.negotiatedVersions != nil }) { return open }
        return try await metadataConnection()
    }

    /// A connection for a Metadata request: an open one, else a known broker
    /// or a bootstrap server whose backoff has passed soonest.
    func metadataConnection() async throws(KafkaError) -> BrokerConnection {
        if let open = connections.values.first(where: { !$0.isClosed }) { return open }
        var candidates = (metadata?.brokers.values.map { ($0.host, $0.port, Optional($0.nodeId)) } ?? [])
        candidates += bootstrap.map { ($0.host, $0.port, nil) }
        let ranked = candidates.min { first, second in
            (reconnects[Self.key(first.0, first.1)]?.notBefore ?? .now) < (reconnects[Self.key(second.0, second.1)]?.notBefore ?? .now)
        }
        guard let (host, port, nodeId) = ranked else { throw KafkaError(.notConnected, detail: "no broker to connect to") }
        return try await connection(to: host, port: port, nodeId: nodeId)
    }

    /// The shared connection to `host:port`: the open one, or a new one once
    /// the reconnect backoff after earlier failures has passed.
    func connection(to host: String, port: Int, nodeId: Int32?) async throws(KafkaError) -> BrokerConnection {
        guard !isClosed else { throw KafkaError(.connectionClosed, detail: "the cluster client is closed") }
        let key = Self.key(host, port)
        // A connection closed here, or one whose failures are still counted, came before this one.
        var isReconnect = reconnects[key] != nil
        if let existing = connections[key] {
            if !existing.isClosed {
                if existing.negotiatedVersions != nil { reconnects[key] = nil }
                // A bootstrap connection that turns out to reach broker `nodeId`: its metrics say so from now on.
                if existing.brokerId == nil, let nodeId { existing.metrics.identify(brokerId: nodeId) }
                return existing
            }
            recordClosed(existing, key: key)
            isReconnect = true
        }
        if let notBefore = reconnects[key]?.notBefore, notBefore > .now {
            do {
                try await Task.sleep(until: notBefore, clock: .continuous)
            } catch {
                throw KafkaError.cancelled("waiting to reconnect to \(key)")
            }
            // Another caller may have reconnected while this one slept.
            if let reopened = connections[key], !reopened.isClosed { return reopened }
        }
        let connection = try BrokerConnection(host: host, port: port, brokerId: nodeId, configuration: configuration.connection,
                                              tlsContext: tlsContext, logger: logger)
        connections[key] = connection
        // Metadata reconnects through the broker list or a bootstrap address; either way the
        // metrics name the broker when the metadata knows which one listens there.
        let knownId = nodeId ?? metadata?.brokers.values.first { $0.host == host && $0.port == port }?.nodeId
        if nodeId == nil, let knownId { connection.metrics.identify(brokerId: knownId) }
        if isReconnect { ConnectionMetrics.recordReconnect(clientId: configuration.connection.clientId, brokerId: knownId) }
        return connection
    }

    /// Among the connections that negotiated ApiVersions, the table with the newest
    /// finalized features (highest features epoch): the cluster-wide view the Java
    /// client's `ApiVersions` keeps too. Nil when no connection reports any.
    func newestFinalizedFeatures() -> ApiVersionTable? {
        connections.values.compactMap(\.negotiatedVersions).filter { $0.finalizedFeaturesEpoch >= 0 }
            .max { $0.finalizedFeaturesEpoch < $1.finalizedFeaturesEpoch }
    }

    /// Counts a closed connection's failure toward the backoff; a connection that
    /// got ready before failing, or closed cleanly, starts the count afresh.
    private func recordClosed(_ connection: BrokerConnection, key: String) {
        connections[key] = nil
        var state = reconnects[key] ?? ReconnectState()
        if connection.negotiatedVersions != nil { state.failures = 0 }
        let failed = connection.closeReason.map { $0.code != .connectionClosed } ?? false
        if failed {
            state.failures += 1
            let delay = configuration.reconnectBackoff.delay(afterFailures: state.failures, using: &random)
            state.notBefore = ContinuousClock.now.advanced(by: delay)
            logger.debug("broker unreachable; backing off", metadata: ["address": "\(key)", "failures": "\(state.failures)",
                                                                        "delay": "\(delay)"])
        }
        reconnects[key] = state
        metadataIsStale = true
    }

    /// How many consecutive failures the backoff counts for `host:port` (tests and diagnostics).
    package func reconnectFailures(host: String, port: Int) -> Int {
        let key = Self.key(host, port)
        if let existing = connections[key] {
            if existing.isClosed { recordClosed(existing, key: key) } else if existing.negotiatedVersions != nil { reconnects[key] = nil }
        }
        return reconnects[key]?.failures ?? 0
    }

    /// Closes every connection; later calls fail with `.connectionClosed`.
    package func close() async {
        isClosed = true
        let open = Array(connections.values)
        connections = [:]
        for connection in open { await connection.close(drain: true) }
    }

    static func key(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
