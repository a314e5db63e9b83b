import Foundation
import KafkaTestSupport
import Synchronization

/// Runs `Peers/sasl_front.py`, a SASL-enabled broker in front of the test broker:
/// it authenticates clients (SCRAM-SHA-256/512 via scramp, PLAIN, OAUTHBEARER)
/// and forwards everything else, in order, upstream.
///
///     let front = SASLFront()
///     let port = try front.start(users: ["alice": "secret"], token: "t0ken")
///     defer { front.stop() }
///     // connect to 127.0.0.1:port, authenticate, then use it like the broker
///     #expect(front.authenticationCount(user: "alice") == 1)
final class SASLFront: Sendable {
    /// A failure to start the front.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private struct Running: @unchecked Sendable {  // Process is thread-safe for the calls made here
        var process: Process
        var stdin: Pipe
        var port: Int
    }

    /// Where the front listens once started.
    let host = "127.0.0.1"
    /// The front's log of `auth ok ...` / `auth failed ...` lines.
    let logPath: String
    private let running = Mutex<Running?>(nil)

    init() {
        var random = SystemRandomNumberGenerator()
        logPath = "\(NSTemporaryDirectory())/sasl-front-\(getpid())-\(String(random.next(), radix: 36)).log"
    }

    deinit { stop() }

    /// Whether python3 with scramp is installed; tests skip cleanly without it.
    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import scramp"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        while process.isRunning { usleep(10_000) }
        return process.terminationStatus == 0
    }()

    /// Starts the front and returns its port.
    ///
    /// - Parameters:
    ///   - upstream: `host:port` to forward to; nil for the test broker (`TestBroker.bootstrap()`).
    ///   - users: user name to password, for SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN.
    ///   - token: the one OAUTHBEARER token accepted (nil: OAUTHBEARER disabled).
    ///   - sessionLifetimeMs: sent in successful SaslAuthenticate v1+ responses (KIP-368);
    ///     requests after it expires close the connection.
    ///   - mechanisms: offer only these (nil: all that have credentials).
    ///   - awsCredentials: the one access key and secret AWS_MSK_IAM accepts (nil: disabled; needs botocore).
    ///   - awsRegion: the region AWS_MSK_IAM signatures must name (nil: the front's default, us-east-1).
    @discardableResult
    func start(upstream: String? = nil, users: [String: String] = [:], token: String? = nil,
               sessionLifetimeMs: Int64? = nil, mechanisms: [String]? = nil,
               awsCredentials: (accessKeyID: String, secretAccessKey: String)? = nil,
               awsRegion: String? = nil) throws -> Int {
        let target = try upstream ?? TestBroker.bootstrap().description
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Peers").appendingPathComponent("sasl_front.py").path
        var arguments = ["python3", script, "--upstream", target, "--log", logPath, "--exit-on-stdin-eof"]
        for (name, password) in users.sorted(by: { $0.key < $1.key }) { arguments += ["--user", "\(name):\(password)"] }
        if let token { arguments += ["--token", token] }
        if let sessionLifetimeMs { arguments += ["--session-lifetime-ms", String(sessionLifetimeMs)] }
        for mechanism in mechanisms ?? [] { arguments += ["--mechanism", mechanism] }
        if let awsCredentials {
            arguments += ["--aws-credentials", "\(awsCredentials.accessKeyID):\(awsCredentials.secretAccessKey)"]
        }
        if let awsRegion { arguments += ["--aws-region", awsRegion] }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice  // the same lines go to logPath
        try process.run()

        // The first stdout line is the port.
        var line: [UInt8] = []
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let text = String(bytes: line, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              let port = Int(text) else {
            process.terminate()
            throw Failure(description: "sasl_front.py did not print its port (got \"\(String(decoding: line, as: UTF8.self))\")")
        }
        running.withLock { $0 = Running(process: process, stdin: stdin, port: port) }
        return port
    }

    /// The port, once started.
    var port: Int? { running.withLock { $0?.port } }

    /// Stops the front (idempotent).
    func stop() {
        guard let current = running.withLock({ state -> Running? in defer { state = nil }; return state }) else { return }
        current.process.terminate()
        try? current.stdin.fileHandleForWriting.close()
        // Poll rather than waitUntilExit, which can hang on Linux from a concurrency thread.
        for _ in 0..<300 where current.process.isRunning { usleep(10_000) }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// The `auth ok` / `auth failed` lines logged so far.
    func logLines() -> [String] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    /// Successful authentications (including re-authentications) of `user`, over all connections.
    func authenticationCount(user: String) -> Int {
        logLines().filter { $0.hasPrefix("auth ok ") && $0.contains(" user=\(user) count=") }.count
    }
}
