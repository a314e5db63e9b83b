import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// `client.rack` (KIP-392): the leader points a consumer at a replica in its rack,
/// the consumer fetches from that follower, and falls back to the leader when the
/// follower goes away.
@Suite("Fetching from the nearest replica on the fake cluster")
struct FakeClusterRackFetchTests {
    static func cluster() throws -> FakeKafkaCluster {
        var configuration = FakeKafkaCluster.Configuration()
        configuration.brokerCount = 3
        configuration.brokerRacks = [1: "rack-1", 2: "rack-2", 3: "rack-3"]
        return try FakeKafkaCluster(configuration: configuration)
    }

    static func read(_ consumer: KafkaConsumer, count: Int) async throws -> [String] {
        var values: [String] = []
        for try await message in consumer.messages {
            values.append(message.valueString ?? "")
            if values.count == count { break }
        }
        return values
    }

    @Test("a consumer in a follower's rack reads every record from that follower")
    func readsFromFollowerInRack() async throws {
        let cluster = try Self.cluster()
        defer { cluster.close() }
        try await FakeClusterConsumerTests.fill(cluster, topic: "racked", partitions: 1, perPartition: 30)
        let leader = try #require(cluster.leader(topic: "racked", partition: 0))
        let follower = leader % 3 + 1
        let consumer = try FakeClusterConsumerTests.consumer(cluster) { $0.clientRack = "rack-\(follower)" }
        consumer.assign([TopicPartition(topic: "racked", partition: 0): .earliest])
        let values = try await Self.read(consumer, count: 30)
        #expect(values == (0..<30).map { "\($0)" })
        let fetchedFrom = Set(cluster.receivedRequests.filter { $0.apiKey == .fetch }.map(\.broker))
        #expect(fetchedFrom.contains(follower), "fetched from \(fetchedFrom), leader \(leader)")
        await consumer.close()
    }

    @Test("without client.rack, or with the leader's rack, fetches stay on the leader")
    func leaderWithoutRack() async throws {
        let cluster = try Self.cluster()
        defer { cluster.close() }
        try await FakeClusterConsumerTests.fill(cluster, topic: "plain", partitions: 1, perPartition: 10)
        let leader = try #require(cluster.leader(topic: "plain", partition: 0))
        for rack in [nil, "rack-\(leader)"] {
            let before = cluster.receivedRequests.count
            let consumer = try FakeClusterConsumerTests.consumer(cluster) { $0.clientRack = rack }
            consumer.assign([TopicPartition(topic: "plain", partition: 0): .earliest])
            #expect(try await Self.read(consumer, count: 10).count == 10)
            await consumer.close()
            let fetchedFrom = Set(cluster.receivedRequests.dropFirst(before).filter { $0.apiKey == .fetch }.map(\.broker))
            #expect(fetchedFrom == [leader], "rack \(rack ?? "none")")
        }
    }

    @Test("when the follower stops, the consumer goes back to the leader and keeps reading")
    func fallsBackToLeader() async throws {
        let cluster = try Self.cluster()
        defer { cluster.close() }
        try await FakeClusterConsumerTests.fill(cluster, topic: "fallback", partitions: 1, perPartition: 10)
        let leader = try #require(cluster.leader(topic: "fallback", partition: 0))
        let follower = leader % 3 + 1
        let consumer = try FakeClusterConsumerTests.consumer(cluster) { $0.clientRack = "rack-\(follower)" }
        consumer.assign([TopicPartition(topic: "fallback", partition: 0): .earliest])
        #expect(try await Self.read(consumer, count: 10).count == 10)
        #expect(cluster.receivedRequests.contains { $0.apiKey == .fetch && $0.broker == follower })

        cluster.stopBroker(follower)
        let (producer, events) = try FakeClusterProducerTests.producer(cluster)
        for index in 10..<20 { try producer.send(KafkaProducerRecord(topic: "fallback", partition: 0, value: "\(index)")) }
        _ = await ProducerFailureTests.collect(events, count: 10)
        await producer.close()
        let rest = try await Self.read(consumer, count: 10)
        #expect(rest == (10..<20).map { "\($0)" })
        await consumer.close()
    }
}
