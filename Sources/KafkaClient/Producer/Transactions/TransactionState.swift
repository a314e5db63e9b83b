/// Where a transactional producer stands, as a plain value: every public call
/// and every outcome from the coordinator is an event that moves it, so the
/// rules (what may follow what, which errors are abortable and which fatal)
/// are tested without a broker.
struct TransactionState: Sendable {
    enum Phase: Sendable, Equatable {
        /// `initTransactions()` has not succeeded yet.
        case uninitialized
        case initializing
        /// Between transactions.
        case ready
        case inTransaction
        case committing
        case aborting
        /// The transaction cannot commit; only `abortTransaction()` leads out.
        case abortable(KafkaError)
        /// Nothing leads out; the producer must be closed.
        case fatal(KafkaError)
    }

    private(set) var phase: Phase = .uninitialized
    /// Partitions of the current transaction: registered by AddPartitionsToTxn (v1),
    /// or about to be sent to with Produce v12, which adds them implicitly (v2).
    private(set) var partitions: Set<TopicPartition> = []
    /// Groups whose offsets are in the current transaction: registered by
    /// AddOffsetsToTxn (v1), or sent with TxnOffsetCommit v5 (v2).
    private(set) var offsetGroups: Set<String> = []
    /// Transactions v1 or v2, from the cluster's finalized `transaction.version`.
    private(set) var protocolSelection = TransactionProtocolSelection()

    /// The protocol of the transaction in progress, or of the next one.
    var transactionProtocol: TransactionProtocol { protocolSelection.current }
    /// The last commit ran out of time: it may or may not have committed, so the
    /// only way on is to call `commitTransaction()` again (as in the Java client).
    private(set) var isCommitOutcomeUnknown = false

    /// True once the coordinator knows of the transaction, so it must be ended with EndTxn.
    var hasStartedOnCoordinator: Bool { !partitions.isEmpty || !offsetGroups.isEmpty }

    private static func illegal(_ detail: String) -> KafkaError {
        KafkaError(.illegalState, detail: detail)
    }

    /// The error a call made in a terminal or abortable phase gets.
    private func blocked(doing action: String) -> KafkaError? {
        switch phase {
        case .fatal(let error): error
        case .abortable(let error) where action != "abort":
            KafkaError(.transactionAbortable, detail: "cannot \(action): the transaction must be aborted first (\(error.detail))",
                       apiKey: error.apiKey, brokerErrorCode: error.brokerErrorCode)
        default: nil
        }
    }

    mutating func initStarted() throws(KafkaError) {
        if let error = blocked(doing: "initialize transactions") { throw error }
        guard phase == .uninitialized else { throw Self.illegal("initTransactions() was already called") }
        phase = .initializing
    }

    /// InitProducerId answered: success makes the producer ready; a failure leaves
    /// it uninitialized (the call may be retried) unless the error is fatal.
    mutating func initFinished(_ error: KafkaError?) {
        guard phase == .initializing else { return }
        if let error {
            phase = error.code == .producerFenced || error.code == .transactionFatal ? .fatal(error) : .uninitialized
        } else {
            phase = .ready
        }
    }

    mutating func begin() throws(KafkaError) {
        if let error = blocked(doing: "begin a transaction") { throw error }
        switch phase {
        case .ready:
            phase = .inTransaction
            partitions = []
            offsetGroups = []
        case .uninitialized, .initializing: throw Self.illegal("call initTransactions() before beginTransaction()")
        default: throw Self.illegal("a transaction is already in progress")
        }
    }

    /// Whether `send` may queue a record now.
    func checkCanSend() throws(KafkaError) {
        if let error = blocked(doing: "send") { throw error }
        switch phase {
        case .inTransaction: return
        case .uninitialized, .initializing: throw Self.illegal("call initTransactions() and beginTransaction() before sending")
        case .committing, .aborting: throw Self.illegal("the transaction is being completed; begin a new one to send")
        default: throw Self.illegal("call beginTransaction() before sending with a transactional producer")
        }
    }

    /// Whether offsets may be added to the transaction now.
    func checkInTransaction(for action: String) throws(KafkaError) {
        if let error = blocked(doing: action) { throw error }
        guard phase == .inTransaction else { throw Self.illegal("\(action) needs a transaction in progress") }
    }

    mutating func commitStarted() throws(KafkaError) {
        if let error = blocked(doing: "commit") { throw error }
        if phase == .committing, isCommitOutcomeUnknown {
            isCommitOutcomeUnknown = false  // the retry of a commit that timed out
            return
        }
        guard phase == .inTransaction else { throw Self.illegal("commitTransaction() needs a transaction in progress") }
        phase = .committing
    }

    mutating func abortStarted() throws(KafkaError) {
        if let error = blocked(doing: "abort") { throw error }
        switch phase {
        case .inTransaction, .abortable: phase = .aborting
        case .committing where isCommitOutcomeUnknown:
            throw Self.illegal("commitTransaction() timed out and the transaction may have committed: "
                               + "call commitTransaction() again to complete it")
        case .committing: throw Self.illegal("the transaction is committing")
        default: throw Self.illegal("abortTransaction() needs a transaction in progress")
        }
    }

    /// The commit's EndTxn did not get an answer within `max.block.ms`. The
    /// transaction stays committing: aborting it could undo a commit that happened.
    mutating func commitOutcomeUnknown() {
        guard phase == .committing else { return }
        isCommitOutcomeUnknown = true
    }

    /// EndTxn succeeded (or the coordinator never knew of the transaction).
    mutating func completed() {
        guard phase == .committing || phase == .aborting else { return }
        isCommitOutcomeUnknown = false
        phase = .ready
        partitions = []
        offsetGroups = []
    }

    /// An abort that could not reach the coordinator in time: it may be called again.
    mutating func abortRetryable() {
        guard phase == .aborting else { return }
        phase = .abortable(KafkaError(.transactionAbortable, detail: "the abort did not complete; call abortTransaction() again"))
    }

    mutating func added(_ new: some Sequence<TopicPartition>) {
        partitions.formUnion(new)
    }

    mutating func addedOffsets(group: String) {
        offsetGroups.insert(group)
    }

    /// Whether `group` must be registered with AddOffsetsToTxn before its offsets are
    /// sent: once per transaction with v1, never with v2 (TxnOffsetCommit v5 adds it).
    func needsAddOffsets(group: String) -> Bool {
        transactionProtocol.registersExplicitly && !offsetGroups.contains(group)
    }

    /// A broker's ApiVersions table, read at `initTransactions()` or when a transaction
    /// ends: the protocol may change only then, never inside a transaction. Returns true
    /// when the producer moved from v1 to v2 after initialization and must bump its
    /// epoch (InitProducerId with its id and epoch) before the next transaction.
    mutating func featuresReported(_ table: ApiVersionTable) -> Bool {
        switch phase {
        case .initializing: return protocolSelection.observe(table, initializing: true)
        case .committing, .aborting, .ready: return protocolSelection.observe(table, initializing: false)
        case .uninitialized, .inTransaction, .abortable, .fatal: return false
        }
    }

    /// Something went wrong. Fatal errors always win; abortable ones stick while a
    /// transaction is open or completing (a commit that meets one fails and must abort).
    mutating func failed(_ error: KafkaError) {
        switch phase {
        case .fatal: return
        case _ where error.code == .producerFenced || error.code == .transactionFatal:
            phase = .fatal(error)
        case .inTransaction, .committing:
            isCommitOutcomeUnknown = false
            phase = .abortable(error)
        case .abortable, .aborting, .ready, .uninitialized, .initializing:
            return
        }
    }

    /// The abortable error a commit ran into, if the commit cannot go on.
    var failure: KafkaError? {
        switch phase {
        case .abortable(let error), .fatal(let error): error
        default: nil
        }
    }
}
