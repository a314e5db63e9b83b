import KafkaWire

/// The cluster: brokers and controller, log directories, producers and transactions.
extension KafkaAdminClient {
    /// The cluster id, the controller and every broker (DescribeCluster, or Metadata
    /// where the broker lacks it).
    public func describeCluster() async throws(KafkaError) -> ClusterDescription {
        let connection = try await cluster.anyConnection()
        if (try? await connection.apiVersions().version(for: DescribeClusterRequest.self)) != nil {
            var request = DescribeClusterRequest()
            request.includeClusterAuthorizedOperations = true
            let response = try await connection.send(request)
            if let error = Self.itemError(response.errorCode, message: response.errorMessage, api: .describeCluster, item: "cluster") {
                throw error
            }
            return ClusterDescription(
                clusterId: response.clusterId.isEmpty ? nil : response.clusterId,
                controllerId: response.controllerId >= 0 ? response.controllerId : nil,
                brokers: response.brokers.map { BrokerAddress(nodeId: $0.brokerId, host: $0.host, port: Int($0.port), rack: $0.rack) }
                    .sorted { $0.nodeId < $1.nodeId },
                authorizedOperations: AclOperation.set(fromBits: response.clusterAuthorizedOperations))
        }
        let metadata = try await cluster.refreshMetadata(topics: [])
        return ClusterDescription(clusterId: metadata.clusterId, controllerId: metadata.controllerId,
                                  brokers: metadata.brokers.values.sorted { $0.nodeId < $1.nodeId }, authorizedOperations: nil)
    }

    /// Each broker's log directories with the partition replicas in them.
    public func describeLogDirs(brokers: [Int32]) async throws(KafkaError) -> [Int32: Result<[LogDirDescription], KafkaError>] {
        var results: [Int32: Result<[LogDirDescription], KafkaError>] = [:]
        for broker in brokers {
            var request = DescribeLogDirsRequest()
            request.topics = nil
            do throws(KafkaError) {
                let response = try await cluster.send(request, to: .broker(broker))
                if let error = Self.itemError(response.errorCode, message: nil, api: .describeLogDirs, item: "broker \(broker)") { throw error }
                results[broker] = .success(response.results.map { directory in
                    var sizes: [TopicPartition: Int64] = [:]
                    for topic in directory.topics {
                        for partition in topic.partitions {
                            sizes[TopicPartition(topic: topic.name, partition: partition.partitionIndex)] = partition.partitionSize
                        }
                    }
                    return LogDirDescription(path: directory.logDir,
                                             error: Self.itemError(directory.errorCode, message: nil, api: .describeLogDirs, item: directory.logDir),
                                             replicaSizes: sizes, totalBytes: directory.totalBytes >= 0 ? directory.totalBytes : nil,
                                             usableBytes: directory.usableBytes >= 0 ? directory.usableBytes : nil)
                })
            } catch {
                if error.isWholeRequestFailure { throw error }
                results[broker] = .failure(error)
            }
        }
        return results
    }

    /// The producers each partition's leader knows of, with their open transactions.
    public func describeProducers(_ partitions: [TopicPartition]) async throws(KafkaError)
        -> [TopicPartition: Result<[ProducerStateDescription], KafkaError>] {
        var results: [TopicPartition: Result<[ProducerStateDescription], KafkaError>] = [:]
        for (leader, led) in try await groupByLeader(partitions, failures: &results) {
            var request = DescribeProducersRequest()
            request.topics = Dictionary(grouping: led, by: \.topic).map { .init(name: $0.key, partitionIndexes: $0.value.map(\.partition)) }
            let response = try await cluster.send(request, to: .broker(leader))
            for topic in response.topics {
                for partition in topic.partitions {
                    let key = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                    if let error = Self.itemError(partition.errorCode, message: partition.errorMessage, api: .describeProducers, item: "\(key)") {
                        results[key] = .failure(error)
                    } else {
                        results[key] = .success(partition.activeProducers.map {
                            ProducerStateDescription(producerId: $0.producerId, producerEpoch: $0.producerEpoch, lastSequence: $0.lastSequence,
                                                     lastTimestamp: $0.lastTimestamp,
                                                     currentTransactionStartOffset: $0.currentTxnStartOffset >= 0 ? $0.currentTxnStartOffset : nil)
                        })
                    }
                }
            }
        }
        return results
    }

    /// Transactional ids' states, asked of each id's transaction coordinator.
    public func describeTransactions(_ transactionalIds: [String]) async throws(KafkaError)
        -> [String: Result<TransactionDescription, KafkaError>] {
        var results: [String: Result<TransactionDescription, KafkaError>] = [:]
        for id in transactionalIds {
            var request = DescribeTransactionsRequest()
            request.transactionalIds = [id]
            do throws(KafkaError) {
                let response = try await cluster.send(request, to: .transactionCoordinator(id))
                guard let state = response.transactionStates.first(where: { $0.transactionalId == id }) else {
                    throw KafkaError(.protocolViolation, detail: "DescribeTransactions answered nothing for \(id)", apiKey: .describeTransactions)
                }
                if let error = Self.itemError(state.errorCode, message: nil, api: .describeTransactions, item: id) { throw error }
                results[id] = .success(TransactionDescription(
                    transactionalId: id, state: state.transactionState, timeoutMs: state.transactionTimeoutMs,
                    startTimeMs: state.transactionStartTimeMs, producerId: state.producerId, producerEpoch: state.producerEpoch,
                    partitions: state.topics.flatMap { topic in topic.partitions.map { TopicPartition(topic: topic.topic, partition: $0) } }))
            } catch {
                if error.isWholeRequestFailure { throw error }
                results[id] = .failure(error)
            }
        }
        return results
    }
}
