import KafkaClient
import KafkaTestSupport
import KafkaTesting
import KafkaWire
import MetricsTestKit
import Testing

/// The connection metrics (`kafka_client_*`) through swift-metrics: on the real
/// broker for the ordinary requests, on the fake cluster for errors, throttling
/// and dropped connections. Each test uses its own client id, so the shared
/// `TestMetrics` backend keeps the tests apart.
@Suite("Connection metrics")
struct ConnectionMetricsTests {
    static let allowedDimensions: Set<String> = ["client_id", "broker", "api", "error_code"]

    /// Every `kafka_client_*` series of `clientId` uses only the documented dimensions.
    static func expectBoundedDimensions(_ metrics: TestMetrics, clientId: String) {
        let mine = { (dimensions: [(String, String)]) in dimensions.contains { $0 == ("client_id", clientId) } }
        let names = metrics.counters.filter { $0.label.hasPrefix("kafka_client_") && mine($0.dimensions) }.map(\.dimensions)
            + metrics.timers.filter { $0.label.hasPrefix("kafka_client_") && mine($0.dimensions) }.map(\.dimensions)
            + metrics.meters.filter { $0.label.hasPrefix("kafka_client_") && mine($0.dimensions) }.map(\.dimensions)
        #expect(!names.isEmpty)
        for dimensions in names {
            #expect(Set(dimensions.map(\.0)).isSubset(of: allowedDimensions), "\(dimensions)")
        }
    }

    /// A one-broker fake cluster with `topic` (one partition) and a producer with its own
    /// client id and short retry and reconnect backoffs.
    static func producerOnFakeCluster(topic: String) throws -> (FakeKafkaCluster, KafkaProducer, clientId: String) {
        let cluster = try FakeKafkaCluster(brokers: 1)
        try cluster.createTopic(topic, partitions: 1)
        let clientId = "conn-\(TestBroker.uniqueTopicName(topic))"
        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.cluster.connection.clientId = clientId
        configuration.retryBackoff = .milliseconds(10)
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(50))
        do {
            return (cluster, try KafkaProducer(configuration: configuration), clientId)
        } catch {
            cluster.close()
            throw error
        }
    }

    @Test("latency per broker and API, bytes both ways and open connections on the real broker")
    func requestMetricsOnBroker() async throws {
        let metrics = TestMetricsBootstrap.shared
        let topic = TestBroker.uniqueTopicName("connmetrics")
        try await KafkaProducerTests.createTopic(topic, partitions: 1)
        let clientId = "conn-\(topic)"
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration { $0.cluster.connection.clientId = clientId })
        for index in 0..<20 { try producer.send(KafkaProducerRecord(topic: topic, partition: 0, value: "m\(index)")) }
        await producer.flush()
        let mine = [("client_id", clientId)]
        let produce = metrics.timers(label: "kafka_client_request_latency", dimensions: mine + [("api", "Produce")])
        #expect(!produce.isEmpty)
        #expect(produce.allSatisfy { timer in timer.dimensions.contains { $0.0 == "broker" && Int32($0.1) != nil } },
                "produce goes to a leader, whose node id is known")
        #expect(produce.flatMap { $0.values }.allSatisfy { $0 > 0 })
        #expect(!metrics.timers(label: "kafka_client_request_latency", dimensions: mine + [("api", "Metadata")]).isEmpty)
        #expect(metrics.counterTotal(label: "kafka_client_bytes_sent_total", dimensions: mine) > 20 * 2)
        #expect(metrics.counterTotal(label: "kafka_client_bytes_received_total", dimensions: mine) > 0)
        let open = metrics.meters(label: "kafka_client_connections", dimensions: mine)
        #expect(open.compactMap { $0.lastValue }.reduce(0, +) >= 1)
        await producer.close()
        #expect(open.compactMap { $0.lastValue }.reduce(0, +) == 0, "every connection is counted out once closed")
        Self.expectBoundedDimensions(metrics, clientId: clientId)
    }

    @Test("a broker's error code in a Produce response is counted by broker, API and code")
    func errorCodesOnFakeCluster() async throws {
        let metrics = TestMetricsBootstrap.shared
        let (cluster, producer, clientId) = try Self.producerOnFakeCluster(topic: "errors")
        defer { cluster.close() }
        cluster.inject(FakeClusterFault(.error(.notLeaderOrFollower), on: .produce, topic: "errors", times: 2))
        _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "errors", partition: 0, value: "v"))
        await producer.close()
        let errors = try metrics.expectCounter("kafka_client_request_errors_total", [
            ("client_id", clientId), ("broker", "1"), ("api", "Produce"), ("error_code", "NOT_LEADER_OR_FOLLOWER")])
        #expect(errors.totalValue == 2)
        Self.expectBoundedDimensions(metrics, clientId: clientId)
    }

    @Test("a dropped connection is counted as a failed request and a reconnect")
    func reconnectsOnFakeCluster() async throws {
        let metrics = TestMetricsBootstrap.shared
        let (cluster, producer, clientId) = try Self.producerOnFakeCluster(topic: "drops")
        defer { cluster.close() }
        _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "drops", partition: 0, value: "before"))
        cluster.inject(FakeClusterFault(.disconnectBeforeHandling, on: .produce))
        _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "drops", partition: 0, value: "after"))
        await producer.close()
        let mine = [("client_id", clientId), ("broker", "1")]
        #expect(metrics.counterTotal(label: "kafka_client_reconnects_total", dimensions: mine) >= 1)
        let failed = metrics.counters(label: "kafka_client_request_errors_total", dimensions: mine + [("api", "Produce")])
        #expect(failed.contains { counter in counter.dimensions.contains { $0.0 == "error_code" && $0.1.hasPrefix("CLIENT_") } },
                "\(failed.map(\.dimensions))")
        Self.expectBoundedDimensions(metrics, clientId: clientId)
    }

    @Test("a response's throttle time is recorded by broker and API")
    func throttleTimeOnFakeCluster() async throws {
        let metrics = TestMetricsBootstrap.shared
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let port = try #require(cluster.bootstrapServers.first?.split(separator: ":").last.flatMap { Int($0) })
        var configuration = BrokerConnection.Configuration()
        configuration.clientId = "conn-throttle-\(TestBroker.uniqueTopicName("t"))"
        let connection = try BrokerConnection(host: "127.0.0.1", port: port, brokerId: 1, configuration: configuration)
        cluster.inject(FakeClusterFault(.throttle(milliseconds: 40), on: .metadata))
        var request = MetadataRequest()
        request.topics = []
        _ = try await connection.send(request)
        await connection.close()
        let throttle = try metrics.expectTimer("kafka_client_throttle_time", [
            ("client_id", configuration.clientId), ("broker", "1"), ("api", "Metadata")])
        #expect(throttle.values == [40_000_000])
    }
}
