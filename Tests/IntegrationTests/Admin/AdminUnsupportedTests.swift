import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// What a user gets for the admin operations the embedded broker does not
/// implement, or implements wrongly (TANSU.md): a typed error each, promptly,
/// and a client that goes on working. The encodings and response mappings are
/// covered by the protocol and unit tests.
@Suite("Admin client: operations the broker lacks")
struct AdminUnsupportedTests {
    static func code(_ body: () async throws -> Void) async -> KafkaError.Code? {
        do {
            try await body()
            return nil
        } catch {
            return (error as? KafkaError)?.code
        }
    }

    @Test("CreatePartitions, legacy AlterConfigs, OffsetDelete, DescribeProducers/Transactions, ACL deletion, log dirs: typed errors",
          .disabled(if: TestBroker.isKfake, "kfake implements every one of these; AdminKafkaOperationsTests checks them there"))
    func unsupportedOperations() async throws {
        let admin = try AdminTopicTests.admin()
        let topic = try await AdminGroupTests.filledTopic("adm-unsup", partitions: 1, perPartition: 2)
        let partition = TopicPartition(topic: topic, partition: 0)
        var outcomes: [String: String] = [:]
        func record(_ name: String, _ body: () async throws -> Void) async {
            let code = await Self.code(body)
            outcomes[name] = code.map { "\($0)" } ?? "ok"
        }
        await record("createPartitions") { _ = try await admin.createPartitions([topic: 3]) }
        await record("alterConfigs") { _ = try await admin.alterConfigs([.topic(topic): ["retention.ms": "1000"]]) }
        await record("deleteConsumerGroupOffsets") {
            _ = try await admin.deleteConsumerGroupOffsets(group: TestBroker.uniqueTopicName("g"), partitions: [partition])
        }
        await record("describeProducers") { _ = try await admin.describeProducers([partition]) }
        await record("createAcls") {
            for result in try await admin.createAcls([AclBinding(resourceType: .topic, resourceName: topic, principal: "User:alice",
                                                                 operation: .read, permission: .allow)]) { try result.get() }
        }
        await record("describeAcls") { _ = try await admin.describeAcls() }
        await record("deleteRecords") {
            for (_, result) in try await admin.deleteRecords(before: [partition: 1]) { _ = try result.get() }
        }
        await record("maxTimestamp") {
            for (_, result) in try await admin.listOffsets([partition: .maxTimestamp]) { _ = try result.get() }
        }
        await record("describeTransactions") { _ = try await admin.describeTransactions(["nobody"]) }
        await record("deleteAcls") { _ = try await admin.deleteAcls([.all]) }
        await record("describeLogDirs") {
            let brokers = try await admin.describeCluster().brokers.map(\.nodeId)
            for (_, result) in try await admin.describeLogDirs(brokers: brokers) { _ = try result.get() }
        }
        print("admin outcomes on the embedded broker: \(outcomes.sorted { $0.key < $1.key })")
        for name in ["createPartitions", "alterConfigs", "deleteConsumerGroupOffsets", "describeProducers", "describeTransactions", "deleteAcls", "describeLogDirs"] {
            #expect(outcomes[name] == "apiNotSupported", "\(name): \(outcomes[name] ?? "-")")
        }
        // Tansu answers CreateAcls with a malformed body, and drops the connection on
        // DeleteRecords and on a max-timestamp ListOffsets.
        #expect(outcomes["createAcls"] == "protocolViolation")
        #expect(outcomes["describeAcls"] == "ok")
        for name in ["deleteRecords", "maxTimestamp"] {
            #expect(["ioError", "connectionClosed", "requestTimedOut"].contains(outcomes[name] ?? "ok"), "\(name): \(outcomes[name] ?? "-")")
        }
        // The client still works after all of them.
        #expect(try await admin.listTopics().contains { $0.name == topic })
        await admin.close()
    }
}
