import Foundation
import KafkaClient
import KafkaTestSupport
import Testing

/// A group of three members on kfake while leaders move, with the classic protocol
/// and with KIP-848 (the broker assigning): one member is a separate process killed
/// with SIGKILL (it never leaves), one leaves cleanly. After each change every
/// partition has exactly one owner, every record is read, and at the end the group's
/// committed offsets equal the high watermarks.
@Suite("kfake: groups through a crash and a leave", .enabled(if: KfakeCluster.isEnabled, KfakeCluster.skipComment),
       .timeLimit(.minutes(3)))
struct KfakeGroupTests {
    typealias Groups = ConsumerGroupTests

    static func member(group: String, servers: [String], protocol groupProtocol: KafkaGroupProtocol) throws -> KafkaConsumer {
        var configuration = KafkaConsumer.Configuration(bootstrapServers: servers)
        configuration.groupId = group
        configuration.groupProtocol = groupProtocol
        if groupProtocol == .classic {
            // KIP-848 takes these from the broker (group.consumer.*, set when kfake starts).
            configuration.sessionTimeout = .seconds(6)
            configuration.heartbeatInterval = .milliseconds(500)
        }
        configuration.autoOffsetReset = .earliest
        configuration.fetchMaxWait = .milliseconds(100)
        configuration.autoCommitInterval = .milliseconds(300)
        return try KafkaConsumer(configuration: configuration)
    }

    /// skcat as the third member, in its own process: prints "partition offset" per record.
    static func processMember(group: String, topic: String, servers: [String], output: URL,
                              protocol groupProtocol: KafkaGroupProtocol) throws -> Process {
        guard let executable = SkcatRunner.executable else { throw SkcatRunner.SkcatMissing() }
        let process = Process()
        process.executableURL = executable
        let settings = groupProtocol == .consumer ? ["-X", "group.protocol=consumer"] : ["-X", "session.timeout.ms=6000"]
        process.arguments = ["-b", servers.joined(separator: ","), "-G", group, "-q"] + settings + ["-f", "%p %o\\n", topic]
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// True when the members' assignments do not overlap and, with `all`, cover every partition.
    static func exclusive(_ members: [KafkaConsumer], partitions: Int, all: Bool) -> Bool {
        let sets = members.map(\.assignment)
        guard Set(sets.flatMap { $0.map(\.topic) }).count <= 1 else { return false }
        let union = sets.reduce(into: Set<TopicPartition>()) { $0.formUnion($1) }
        let disjoint = sets.map(\.count).reduce(0, +) == union.count
        return disjoint && sets.allSatisfy { !$0.isEmpty } && (all ? union.count == partitions : union.count < partitions)
    }

    @Test("three members, leaders moving; one killed, one leaving: one owner per partition after each change, every record read, committed offsets at the high watermarks", arguments: [KafkaGroupProtocol.classic, .consumer])
    func crashAndLeave(protocol groupProtocol: KafkaGroupProtocol) async throws {
        let kfake = try KfakeCluster.start(["-c", "group.consumer.heartbeat.interval.ms=500",
                                            "-c", "group.consumer.session.timeout.ms=6000", "-shuffle-leaders-every", "1s"])
        defer { kfake.stop() }
        let servers = kfake.bootstrapServers
        let topic = TestBroker.uniqueTopicName("kf-848")
        let group = TestBroker.uniqueTopicName("kf-848-g")
        try await KfakeWorkload.createTopic(topic, partitions: 6, servers: servers)
        // A topic nobody subscribes to: a member must never be given its partitions.
        try await KfakeWorkload.createTopic(TestBroker.uniqueTopicName("kf-848-other"), partitions: 2, servers: servers)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: servers))
        _ = try await KfakeWorkload.produce(topic, count: 600, keys: 60, with: producer)

        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kf-848-\(getpid())-\(topic).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let killed = try Self.processMember(group: group, topic: topic, servers: servers, output: output, protocol: groupProtocol)
        let members = try (0..<2).map { _ in try Self.member(group: group, servers: servers, protocol: groupProtocol) }
        let collectors = members.map { _ in Groups.Collector() }
        let readers = zip(members, collectors).map { $1.run($0) }
        for member in members { try member.subscribe(topics: [topic]) }

        // Three members: the two here own some partitions, never the same one, and the
        // process member the rest.
        #expect(try await Groups.waitUntil(.seconds(40)) { Self.exclusive(members, partitions: 6, all: false) },
                "assignments: \(members.map(\.assignment))")

        kill(killed.processIdentifier, SIGKILL)
        _ = try await KfakeWorkload.produce(topic, count: 600, keys: 60, with: producer)
        // The broker expires the killed member after its session timeout (6 s) and hands
        // its partitions to the two left.
        #expect(try await Groups.waitUntil(.seconds(40)) { Self.exclusive(members, partitions: 6, all: true) },
                "after the kill: \(members.map(\.assignment))")

        await members[1].close()
        await readers[1].value
        _ = try await KfakeWorkload.produce(topic, count: 600, keys: 60, with: producer)
        await producer.close()
        #expect(try await Groups.waitUntil(.seconds(30)) { members[0].assignment.count == 6 }, "after the leave: \(members[0].assignment)")

        // Every record (1,800 over 6 partitions) was read by one member or another.
        let processRead = (try? String(contentsOf: output, encoding: .utf8))?.split(separator: "\n").map { line in
            line.split(separator: " ").joined(separator: "@")
        } ?? []
        #expect(try await Groups.waitUntil(.seconds(30)) {
            collectors.reduce(Set(processRead)) { $0.union($1.keys) }.count == 1_800
        }, "read \(collectors.reduce(Set(processRead)) { $0.union($1.keys) }.count) of 1800")
        await members[0].close()
        await readers[0].value

        // The last member committed what it finished on close: nothing left behind.
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: servers))
        let lag = try await admin.consumerGroupLag(group: group)
        await admin.close()
        #expect(lag.total == 0, "committed offsets equal the high watermarks: \(lag.partitions)")
    }
}
