import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// `skcat -P -X transactional.id=...` against the fake cluster (skcat runs as a
/// process and reaches it on loopback): every record of a run goes in one
/// transaction, committed at the end, as kcat does.
@Suite("skcat transactional produce on the fake cluster", .enabled(if: SkcatRunner.executable != nil,
                                                                    "skcat binary not built: run swift build --build-tests first"))
struct FakeClusterSkcatTransactionTests {
    @Test("-X transactional.id wraps the run in one committed transaction")
    func committedRun() async throws {
        let cluster = try FakeKafkaCluster(brokers: 1)
        defer { cluster.close() }
        try cluster.createTopic("txn-lines", partitions: 1, replicationFactor: 1)
        let result = try await SkcatRunner.run([
            "-P", "-b", cluster.bootstrapServers.joined(separator: ","), "-t", "txn-lines", "-q",
            "-X", "transactional.id=skcat-run", "-X", "linger.ms=1",
        ], input: "one\ntwo\nthree\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(cluster.transactionState(transactionalId: "skcat-run") == "CompleteCommit")
        let batches = try cluster.batches(topic: "txn-lines", partition: 0)
        let data = batches.filter { !$0.attributes.isControl }
        #expect(data.allSatisfy { $0.attributes.isTransactional })
        #expect(data.flatMap(\.records).map { $0.value.map { String(decoding: $0, as: UTF8.self) } } == ["one", "two", "three"])
        let markers = try batches.filter(\.attributes.isControl).flatMap(\.records).map { try ControlRecord($0).type }
        #expect(markers == [.commit])
    }
}
