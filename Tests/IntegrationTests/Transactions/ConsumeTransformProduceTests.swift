import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// Exactly-once consume-transform-produce (KIP-447): each transaction carries its
/// output records and the input offsets, so a worker that dies mid-transaction
/// leaves nothing behind that its successor repeats.
@Suite("Consume-transform-produce")
struct ConsumeTransformProduceTests {
    static let inputCount = 60
    static let batchSize = 10

    /// A read_committed group member: it reads committed offsets as stable (KIP-447).
    static func member(group: String) throws -> KafkaConsumer {
        try KafkaConsumerTests.consumer {
            $0.groupId = group
            $0.autoOffsetReset = .earliest
            $0.isolationLevel = .readCommitted
            $0.enableAutoCommit = false
            $0.sessionTimeout = .seconds(6)
            $0.rebalanceTimeout = .seconds(10)
            $0.heartbeatInterval = .milliseconds(500)
        }
    }

    /// One worker: a group consumer on `input` and a transactional producer; processes
    /// `transactions` batches of `batchSize` records, committing each, then (with
    /// `dieMidTransaction`) sends one more batch and its offsets and stops without committing.
    static func work(input: String, output: String, group: String, transactionalId: String,
                     transactions: Int, dieMidTransaction: Bool) async throws -> Int {
        try await work(input: input, output: output, group: group, transactionalId: transactionalId, transactions: transactions,
                       dieMidTransaction: dieMidTransaction, transactionTimeout: .seconds(60))
    }

    /// `work` with the producer's `transaction.timeout.ms`.
    static func work(input: String, output: String, group: String, transactionalId: String,
                     transactions: Int, dieMidTransaction: Bool, transactionTimeout: Duration) async throws -> Int {
        let consumer = try Self.member(group: group)
        let configuration = try KafkaProducerTests.configuration {
            $0.transactionalId = transactionalId
            $0.maxBlock = .seconds(20)
            $0.transactionTimeout = transactionTimeout
        }
        let producer = try KafkaProducer(configuration: configuration)
        try await producer.initTransactions()
        try consumer.subscribe(topics: [input])
        var iterator = consumer.messages.makeAsyncIterator()
        var processed = 0
        for round in 0..<(transactions + (dieMidTransaction ? 1 : 0)) {
            var batch: [KafkaConsumerMessage] = []
            while batch.count < batchSize, batch.last.map({ $0.offset < Int64(inputCount - 1) }) ?? true,
                  let message = try await iterator.next() {
                batch.append(message)
            }
            guard !batch.isEmpty else { break }
            try producer.beginTransaction()
            var next: [TopicPartition: Int64] = [:]
            for message in batch {
                let value = String(decoding: message.value ?? [], as: UTF8.self)
                try producer.send(KafkaProducerRecord(topic: output, partition: 0, key: nil, value: "out-\(value)"))
                next[TopicPartition(topic: message.topic, partition: message.partition)] = message.offset + 1
            }
            try await producer.sendOffsetsToTransaction(next, groupMetadata: try consumer.groupMetadata())
            if dieMidTransaction && round == transactions {
                // The crash: records and offsets are with the broker, the commit never comes.
                await producer.flush()
                break
            }
            try await producer.commitTransaction()
            processed += batch.count
            if batch.last?.offset == Int64(inputCount - 1) { break }
        }
        await consumer.close()
        return processed
    }

    @Test("a worker dies mid-transaction; its successor (same transactional.id and group) leaves every input exactly once downstream")
    func crashMidTransaction() async throws {
        let input = TestBroker.uniqueTopicName("ctp-in")
        let output = TestBroker.uniqueTopicName("ctp-out")
        let group = TestBroker.uniqueTopicName("ctp-g")
        let transactionalId = TestBroker.uniqueTopicName("ctp-txn")
        try await KafkaProducerTests.createTopic(input, partitions: 1)
        try await KafkaProducerTests.createTopic(output, partitions: 1)
        let feeder = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        for index in 0..<Self.inputCount {
            try feeder.send(KafkaProducerRecord(topic: input, partition: 0, key: nil, value: "\(index)"))
        }
        await feeder.close()

        // kfake leaves a dead producer's transaction open until transaction.timeout.ms has
        // passed, where Kafka aborts it when the successor calls InitProducerId (kfake's
        // README): there the dead worker's transaction is given a short timeout, and the
        // successor starts after it.
        let timeout: Duration = TestBroker.isKfake ? .seconds(4) : .seconds(60)
        let first = try await Self.work(input: input, output: output, group: group, transactionalId: transactionalId,
                                        transactions: 3, dieMidTransaction: true, transactionTimeout: timeout)
        #expect(first == 30)
        let inputPartition = TopicPartition(topic: input, partition: 0)
        // A read_uncommitted probe: offsets still inside the open transaction are not
        // committed, so it reads the last committed transaction's (a read_committed one
        // would wait for the open transaction to end, KIP-447).
        let probe = try KafkaConsumerTests.consumer { $0.groupId = group }
        #expect(try await probe.committed([inputPartition])[inputPartition] == 30, "offsets of the open transaction leaked")
        await probe.close()
        if TestBroker.isKfake { try await Task.sleep(for: timeout + .seconds(2)) }
        // The successor fences the dead worker's epoch, which aborts its open transaction,
        // and resumes from the offsets of the last committed transaction.
        let second = try await Self.work(input: input, output: output, group: group, transactionalId: transactionalId,
                                         transactions: 10, dieMidTransaction: false)
        #expect(second == 30)

        let cluster = try TransactionalProducerTests.cluster()
        let log = try await TransactionLog.read(topic: output, partition: 0, cluster: cluster)
        let committed = log.committed.map(\.text)
        #expect(committed == (0..<Self.inputCount).map { "out-\($0)" }, "committed downstream: \(committed)")
        #expect(log.undecided.isEmpty, "records of a transaction nobody ended: \(log.undecided.map(\.text))")
        // The dead worker's fourth batch is in the log, behind an ABORT marker.
        #expect(log.allValues.filter { $0 == "out-30" }.count == 2)
        #expect(log.markers.filter { $0 == .abort }.count == 1)
        await cluster.close()

        let checker = try ConsumerGroupTests.member(group: group)
        let committedOffsets = try await checker.committed([TopicPartition(topic: input, partition: 0)])
        #expect(committedOffsets[TopicPartition(topic: input, partition: 0)] == Int64(Self.inputCount))
        await checker.close()
    }

    @Test("offsets sent to an aborted transaction are not committed")
    func abortedOffsetsStayUncommitted() async throws {
        let input = TestBroker.uniqueTopicName("ctp-abort-in")
        let group = TestBroker.uniqueTopicName("ctp-abort-g")
        try await KafkaProducerTests.createTopic(input, partitions: 1)
        let partition = TopicPartition(topic: input, partition: 0)
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration {
            $0.transactionalId = TestBroker.uniqueTopicName("ctp-abort-txn")
        })
        try await producer.initTransactions()
        try await producer.withTransaction {
            try await producer.sendOffsetsToTransaction([partition: 5], groupMetadata: ConsumerGroupMetadata(groupId: group))
        }
        try producer.beginTransaction()
        try await producer.sendOffsetsToTransaction([partition: 9], groupMetadata: ConsumerGroupMetadata(groupId: group))
        try await producer.abortTransaction()
        await producer.close()

        let checker = try ConsumerGroupTests.member(group: group)
        let committed = try await checker.committed([partition])
        #expect(committed[partition] == 5)
        await checker.close()
    }
}
