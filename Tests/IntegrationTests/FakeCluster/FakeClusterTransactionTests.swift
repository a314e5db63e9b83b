import Foundation
import KafkaClient
import KafkaTesting
import KafkaWire
import Synchronization
import Testing

/// Transactions entirely in-process: our transactional producer and read_committed
/// consumer against the fake cluster's transaction coordinator, markers and last
/// stable offset.
@Suite("Transactions on the fake cluster")
struct FakeClusterTransactionTests {
    static func producer(_ cluster: FakeKafkaCluster, transactionalId: String,
                         _ configure: (inout KafkaProducer.Configuration) -> Void = { _ in }) throws -> KafkaProducer {
        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.transactionalId = transactionalId
        configuration.maxBlock = .seconds(15)
        configuration.retryBackoff = .milliseconds(10)
        configuration.retryBackoffMax = .milliseconds(100)
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
        configure(&configuration)
        return try KafkaProducer(configuration: configuration)
    }

    static func readCommitted(_ cluster: FakeKafkaCluster, group: String? = nil) throws -> KafkaConsumer {
        try FakeClusterConsumerTests.consumer(cluster, group: group) {
            $0.isolationLevel = .readCommitted
            $0.enableAutoCommit = false
        }
    }

    /// Every value a consumer reads from `partitions` of `topic` from the start: waits for
    /// `count` values, then a little longer, so anything beyond them is caught too.
    static func values(_ cluster: FakeKafkaCluster, topic: String, partitions: Int32, count: Int,
                       isolation: KafkaIsolationLevel) async throws -> [String] {
        let consumer = try FakeClusterConsumerTests.consumer(cluster) { $0.isolationLevel = isolation }
        consumer.assign(Dictionary(uniqueKeysWithValues: (0..<partitions).map { (TopicPartition(topic: topic, partition: $0), .earliest) }))
        let seen = VisibleLock<[String]>([])
        let reader = Task {
            do {
                for try await message in consumer.messages {
                    seen.withLock { $0.append(String(decoding: message.value ?? [], as: UTF8.self)) }
                }
            } catch {}
        }
        _ = try await ConsumerGroupTests.waitUntil(.seconds(20)) { seen.withLock { $0.count } >= count }
        try await Task.sleep(for: .milliseconds(300))
        await consumer.close()
        await reader.value
        return seen.withLock { $0 }
    }

    /// Writes `values` to partitions round-robin with a plain idempotent producer.
    static func feed(_ cluster: FakeKafkaCluster, topic: String, partitions: Int32, values: [String]) async throws {
        let (producer, events) = try FakeClusterProducerTests.producer(cluster)
        for (index, value) in values.enumerated() {
            try producer.send(KafkaProducerRecord(topic: topic, partition: Int32(index) % partitions, value: value))
        }
        let (reports, _) = await ProducerFailureTests.collect(events, count: values.count)
        await producer.close()
        #expect(reports.values.allSatisfy { $0.isSuccess })
    }

    @Test("consume-transform-produce with one aborted transaction: read_committed sees every input once in the output, none of the aborted records, and the group's offsets reach the input's end",
          .timeLimit(.minutes(2)))
    func consumeTransformProduce() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try cluster.createTopic("ctp-in", partitions: 2)
        try cluster.createTopic("ctp-out", partitions: 1)
        let inputs = (0..<60).map { "in-\($0)" }
        try await Self.feed(cluster, topic: "ctp-in", partitions: 2, values: inputs)

        let consumer = try Self.readCommitted(cluster, group: "ctp")
        let producer = try Self.producer(cluster, transactionalId: "ctp-txn")
        try await producer.initTransactions()
        try consumer.subscribe(topics: ["ctp-in"])
        var iterator = consumer.messages.makeAsyncIterator()
        var committedNext: [TopicPartition: Int64] = [:]
        var processed = 0
        var round = 0
        while processed < inputs.count {
            // Ten records per transaction: every batch fills, since 60 divides into tens.
            var batch: [KafkaConsumerMessage] = []
            while batch.count < 10, let message = try await iterator.next() { batch.append(message) }
            try #require(batch.count == 10)
            try producer.beginTransaction()
            var next = committedNext
            for message in batch {
                let value = String(decoding: message.value ?? [], as: UTF8.self)
                try producer.send(KafkaProducerRecord(topic: "ctp-out", partition: 0, value: "out-\(value)"))
                next[TopicPartition(topic: message.topic, partition: message.partition)] = message.offset + 1
            }
            try await producer.sendOffsetsToTransaction(next, groupMetadata: try consumer.groupMetadata())
            if round == 2 {
                // The application gives this batch up after its output reached the log
                // (flushed): output and offsets must vanish, and the batch is read again
                // from the last committed offsets.
                await producer.flush()
                try await producer.abortTransaction()
                for partition in [Int32(0), 1] {
                    let key = TopicPartition(topic: "ctp-in", partition: partition)
                    #expect(cluster.committedOffset(group: "ctp", topic: "ctp-in", partition: partition) == committedNext[key],
                            "offsets of the aborted transaction became visible")
                    try consumer.seek(key, to: .offset(committedNext[key] ?? 0))
                }
            } else {
                try await producer.commitTransaction()
                committedNext = next
                processed += batch.count
            }
            round += 1
        }
        await producer.close()
        await consumer.close()

        // The group's committed offsets are the input's end.
        for partition in [Int32(0), 1] {
            #expect(cluster.committedOffset(group: "ctp", topic: "ctp-in", partition: partition) == cluster.endOffset(topic: "ctp-in", partition: partition))
        }
        let checker = try Self.readCommitted(cluster, group: "ctp")
        let inputPartitions = [Int32(0), 1].map { TopicPartition(topic: "ctp-in", partition: $0) }
        #expect(try await checker.committed(inputPartitions) == [inputPartitions[0]: 30, inputPartitions[1]: 30])
        await checker.close()

        // read_committed: every input exactly once; the aborted copies are filtered out by the
        // client from the fetch's aborted-transaction list, though the log still holds them.
        let committedOutput = try await Self.values(cluster, topic: "ctp-out", partitions: 1, count: 60, isolation: .readCommitted)
        #expect(committedOutput.count == 60)
        #expect(Set(committedOutput) == Set(inputs.map { "out-\($0)" }))
        let everything = try await Self.values(cluster, topic: "ctp-out", partitions: 1, count: 70, isolation: .readUncommitted)
        #expect(everything.count == 70, "the aborted transaction's ten records are in the log")
        let markers = try cluster.batches(topic: "ctp-out", partition: 0).filter(\.attributes.isControl).flatMap { try $0.controlRecords().map(\.type) }
        #expect(markers.filter { $0 == .commit }.count == 6)
        #expect(markers.filter { $0 == .abort }.count == 1)
        #expect(cluster.lastStableOffset(topic: "ctp-out", partition: 0) == cluster.endOffset(topic: "ctp-out", partition: 0))
    }

    @Test("a second producer with the same transactional.id fences the first: the first gets a fatal fenced error, the second commits",
          .timeLimit(.minutes(1)))
    func fencing() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try cluster.createTopic("fenced", partitions: 1)
        let first = try Self.producer(cluster, transactionalId: "fence-txn")
        try await first.initTransactions()
        try first.beginTransaction()
        for index in 0..<5 { try first.send(KafkaProducerRecord(topic: "fenced", partition: 0, value: "first-\(index)")) }
        await first.flush()
        #expect(cluster.lastStableOffset(topic: "fenced", partition: 0) == 0, "the open transaction holds the last stable offset")

        let second = try Self.producer(cluster, transactionalId: "fence-txn")
        try await second.initTransactions()
        let identity = try #require(cluster.producerIdentity(transactionalId: "fence-txn"))
        // The coordinator aborted the first's transaction under epoch 1; the second holds epoch 2.
        #expect(identity.epoch == 2)
        #expect(cluster.lastStableOffset(topic: "fenced", partition: 0) == cluster.endOffset(topic: "fenced", partition: 0))

        await #expect { try await first.commitTransaction() } throws: { ($0 as? KafkaError)?.code == .producerFenced }
        #expect { try first.beginTransaction() } throws: { ($0 as? KafkaError)?.code == .producerFenced }

        try second.beginTransaction()
        for index in 0..<5 { try second.send(KafkaProducerRecord(topic: "fenced", partition: 0, value: "second-\(index)")) }
        try await second.commitTransaction()
        await second.close()
        await first.close()

        let visible = try await Self.values(cluster, topic: "fenced", partitions: 1, count: 5, isolation: .readCommitted)
        #expect(visible == (0..<5).map { "second-\($0)" })
        let controls = try cluster.batches(topic: "fenced", partition: 0).filter(\.attributes.isControl)
        #expect(try controls.map { try $0.controlRecords().first?.type } == [.abort, .commit])
        #expect(controls.map(\.producerEpoch) == [1, 2])
    }

    @Test("read_committed stops at an open transaction's first offset and reads on once it commits; ListOffsets latest is the last stable offset",
          .timeLimit(.minutes(1)))
    func lastStableOffset() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("stable", partitions: 1)
        try await FakeClusterConsumerTests.produce(cluster, topic: "stable", values: ["plain-0", "plain-1"])
        let producer = try Self.producer(cluster, transactionalId: "stable-txn")
        try await producer.initTransactions()
        try producer.beginTransaction()
        for index in 0..<3 { try producer.send(KafkaProducerRecord(topic: "stable", partition: 0, value: "txn-\(index)")) }
        await producer.flush()
        #expect(cluster.lastStableOffset(topic: "stable", partition: 0) == 2)
        #expect(cluster.endOffset(topic: "stable", partition: 0) == 5)

        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let partition = TopicPartition(topic: "stable", partition: 0)
        #expect(try await admin.listOffsets([partition: .latest], isolationLevel: .readCommitted)[partition]?.get().offset == 2)
        #expect(try await admin.listOffsets([partition: .latest])[partition]?.get().offset == 5)

        let consumer = try Self.readCommitted(cluster)
        consumer.assign([partition: .earliest])
        let seen = VisibleLock<[String]>([])
        let reader = Task {
            do {
                for try await message in consumer.messages { seen.withLock { $0.append(String(decoding: message.value ?? [], as: UTF8.self)) } }
            } catch {}
        }
        _ = try await ConsumerGroupTests.waitUntil(.seconds(10)) { seen.withLock { $0.count } >= 2 }
        try await Task.sleep(for: .milliseconds(300))
        #expect(seen.withLock { $0 } == ["plain-0", "plain-1"], "read past the last stable offset")
        try await producer.commitTransaction()
        _ = try await ConsumerGroupTests.waitUntil(.seconds(10)) { seen.withLock { $0.count } >= 5 }
        await consumer.close()
        await reader.value
        #expect(seen.withLock { $0 } == ["plain-0", "plain-1", "txn-0", "txn-1", "txn-2"])
        #expect(try await admin.listOffsets([partition: .latest], isolationLevel: .readCommitted)[partition]?.get().offset == 6)
        await admin.close()
        await producer.close()
    }

    @Test("transactional offsets stay invisible until commit; a read_committed member asking for them waits out the open transaction",
          .timeLimit(.minutes(1)))
    func offsetsVisibleOnCommit() async throws {
        let cluster = try FakeKafkaCluster(brokers: 2)
        defer { cluster.close() }
        try cluster.createTopic("offsets-in", partitions: 1)
        let partition = TopicPartition(topic: "offsets-in", partition: 0)
        let producer = try Self.producer(cluster, transactionalId: "offsets-txn")
        try await producer.initTransactions()
        try producer.beginTransaction()
        try await producer.sendOffsetsToTransaction([partition: 7], groupMetadata: ConsumerGroupMetadata(groupId: "offsets-g"))
        #expect(cluster.committedOffset(group: "offsets-g", topic: "offsets-in", partition: 0) == nil)
        // OffsetFetch with requireStable answers UNSTABLE_OFFSET_COMMIT until the transaction ends.
        let member = try Self.readCommitted(cluster, group: "offsets-g")
        let asked = Task { try await member.committed([partition]) }
        // The first OffsetFetch must reach the cluster before the commit, also on a busy machine.
        _ = try await ConsumerGroupTests.waitUntil(.seconds(10)) { cluster.receivedRequests.contains { $0.apiKey == .offsetFetch } }
        try await Task.sleep(for: .milliseconds(300))
        try await producer.commitTransaction()
        #expect(try await asked.value == [partition: 7])
        #expect(cluster.committedOffset(group: "offsets-g", topic: "offsets-in", partition: 0) == 7)
        #expect(cluster.receivedRequests.filter { $0.apiKey == .offsetFetch }.count >= 2, "the first answer was not UNSTABLE_OFFSET_COMMIT")
        await member.close()
        await producer.close()
    }

    @Test("a transaction open past transaction.timeout.ms is aborted by the coordinator, and its producer is fenced (transactions v1)",
          .timeLimit(.minutes(1)))
    func transactionTimeout() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("slow", partitions: 1)
        let producer = try Self.producer(cluster, transactionalId: "slow-txn") { $0.transactionTimeout = .seconds(1) }
        try await producer.initTransactions()
        try producer.beginTransaction()
        try producer.send(KafkaProducerRecord(topic: "slow", partition: 0, value: "late"))
        await producer.flush()
        #expect(cluster.lastStableOffset(topic: "slow", partition: 0) == 0)
        #expect(try await ConsumerGroupTests.waitUntil(.seconds(10)) { cluster.transactionState(transactionalId: "slow-txn") == "CompleteAbort" })
        #expect(cluster.lastStableOffset(topic: "slow", partition: 0) == cluster.endOffset(topic: "slow", partition: 0))
        await #expect { try await producer.commitTransaction() } throws: { ($0 as? KafkaError)?.code == .producerFenced }
        await producer.close()
        let markers = try cluster.batches(topic: "slow", partition: 0).filter(\.attributes.isControl)
        #expect(try markers.map { try $0.controlRecords().first?.type } == [.abort])
    }
}
