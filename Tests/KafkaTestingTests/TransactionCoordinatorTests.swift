@testable import KafkaTesting
import KafkaWire
import Testing

/// The fake transaction coordinator's state machine (transactions v1), driven with explicit times.
@Suite("Fake cluster: transaction coordinator")
struct TransactionCoordinatorTests {
    static let orders = PartitionKey(topic: "orders", partition: 0)
    static let audit = PartitionKey(topic: "audit", partition: 2)

    @Test("the first InitProducerId gives a new producer id at epoch 0; each later one the next epoch of the same id")
    func epochs() {
        var coordinator = TransactionCoordinator()
        let other = coordinator.newProducerId()
        #expect(coordinator.initProducerId(transactionalId: "t", timeoutMs: 60_000, expected: nil, now: 0) == .ready(producerId: other + 1, epoch: 0))
        #expect(coordinator.initProducerId(transactionalId: "t", timeoutMs: 60_000, expected: nil, now: 1) == .ready(producerId: other + 1, epoch: 1))
        #expect(coordinator.initProducerId(transactionalId: "u", timeoutMs: 60_000, expected: nil, now: 1) == .ready(producerId: other + 2, epoch: 0))
        #expect(coordinator.transactions["t"]?.phase == .empty)
    }

    @Test("a transaction timeout of zero or above transaction.max.timeout.ms is INVALID_TRANSACTION_TIMEOUT")
    func timeoutBounds() {
        var coordinator = TransactionCoordinator(maxTimeout: 60)
        #expect(coordinator.initProducerId(transactionalId: "t", timeoutMs: 0, expected: nil, now: 0) == .refused(.invalidTransactionTimeout))
        #expect(coordinator.initProducerId(transactionalId: "t", timeoutMs: 60_001, expected: nil, now: 0) == .refused(.invalidTransactionTimeout))
        #expect(coordinator.transactions["t"] == nil)
    }

    @Test("a second producer fences the first: its open transaction is aborted under a bumped epoch, and the retry bumps again")
    func fencing() throws {
        var coordinator = TransactionCoordinator()
        guard case .ready(let id, 0) = coordinator.initProducerId(transactionalId: "t", timeoutMs: 60_000, expected: nil, now: 0) else {
            Issue.record("no producer id")
            return
        }
        #expect(coordinator.addPartitions([Self.orders], transactionalId: "t", producerId: id, epoch: 0, now: 1) == nil)
        #expect(coordinator.addOffsets(group: "g", transactionalId: "t", producerId: id, epoch: 0, now: 1) == nil)

        let fenced = coordinator.initProducerId(transactionalId: "t", timeoutMs: 60_000, expected: nil, now: 2)
        #expect(fenced == .abortedOpenTransaction(TransactionCoordinator.Completion(
            transactionalId: "t", producerId: id, epoch: 1, commit: false, partitions: [Self.orders], groups: ["g"])))
        #expect(coordinator.initProducerId(transactionalId: "t", timeoutMs: 60_000, expected: nil, now: 3) == .ready(producerId: id, epoch: 2))

        // Everything the old producer does from now on is fenced.
        #expect(coordinator.addPartitions([Self.audit], transactionalId: "t", producerId: id, epoch: 0, now: 4) == .producerFenced)
        #expect(coordinator.addOffsets(group: "g", transactionalId: "t", producerId: id, epoch: 0, now: 4) == .producerFenced)
        #expect(coordinator.endTransaction(transactionalId: "t", producerId: id, epoch: 0, commit: true) == .refused(.producerFenced))
        #expect(coordinator.verify(transactionalId: "t", producerId: id, epoch: 0, partition: Self.orders) == .invalidProducerEpoch)
        // Naming an old epoch in InitProducerId (KIP-360) is fenced too.
        #expect(coordinator.initProducerId(transactionalId: "t", timeoutMs: 60_000, expected: (id, 0), now: 5) == .refused(.producerFenced))
    }

    @Test("EndTxn completes the transaction with its partitions and groups; a retry of the same decision succeeds, the other does not")
    func endTransaction() {
        var coordinator = TransactionCoordinator()
        _ = coordinator.initProducerId(transactionalId: "t", timeoutMs: 60_000, expected: nil, now: 0)
        let id = coordinator.transactions["t"]!.producerId
        #expect(coordinator.endTransaction(transactionalId: "t", producerId: id, epoch: 0, commit: true) == .refused(.invalidTxnState))
        _ = coordinator.addPartitions([Self.orders, Self.audit], transactionalId: "t", producerId: id, epoch: 0, now: 1)
        #expect(coordinator.verify(transactionalId: "t", producerId: id, epoch: 0, partition: Self.orders) == nil)
        #expect(coordinator.verify(transactionalId: "t", producerId: id, epoch: 0, partition: PartitionKey(topic: "orders", partition: 1)) == .invalidTxnState)
        #expect(coordinator.verify(transactionalId: "t", producerId: id, epoch: 0, group: "g") == .invalidTxnState)
        #expect(coordinator.verify(transactionalId: "t", producerId: id + 1, epoch: 0, partition: Self.orders) == .invalidProducerIdMapping)
        #expect(coordinator.verify(transactionalId: nil, producerId: id, epoch: 0, partition: Self.orders) == .invalidProducerIdMapping)

        #expect(coordinator.endTransaction(transactionalId: "t", producerId: id, epoch: 0, commit: true) == .completed(TransactionCoordinator.Completion(
            transactionalId: "t", producerId: id, epoch: 0, commit: true, partitions: [Self.orders, Self.audit], groups: [])))
        #expect(coordinator.transactions["t"]?.phase == .completeCommit)
        #expect(coordinator.endTransaction(transactionalId: "t", producerId: id, epoch: 0, commit: true) == .alreadyCompleted)
        #expect(coordinator.endTransaction(transactionalId: "t", producerId: id, epoch: 0, commit: false) == .refused(.invalidTxnState))
        #expect(coordinator.verify(transactionalId: "t", producerId: id, epoch: 0, partition: Self.orders) == .invalidTxnState)
        #expect(coordinator.endTransaction(transactionalId: "nobody", producerId: id, epoch: 0, commit: true) == .refused(.invalidProducerIdMapping))
        #expect(coordinator.endTransaction(transactionalId: "t", producerId: id + 1, epoch: 0, commit: true) == .refused(.invalidProducerIdMapping))

        // The next transaction starts empty.
        _ = coordinator.addOffsets(group: "g", transactionalId: "t", producerId: id, epoch: 0, now: 2)
        #expect(coordinator.transactions["t"]?.partitions.isEmpty == true)
        #expect(coordinator.verify(transactionalId: "t", producerId: id, epoch: 0, group: "g") == nil)
        #expect(coordinator.endTransaction(transactionalId: "t", producerId: id, epoch: 0, commit: false) == .completed(TransactionCoordinator.Completion(
            transactionalId: "t", producerId: id, epoch: 0, commit: false, partitions: [], groups: ["g"])))
    }

    @Test("a transaction open longer than its timeout is aborted and its producer fenced")
    func expiry() {
        var coordinator = TransactionCoordinator()
        _ = coordinator.initProducerId(transactionalId: "t", timeoutMs: 10_000, expected: nil, now: 0)
        let id = coordinator.transactions["t"]!.producerId
        _ = coordinator.addPartitions([Self.orders], transactionalId: "t", producerId: id, epoch: 0, now: 5)
        #expect(coordinator.abortExpired(now: 14).isEmpty)
        #expect(coordinator.abortExpired(now: 15.5) == [TransactionCoordinator.Completion(
            transactionalId: "t", producerId: id, epoch: 1, commit: false, partitions: [Self.orders], groups: [])])
        #expect(coordinator.abortExpired(now: 100).isEmpty)
        #expect(coordinator.endTransaction(transactionalId: "t", producerId: id, epoch: 0, commit: true) == .refused(.producerFenced))
    }

    @Test("pending transactional offsets become committed on commit and vanish on abort")
    func pendingOffsets() {
        var pending = PendingTransactionalOffsets()
        let offset = ClusterState.CommittedOffset(offset: 5, leaderEpoch: -1, metadata: "")
        pending.add([Self.orders: offset], group: "g", producerId: 1)
        pending.add([Self.audit: offset], group: "g", producerId: 2)
        #expect(pending.isPending(group: "g", partition: Self.orders))
        #expect(!pending.isPending(group: "h", partition: Self.orders))
        #expect(pending.end(group: "g", producerId: 1, commit: true) == [Self.orders: offset])
        #expect(!pending.isPending(group: "g", partition: Self.orders))
        #expect(pending.end(group: "g", producerId: 2, commit: false).isEmpty)
        #expect(!pending.isPending(group: "g", partition: Self.audit))
    }
}
