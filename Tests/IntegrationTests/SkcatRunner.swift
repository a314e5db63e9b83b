import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire

/// Runs the built `skcat` executable as a separate process.
///
/// Output goes to temporary files rather than pipes (nothing can fill up and
/// block the child), and the process is polled with `isRunning` from the test's
/// task instead of a blocking `waitUntilExit`, with a deadline that kills it.
enum SkcatRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The non-empty lines of stdout.
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The `skcat` binary built next to the test bundle (`swift build --build-tests`
    /// builds every product of the package), or `$SKCAT_PATH`; nil when absent.
    static let executable: URL? = {
        let configured = ProcessInfo.processInfo.environment["SKCAT_PATH"].map { URL(fileURLWithPath: $0) }
        return productExecutable("skcat", preferring: configured)
    }()

    /// The package's executable product `name`, built next to the test bundle; nil when absent.
    static func productExecutable(_ name: String, preferring configured: URL? = nil) -> URL? {
        let fileManager = FileManager.default
        var candidates: [URL] = configured.map { [$0] } ?? []
        // The test bundle (or the xctest runner's argument) sits in the products directory.
        var directories: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        candidates += directories.map { $0.appendingPathComponent(name) }
        // Scratch directories of the package (`.build`, `--scratch-path` siblings).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if let entries = try? fileManager.contentsOfDirectory(atPath: root.path) {
            for entry in entries.sorted() where entry.hasPrefix(".build") {
                candidates.append(root.appendingPathComponent(entry).appendingPathComponent("debug/\(name)"))
            }
        }
        return candidates.first { fileManager.isExecutableFile(atPath: $0.path) }
    }

    /// Runs skcat with `arguments` and `variables` (`NAME=value`) added to a clean
    /// environment of just PATH and HOME (so no real AWS settings leak in).
    static func runWithEnvironment(_ variables: [String], _ arguments: [String]) async throws -> Result {
        var environment = ProcessInfo.processInfo.environment.filter { $0.key == "PATH" || $0.key == "HOME" }
        environment["HOME"] = FileManager.default.temporaryDirectory.path  // no ~/.aws files
        for variable in variables {
            let parts = variable.split(separator: "=", maxSplits: 1)
            environment[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return try await run(arguments, environment: environment)
    }

    /// Runs skcat with `arguments`, feeding it `input` on stdin.
    static func run(_ arguments: [String], input: String = "", environment: [String: String]? = nil,
                    timeout: Duration = .seconds(60)) async throws -> Result {
        guard let executable else { throw SkcatMissing() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skcat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdinURL = directory.appendingPathComponent("stdin")
        let stdoutURL = directory.appendingPathComponent("stdout")
        let stderrURL = directory.appendingPathComponent("stderr")
        try Data(input.utf8).write(to: stdinURL)
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdin = try FileHandle(forReadingFrom: stdinURL)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdin.close()
            try? stdout.close()
            try? stderr.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let out = String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self)
        let err = String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self)
        return Result(status: process.terminationStatus, stdout: out, stderr: err)
    }

    struct SkcatMissing: Error, CustomStringConvertible {
        var description: String { "the skcat binary was not found (build it: swift build --build-tests, or set SKCAT_PATH)" }
    }

    /// The test broker's address as skcat's `-b` takes it.
    static func brokers() throws -> String {
        let broker = try TestBroker.bootstrap()
        return "\(broker.host):\(broker.port)"
    }

    /// Creates `name` with `partitions` partitions on the test broker.
    static func createTopic(_ name: String, partitions: Int32) async throws {
        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: [brokers()]))
        var topic = CreateTopicsRequest.CreatableTopic()
        topic.name = name
        topic.numPartitions = partitions
        topic.replicationFactor = 1
        var request = CreateTopicsRequest()
        request.topics = [topic]
        request.timeoutMs = 10_000
        do {
            let response = try await cluster.send(request, to: .controller)
            await cluster.close()
            guard response.topics.first?.errorCode == 0 else {
                throw KafkaError(.brokerError, detail: "CreateTopics \(name): error \(response.topics.first?.errorCode ?? -1)")
            }
        } catch {
            await cluster.close()
            throw error
        }
    }
}

/// One line of `skcat -J` output: kcat's JSON envelope.
struct KcatEnvelope: Decodable, Equatable {
    var topic: String
    var partition: Int32
    var offset: Int64
    var tstype: String
    var ts: Int64
    var broker: Int32
    var headers: [String?]?
    var key: String?
    var payload: String?
}
