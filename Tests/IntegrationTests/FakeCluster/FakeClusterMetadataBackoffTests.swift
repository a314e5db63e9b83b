import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// While a topic has no leader the producer asks for metadata again with
/// exponential backoff (retry.backoff.ms to retry.backoff.max.ms, KIP-580), not as
/// fast as the broker answers (issue: a refresh storm).
@Suite("Producer: metadata refreshes back off while a leader is missing")
struct FakeClusterMetadataBackoffTests {
    @Test("three seconds without a leader for one topic: a handful of Metadata requests, and the other topic's records still go out",
          .timeLimit(.minutes(1)))
    func backoff() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("leaderless", partitions: 1)
        try cluster.createTopic("healthy", partitions: 1)
        cluster.inject(FakeClusterFault(.error(.leaderNotAvailable), on: .metadata, topic: "leaderless", times: 100_000))
        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.retryBackoff = .milliseconds(100)
        configuration.retryBackoffMax = .seconds(1)
        configuration.maxBlock = .seconds(3)
        let producer = try KafkaProducer(configuration: configuration)
        let before = cluster.receivedRequests.filter { $0.apiKey == .metadata }.count
        let started = ContinuousClock.now
        async let stuck = FakeClusterEpochBumpTests.outcome {
            try await producer.sendAndWait(KafkaProducerRecord(topic: "leaderless", partition: 0, value: "waits"))
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await producer.sendAndWait(KafkaProducerRecord(topic: "healthy", partition: 0, value: "goes")).isSuccess)
        let outcome = await stuck
        let waited = started.duration(to: .now)
        let refreshes = cluster.receivedRequests.filter { $0.apiKey == .metadata }.count - before
        await producer.close()
        if case .success = outcome { Issue.record("a record for a topic without a leader was delivered") }
        #expect(waited >= .seconds(3) && waited < .seconds(10), "max.block.ms ends the wait: \(waited)")
        // 100, 200, 400, 800 ms, then 1 s apart (±20%): about eight in three seconds, plus the healthy topic's.
        #expect(refreshes <= 16, "\(refreshes) Metadata requests in \(waited)")
        #expect(refreshes >= 3, "\(refreshes) Metadata requests: the producer kept looking")
    }
}
