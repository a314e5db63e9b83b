import KafkaClient
import KafkaTesting
import KafkaWire
import Synchronization
import Testing

/// The fake cluster implements transactions v1 only and finalizes no
/// `transaction.version`: the producer must speak v1 to it, registering partitions
/// and offsets explicitly, with Produce below v12 and TxnOffsetCommit and EndTxn
/// below v5, and keep its epoch from one transaction to the next.
@Suite("Transactions v1 on the fake cluster (no transaction.version)")
struct FakeClusterTransactionVersionTests {
    @Test("two transactions with offsets: AddPartitionsToTxn and AddOffsetsToTxn each time, Produce v11, TxnOffsetCommit and EndTxn v4, one epoch")
    func speaksV1() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("v1-out", partitions: 1)
        try cluster.createTopic("v1-in", partitions: 1)
        let seen = VisibleLock<[(api: ApiKey, version: Int16)]>([])
        cluster.setRequestHook { request in
            seen.withLock { $0.append((request.apiKey, request.version)) }
            return .proceed
        }
        let producer = try FakeClusterTransactionTests.producer(cluster, transactionalId: "v1-txn")
        try await producer.initTransactions()
        let first = try #require(cluster.producerIdentity(transactionalId: "v1-txn"))
        for round in 0..<2 {
            try producer.beginTransaction()
            try producer.send(KafkaProducerRecord(topic: "v1-out", partition: 0, value: "r\(round)"))
            try await producer.sendOffsetsToTransaction([TopicPartition(topic: "v1-in", partition: 0): Int64(round + 1)],
                                                        groupMetadata: ConsumerGroupMetadata(groupId: "v1-g"))
            try await producer.commitTransaction()
        }
        let last = try #require(cluster.producerIdentity(transactionalId: "v1-txn"))
        await producer.close()

        let requests = seen.withLock { $0 }
        func versions(_ api: ApiKey) -> [Int16] { requests.filter { $0.api == api }.map(\.version) }
        #expect(versions(.addPartitionsToTxn).count == 2)
        #expect(versions(.addOffsetsToTxn).count == 2)
        #expect(!versions(.produce).isEmpty && versions(.produce).allSatisfy { $0 <= 11 })
        #expect(versions(.txnOffsetCommit) == [4, 4])
        #expect(versions(.endTxn) == [4, 4])
        #expect(last == first, "the id and epoch InitProducerId gave stay: \(first) then \(last)")
    }
}
