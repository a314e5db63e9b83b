import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// KIP-219 throttling is enforced once: by the client on the request versions
/// that introduced it, by the broker (which delays or mutes) on older ones, where
/// a client that also waited would be throttled twice.
@Suite("KIP-219 throttling by request version on the fake cluster")
struct FakeClusterThrottleTests {
    /// Sends two Metadata requests at `version`, the first answered with a 3 s
    /// throttle time; returns how long after the first the second reached the broker.
    static func gapAfterThrottle(version: Int16) async throws -> Duration {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        let address = try #require(cluster.bootstrapServers.first?.split(separator: ":").last.flatMap { Int($0) })
        let connection = try BrokerConnection(host: "127.0.0.1", port: address)
        _ = try await connection.apiVersions()
        cluster.inject(FakeClusterFault(.throttle(milliseconds: 3_000), on: .metadata))
        var request = MetadataRequest()
        request.topics = []
        let first = try await connection.send(request, versionCeiling: version)
        #expect(first.throttleTimeMs == 3_000)
        _ = try await connection.send(request, versionCeiling: version)
        await connection.close()
        let metadata = cluster.receivedRequests.filter { $0.apiKey == .metadata }
        try #require(metadata.count == 2)
        #expect(metadata.allSatisfy { $0.version == version })
        return metadata[0].receivedAt.duration(to: metadata[1].receivedAt)
    }

    @Test("Metadata v6 and later: the client holds its next request back for the throttle time")
    func clientThrottlesNewVersions() async throws {
        #expect(try await Self.gapAfterThrottle(version: 6) >= .milliseconds(3_000))
    }

    @Test("Metadata v5: the broker already throttled, so the next request goes at once")
    func brokerThrottlesOldVersions() async throws {
        #expect(try await Self.gapAfterThrottle(version: 5) < .milliseconds(2_500), "below the 3 s throttle, with room for a busy machine (1.5 s was exceeded once with 440 tests sharing two cores)")
    }
}
