import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// Transactions v2 (KIP-890 part 2) and v1 side by side. kfake finalizes
/// `transaction.version=2` as a Kafka 4.x cluster does, so the producer adds
/// partitions and offsets implicitly (Produce v12, TxnOffsetCommit v5) and EndTxn
/// v5 bumps the epoch at the end of every transaction; Tansu finalizes nothing, so
/// the same tests run transactions v1, where the epoch stays. The log of the output
/// partition tells which protocol ran: each transaction's batches carry its epoch.
@Suite("Transactions v2 (KIP-890)", .timeLimit(.minutes(4)))
struct TransactionsV2Tests {
    /// Whether the shared test broker speaks transactions v2.
    static var sharedBrokerIsV2: Bool { TestBroker.isKfake }

    static func sharedServers() throws -> [String] { ["\(try TestBroker.bootstrap())"] }

    @Test("consume-transform-produce: every input once downstream; the epoch grows by one per transaction with v2, stays with v1")
    func consumeTransformProduce() async throws {
        let servers = try Self.sharedServers()
        let run = try await Self.consumeTransformProduce(servers: servers, prefix: "v2ctp", maxBlock: .seconds(20))
        try await run.verify(servers: servers, expectV2: Self.sharedBrokerIsV2)
    }

    @Test("an aborted transaction stays invisible to read_committed; the transactions after it commit")
    func abortedStaysHidden() async throws {
        try await Self.abortThenCommit(servers: try Self.sharedServers(), expectV2: Self.sharedBrokerIsV2)
    }

    @Test("kfake closes the connection of every AddPartitionsToTxn and AddOffsetsToTxn, yet the v2 loop commits: none is sent",
          .enabled(if: KfakeCluster.isEnabled, KfakeCluster.skipComment))
    func noExplicitRegistration() async throws {
        // Produce v12 and TxnOffsetCommit v5 add partitions and offsets; a v1 request
        // would lose its connection every time and the transaction would time out.
        let kfake = try KfakeCluster.start(["-drop-every", "24:1", "-drop-every", "25:1"])
        defer { kfake.stop() }
        let run = try await Self.consumeTransformProduce(servers: kfake.bootstrapServers, prefix: "v2drop", maxBlock: .seconds(8))
        try await run.verify(servers: kfake.bootstrapServers, expectV2: true)

        // The control: lowered to v1, a producer needs AddPartitionsToTxn, which never gets through.
        try await Self.setTransactionVersion(1, servers: kfake.bootstrapServers)
        var configuration = KafkaProducer.Configuration(bootstrapServers: kfake.bootstrapServers)
        configuration.transactionalId = "txn-\(run.output)-v1"
        configuration.maxBlock = .seconds(3)
        let producer = try KafkaProducer(configuration: configuration)
        try await producer.initTransactions()
        try producer.beginTransaction()
        try producer.send(KafkaProducerRecord(topic: run.output, partition: 0, key: nil, value: "v1"))
        await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        await producer.close()
    }

    @Test("v2 with every 2nd EndTxn, 3rd TxnOffsetCommit and 7th Produce connection dropped: retried, every input once, one epoch per transaction",
          .enabled(if: KfakeCluster.isEnabled, KfakeCluster.skipComment))
    func retriedUnderDrops() async throws {
        let kfake = try KfakeCluster.start(["-drop-every", "26:2", "-drop-every", "28:3", "-drop-every", "0:7"])
        defer { kfake.stop() }
        let run = try await Self.consumeTransformProduce(servers: kfake.bootstrapServers, prefix: "v2cut", maxBlock: .seconds(20),
                                                         inputCount: 60)
        try await run.verify(servers: kfake.bootstrapServers, expectV2: true)
    }

    @Test("kfake with transaction.version lowered to 1 (UpdateFeatures): the producer speaks v1 and the epoch stays",
          .enabled(if: KfakeCluster.isEnabled, KfakeCluster.skipComment))
    func loweredFeatureRunsV1() async throws {
        let kfake = try KfakeCluster.start()
        defer { kfake.stop() }
        try await Self.setTransactionVersion(1, servers: kfake.bootstrapServers)
        let run = try await Self.consumeTransformProduce(servers: kfake.bootstrapServers, prefix: "v1ctp", maxBlock: .seconds(20))
        try await run.verify(servers: kfake.bootstrapServers, expectV2: false)
        try await Self.abortThenCommit(servers: kfake.bootstrapServers, expectV2: false, readCommitted: true)
    }

    // MARK: Workloads

    /// What a consume-transform-produce run wrote, to check afterwards.
    struct Run {
        var output: String
        var inputCount: Int
        var transactions: Int

        /// Every input exactly once downstream, one COMMIT per transaction, and the
        /// epochs of the transactions in a row: one apart with v2, equal with v1.
        func verify(servers: [String], expectV2: Bool) async throws {
            let cluster = try KafkaCluster(configuration: .init(bootstrapServers: servers))
            let log = try await TransactionLog.read(topic: output, partition: 0, cluster: cluster)
            await cluster.close()
            #expect(log.committed.map(\.text) == (0..<inputCount).map { "out-in-\($0)" })
            #expect(log.markers == Array(repeating: .commit, count: transactions))
            #expect(log.undecided.isEmpty)
            let epochs = TransactionsV2Tests.transactionEpochs(log)
            #expect(epochs.count == transactions, "\(epochs)")
            TransactionsV2Tests.expectEpochs(epochs, v2: expectV2)
        }
    }

    /// Reads `inputCount` records with a read_committed group member and writes each,
    /// transformed, in transactions of `perTransaction` records together with the
    /// input offsets.
    static func consumeTransformProduce(servers: [String], prefix: String, maxBlock: Duration,
                                        inputCount: Int = 40, perTransaction: Int = 10) async throws -> Run {
        let input = TestBroker.uniqueTopicName("\(prefix)-in")
        let output = TestBroker.uniqueTopicName("\(prefix)-out")
        let group = TestBroker.uniqueTopicName("\(prefix)-g")
        let source = try KafkaProducer(configuration: .init(bootstrapServers: servers))
        for index in 0..<inputCount {
            try source.send(KafkaProducerRecord(topic: input, partition: 0, key: nil, value: "in-\(index)"))
        }
        await source.flush()
        await source.close()

        var consumerConfiguration = KafkaConsumer.Configuration(bootstrapServers: servers)
        consumerConfiguration.groupId = group
        consumerConfiguration.autoOffsetReset = .earliest
        consumerConfiguration.isolationLevel = .readCommitted
        consumerConfiguration.enableAutoCommit = false
        consumerConfiguration.fetchMaxWait = .milliseconds(100)
        consumerConfiguration.sessionTimeout = .seconds(6)
        consumerConfiguration.heartbeatInterval = .milliseconds(500)
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        var producerConfiguration = KafkaProducer.Configuration(bootstrapServers: servers)
        producerConfiguration.transactionalId = "txn-\(output)"
        producerConfiguration.maxBlock = maxBlock
        let producer = try KafkaProducer(configuration: producerConfiguration)
        try await producer.initTransactions()
        try consumer.subscribe(topics: [input])

        var iterator = consumer.messages.makeAsyncIterator()
        var transactions = 0
        var processed = 0
        while processed < inputCount {
            var batch: [KafkaConsumerMessage] = []
            while batch.count < perTransaction, let message = try await iterator.next() { batch.append(message) }
            try producer.beginTransaction()
            var next: [TopicPartition: Int64] = [:]
            for message in batch {
                let value = String(decoding: message.value ?? [], as: UTF8.self)
                try producer.send(KafkaProducerRecord(topic: output, partition: 0, key: nil, value: "out-\(value)"))
                next[TopicPartition(topic: message.topic, partition: message.partition)] = message.offset + 1
            }
            try await producer.sendOffsetsToTransaction(next, groupMetadata: try consumer.groupMetadata())
            try await producer.commitTransaction()
            transactions += 1
            processed += batch.count
        }
        await producer.close()
        await consumer.close()
        return Run(output: output, inputCount: inputCount, transactions: transactions)
    }

    /// Aborts one transaction (its records written first), commits two more; the log
    /// and, where the broker filters them (`readCommitted`), a read_committed consumer
    /// show only the committed records.
    static func abortThenCommit(servers: [String], expectV2: Bool, readCommitted: Bool = TestBroker.isKfake) async throws {
        let topic = TestBroker.uniqueTopicName("v2-abort")
        var configuration = KafkaProducer.Configuration(bootstrapServers: servers)
        configuration.transactionalId = "txn-\(topic)"
        configuration.maxBlock = .seconds(20)
        let producer = try KafkaProducer(configuration: configuration)
        try await producer.initTransactions()
        try producer.beginTransaction()
        for index in 0..<5 { try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "aborted-\(index)")) }
        await producer.flush()
        try await producer.abortTransaction()
        for round in 0..<2 {
            try producer.beginTransaction()
            for index in 0..<3 { try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "kept-\(round)-\(index)")) }
            try await producer.commitTransaction()
        }
        await producer.close()

        let expected = (0..<2).flatMap { round in (0..<3).map { "kept-\(round)-\($0)" } }
        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: servers))
        let log = try await TransactionLog.read(topic: topic, partition: 0, cluster: cluster)
        await cluster.close()
        #expect(log.markers == [.abort, .commit, .commit])
        #expect(log.allValues.prefix(5) == ["aborted-0", "aborted-1", "aborted-2", "aborted-3", "aborted-4"])
        #expect(log.committed.map(\.text) == expected)
        expectEpochs(transactionEpochs(log), v2: expectV2)

        // Tansu sends no aborted-transaction list in Fetch (TransactionLog), so only
        // a broker that filters is asked through a consumer.
        guard readCommitted else { return }
        var consumerConfiguration = KafkaConsumer.Configuration(bootstrapServers: servers)
        consumerConfiguration.isolationLevel = .readCommitted
        consumerConfiguration.fetchMaxWait = .milliseconds(100)
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
        var seen: [String] = []
        for try await message in consumer.messages {
            seen.append(String(decoding: message.value ?? [], as: UTF8.self))
            if seen.count == expected.count { break }
        }
        await consumer.close()
        #expect(seen == expected)
    }

    // MARK: Helpers

    /// The producer epoch of each transaction in the log, in order (the epoch of the
    /// records each marker closes).
    static func transactionEpochs(_ log: TransactionLog) -> [Int16] {
        var epochs: [Int16] = []
        var open: Int16?
        for item in log.items {
            switch item {
            case .record(let entry) where entry.isTransactional:
                if open == nil { open = entry.producerEpoch }
            case .marker:
                if let epoch = open { epochs.append(epoch) }
                open = nil
            default:
                break
            }
        }
        return epochs
    }

    /// With v2 each transaction runs one epoch above the one before (EndTxn v5 bumps
    /// it); with v1 they share one epoch.
    static func expectEpochs(_ epochs: [Int16], v2: Bool) {
        let steps = zip(epochs, epochs.dropFirst()).map { Int($1) - Int($0) }
        #expect(steps.allSatisfy { $0 == (v2 ? 1 : 0) }, "epochs per transaction: \(epochs) (expected \(v2 ? "v2" : "v1"))")
    }

    /// Sets kfake's finalized `transaction.version` (UpdateFeatures; a downgrade needs
    /// upgradeType 2, "safe downgrade"). kfake keeps its features epoch at 1 when a
    /// level changes, so only producers created afterwards see the new level.
    static func setTransactionVersion(_ level: Int16, servers: [String]) async throws {
        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: servers))
        var update = UpdateFeaturesRequest.FeatureUpdateKey()
        update.feature = "transaction.version"
        update.maxVersionLevel = level
        update.upgradeType = 2  // v1+; kfake takes UpdateFeatures v0-2
        var request = UpdateFeaturesRequest()
        request.featureUpdates = [update]
        let response = try await cluster.send(request, to: .controller)
        await cluster.close()
        let errors = [response.errorCode] + response.results.map(\.errorCode)
        try #require(errors.allSatisfy { $0 == 0 }, "UpdateFeatures: \(response)")
    }
}
