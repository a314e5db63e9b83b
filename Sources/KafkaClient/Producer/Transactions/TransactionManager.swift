import KafkaWire
import Logging
import Synchronization

/// A transactional producer's side of KIP-98: the `TransactionState` value, and
/// the requests to the transaction coordinator (InitProducerId, AddPartitionsToTxn,
/// AddOffsetsToTxn, EndTxn) and the group coordinator (TxnOffsetCommit), each
/// retried, following the coordinator when it moves, until `max.block.ms`.
///
/// With transactions v2 (KIP-890, when the cluster finalizes `transaction.version`
/// >= 2) AddPartitionsToTxn and AddOffsetsToTxn are not sent: Produce v12 and
/// TxnOffsetCommit v5 add partitions and groups implicitly, and EndTxn v5 bumps the
/// epoch at the end of every transaction.
final class TransactionManager: Sendable {
    let transactionalId: String
    let transactionTimeout: Duration
    let maxBlock: Duration
    let retryBackoff: Duration
    let cluster: KafkaCluster
    let accumulator: RecordAccumulator
    let logger: Logger
    let state = VisibleLock(TransactionState())

    init(transactionalId: String, configuration: KafkaProducer.Configuration, cluster: KafkaCluster,
         accumulator: RecordAccumulator, logger: Logger) {
        self.transactionalId = transactionalId
        self.transactionTimeout = configuration.transactionTimeout
        self.maxBlock = configuration.maxBlock
        self.retryBackoff = configuration.retryBackoff
        self.cluster = cluster
        self.accumulator = accumulator
        self.logger = logger
        accumulator.enableTransactionGating()
    }

    func update<R>(_ body: (inout TransactionState) throws(KafkaError) -> R) throws(KafkaError) -> R {
        try state.withLock { (state) throws(KafkaError) -> R in try body(&state) }
    }

    /// The protocol of the transaction in progress, or of the next one.
    var transactionProtocol: TransactionProtocol { state.withLock { $0.transactionProtocol } }

    /// Reads the cluster's finalized `transaction.version` from ApiVersions: the
    /// transaction coordinator's, or another open connection's with newer features (at
    /// `initTransactions()` and when a transaction ends; the Java client looks at the
    /// same moments). Returns true when the producer moved from v1 to v2 and must bump
    /// its epoch before the next transaction. A coordinator that cannot be reached
    /// leaves the protocol as it was.
    func refreshProtocol() async -> Bool {
        var table: ApiVersionTable
        do throws(KafkaError) {
            let connection = try await cluster.connection(for: .transactionCoordinator(transactionalId))
            table = try await connection.apiVersions()
        } catch {
            return false
        }
        if let newest = await cluster.newestFinalizedFeatures(), newest.finalizedFeaturesEpoch > table.finalizedFeaturesEpoch {
            table = newest
        }
        let (before, after, bump) = state.withLock { state in
            let before = state.transactionProtocol
            let bump = state.featuresReported(table)
            return (before, state.transactionProtocol, bump)
        }
        if before != after || bump {
            logger.debug("transaction protocol", metadata: ["transactional.id": "\(transactionalId)", "protocol": "\(after)",
                                                            "transaction.version": "\(table.finalizedLevel(of: TransactionProtocol.featureName))"])
        }
        return bump
    }

    /// After a transaction ended (or at its end, with nothing to end on the coordinator):
    /// takes the cluster's current `transaction.version` for the next transaction, and
    /// after a move from v1 to v2 bumps the epoch first, as the Java client does. A
    /// bump that fails is not the ended transaction's failure: a fatal error (fenced)
    /// sticks, any other is logged, and v2's own per-transaction bump follows anyway.
    func prepareNextTransaction() async {
        guard await refreshProtocol() else { return }
        do {
            try await initializeProducerId(bumpingCurrent: true)
        } catch {
            logger.warning("epoch bump for transactions v2 failed", metadata: ["transactional.id": "\(transactionalId)", "error": "\(error)"])
            state.withLock { $0.failed(error) }
        }
    }

    /// Whether `send` may queue a record now (only inside a transaction in good standing).
    func checkCanSend() throws(KafkaError) {
        try state.withLock { (state) throws(KafkaError) in try state.checkCanSend() }
    }

    /// Records a failure (a batch that failed, a refused request) against the transaction.
    func noteFailure(_ error: KafkaError) {
        let kind: KafkaError
        switch error.code {
        case .producerFenced, .transactionFatal, .transactionAbortable: kind = error
        default:
            kind = KafkaError(.transactionAbortable, detail: "a record of the transaction failed: \(error.detail)",
                              apiKey: error.apiKey, brokerId: error.brokerId, brokerErrorCode: error.brokerErrorCode)
        }
        state.withLock { $0.failed(kind) }
    }

    // MARK: InitProducerId

    /// Finds the coordinator and gets this transactional id's producer id and a new
    /// epoch, which fences any older producer with the same id and aborts its open transaction.
    ///
    /// With `bumpingCurrent` (after an abort that left a sequence gap) the request
    /// names the producer id and epoch in use (KIP-360, InitProducerId v3+), so the
    /// coordinator bumps the epoch only if this producer is still the current one and
    /// answers PRODUCER_FENCED if another took over; an anonymous request would
    /// instead fence that newer producer.
    func initializeProducerId(bumpingCurrent: Bool = false) async throws(KafkaError) {
        var request = Self.initProducerIdRequest(transactionalId: transactionalId, timeout: transactionTimeout)
        let current = accumulator.identity
        if bumpingCurrent, current.producerId >= 0, await coordinatorSupportsEpochBump() {
            request.producerId = current.producerId
            request.producerEpoch = current.epoch
        }
        let response = try await coordinatorRequest(request, api: .initProducerId, route: .transactionCoordinator(transactionalId)) {
            ($0.errorCode, nil)
        }
        accumulator.installIdentity(producerId: response.producerId, epoch: response.producerEpoch)
        logger.debug("transactional producer id", metadata: ["transactional.id": "\(transactionalId)",
                                                             "id": "\(response.producerId)", "epoch": "\(response.producerEpoch)"])
    }

    /// Whether the transaction coordinator takes InitProducerId v3+ (KIP-360);
    /// assumed not when it cannot be reached (the request then finds out anyway).
    private func coordinatorSupportsEpochBump() async -> Bool {
        do throws(KafkaError) {
            let connection = try await cluster.connection(for: .transactionCoordinator(transactionalId))
            return try await connection.apiVersions().version(for: InitProducerIdRequest.self) >= 3
        } catch {
            return false
        }
    }

    /// InitProducerId for `transactionalId`, carrying `transaction.timeout.ms`: the
    /// coordinator aborts the transaction (and bumps the epoch) once it has been open that long.
    static func initProducerIdRequest(transactionalId: String, timeout: Duration) -> InitProducerIdRequest {
        var request = InitProducerIdRequest()
        request.transactionalId = transactionalId
        request.transactionTimeoutMs = timeout.int32MillisecondsRoundedUp
        return request
    }

    // MARK: AddPartitionsToTxn

    /// Registers `partitions` with the transaction (one request), then lets the
    /// buffer send to them. A failure makes the transaction abortable and fails
    /// what was waiting; the sender calls this again for partitions still waiting.
    func addPartitions(_ partitions: Set<TopicPartition>, failUnsent: (KafkaError) -> Void) async {
        if !transactionProtocol.registersExplicitly {
            // Transactions v2: the Produce v12 request itself adds each partition.
            state.withLock { $0.added(partitions) }
            accumulator.registerTransactionPartitions(partitions)
            return
        }
        let identity = accumulator.identity
        var request = AddPartitionsToTxnRequest()
        request.v3AndBelowTransactionalId = transactionalId
        request.v3AndBelowProducerId = identity.producerId
        request.v3AndBelowProducerEpoch = identity.epoch
        request.v3AndBelowTopics = Dictionary(grouping: partitions, by: \.topic).map { topic, members in
            AddPartitionsToTxnRequest.AddPartitionsToTxnTopic(name: topic, partitions: members.map(\.partition).sorted())
        }
        do {
            // v4+ is the broker-to-broker batch form; clients use v3 and below.
            _ = try await coordinatorRequest(request, api: .addPartitionsToTxn, route: .transactionCoordinator(transactionalId),
                                             versionCeiling: 3) { response in
                Self.firstError(response.resultsByTopicV3AndBelow.flatMap { topic in
                    topic.resultsByPartition.map { $0.partitionErrorCode }
                })
            }
            state.withLock { $0.added(partitions) }
            accumulator.registerTransactionPartitions(partitions)
        } catch {
            logger.debug("AddPartitionsToTxn failed", metadata: ["error": "\(error)"])
            state.withLock { $0.failed(error) }
            failUnsent(error)
        }
    }

    // MARK: Offsets

    /// AddOffsetsToTxn (once per group and transaction; v1 only), then TxnOffsetCommit
    /// to the group's coordinator (v5 with transactions v2, which adds the group itself).
    func sendOffsets(_ offsets: [TopicPartition: Int64], group: ConsumerGroupMetadata) async throws(KafkaError) {
        let identity = accumulator.identity
        let (needsAdd, txnProtocol) = state.withLock { state in
            let needsAdd = state.needsAddOffsets(group: group.groupId)
            // With v2 the transaction has begun on the coordinator once TxnOffsetCommit is
            // sent, answered or not: it must be ended with EndTxn from now on.
            if !state.transactionProtocol.registersExplicitly { state.addedOffsets(group: group.groupId) }
            return (needsAdd, state.transactionProtocol)
        }
        if needsAdd {
            var add = AddOffsetsToTxnRequest()
            add.transactionalId = transactionalId
            add.producerId = identity.producerId
            add.producerEpoch = identity.epoch
            add.groupId = group.groupId
            _ = try await coordinatorRequest(add, api: .addOffsetsToTxn, route: .transactionCoordinator(transactionalId)) {
                ($0.errorCode, nil)
            }
            state.withLock { $0.addedOffsets(group: group.groupId) }
        }
        var commit = TxnOffsetCommitRequest()
        commit.transactionalId = transactionalId
        commit.groupId = group.groupId
        commit.producerId = identity.producerId
        commit.producerEpoch = identity.epoch
        commit.generationId = group.generationId
        commit.memberId = group.memberId
        commit.groupInstanceId = group.groupInstanceId
        commit.topics = Dictionary(grouping: offsets, by: \.key.topic).map { topic, entries in
            TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic(name: topic, partitions: entries.map {
                .init(partitionIndex: $0.key.partition, committedOffset: $0.value, committedLeaderEpoch: -1, committedMetadata: "")
            }.sorted { $0.partitionIndex < $1.partitionIndex })
        }
        _ = try await coordinatorRequest(commit, api: .txnOffsetCommit, route: .groupCoordinator(group.groupId),
                                         versionCeiling: txnProtocol.txnOffsetCommitVersionCeiling) { response in
            Self.firstError(response.topics.flatMap { $0.partitions.map(\.errorCode) })
        }
    }

    // MARK: EndTxn

    /// Commits or aborts the transaction on the coordinator. With transactions v2 the
    /// answer (EndTxn v5) carries the producer id and epoch for the next transaction:
    /// the epoch one higher, or a new producer id at epoch 0 once the epoch is used up;
    /// every partition's sequence then starts again at 0.
    func endTransaction(commit: Bool) async throws(KafkaError) {
        let identity = accumulator.identity
        var request = EndTxnRequest()
        request.transactionalId = transactionalId
        request.producerId = identity.producerId
        request.producerEpoch = identity.epoch
        request.committed = commit
        let ceiling = transactionProtocol.endTxnVersionCeiling
        let response = try await coordinatorRequest(request, api: .endTxn, route: .transactionCoordinator(transactionalId),
                                                    versionCeiling: ceiling) {
            ($0.errorCode, nil)
        }
        if let next = Self.identityAfterEnd(response) {
            accumulator.installIdentity(producerId: next.producerId, epoch: next.epoch)
            logger.debug("producer epoch bumped by EndTxn", metadata: [
                "transactional.id": "\(transactionalId)", "id": "\(next.producerId)", "epoch": "\(next.epoch)",
                "newProducerId": "\(next.producerId != identity.producerId)"])
        }
    }

    /// The producer id and epoch an EndTxn response hands over for the next transaction:
    /// only v5+ carries them (older versions leave both at -1, and the epoch stays).
    static func identityAfterEnd(_ response: EndTxnResponse) -> (producerId: Int64, epoch: Int16)? {
        guard response.producerId >= 0, response.producerEpoch >= 0 else { return nil }
        return (response.producerId, response.producerEpoch)
    }

    // MARK: Requests

    /// The most telling error of per-partition results: any real error over
    /// OPERATION_NOT_ATTEMPTED, which only says another partition failed.
    static func firstError(_ codes: [Int16]) -> (Int16, String?) {
        let errors = codes.filter { $0 != 0 }
        return (errors.first { $0 != KafkaErrorCode.operationNotAttempted.rawValue } ?? errors.first ?? 0, nil)
    }

    /// Sends `request` along `route` until it succeeds, retrying retriable errors
    /// (re-finding the coordinator where it moved) with backoff until `max.block.ms`.
    func coordinatorRequest<R: KafkaRequest>(
        _ request: R, api: ApiKey, route: RequestRoute, versionCeiling: Int16? = nil,
        errorOf: (R.Response) -> (Int16, String?)
    ) async throws(KafkaError) -> R.Response {
        let deadline = ContinuousClock.now.advanced(by: maxBlock)
        var attempts = 0
        var random = SplitMix.seeded()
        while true {
            attempts += 1
            let lastError: KafkaError
            switch try await attempt(request, api: api, route: route, versionCeiling: versionCeiling, errorOf: errorOf) {
            case .success(let response):
                return response
            case .failure(let error):
                lastError = error
            }
            let delay = ReconnectBackoff(base: retryBackoff, maximum: .seconds(1)).delay(afterFailures: attempts, using: &random)
            guard ContinuousClock.now.advanced(by: delay) < deadline else {
                throw KafkaError(.requestTimedOut, detail: "\(api) did not succeed within max.block.ms (\(maxBlock)); last error: \(lastError)",
                                 apiKey: api, brokerErrorCode: lastError.brokerErrorCode)
            }
            logger.debug("retrying transactional request", metadata: ["api": "\(api)", "error": "\(lastError)"])
            try? await Task.sleep(for: delay)
        }
    }

    /// One try: the response, a retriable error (after which the coordinator is
    /// looked up again where needed), or a thrown final error.
    private func attempt<R: KafkaRequest>(
        _ request: R, api: ApiKey, route: RequestRoute, versionCeiling: Int16?, errorOf: (R.Response) -> (Int16, String?)
    ) async throws(KafkaError) -> Result<R.Response, KafkaError> {
        let response: R.Response
        do {
            let connection = try await cluster.connection(for: route)
            response = try await connection.send(request, versionCeiling: versionCeiling)
        } catch {
            switch error.code {
            case .cancelled:
                throw error  // the caller's task was cancelled: it stops waiting, nothing to retry
            case .apiNotSupported, .unsupportedVersion:
                throw KafkaError(.transactionFatal, detail: "the broker cannot do transactions: \(error.detail)", apiKey: api,
                                 brokerId: error.brokerId, brokerErrorCode: error.brokerErrorCode)
            default:
                guard error.isRetriable else {
                    throw KafkaError(.transactionAbortable, detail: "\(api) failed: \(error)", apiKey: api, brokerId: error.brokerId,
                                     brokerErrorCode: error.brokerErrorCode)
                }
                await forgetCoordinator(route)
                return .failure(error)
            }
        }
        let (raw, message) = errorOf(response)
        let code = KafkaErrorCode(raw)
        guard code.isError else { return .success(response) }
        let kind = TransactionErrorKind.of(code)
        let error = kind.error(code, api: api, message: message, transactionalId: transactionalId)
        guard case .retriable(let findCoordinator) = kind else { throw error }
        if findCoordinator { await forgetCoordinator(route) }
        return .failure(error)
    }

    private func forgetCoordinator(_ route: RequestRoute) async {
        switch route {
        case .transactionCoordinator(let id): await cluster.invalidateCoordinator(transactionalId: id)
        case .groupCoordinator(let group): await cluster.invalidateCoordinator(group: group)
        default: await cluster.invalidateMetadata()
        }
    }
}
