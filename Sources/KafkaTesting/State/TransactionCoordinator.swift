import KafkaWire

/// The transaction coordinator's view of every transactional id (KIP-98,
/// transactions v1), as a plain value: the producer id and epoch each id holds,
/// and the partitions and groups its open transaction spans.
///
/// Kafka passes through PrepareCommit/PrepareAbort while markers are written; the
/// fake writes them in the same step, so a transaction goes from Ongoing straight
/// to CompleteCommit or CompleteAbort. A ``Completion`` tells the cluster what to
/// write: a marker per partition, and the group offsets to make visible or drop.
struct TransactionCoordinator: Sendable {
    enum Phase: String, Sendable, Equatable {
        case empty = "Empty"
        case ongoing = "Ongoing"
        case completeCommit = "CompleteCommit"
        case completeAbort = "CompleteAbort"
    }

    struct Transaction: Sendable, Equatable {
        var producerId: Int64
        var epoch: Int16
        /// transaction.timeout.ms, in seconds: an open transaction older than this is aborted.
        var timeout: Double
        var phase = Phase.empty
        var partitions: Set<PartitionKey> = []
        /// Groups whose offsets the transaction carries (AddOffsetsToTxn).
        var groups: Set<String> = []
        var startedAt: Double = 0
    }

    /// A transaction that just ended: the markers to write (under `epoch`) and the
    /// groups whose pending offsets from `producerId` become committed or are dropped.
    struct Completion: Sendable, Equatable {
        let transactionalId: String
        let producerId: Int64
        let epoch: Int16
        let commit: Bool
        let partitions: Set<PartitionKey>
        let groups: Set<String>
    }

    enum InitOutcome: Sendable, Equatable {
        case ready(producerId: Int64, epoch: Int16)
        /// The id had a transaction open: it is aborted under a bumped epoch, which
        /// fences the old producer. Kafka answers CONCURRENT_TRANSACTIONS so the new
        /// producer retries, and the retry bumps the epoch once more.
        case abortedOpenTransaction(Completion)
        case refused(KafkaErrorCode)
    }

    enum EndOutcome: Sendable, Equatable {
        case completed(Completion)
        /// A retry of an EndTxn that already took effect.
        case alreadyCompleted
        case refused(KafkaErrorCode)
    }

    private(set) var transactions: [String: Transaction] = [:]
    private var nextProducerId: Int64 = 1000
    /// transaction.max.timeout.ms, in seconds.
    let maxTimeout: Double

    init(maxTimeout: Double = 900) { self.maxTimeout = maxTimeout }

    /// A producer id never handed out before (idempotent and transactional producers share the space).
    mutating func newProducerId() -> Int64 {
        defer { nextProducerId += 1 }
        return nextProducerId
    }

    // MARK: InitProducerId

    /// InitProducerId for a transactional id: a new producer id at epoch 0 the first
    /// time, else the next epoch of the same id (a new id once epochs run out). When
    /// the request names its current producer id and epoch (KIP-360), they must be the
    /// id's current ones.
    mutating func initProducerId(transactionalId: String, timeoutMs: Int32, expected: (producerId: Int64, epoch: Int16)?,
                                 now: Double) -> InitOutcome {
        let timeout = Double(timeoutMs) / 1000
        guard timeoutMs > 0, timeout <= maxTimeout else { return .refused(.invalidTransactionTimeout) }
        guard var transaction = transactions[transactionalId] else {
            transactions[transactionalId] = Transaction(producerId: newProducerId(), epoch: 0, timeout: timeout)
            let created = transactions[transactionalId]!
            return .ready(producerId: created.producerId, epoch: created.epoch)
        }
        if let expected, expected.producerId != transaction.producerId || expected.epoch != transaction.epoch {
            return .refused(.producerFenced)
        }
        if transaction.phase == .ongoing {
            return .abortedOpenTransaction(fenceAndAbort(transactionalId))
        }
        if transaction.epoch >= Int16.max - 1 {
            transaction.producerId = newProducerId()
            transaction.epoch = 0
        } else {
            transaction.epoch += 1
        }
        transaction.timeout = timeout
        transaction.phase = .empty
        transaction.partitions = []
        transaction.groups = []
        transactions[transactionalId] = transaction
        return .ready(producerId: transaction.producerId, epoch: transaction.epoch)
    }

    // MARK: Adding to a transaction

    /// AddPartitionsToTxn: starts the transaction if none is open, and adds the partitions.
    mutating func addPartitions(_ partitions: some Sequence<PartitionKey>, transactionalId: String, producerId: Int64,
                                epoch: Int16, now: Double) -> KafkaErrorCode? {
        guard var transaction = transactions[transactionalId] else { return .invalidProducerIdMapping }
        if let error = Self.check(transaction, producerId: producerId, epoch: epoch) { return error }
        Self.beginIfIdle(&transaction, now: now)
        transaction.partitions.formUnion(partitions)
        transactions[transactionalId] = transaction
        return nil
    }

    /// AddOffsetsToTxn: starts the transaction if none is open, and adds the group's offsets to it.
    mutating func addOffsets(group: String, transactionalId: String, producerId: Int64, epoch: Int16, now: Double) -> KafkaErrorCode? {
        guard var transaction = transactions[transactionalId] else { return .invalidProducerIdMapping }
        if let error = Self.check(transaction, producerId: producerId, epoch: epoch) { return error }
        Self.beginIfIdle(&transaction, now: now)
        transaction.groups.insert(group)
        transactions[transactionalId] = transaction
        return nil
    }

    private static func check(_ transaction: Transaction, producerId: Int64, epoch: Int16) -> KafkaErrorCode? {
        guard transaction.producerId == producerId else { return .invalidProducerIdMapping }
        guard transaction.epoch == epoch else { return .producerFenced }
        return nil
    }

    private static func beginIfIdle(_ transaction: inout Transaction, now: Double) {
        guard transaction.phase != .ongoing else { return }
        transaction.phase = .ongoing
        transaction.partitions = []
        transaction.groups = []
        transaction.startedAt = now
    }

    // MARK: Verification (what a partition leader or group coordinator asks)

    /// Whether a transactional write by `producerId` at `epoch` to `partition` belongs to
    /// the id's open transaction, as Kafka's leaders verify (KIP-890 part 1) before
    /// appending: a stale epoch is INVALID_PRODUCER_EPOCH, a partition never added INVALID_TXN_STATE.
    func verify(transactionalId: String?, producerId: Int64, epoch: Int16, partition: PartitionKey) -> KafkaErrorCode? {
        verify(transactionalId: transactionalId, producerId: producerId, epoch: epoch) { $0.partitions.contains(partition) }
    }

    /// The same check for TxnOffsetCommit: the group must have been added with AddOffsetsToTxn.
    func verify(transactionalId: String, producerId: Int64, epoch: Int16, group: String) -> KafkaErrorCode? {
        verify(transactionalId: transactionalId, producerId: producerId, epoch: epoch) { $0.groups.contains(group) }
    }

    private func verify(transactionalId: String?, producerId: Int64, epoch: Int16, holds: (Transaction) -> Bool) -> KafkaErrorCode? {
        guard let transactionalId, let transaction = transactions[transactionalId], transaction.producerId == producerId else {
            return .invalidProducerIdMapping
        }
        guard transaction.epoch == epoch else { return .invalidProducerEpoch }
        guard transaction.phase == .ongoing, holds(transaction) else { return .invalidTxnState }
        return nil
    }

    // MARK: Ending

    /// EndTxn: commits or aborts the open transaction. A retry of the same decision
    /// succeeds again; the other decision, or ending with nothing open, is INVALID_TXN_STATE.
    mutating func endTransaction(transactionalId: String, producerId: Int64, epoch: Int16, commit: Bool) -> EndOutcome {
        guard var transaction = transactions[transactionalId] else { return .refused(.invalidProducerIdMapping) }
        if let error = Self.check(transaction, producerId: producerId, epoch: epoch) { return .refused(error) }
        switch transaction.phase {
        case .ongoing:
            let completion = Completion(transactionalId: transactionalId, producerId: producerId, epoch: epoch, commit: commit,
                                        partitions: transaction.partitions, groups: transaction.groups)
            transaction.phase = commit ? .completeCommit : .completeAbort
            transaction.partitions = []
            transaction.groups = []
            transactions[transactionalId] = transaction
            return .completed(completion)
        case .completeCommit where commit, .completeAbort where !commit:
            return .alreadyCompleted
        case .empty, .completeCommit, .completeAbort:
            return .refused(.invalidTxnState)
        }
    }

    /// Aborts every transaction open longer than its timeout, fencing its producer
    /// (transactions v1: the producer learns of it as PRODUCER_FENCED).
    mutating func abortExpired(now: Double) -> [Completion] {
        let expired = transactions.filter { $0.value.phase == .ongoing && now - $0.value.startedAt > $0.value.timeout }.keys
        return expired.sorted().map { fenceAndAbort($0) }
    }

    /// Bumps the epoch (the old producer is fenced) and aborts the open transaction under it.
    private mutating func fenceAndAbort(_ transactionalId: String) -> Completion {
        var transaction = transactions[transactionalId]!
        if transaction.epoch < Int16.max { transaction.epoch += 1 }
        let completion = Completion(transactionalId: transactionalId, producerId: transaction.producerId, epoch: transaction.epoch,
                                    commit: false, partitions: transaction.partitions, groups: transaction.groups)
        transaction.phase = .completeAbort
        transaction.partitions = []
        transaction.groups = []
        transactions[transactionalId] = transaction
        return completion
    }
}
