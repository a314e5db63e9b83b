import Foundation
import KafkaClient
import KafkaTestSupport
import Synchronization
import Testing

/// Exactly-once through crashes: the consume-transform-produce worker
/// (Examples/ExactlyOnceExample) is killed with SIGKILL twice mid-stream and started
/// again with the same transactional id, while leaders move and every 40th Produce
/// connection drops. Reading the output with read_committed gives every input record
/// exactly once.
@Suite("kfake: exactly-once through SIGKILL", .enabled(if: KfakeCluster.isEnabled, KfakeCluster.skipComment),
       .timeLimit(.minutes(4)))
struct KfakeExactlyOnceTests {
    static let inputCount = 3_000
    /// kfake leaves a dead producer's transaction open until it times out, where Kafka
    /// aborts it when the next instance calls InitProducerId (kfake README): the worker
    /// runs with a short transaction.timeout.ms and restarts once it has passed.
    static let transactionTimeoutMs = 4_000

    /// The worker process; its stdout (one "committed N" line per transaction) goes to `log`.
    static func startWorker(input: String, output: String, servers: [String], log: URL) throws -> Process {
        guard let executable = SkcatRunner.productExecutable("exactly-once-example") else {
            throw WorkerMissing()
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = [input, output, "eos-\(input)"]
        var environment = ProcessInfo.processInfo.environment
        environment["KAFKA_BOOTSTRAP_SERVERS"] = servers.joined(separator: ",")
        environment["TRANSACTION_TIMEOUT_MS"] = "\(Self.transactionTimeoutMs)"
        process.environment = environment
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    struct WorkerMissing: Error, CustomStringConvertible {
        var description: String { "exactly-once-example is not built (swift build --build-tests builds it)" }
    }

    static func tail(of log: URL) -> String {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(5).joined(separator: " | ")
    }

    /// Committed transactions the worker logged so far.
    static func committed(in log: URL) -> Int {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.hasPrefix("committed ") }
            .compactMap { Int($0.dropFirst("committed ".count)) }.reduce(0, +)
    }

    @Test("the worker is killed twice and restarted with the same transactional.id: every input once in the committed output, with transactions v2 (kfake's default) and v1 (the feature lowered)", arguments: [Int16(2), 1])
    func killedTwice(transactionVersion: Int16) async throws {
        let kfake = try KfakeCluster.start(["-shuffle-leaders-every", "1s", "-drop-every", "0:40"])
        defer { kfake.stop() }
        let servers = kfake.bootstrapServers
        if transactionVersion < 2 { try await TransactionsV2Tests.setTransactionVersion(transactionVersion, servers: servers) }
        let input = TestBroker.uniqueTopicName("kf-eos-in")
        let output = TestBroker.uniqueTopicName("kf-eos-out")
        try await KfakeWorkload.createTopic(input, partitions: 3, servers: servers)
        try await KfakeWorkload.createTopic(output, partitions: 3, servers: servers)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: servers))
        let deliveries = try await KfakeWorkload.produce(input, count: Self.inputCount, keys: 30, with: producer)
        await producer.close()
        try #require(deliveries.succeeded == Self.inputCount)

        let log = FileManager.default.temporaryDirectory.appendingPathComponent("kf-eos-\(getpid())-\(input).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var worker = try Self.startWorker(input: input, output: output, servers: servers, log: log)
        // Kill it twice, each time once it has committed some more.
        for kill in 1...2 {
            let target = Self.inputCount * kill / 4
            let reached = try await ConsumerGroupTests.waitUntil(.seconds(60)) { Self.committed(in: log) >= target }
            #expect(reached, "kill \(kill): \(Self.committed(in: log)) committed before the kill; log ends: \(Self.tail(of: log))")
            Foundation.kill(worker.processIdentifier, SIGKILL)
            worker.waitUntilExit()
            try await Task.sleep(for: .milliseconds(Self.transactionTimeoutMs + 1_500))
            worker = try Self.startWorker(input: input, output: output, servers: servers, log: log)
        }
        defer { Foundation.kill(worker.processIdentifier, SIGKILL) }

        let values = try await KfakeWorkload.readAll(output, partitions: 3, count: Self.inputCount, servers: servers,
                                                     timeout: .seconds(120)) { $0.isolationLevel = .readCommitted }
        // A little longer, so a duplicate after the last expected record shows too.
        let extra = try await KfakeWorkload.readAll(output, partitions: 3, count: Self.inputCount + 1, servers: servers,
                                                    timeout: .seconds(3)) { $0.isolationLevel = .readCommitted }
        let expected = Set((0..<Self.inputCount).map { "out-" + KfakeWorkload.value(key: $0 % 30, sequence: $0 / 30) })
        #expect(values.count == Self.inputCount && Set(values) == expected, "read \(values.count), distinct \(Set(values).count)")
        #expect(extra.count == Self.inputCount, "the committed output holds \(extra.count) records for \(Self.inputCount) inputs")
        let log_ = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(!log_.contains("failed:"), "\(log_.split(separator: "\n").filter { $0.contains("failed") }.prefix(3))")
    }
}
