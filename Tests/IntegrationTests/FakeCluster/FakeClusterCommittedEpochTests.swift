import Foundation
import KafkaClient
import KafkaTesting
import Testing

/// KIP-320 across a restart: a commit carries the leader epoch of the last record
/// consumed, and a consumer that starts from that commit checks it against the
/// leader's log before fetching.
@Suite("Committed offsets carry their leader epoch")
struct FakeClusterCommittedEpochTests {
    typealias Consumers = FakeClusterConsumerTests

    @Test("after an unclean election truncated the log below the committed offset, a restarted member reads the new records (auto.offset.reset=latest)")
    func restartAfterTruncation() async throws {
        let cluster = try FakeKafkaCluster(brokers: 2)
        defer { cluster.close() }
        try cluster.createTopic("epochs", partitions: 1)
        // Two deliveries, so a batch boundary lies at offset 60 (the fake truncates whole batches).
        try await Consumers.produce(cluster, topic: "epochs", values: (0..<60).map { "\($0)" })
        try await Consumers.produce(cluster, topic: "epochs", values: (60..<100).map { "\($0)" })
        let partition = TopicPartition(topic: "epochs", partition: 0)

        let first = try Consumers.consumer(cluster, group: "epochs-group") { $0.enableAutoCommit = false }
        first.assign([partition: .earliest])
        var read = 0
        for try await _ in first.messages {
            read += 1
            if read == 100 { break }
        }
        try await first.commit()
        await first.close()
        #expect(cluster.committedOffset(group: "epochs-group", topic: "epochs", partition: 0) == 100)

        // The leader that had offsets 60..<100 is gone; the new one's log ends at 60 and takes new records.
        cluster.truncate(topic: "epochs", partition: 0, to: 60)
        try await Consumers.produce(cluster, topic: "epochs", values: (0..<20).map { "after-\($0)" })

        let second = try Consumers.consumer(cluster, group: "epochs-group") {
            $0.enableAutoCommit = false
            $0.autoOffsetReset = .latest
        }
        second.assign([partition: .committed])
        let reader = Task {
            var got: [(offset: Int64, value: String)] = []
            for try await message in second.messages {
                got.append((message.offset, String(decoding: message.value ?? [], as: UTF8.self)))
                if got.count == 20 { break }
            }
            return got
        }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            await second.close()
        }
        let after = try await reader.value
        watchdog.cancel()
        let errors = second.takeErrors()
        await second.close()
        // Without the epoch, offset 100 is out of range and `latest` skips the twenty new records.
        #expect(after.map(\.offset) == Array(60..<80))
        #expect(after.map(\.value) == (0..<20).map { "after-\($0)" })
        #expect(errors.contains { $0.code == .logTruncated }, "errors: \(errors)")
    }
}
