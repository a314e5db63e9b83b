import KafkaWire
import Logging
import Synchronization

/// The producer's background loop: keeps metadata and the producer id current,
/// drains ready batches into one Produce request per broker, and hands each
/// response to `ProducerSender+Responses`, which runs on the connection's thread.
final class ProducerSender: Sendable {
    let configuration: KafkaProducer.Configuration
    let accumulator: RecordAccumulator
    let cluster: KafkaCluster
    let transactions: TransactionManager?
    let wakeup = SenderWakeup()
    let events: AsyncStream<KafkaProducerEvent>.Continuation?
    let logger: Logger
    let metrics: ProducerMetrics
    /// Leaders by partition, from the latest metadata.
    let leaders = VisibleLock<[TopicPartition: Int32]>([:])
    let connections = VisibleLock<[Int32: BrokerConnection]>([:])
    /// Keeps a broker's new connection idle until its previous one's requests are settled.
    let handover = ConnectionHandover()
    /// Set from response handlers when metadata must be refreshed.
    let metadataDirty = Atomic<Bool>(false)
    let stopping = Atomic<Bool>(false)
    /// What `KafkaProducer.run()` waits for; told of errors that end the producer.
    let lifecycle = ClientLifecycle()

    init(configuration: KafkaProducer.Configuration, accumulator: RecordAccumulator, cluster: KafkaCluster,
         transactions: TransactionManager?, events: AsyncStream<KafkaProducerEvent>.Continuation?, logger: Logger) {
        self.configuration = configuration
        self.accumulator = accumulator
        self.cluster = cluster
        self.transactions = transactions
        self.events = events
        self.logger = logger
        metrics = ProducerMetrics(clientId: configuration.cluster.connection.clientId)
    }

    var producerIdNeeded: Bool {
        // A transactional producer's id comes from initTransactions().
        configuration.enableIdempotence && transactions == nil && accumulator.identity.producerId < 0
    }

    func run() async {
        var random = SplitMix.seeded()
        var metadataFailures = 0
        var missingLeaders = MissingLeaderBackoff()
        while true {
            if stopping.load(ordering: .acquiring), accumulator.state.withLock({ $0.bufferedRecords == 0 }) { break }
            if producerIdNeeded {
                if let error = await obtainProducerId(bump: false, random: &random) {
                    failRecordsWithoutProducerId(error)
                }
                continue
            }
            if metadataDirty.exchange(false, ordering: .acquiringAndReleasing) {
                await cluster.invalidateMetadata()
                await refreshMetadata(topics: nil, failures: &metadataFailures, random: &random)
            }
            let now = ContinuousClock.now
            let snapshot = leaders.withLock { $0 }
            var drained = accumulator.drain(now: now, maxInFlightPerBroker: max(1, configuration.maxInFlightPerConnection)) { snapshot[$0] }
            for batch in drained.expired { expire(batch) }
            expireRecordsWaitingForMetadata(drained.expiredRecords)
            let usage = accumulator.usage
            metrics.inFlightRequests.record(usage.inFlightRequests)
            metrics.bufferedBytes.record(usage.bytes)
            metrics.bufferedRecords.record(usage.records)
            // Moved out of `drained`: a second reference to the dictionary would make every
            // batch's buffer shared, and finishing it would copy the whole batch.
            var requests = drained.requests
            drained.requests = [:]
            for broker in Array(requests.keys) {
                // Taken out of the dictionary so each batch's buffer is uniquely referenced.
                guard let batches = requests.removeValue(forKey: broker) else { continue }
                await send(batches, to: broker, random: &random)
            }
            if drained.needsMetadata.isEmpty {
                missingLeaders.reset()
            } else if missingLeaders.isDue(now: now) {
                await refreshMetadata(topics: Array(drained.needsMetadata), failures: &metadataFailures, random: &random)
                missingLeaders.refreshed(now: .now, delay: { accumulator.retryDelay(attempts: $0, random: &random) })
                continue
            } else if let due = missingLeaders.nextRefresh {
                drained.nextWake = min(drained.nextWake ?? due, due)
            }
            if let transactions, !drained.partitionsToAdd.isEmpty {
                await transactions.addPartitions(drained.partitionsToAdd) { self.failUnsent(error: $0) }
                continue
            }
            if drained.readyForEpochBump {
                if let transactions {
                    // A sequence gap inside a transaction: it cannot commit; the epoch
                    // is bumped when the application aborts it.
                    transactions.noteFailure(KafkaError(.transactionAbortable, detail: "a batch with a sequence number failed"))
                    failUnsent(error: KafkaError(.transactionAbortable, detail: "the transaction cannot commit after a failed batch"))
                } else {
                    await obtainProducerId(bump: true, random: &random)
                    continue
                }
            }
            await wakeup.wait(until: drained.nextWake ?? now.advanced(by: .milliseconds(100)))
        }
    }

    // MARK: Metadata and producer id

    /// Refreshes metadata for `topics` (nil: those already known), updating
    /// leaders and partition counts; records for missing topics fail.
    func refreshMetadata(topics: [String]?, failures: inout Int, random: inout some RandomNumberGenerator) async {
        let wanted = topics ?? Array(Set(leaders.withLock { $0.keys.map(\.topic) }))
        guard !wanted.isEmpty else { return }
        let metadata: ClusterMetadata
        do {
            metadata = try await cluster.refreshMetadata(topics: wanted)
            failures = 0
        } catch {
            failures += 1
            logger.debug("producer metadata refresh failed", metadata: ["error": "\(error)"])
            events?.yield(.error(error))
            noteIfFatal(error)
            if error.isUnrecoverableForProducer {
                // Rejected credentials: the records waiting for this metadata fail now.
                failRecords(accumulator.takeAllUnpartitioned(), error: error)
            }
            try? await Task.sleep(for: accumulator.retryDelay(attempts: failures, random: &random))
            return
        }
        var map: [TopicPartition: Int32] = [:]
        // A topic answered with an error (LEADER_NOT_AVAILABLE while it is created or
        // moves) has no usable partitions: the Java client skips it too.
        for (name, topic) in metadata.topics where !topic.error.isError {
            for partition in topic.partitions where partition.leaderId >= 0 && metadata.brokers[partition.leaderId] != nil {
                map[TopicPartition(topic: name, partition: partition.partition)] = partition.leaderId
            }
        }
        leaders.withLock { $0 = map }
        for (name, topic) in metadata.topics where !topic.error.isError {
            var partitionLeaders: [Int32: Int32] = [:]
            for partition in topic.partitions {
                if let leader = map[TopicPartition(topic: name, partition: partition.partition)] { partitionLeaders[partition.partition] = leader }
            }
            accumulator.updateLeaders(partitionLeaders, for: name)
        }
        for name in wanted {
            guard let topic = metadata.topics[name] else { continue }
            if topic.error == .unknownTopicOrPartition || topic.error == .invalidTopicException || topic.error == .topicAuthorizationFailed {
                let error = KafkaError.broker(topic.error, apiKey: .metadata, message: "topic \(name): \(topic.error.message)")
                failRecords(accumulator.rejectTopic(name), error: error)
            } else if !topic.error.isError, !topic.partitions.isEmpty {
                let rejected = accumulator.updatePartitionCount(topic: name, count: Int32(topic.partitions.count))
                let error = KafkaError(.unknownTopicOrPartition, detail: "topic \(name) has \(topic.partitions.count) partitions",
                                       brokerErrorCode: .unknownTopicOrPartition)
                failRecords(rejected, error: error)
            }
        }
    }

    /// InitProducerId: a first producer id, or (with `bump`) a new epoch for the
    /// current one after a sequence gap (KIP-360, InitProducerId v3+). A broker
    /// that refuses the bump (it lost the producer's state) gets asked for a fresh id.
    @discardableResult
    func obtainProducerId(bump: Bool, random: inout some RandomNumberGenerator) async -> KafkaError? {
        let current = accumulator.identity
        do throws(KafkaError) {
            let connection = try await cluster.anyConnection()
            let version = try await connection.apiVersions().version(for: InitProducerIdRequest.self)
            var response = try await initProducerId(on: connection, version: version,
                                                    bumping: bump && version >= 3 && current.producerId >= 0 ? current : nil)
            if KafkaErrorCode(response.errorCode).isError, !KafkaErrorCode(response.errorCode).isRetriable, bump {
                logger.debug("epoch bump refused; asking for a new producer id", metadata: ["error": "\(KafkaErrorCode(response.errorCode))"])
                response = try await initProducerId(on: connection, version: version, bumping: nil)
            }
            let code = KafkaErrorCode(response.errorCode)
            guard !code.isError else { throw KafkaError.broker(code, apiKey: .initProducerId) }
            accumulator.installIdentity(producerId: response.producerId, epoch: response.producerEpoch)
            logger.debug("producer id", metadata: ["id": "\(response.producerId)", "epoch": "\(response.producerEpoch)"])
            return nil
        } catch {
            events?.yield(.error(error))
            noteIfFatal(error)
            logger.debug("InitProducerId failed", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: accumulator.retryDelay(attempts: 1, random: &random))
            return error
        }
    }

    /// Without a producer id nothing can be sent. Credentials or permissions the broker
    /// refuses will not change by retrying: every waiting record fails with that error,
    /// as the Java producer fails its sends. Otherwise records still expire on time.
    func failRecordsWithoutProducerId(_ error: KafkaError) {
        if error.isUnrecoverableForProducer {
            failUnsent(error: error)
            return
        }
        // Nothing is sent: no partition has a leader here. The drain only seals and expires.
        let drained = accumulator.drain(now: .now, maxInFlightPerBroker: 0) { _ in nil }
        for batch in drained.expired { expire(batch) }
        expireRecordsWaitingForMetadata(drained.expiredRecords)
    }

    /// Fails records that waited for their topic's metadata longer than max.block.ms
    /// (capped at delivery.timeout.ms), as the Java producer's send() gives up waiting.
    func expireRecordsWaitingForMetadata(_ expired: [RecordAccumulator.PendingRecord]) {
        guard !expired.isEmpty else { return }
        let wait = accumulator.settings.metadataWait
        for (topic, records) in Dictionary(grouping: expired, by: \.record.topic) {
            failRecords(records, error: KafkaError(.unknownTopicOrPartition,
                                                   detail: "topic \(topic) not present in metadata after \(wait) (max.block.ms)",
                                                   apiKey: .metadata, brokerErrorCode: .unknownTopicOrPartition))
        }
    }

    private func initProducerId(on connection: BrokerConnection, version: Int16,
                                bumping identity: ProducerIdentity?) async throws(KafkaError) -> InitProducerIdResponse {
        var request = InitProducerIdRequest()
        request.transactionalId = nil
        request.transactionTimeoutMs = Int32.max
        if let identity {
            request.producerId = identity.producerId
            request.producerEpoch = identity.epoch
        }
        return try await connection.send(request, versionCeiling: version)
    }

    // MARK: Sending

    /// Builds and submits one Produce request for `batches`, all led by `broker`.
    func send(_ batches: consuming [ProducerBatch], to broker: Int32, random: inout some RandomNumberGenerator) async {
        var pending = consume batches
        var ready: [ProducerBatch] = []
        ready.reserveCapacity(pending.count)
        while !pending.isEmpty {
            var batch = pending.removeLast()
            if batch.bytes == nil {
                do {
                    batch.encoder.producerId = batch.identity?.producerId ?? -1
                    batch.encoder.producerEpoch = batch.identity?.epoch ?? -1
                    batch.encoder.baseSequence = batch.baseSequence
                    batch.encoder.attributes.isTransactional = transactions != nil
                    batch.bytes = try batch.encoder.finish(compression: configuration.compression.codec, level: configuration.compressionLevel)
                } catch {
                    fail(batch, wasInFlight: true, error: KafkaError(.invalidConfiguration, detail: "the batch could not be encoded: \(error)"))
                    continue
                }
            } else if let identity = batch.identity, configuration.enableIdempotence {
                do {
                    try RecordBatch.restamp(&batch.bytes!, producerId: identity.producerId, producerEpoch: identity.epoch,
                                            baseSequence: batch.baseSequence)
                } catch {
                    fail(batch, wasInFlight: true, error: KafkaError(.protocolViolation, detail: "could not restamp a batch: \(error)"))
                    continue
                }
            }
            ready.append(batch)
        }
        ready.reverse()
        guard !ready.isEmpty else {
            accumulator.requestFinished(broker: broker)
            return
        }
        let connection: BrokerConnection
        do {
            connection = try await self.connection(to: broker)
        } catch {
            accumulator.requestFinished(broker: broker)
            metadataDirty.store(true, ordering: .releasing)
            for batch in ready { retryOrFail(batch, error: error, bumpEpoch: false, random: &random) }
            return
        }
        guard handover.begin(broker: broker, on: connection) else {
            // The failures of the broker's previous connection are still being handled;
            // their retries go first. Each one wakes the sender again.
            accumulator.putBack(ready)
            accumulator.requestFinished(broker: broker)
            return
        }
        let request = Self.produceRequest(for: ready, configuration: configuration)
        let expectsResponse = configuration.acks != .none
        // Transactions v1 stay below Produce v12, which adds partitions implicitly (KIP-890).
        let ceiling = transactions?.transactionProtocol.produceVersionCeiling
        let sent = BatchHandoff(ready)
        connection.submit(request, timeout: configuration.requestTimeout, versionCeiling: ceiling,
                          expectsResponse: expectsResponse) { [self] result in
            handleResponse(result, batches: sent.take(), broker: broker, connection: connection)
        }
    }

    /// One Produce request carrying `batches` (each already encoded), grouped by topic.
    static func produceRequest(for batches: [ProducerBatch], configuration: KafkaProducer.Configuration) -> ProduceRequest {
        var byTopic: [String: [ProduceRequest.TopicProduceData.PartitionProduceData]] = [:]
        for batch in batches {
            byTopic[batch.topicPartition.topic, default: []].append(.init(index: batch.topicPartition.partition, records: batch.bytes))
        }
        var request = ProduceRequest()
        request.transactionalId = configuration.transactionalId
        request.acks = configuration.acks.rawValue
        request.timeoutMs = configuration.requestTimeout.int32MillisecondsRoundedUp
        request.topicData = byTopic.map { .init(name: $0.key, partitionData: $0.value) }
        return request
    }

    /// Tells `run()` when `error` ends the producer.
    func noteIfFatal(_ error: KafkaError) {
        if error.endsProducer { lifecycle.fail(error) }
    }

    /// Fails every record not sent yet (an aborted or abortable transaction's).
    func failUnsent(error: KafkaError) {
        let unsent = accumulator.takeUnsent()
        for batch in unsent.batches { fail(batch, wasInFlight: false, error: error) }
        failRecords(unsent.records, error: error)
    }

    /// The cached connection to `broker`, reopened through the cluster when closed.
    func connection(to broker: Int32) async throws(KafkaError) -> BrokerConnection {
        if let cached = connections.withLock({ $0[broker] }), !cached.isClosed { return cached }
        let fresh = try await cluster.connection(toBroker: broker)
        connections.withLock { $0[broker] = fresh }
        return fresh
    }
}

/// Hands a request's batches to its completion without an extra reference, so
/// their buffers can be reused once delivered.
final class BatchHandoff: Sendable {
    private let batches: VisibleLock<[ProducerBatch]>
    init(_ batches: [ProducerBatch]) { self.batches = VisibleLock(batches) }
    func take() -> [ProducerBatch] { batches.withLock { $0.take() } }
}

extension Array {
    /// The elements, leaving the array empty.
    mutating func take() -> [Element] {
        let taken = self
        self = []
        return taken
    }
}

extension KafkaError {
    /// An error no retry of the same request can fix: rejected credentials, or a
    /// permission the principal lacks (the Java producer treats these as fatal).
    var isUnrecoverableForProducer: Bool {
        if code == .authenticationFailed { return true }
        switch brokerErrorCode {
        case .clusterAuthorizationFailed?, .transactionalIdAuthorizationFailed?, .topicAuthorizationFailed?: return true
        default: return false
        }
    }
}
