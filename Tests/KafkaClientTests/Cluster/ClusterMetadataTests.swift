import KafkaTestSupport
import KafkaWire
import Testing
@testable import KafkaClient

@Suite("Cluster: metadata, backoff and bootstrap parsing")
struct ClusterMetadataTests {
    typealias Topic = MetadataResponse.MetadataResponseTopic
    typealias Partition = Topic.MetadataResponsePartition

    static func response(topics: [Topic], controller: Int32 = 2) -> MetadataResponse {
        var response = MetadataResponse()
        response.clusterId = "cluster-a"
        response.controllerId = controller
        response.brokers = [
            .init(nodeId: 1, host: "b1.example", port: 9092, rack: "r1"),
            .init(nodeId: 2, host: "b2.example", port: 9093, rack: nil),
        ]
        response.topics = topics
        return response
    }

    static func topic(_ name: String, leaders: [Int32], error: KafkaErrorCode = .noError) -> Topic {
        var topic = Topic()
        topic.name = name
        topic.errorCode = error.rawValue
        // Deliberately out of order: the model sorts partitions.
        topic.partitions = leaders.enumerated().reversed().map { index, leader in
            var partition = Partition()
            partition.partitionIndex = Int32(index)
            partition.leaderId = leader
            partition.leaderEpoch = 7
            partition.replicaNodes = [1, 2]
            partition.isrNodes = leader >= 0 ? [leader] : []
            return partition
        }
        return topic
    }

    @Test("reads brokers, controller, topics, leaders, epochs, replicas and ISR")
    func readsResponse() {
        let metadata = ClusterMetadata(Self.response(topics: [Self.topic("orders", leaders: [1, 2, -1])]))
        #expect(metadata.clusterId == "cluster-a")
        #expect(metadata.controllerId == 2)
        #expect(metadata.brokers[1] == BrokerAddress(nodeId: 1, host: "b1.example", port: 9092, rack: "r1"))
        let orders = metadata.topics["orders"]
        #expect(orders?.partitions.map(\.partition) == [0, 1, 2])
        #expect(orders?.partition(1)?.leaderEpoch == 7)
        #expect(orders?.partition(1)?.inSyncReplicas == [2])
        #expect(metadata.leader(topic: "orders", partition: 0)?.host == "b1.example")
        #expect(metadata.leader(topic: "orders", partition: 1)?.port == 9093)
        #expect(metadata.leader(topic: "orders", partition: 2) == nil, "no leader (-1)")
        #expect(metadata.leader(topic: "orders", partition: 3) == nil, "no such partition")
        #expect(metadata.leader(topic: "missing", partition: 0) == nil)
    }

    @Test("a leader id missing from the broker list has no address; no controller (-1) is nil")
    func unknownLeader() {
        let metadata = ClusterMetadata(Self.response(topics: [Self.topic("t", leaders: [9])], controller: -1))
        #expect(metadata.leader(topic: "t", partition: 0) == nil)
        #expect(metadata.controllerId == nil)
    }

    @Test("merging keeps topics the newer response did not mention and replaces the others")
    func merging() {
        let old = ClusterMetadata(Self.response(topics: [Self.topic("a", leaders: [1]), Self.topic("b", leaders: [1])]))
        var newer = ClusterMetadata(Self.response(topics: [Self.topic("b", leaders: [2])]))
        newer.clusterId = nil
        let merged = old.merging(newer)
        #expect(merged.topics.keys.sorted() == ["a", "b"])
        #expect(merged.leader(topic: "b", partition: 0)?.nodeId == 2)
        #expect(merged.clusterId == "cluster-a")
    }

    @Test("topic errors are kept per topic")
    func topicErrors() {
        let metadata = ClusterMetadata(Self.response(topics: [Self.topic("nope", leaders: [], error: .unknownTopicOrPartition)]))
        #expect(metadata.topics["nope"]?.error == .unknownTopicOrPartition)
    }

    @Test("reconnect backoff doubles from the base, caps at the maximum, and jitters within ±20%")
    func backoff() {
        let backoff = ReconnectBackoff(base: .milliseconds(50), maximum: .seconds(1))
        var random = SeededRandom(seed: 42)
        #expect(backoff.delay(afterFailures: 0, using: &random) == .zero)
        let nominal: [Double] = [0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0]
        for seed in 0..<200 {
            var random = SeededRandom(seed: UInt64(seed))
            for (index, expected) in nominal.enumerated() {
                let delay = backoff.delay(afterFailures: index + 1, using: &random).inSeconds
                #expect(delay >= expected * 0.8 - 1e-9 && delay <= expected * 1.2 + 1e-9, "failure \(index + 1): \(delay)")
            }
        }
        let huge = backoff.delay(afterFailures: 10_000, using: &random).inSeconds
        #expect(huge <= 1.2)
        let fixed = ReconnectBackoff(base: .milliseconds(100), maximum: .milliseconds(10), jitter: 0)
        #expect(fixed.maximum == .milliseconds(100), "the maximum is never below the base")
        #expect(fixed.delay(afterFailures: 3, using: &random) == .milliseconds(100))
    }

    @Test("bootstrap servers parse as host:port, with IPv6 in brackets; bad ones are configuration errors")
    func parsing() throws {
        #expect(try KafkaCluster.parseServer("broker:9092") == ("broker", 9092))
        #expect(try KafkaCluster.parseServer(" [::1]:19092 ") == ("::1", 19092))
        for bad in ["broker", "broker:", ":9092", "broker:0", "broker:70000", "broker:x"] {
            #expect(throws: KafkaError.self, "\(bad)") { _ = try KafkaCluster.parseServer(bad) }
        }
        #expect(throws: KafkaError.self) { _ = try KafkaCluster(configuration: .init(bootstrapServers: [])) }
    }
}
