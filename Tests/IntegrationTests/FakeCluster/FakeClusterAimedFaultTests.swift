import KafkaClient
import KafkaTesting
import KafkaWire
import Synchronization
import Testing

/// Faults aimed at one topic or partition inside a response, and the request hook,
/// through our producer, consumer and admin client.
@Suite("Aimed faults and the request hook on the fake cluster")
struct FakeClusterAimedFaultTests {
    static func producer(_ cluster: FakeKafkaCluster) throws -> KafkaProducer {
        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.retryBackoff = .milliseconds(10)
        configuration.retryBackoffMax = .milliseconds(100)
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
        return try KafkaProducer(configuration: configuration)
    }

    @Test("NOT_LEADER_OR_FOLLOWER for partition 2 of one topic, three times: its records arrive after retries; every record once, in order",
          .timeLimit(.minutes(1)))
    func partitionAimedProduceError() async throws {
        let cluster = try FakeKafkaCluster(brokers: 3)
        defer { cluster.close() }
        try cluster.createTopic("aimed", partitions: 3)
        cluster.inject(FakeClusterFault(.error(.notLeaderOrFollower), on: .produce, topic: "aimed", partition: 2, times: 3))
        cluster.inject(FakeClusterFault(.error(.notLeaderOrFollower), on: .produce, topic: "elsewhere", partition: 0))
        let (producer, events) = try FakeClusterProducerTests.producer(cluster)
        let sent = try await FakeClusterProducerTests.send(30, to: "aimed", partitions: 3, with: producer)
        let (reports, _) = await ProducerFailureTests.collect(events, count: 30)
        await producer.close()
        try FakeClusterProducerTests.verify(cluster, topic: "aimed", partitions: 3, sent: sent, reports: reports)
        // Only the aimed fault was used; the one for another topic waits for a request naming it.
        #expect(cluster.pendingFaults == 1)
    }

    @Test("one fetch answers an error for partition 1 only: partitions 0 and 2 of the same response are delivered, and everything is read",
          .timeLimit(.minutes(1)))
    func partitionAimedFetchError() async throws {
        // One broker leads every partition, so a single Fetch carries all three.
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("aimed-fetch", partitions: 3)
        let (producer, events) = try FakeClusterProducerTests.producer(cluster)
        _ = try await FakeClusterProducerTests.send(30, to: "aimed-fetch", partitions: 3, with: producer)
        _ = await ProducerFailureTests.collect(events, count: 30)
        await producer.close()
        cluster.inject(FakeClusterFault(.error(.notLeaderOrFollower), on: .fetch, topic: "aimed-fetch", partition: 1, times: 2))

        let consumer = try FakeClusterConsumerTests.consumer(cluster)
        consumer.assign(Dictionary(uniqueKeysWithValues: (0..<Int32(3)).map { (TopicPartition(topic: "aimed-fetch", partition: $0), .earliest) }))
        var firstFromPartitionOne: Int?
        var read: [Int32: Int] = [:]
        for try await message in consumer.messages {
            read[message.partition, default: 0] += 1
            if message.partition == 1, firstFromPartitionOne == nil { firstFromPartitionOne = read.values.reduce(0, +) }
            if read.values.reduce(0, +) == 30 { break }
        }
        let errors = consumer.takeErrors()
        await consumer.close()
        #expect(read == [0: 10, 1: 10, 2: 10])
        #expect(cluster.pendingFaults == 0)
        #expect((firstFromPartitionOne ?? 0) > 1, "partition 1 came first although its fetches failed")
        #expect(errors.contains { $0.brokerErrorCode == .notLeaderOrFollower }, "errors: \(errors)")
    }

    @Test("the request hook sees every request and can fail, cut, delay or answer one; the producer still writes its record once",
          .timeLimit(.minutes(1)))
    func requestHook() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("hooked", partitions: 1)
        let seen = VisibleLock<[ApiKey]>([])
        let produces = VisibleLock(0)
        cluster.setRequestHook { request in
            seen.withLock { $0.append(request.apiKey) }
            guard request.apiKey == .produce, let produce = try? request.decode(ProduceRequest.self),
                  produce.topicData.contains(where: { $0.name == "hooked" }) else { return .proceed }
            switch produces.withLock({ count in count += 1; return count }) {
            case 1: return .fail(.notEnoughReplicas)
            case 2: return .disconnect
            case 3: return .delay(.milliseconds(100))
            default: return .proceed
            }
        }
        let producer = try Self.producer(cluster)
        let report = try await producer.sendAndWait(KafkaProducerRecord(topic: "hooked", partition: 0, value: "once"))
        await producer.close()
        #expect(report.offset == 0)
        #expect(produces.withLock { $0 } == 3)
        #expect(try cluster.records(topic: "hooked", partition: 0).count == 1)
        #expect(Set(seen.withLock { $0 }).isSuperset(of: [.apiVersions, .metadata, .produce]))
        #expect(cluster.receivedRequests.filter { $0.apiKey == .produce }.count == 3)

        // Answers made by the hook: a response value, then the same as raw frame bytes.
        let partition = TopicPartition(topic: "hooked", partition: 0)
        let answers = VisibleLock<[Int64]>([42, 43])
        cluster.setRequestHook { request in
            guard request.apiKey == .listOffsets else { return .proceed }
            var response = ListOffsetsResponse()
            var topic = ListOffsetsResponse.ListOffsetsTopicResponse()
            topic.name = "hooked"
            var answer = ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse()
            answer.offset = answers.withLock { $0.removeFirst() }
            answer.timestamp = -1
            topic.partitions = [answer]
            response.topics = [topic]
            if answer.offset == 42 { return .respond(response) }
            guard let frame = try? response.encodeFrame(version: request.version, correlationId: request.correlationId) else { return .disconnect }
            return .respondRaw(frame)
        }
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        #expect(try await admin.listOffsets([partition: .latest])[partition]?.get().offset == 42)
        #expect(try await admin.listOffsets([partition: .latest])[partition]?.get().offset == 43)
        cluster.setRequestHook(nil)
        #expect(try await admin.listOffsets([partition: .latest])[partition]?.get().offset == 1)
        await admin.close()
    }

    @Test("a metadata error aimed at one topic leaves the others' metadata intact")
    func topicAimedMetadataError() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("healthy", partitions: 1)
        try cluster.createTopic("sick", partitions: 1)
        cluster.inject(FakeClusterFault(.error(.topicAuthorizationFailed), on: .metadata, topic: "sick"))
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let described = try await admin.describeTopics(["healthy", "sick"])
        #expect((try? described["healthy"]?.get()) != nil)
        #expect(described["sick"].map { if case .failure(let error) = $0 { error.brokerErrorCode == .topicAuthorizationFailed } else { false } } == true)
        #expect(cluster.pendingFaults == 0)
        await admin.close()
    }
}
