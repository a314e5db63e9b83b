import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

@Suite("KafkaConsumer (assigned partitions) on the real broker")
struct KafkaConsumerTests {
    static func consumer(_ configure: (inout KafkaConsumer.Configuration) -> Void = { _ in }) throws -> KafkaConsumer {
        var configuration = KafkaConsumer.Configuration(bootstrapServers: ["\(try TestBroker.bootstrap())"])
        configuration.fetchMaxWait = .milliseconds(100)
        configure(&configuration)
        return try KafkaConsumer(configuration: configuration)
    }

    /// Produces `count` records per partition with values "p<partition>-<index>".
    static func produce(_ topic: String, partitions: Int32, count: Int, codec: CompressionCodec = .none) async throws {
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration { $0.compression = KafkaCompressionCodec(codec) })
        for partition in 0..<partitions {
            for index in 0..<count {
                try producer.send(KafkaProducerRecord(topic: topic, partition: partition, key: "k\(index)", value: "p\(partition)-\(index)",
                                                      headers: [KafkaHeader(key: "i", value: Array("\(index)".utf8))]))
            }
        }
        await producer.flush()
        await producer.close()
    }

    /// Reads `count` messages, failing after `timeout`.
    static func read(_ count: Int, from consumer: KafkaConsumer, timeout: Duration = .seconds(20)) async throws -> [KafkaConsumerMessage] {
        try await withThrowingTaskGroup(of: [KafkaConsumerMessage]?.self) { group in
            group.addTask {
                var messages: [KafkaConsumerMessage] = []
                for try await message in consumer.messages {
                    messages.append(message)
                    if messages.count == count { break }
                }
                return messages
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first else {
                await consumer.close()
                throw KafkaError(.requestTimedOut, detail: "read fewer than \(count) messages in \(timeout)")
            }
            return first
        }
    }

    @Test("assigned at earliest, every record of every partition arrives once and in order",
          arguments: [CompressionCodec.none, .zstd])
    func earliestAllPartitions(codec: CompressionCodec) async throws {
        let topic = TestBroker.uniqueTopicName("consume")
        try await KafkaProducerTests.createTopic(topic, partitions: 3)
        try await Self.produce(topic, partitions: 3, count: 500, codec: codec)
        let consumer = try Self.consumer()
        consumer.assign(Dictionary(uniqueKeysWithValues: (0..<3).map { (TopicPartition(topic: topic, partition: $0), KafkaConsumerStartOffset.earliest) }))
        let messages = try await Self.read(1500, from: consumer)
        for partition in Int32(0)..<3 {
            let mine = messages.filter { $0.partition == partition }
            #expect(mine.map(\.offset) == (0..<500).map(Int64.init))
            #expect(mine.map(\.valueString) == (0..<500).map { "p\(partition)-\($0)" })
            #expect(mine.allSatisfy { $0.headers.first?.key == "i" && $0.timestampType == .createTime })
        }
        #expect(consumer.position(TopicPartition(topic: topic, partition: 0)) == 500)
        await consumer.close()
    }

    @Test("latest skips what is there; exact offsets and seek move the position")
    func latestExactAndSeek() async throws {
        let topic = TestBroker.uniqueTopicName("seek")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        try await Self.produce(topic, partitions: 1, count: 20)
        let key = TopicPartition(topic: topic, partition: 0)

        let fromOffset = try Self.consumer()
        fromOffset.assign([key: .offset(15)])
        #expect(try await Self.read(5, from: fromOffset).map(\.offset) == [15, 16, 17, 18, 19])
        try fromOffset.seek(key, to: .offset(3))
        #expect(try await Self.read(2, from: fromOffset).map(\.offset) == [3, 4])
        await fromOffset.close()

        // Tansu reports the high watermark as the last batch's base offset + 1 (TANSU.md),
        // so the log ends in one-record batches here to make "latest" exact.
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        for index in 0..<2 { _ = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: 0, value: "old \(index)")) }
        let latest = try Self.consumer()
        latest.assign([key: .latest])
        try await Task.sleep(for: .milliseconds(500))  // let it resolve the end before producing
        for index in 0..<3 { _ = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: 0, value: "new \(index)")) }
        await producer.close()
        let fresh = try await Self.read(3, from: latest)
        #expect(fresh.map(\.valueString) == ["new 0", "new 1", "new 2"])
        await latest.close()
    }

    @Test("records written by librdkafka with every codec are consumed", arguments: [CompressionCodec.none, .gzip, .snappy, .lz4, .zstd])
    func librdkafkaRecords(codec: CompressionCodec) async throws {
        guard PythonPeer.hasModule("confluent_kafka") else {
            print("skipped: python3 cannot import confluent_kafka")
            return
        }
        let topic = TestBroker.uniqueTopicName("from-rdk-\(codec)")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let run = try await PythonPeer.runScript("peer_produce.py", ["\(try TestBroker.bootstrap())", topic, "60", "\(codec)", "1650000000000"])
        try #require(run.status == 0, "\(run.stderr)")
        let consumer = try Self.consumer()
        consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
        let messages = try await Self.read(60, from: consumer)
        for (index, message) in messages.enumerated() {
            #expect(message.offset == Int64(index))
            #expect(message.keyString == "k-\(index)")
            #expect(message.value.map(Array.init) == Array("v-\(index)-".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: index % 50))
            #expect(message.timestamp == 1_650_000_000_000 + Int64(index))
        }
        await consumer.close()
    }

    @Test("pause stops delivery of new fetches; resume continues")
    func pauseResume() async throws {
        let topic = TestBroker.uniqueTopicName("pause")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let key = TopicPartition(topic: topic, partition: 0)
        let consumer = try Self.consumer()
        consumer.assign([key: .earliest])
        try await Self.produce(topic, partitions: 1, count: 5)
        #expect(try await Self.read(5, from: consumer).count == 5)
        consumer.pause([key])
        try await Self.produce(topic, partitions: 1, count: 5)
        try await Task.sleep(for: .milliseconds(600))
        #expect(consumer.position(key) == 5, "nothing new while paused")
        consumer.resume([key])
        #expect(try await Self.read(5, from: consumer).map(\.offset) == [5, 6, 7, 8, 9])
        await consumer.close()
    }

    @Test("an unknown topic is reported as an error, not a crash or a hang")
    func unknownTopic() async throws {
        let consumer = try Self.consumer()
        consumer.assign([TopicPartition(topic: TestBroker.uniqueTopicName("absent"), partition: 0): .earliest])
        var errors: [KafkaError] = []
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline, !errors.contains(where: { $0.brokerErrorCode == .unknownTopicOrPartition }) {
            try await Task.sleep(for: .milliseconds(100))
            errors += consumer.takeErrors()
        }
        #expect(errors.contains { $0.brokerErrorCode == .unknownTopicOrPartition || $0.code == .unknownTopicOrPartition })
        await consumer.close()
    }
}

@Suite("KafkaConsumer committed offsets")
struct KafkaConsumerOffsetTests {
    @Test("commit, then a new consumer resumes at the committed offset")
    func commitAndResume() async throws {
        let topic = TestBroker.uniqueTopicName("commit")
        let group = TestBroker.uniqueTopicName("group")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        try await KafkaConsumerTests.produce(topic, partitions: 1, count: 30)
        let key = TopicPartition(topic: topic, partition: 0)

        let first = try KafkaConsumerTests.consumer { $0.groupId = group; $0.autoOffsetReset = .earliest }
        try await first.assignFromCommitted([key])
        let read = try await KafkaConsumerTests.read(12, from: first)
        #expect(read.map(\.offset) == (0..<12).map(Int64.init))
        try await first.commit()
        #expect(try await first.committed([key]) == [key: 12])
        await first.close()

        let second = try KafkaConsumerTests.consumer { $0.groupId = group; $0.autoOffsetReset = .earliest }
        try await second.assignFromCommitted([key])
        #expect(try await KafkaConsumerTests.read(3, from: second).map(\.offset) == [12, 13, 14])
        try await second.commit([key: 20])
        #expect(try await second.committed([key]) == [key: 20])
        await second.close()
    }

    @Test("auto.offset.reset=error with nothing committed: a typed error, nothing read until a seek (not a silent start at latest)")
    func resetError() async throws {
        let topic = TestBroker.uniqueTopicName("reset-error")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        try await KafkaConsumerTests.produce(topic, partitions: 1, count: 5)
        let key = TopicPartition(topic: topic, partition: 0)
        let consumer = try KafkaConsumerTests.consumer {
            $0.groupId = TestBroker.uniqueTopicName("reset-error-g")
            $0.autoOffsetReset = .error
        }
        try await consumer.assignFromCommitted([key])
        let errors = consumer.takeErrors()
        #expect(errors.contains { $0.brokerErrorCode == .offsetOutOfRange }, "\(errors)")
        #expect(consumer.assignment == [key])
        #expect(consumer.position(key) == nil)
        // Records produced later are not read either: there is no position to read from.
        try await KafkaConsumerTests.produce(topic, partitions: 1, count: 2)
        let early = try? await KafkaConsumerTests.read(1, from: consumer, timeout: .seconds(2))
        #expect(early == nil, "read \(early?.map(\.offset) ?? []) without a position")

        let reading = try KafkaConsumerTests.consumer {
            $0.groupId = TestBroker.uniqueTopicName("reset-error-g2")
            $0.autoOffsetReset = .error
        }
        try await reading.assignFromCommitted([key])
        try reading.seek(key, to: .earliest)
        #expect(try await KafkaConsumerTests.read(7, from: reading).map(\.offset) == (0..<7).map(Int64.init))
        await reading.close()
    }

    @Test("without group.id, commits are a configuration error")
    func needsGroup() async throws {
        let consumer = try KafkaConsumerTests.consumer()
        await #expect(throws: KafkaError.self) { try await consumer.commit([TopicPartition(topic: "t", partition: 0): 1]) }
        await consumer.close()
    }
}

@Suite("KafkaConsumer metrics")
struct KafkaConsumerMetricsTests {
    @Test("records and bytes fetched, fetch latency and lag go through swift-metrics")
    func counts() async throws {
        let metrics = TestMetricsBootstrap.shared
        let topic = TestBroker.uniqueTopicName("cmetrics")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        try await KafkaConsumerTests.produce(topic, partitions: 1, count: 40)
        let consumer = try KafkaConsumerTests.consumer { $0.cluster.connection.clientId = "c-\(topic)" }
        consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
        _ = try await KafkaConsumerTests.read(40, from: consumer)
        await consumer.close()
        let dimensions = [("client_id", "c-\(topic)")]
        #expect(try metrics.expectCounter("kafka_consumer_records_fetched_total", dimensions).values.reduce(0, +) == 40)
        #expect(try metrics.expectCounter("kafka_consumer_bytes_fetched_total", dimensions).values.reduce(0, +) > 40)
        #expect(try !metrics.expectTimer("kafka_consumer_fetch_latency", dimensions).values.isEmpty)
        let lag = try metrics.expectGauge("kafka_consumer_lag", dimensions + [("topic", topic), ("partition", "0")])
        #expect(lag.lastValue != nil)
    }
}
