import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

@Suite("KafkaProducer on the real broker")
struct KafkaProducerTests {
    static func configuration(_ configure: (inout KafkaProducer.Configuration) -> Void = { _ in }) throws -> KafkaProducer.Configuration {
        var configuration = KafkaProducer.Configuration(bootstrapServers: ["\(try TestBroker.bootstrap())"])
        configure(&configuration)
        return configuration
    }

    static func createTopic(_ name: String, partitions: Int32, bootstrap: String? = nil) async throws {
        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: [try bootstrap ?? "\(TestBroker.bootstrap())"]))
        var topic = CreateTopicsRequest.CreatableTopic()
        topic.name = name
        topic.numPartitions = partitions
        topic.replicationFactor = 1
        var request = CreateTopicsRequest()
        request.topics = [topic]
        let created: Result<CreateTopicsResponse, KafkaError> = await Result { () async throws(KafkaError) in
            try await cluster.send(request, to: .controller)
        }
        switch created {
        case .success(let response):
            #expect(response.topics.first?.errorCode == 0)
        case .failure(let error) where error.code != .apiNotSupported:
            await cluster.close()
            throw error
        case .failure:
            // librdkafka's mock cluster (CI's extra run) creates topics on first mention instead.
            var configuration = KafkaCluster.Configuration(bootstrapServers: ["\(try TestBroker.bootstrap())"])
            configuration.allowAutoTopicCreation = true
            let creating = try KafkaCluster(configuration: configuration)
            let metadata = try await creating.refreshMetadata(topics: [name])
            #expect(metadata.topics[name].map { $0.partitions.count >= Int(partitions) } == true)
            await creating.close()
        }
        await cluster.close()
    }

    /// `send`, waiting for buffer space whenever the producer reports it full.
    static func send(_ record: KafkaProducerRecord, with producer: KafkaProducer) async throws(KafkaError) -> KafkaProducerMessageID {
        while true {
            do throws(KafkaError) {
                return try producer.send(record)
            } catch {
                guard error.code == .queueFull else { throw error }
            }
            await producer.waitForBufferSpace()
        }
    }

    @Test("sendAndWait reports partition, offset and timestamp; offsets follow each other")
    func sendAndWait() async throws {
        let topic = TestBroker.uniqueTopicName("produce")
        try await Self.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: try Self.configuration())
        var offsets: [Int64] = []
        for index in 0..<5 {
            let report = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, key: "k\(index)", value: "value \(index)",
                                                                            timestamp: 1_700_000_000_000 + Int64(index)))
            #expect(report.topic == topic)
            #expect(report.partition == 0)
            #expect(report.timestamp == 1_700_000_000_000 + Int64(index))
            offsets.append(try #require(report.offset))
        }
        #expect(offsets == Array(offsets[0]..<(offsets[0] + 5)))
        await producer.close()
    }

    @Test("10,000 keyed records: one success report each, on the partition murmur2 picks", arguments: [CompressionCodec.none, .lz4])
    func manyKeyedRecords(codec: CompressionCodec) async throws {
        let topic = TestBroker.uniqueTopicName("keyed")
        try await Self.createTopic(topic, partitions: 6)
        let (producer, events) = try KafkaProducer.makeProducerWithEvents(configuration: try Self.configuration { $0.compression = KafkaCompressionCodec(codec) })
        let total = 10_000
        var expected: [KafkaProducerMessageID: Int32] = [:]
        for index in 0..<total {
            let key = Array("key-\(index)".utf8)
            let record = KafkaProducerRecord(topic: topic, key: key, value: Array(repeating: UInt8(index & 0xFF), count: 100))
            let id = try await Self.send(record, with: producer)
            expected[id] = key.withUnsafeBytes { Murmur2.partition(forKey: $0, partitionCount: 6) }
        }
        var seen: [KafkaProducerMessageID: KafkaDeliveryReport] = [:]
        var duplicates = 0
        for await event in events {
            guard case .deliveryReports(let reports) = event else { continue }
            for report in reports {
                if seen.updateValue(report, forKey: report.id) != nil { duplicates += 1 }
            }
            if seen.count == total { break }
        }
        #expect(duplicates == 0)
        #expect(seen.count == total)
        #expect(seen.values.allSatisfy { $0.isSuccess })
        #expect(seen.allSatisfy { expected[$0.key] == $0.value.partition })
        // Offsets within a partition are dense and follow send order.
        let byPartition = Dictionary(grouping: seen.values, by: \.partition)
        for (_, reports) in byPartition {
            let sorted = reports.sorted { $0.id < $1.id }.compactMap(\.offset)
            #expect(sorted == Array(sorted[0]..<(sorted[0] + Int64(sorted.count))))
        }
        await producer.close()
    }

    @Test("bad input: oversized record, invalid partition, closed producer")
    func badInput() async throws {
        let topic = TestBroker.uniqueTopicName("bad")
        try await Self.createTopic(topic, partitions: 2)
        let producer = try KafkaProducer(configuration: try Self.configuration { $0.maxRequestSize = 10_000 })
        #expect(throws: KafkaError.self) { try producer.send(KafkaProducerRecord(topic: topic, value: Array(repeating: 1, count: 20_000))) }
        _ = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: 1, value: "fine"))
        do {
            _ = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: 7, value: "nowhere"))
            Issue.record("partition 7 of a two-partition topic was accepted")
        } catch {
            #expect(error.code == .unknownTopicOrPartition)
        }
        await producer.close()
        do {
            try producer.send(KafkaProducerRecord(topic: topic, value: "late"))
            Issue.record("a closed producer accepted a record")
        } catch {
            #expect(error.code == .connectionClosed)
        }
    }

    @Test("an unknown topic with auto-creation off fails its records clearly")
    func unknownTopic() async throws {
        let producer = try KafkaProducer(configuration: try Self.configuration { $0.cluster.allowAutoTopicCreation = false })
        do {
            _ = try await producer.sendAndWait(KafkaProducerRecord(topic: TestBroker.uniqueTopicName("missing"), value: "x"))
            Issue.record("a record for a missing topic was delivered")
        } catch {
            #expect(error.code == .unknownTopicOrPartition)
        }
        await producer.close()
    }

    @Test("keys land on the same partitions librdkafka's murmur2_random picks, for 10,000 keys")
    func partitionsMatchLibrdkafka() async throws {
        guard PythonPeer.hasModule("confluent_kafka") else {
            print("skipped: python3 cannot import confluent_kafka")
            return
        }
        let topic = TestBroker.uniqueTopicName("murmur")
        try await Self.createTopic(topic, partitions: 6)
        let run = try await PythonPeer.runScript("peer_partitions.py", ["\(try TestBroker.bootstrap())", topic, "10000"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 10_000)
        var mismatches = 0
        for line in lines {
            let parts = line.split(separator: " ")
            let key = Array(parts[0].utf8)
            let ours = key.withUnsafeBytes { Murmur2.partition(forKey: $0, partitionCount: 6) }
            if Int32(parts[1]) != ours { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
