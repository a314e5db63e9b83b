import KafkaWire
import Testing
@testable import KafkaClient

/// The transactional producer's rules, driven as a plain value: which calls
/// may follow which, and how failures make a transaction abortable or the
/// producer unusable.
@Suite("Producer: transaction state")
struct TransactionStateTests {
    static func code(_ body: () throws -> Void) -> KafkaError.Code? {
        do { try body(); return nil } catch { return (error as? KafkaError)?.code }
    }

    static func ready() throws -> TransactionState {
        var state = TransactionState()
        try state.initStarted()
        state.initFinished(nil)
        return state
    }

    @Test("init, begin, send, commit, and round again")
    func happyPath() throws {
        var state = try Self.ready()
        #expect(state.phase == .ready)
        try state.begin()
        try state.checkCanSend()
        state.added([TopicPartition(topic: "t", partition: 0)])
        #expect(state.hasStartedOnCoordinator)
        try state.commitStarted()
        state.completed()
        #expect(state.phase == .ready)
        #expect(!state.hasStartedOnCoordinator)
        try state.begin()
        try state.abortStarted()
        state.completed()
        #expect(state.phase == .ready)
    }

    @Test("calls out of order are .illegalState")
    func outOfOrder() throws {
        var fresh = TransactionState()
        #expect(Self.code { try fresh.checkCanSend() } == .illegalState)
        #expect(Self.code { try fresh.begin() } == .illegalState)
        #expect(Self.code { try fresh.commitStarted() } == .illegalState)
        var state = try Self.ready()
        #expect(Self.code { try state.initStarted() } == .illegalState)
        #expect(Self.code { try state.checkCanSend() } == .illegalState)
        #expect(Self.code { try state.abortStarted() } == .illegalState)
        #expect(Self.code { try state.checkInTransaction(for: "sendOffsetsToTransaction") } == .illegalState)
        try state.begin()
        #expect(Self.code { try state.begin() } == .illegalState)
        try state.commitStarted()
        #expect(Self.code { try state.checkCanSend() } == .illegalState)
        #expect(Self.code { try state.abortStarted() } == .illegalState)
    }

    @Test("a failed init may be retried unless it was fatal")
    func initRetry() throws {
        var state = TransactionState()
        try state.initStarted()
        state.initFinished(KafkaError(.requestTimedOut, detail: "slow coordinator"))
        #expect(state.phase == .uninitialized)
        try state.initStarted()
        state.initFinished(KafkaError(.transactionFatal, detail: "not authorized"))
        #expect(Self.code { try state.initStarted() } == .transactionFatal)
    }

    @Test("an abortable failure blocks send and commit until abort; the next transaction is clean")
    func abortable() throws {
        var state = try Self.ready()
        try state.begin()
        state.failed(KafkaError(.transactionAbortable, detail: "a record failed"))
        #expect(Self.code { try state.checkCanSend() } == .transactionAbortable)
        #expect(Self.code { try state.commitStarted() } == .transactionAbortable)
        #expect(Self.code { try state.checkInTransaction(for: "sendOffsetsToTransaction") } == .transactionAbortable)
        try state.abortStarted()
        state.completed()
        try state.begin()
        try state.checkCanSend()
    }

    @Test("a failure during commit makes it abortable; a failure while ready is ignored")
    func failureDuringCommit() throws {
        var state = try Self.ready()
        state.failed(KafkaError(.transactionAbortable, detail: "late report"))
        #expect(state.phase == .ready)
        try state.begin()
        try state.commitStarted()
        state.failed(KafkaError(.transactionAbortable, detail: "batch failed while flushing"))
        #expect(state.failure?.code == .transactionAbortable)
        try state.abortStarted()
    }

    @Test("fenced is fatal and sticks: nothing leads out")
    func fenced() throws {
        var state = try Self.ready()
        try state.begin()
        state.failed(KafkaError(.producerFenced, detail: "newer epoch"))
        state.failed(KafkaError(.transactionAbortable, detail: "later"))
        #expect(Self.code { try state.checkCanSend() } == .producerFenced)
        #expect(Self.code { try state.abortStarted() } == .producerFenced)
        #expect(Self.code { try state.begin() } == .producerFenced)
    }

    @Test("an abort that timed out can be called again")
    func abortRetry() throws {
        var state = try Self.ready()
        try state.begin()
        try state.abortStarted()
        state.abortRetryable()
        try state.abortStarted()
        state.completed()
        #expect(state.phase == .ready)
    }

    @Test("broker errors sort into retriable, abortable, fatal and fenced as in the Java client")
    func errorKinds() {
        #expect(TransactionErrorKind.of(.notCoordinator) == .retriable(findCoordinator: true))
        #expect(TransactionErrorKind.of(.coordinatorNotAvailable) == .retriable(findCoordinator: true))
        #expect(TransactionErrorKind.of(.concurrentTransactions) == .retriable(findCoordinator: false))
        #expect(TransactionErrorKind.of(.coordinatorLoadInProgress) == .retriable(findCoordinator: false))
        #expect(TransactionErrorKind.of(.producerFenced) == .fenced)
        #expect(TransactionErrorKind.of(.invalidProducerEpoch) == .fenced)
        #expect(TransactionErrorKind.of(.transactionalIdAuthorizationFailed) == .fatal)
        #expect(TransactionErrorKind.of(.invalidTxnState) == .fatal)
        #expect(TransactionErrorKind.of(.topicAuthorizationFailed) == .abortable)
        #expect(TransactionErrorKind.of(.illegalGeneration) == .abortable)
        #expect(TransactionErrorKind.of(.transactionAbortable) == .abortable)
        let fenced = TransactionErrorKind.fenced.error(.producerFenced, api: .endTxn, message: nil, transactionalId: "payments-1")
        #expect(fenced.code == .producerFenced)
        #expect(fenced.brokerErrorCode == .producerFenced)
        #expect(fenced.detail.contains("payments-1"))
    }

    @Test("InitProducerId carries the transactional id and transaction.timeout.ms; a timeout the broker refuses is fatal")
    func initProducerIdRequest() {
        let request = TransactionManager.initProducerIdRequest(transactionalId: "orders-7", timeout: .milliseconds(15_500))
        #expect(request.transactionalId == "orders-7")
        #expect(request.transactionTimeoutMs == 15_500)
        #expect(request.producerId == -1 && request.producerEpoch == -1)
        #expect(TransactionErrorKind.of(.invalidTransactionTimeout) == .fatal)
    }

    @Test("per-partition results: a real error wins over OPERATION_NOT_ATTEMPTED")
    func firstError() {
        let notAttempted = KafkaErrorCode.operationNotAttempted.rawValue
        let denied = KafkaErrorCode.topicAuthorizationFailed.rawValue
        #expect(TransactionManager.firstError([0, 0]).0 == 0)
        #expect(TransactionManager.firstError([notAttempted, denied, notAttempted]).0 == denied)
        #expect(TransactionManager.firstError([0, notAttempted]).0 == notAttempted)
    }

    @Test("a commit that timed out stays committing: abort is refused, a second commit goes on (the outcome may be committed)")
    func commitTimeoutKeepsCommitting() throws {
        var state = try Self.ready()
        try state.begin()
        state.added([TopicPartition(topic: "t", partition: 0)])
        try state.commitStarted()
        state.commitOutcomeUnknown()
        #expect(state.phase == .committing && state.isCommitOutcomeUnknown)
        #expect(Self.code { try state.abortStarted() } == .illegalState, "aborting could undo a commit that happened")
        #expect(Self.code { try state.checkCanSend() } == .illegalState)
        #expect(Self.code { try state.begin() } == .illegalState)
        try state.commitStarted()
        #expect(!state.isCommitOutcomeUnknown)
        state.completed()
        #expect(state.phase == .ready)
        try state.begin()
    }
}
