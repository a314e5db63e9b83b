import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

@Suite("KafkaCluster on the real broker")
struct KafkaClusterTests {
    static func cluster(_ servers: [String]? = nil, configure: (inout KafkaCluster.Configuration) -> Void = { _ in }) throws -> KafkaCluster {
        let broker = try TestBroker.bootstrap()
        var configuration = KafkaCluster.Configuration(bootstrapServers: servers ?? ["\(broker.host):\(broker.port)"])
        configuration.reconnectBackoff = ReconnectBackoff(base: .milliseconds(20), maximum: .milliseconds(200))
        configure(&configuration)
        return try KafkaCluster(configuration: configuration)
    }

    static func createTopic(_ name: String, partitions: Int32, on cluster: KafkaCluster) async throws {
        var topic = CreateTopicsRequest.CreatableTopic()
        topic.name = name
        topic.numPartitions = partitions
        topic.replicationFactor = 1
        var request = CreateTopicsRequest()
        request.topics = [topic]
        request.timeoutMs = 10_000
        let response = try await cluster.send(request, to: .controller)
        #expect(response.topics.first?.errorCode == 0)
    }

    @Test("bootstraps past an unreachable server and reads the cluster's metadata")
    func bootstrapsPastDeadServer() async throws {
        let broker = try TestBroker.bootstrap()
        let deadPort = try { try LocalTCPListener().port }()
        let cluster = try Self.cluster(["127.0.0.1:\(deadPort)", "\(broker.host):\(broker.port)"])
        let metadata = try await cluster.refreshMetadata()
        #expect(!metadata.brokers.isEmpty)
        #expect(metadata.controllerId != nil)
        await cluster.close()
    }

    @Test("routes to partition leaders over one shared connection per broker")
    func routesToLeaders() async throws {
        let cluster = try Self.cluster()
        let topic = TestBroker.uniqueTopicName("route")
        try await Self.createTopic(topic, partitions: 3, on: cluster)
        let metadata = try await cluster.metadata(topics: [topic])
        #expect(metadata.topics[topic]?.partitions.count == 3)
        // One connection per broker: partitions with the same leader share it, and it is the
        // one asked for by broker id (on one broker, every partition; on several, per leader).
        var byLeader: [Int32: BrokerConnection] = [:]
        for partition: Int32 in 0..<3 {
            let connection = try await cluster.leaderConnection(topic: topic, partition: partition)
            let leader = try #require(metadata.leader(topic: topic, partition: partition))
            #expect(connection.address == "\(leader.host):\(leader.port)")
            if let earlier = byLeader[leader.nodeId] {
                #expect(earlier === connection, "partitions led by broker \(leader.nodeId) share its connection")
            }
            byLeader[leader.nodeId] = connection
            let byId = try await cluster.connection(toBroker: leader.nodeId)
            #expect(byId === connection)
        }
        let distinct = Set(byLeader.values.map(ObjectIdentifier.init))
        #expect(distinct.count == byLeader.count, "each broker has its own connection")
        await cluster.close()
    }

    @Test("an unknown topic or partition is a clear error")
    func unknownTopic() async throws {
        let cluster = try Self.cluster()
        do {
            _ = try await cluster.leaderConnection(topic: TestBroker.uniqueTopicName("absent"), partition: 0)
            Issue.record("an unknown topic had a leader")
        } catch {
            #expect(error.code == .unknownTopicOrPartition)
            #expect(error.brokerErrorCode == .unknownTopicOrPartition)
        }
        let topic = TestBroker.uniqueTopicName("few")
        try await Self.createTopic(topic, partitions: 1, on: cluster)
        do {
            _ = try await cluster.leaderConnection(topic: topic, partition: 5)
            Issue.record("partition 5 of a one-partition topic had a leader")
        } catch {
            #expect(error.code == .unknownTopicOrPartition)
            #expect(error.detail.contains("no partition 5"))
        }
        await cluster.close()
    }

    @Test("finds the group coordinator with FindCoordinator and reaches it")
    func groupCoordinator() async throws {
        let cluster = try Self.cluster()
        let connection = try await cluster.connection(for: .groupCoordinator(TestBroker.uniqueTopicName("group")))
        let versions = try await connection.apiVersions()
        #expect(versions.brokerRange(for: .joinGroup) != nil)
        await cluster.close()
    }

    @Test("an idle connection closes itself and the cluster reopens it on next use")
    func idleConnectionReopens() async throws {
        let cluster = try Self.cluster { $0.connection.connectionsMaxIdle = .milliseconds(300) }
        let first = try await cluster.anyConnection()
        _ = try await first.apiVersions()
        try await Task.sleep(for: .milliseconds(1200))
        #expect(first.isClosed)
        #expect(first.closeReason?.detail.contains("connections.max.idle.ms") == true)
        let metadata = try await cluster.refreshMetadata()
        #expect(!metadata.brokers.isEmpty)
        let second = try await cluster.anyConnection()
        #expect(second !== first)
        await cluster.close()
    }

    @Test("the broker killed: requests fail with connection errors, reconnects back off, and the cluster recovers when it returns")
    func brokerKilledAndRestarted() async throws {
        let broker = try TestBroker.startDedicated()
        defer { TestBroker.stopDedicated(port: broker.port) }
        let cluster = try Self.cluster(["\(broker.host):\(broker.port)"])
        let metadata = try await cluster.refreshMetadata()
        #expect(!metadata.brokers.isEmpty)

        TestBroker.stopDedicated(port: broker.port)
        var failures: [KafkaError] = []
        for _ in 0..<3 {
            do throws(KafkaError) {
                _ = try await cluster.send(MetadataRequest(topics: []), to: .anyBroker)
            } catch {
                failures.append(error)
            }
        }
        #expect(failures.count == 3)
        for failure in failures {
            #expect([KafkaError.Code.ioError, .connectionClosed].contains(failure.code), "\(failure)")
            #expect(failure.isRetriable)
        }
        #expect(await cluster.reconnectFailures(host: broker.host, port: broker.port) >= 2)

        _ = try TestBroker.startDedicated(port: broker.port)
        let recovered = try await cluster.send(MetadataRequest(topics: []), to: .anyBroker)
        #expect(!recovered.brokers.isEmpty)
        #expect(await cluster.reconnectFailures(host: broker.host, port: broker.port) == 0)
        await cluster.close()
    }
}
