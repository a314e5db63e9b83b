import Foundation
import KafkaTesting
import KafkaTestSupport
import Testing

/// Brokers of the fake cluster start, stop and come back on their ports; an
/// unclosed cluster is released with its last reference.
@Suite("Fake cluster: lifecycle")
struct FakeKafkaClusterLifecycleTests {
    static func port(_ address: String) -> Int { Int(address.split(separator: ":").last ?? "") ?? -1 }

    @Test("a stopped broker refuses connections and leaves the bootstrap list; started again, it listens on its old port")
    func stopAndStart() throws {
        let cluster = try FakeKafkaCluster(brokers: 2)
        defer { cluster.close() }
        let ports = cluster.bootstrapServers.map(Self.port)
        #expect(ports.count == 2 && ports.allSatisfy { LoopbackConnect.accepts(port: $0) })
        try cluster.createTopic("t", partitions: 2)
        let ledBySecond = (0..<Int32(2)).filter { cluster.leader(topic: "t", partition: $0) == 2 }
        cluster.stopBroker(2)
        #expect(!LoopbackConnect.accepts(port: ports[1]))
        #expect(cluster.bootstrapServers == ["127.0.0.1:\(ports[0])"])
        #expect(ledBySecond.allSatisfy { cluster.leader(topic: "t", partition: $0) == 1 && cluster.leaderEpoch(topic: "t", partition: $0) == 1 })
        try cluster.startBroker(2)
        #expect(LoopbackConnect.accepts(port: ports[1]))
        #expect(cluster.bootstrapServers.map(Self.port) == ports)
    }

    @Test("a cluster nobody closes is released, and its ports with it")
    func releasedWithoutClose() async throws {
        weak var released: FakeKafkaCluster?
        var port = -1
        do {
            let cluster = try FakeKafkaCluster(brokers: 1)
            released = cluster
            port = Self.port(cluster.bootstrapServers[0])
        }
        var waited = 0
        while released != nil || LoopbackConnect.accepts(port: port), waited < 50 {
            try await Task.sleep(for: .milliseconds(20))
            waited += 1
        }
        #expect(released == nil)
        #expect(!LoopbackConnect.accepts(port: port))
    }

    @Test("topic names follow Kafka's rules; a topic exists once")
    func topicRules() throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        #expect(throws: FakeClusterError.self) { try cluster.createTopic("bad name", partitions: 1) }
        #expect(throws: FakeClusterError.self) { try cluster.createTopic("t", partitions: 0) }
        try cluster.createTopic("t", partitions: 1)
        #expect(throws: FakeClusterError.self) { try cluster.createTopic("t", partitions: 1) }
    }
}
