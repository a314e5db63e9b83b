import Foundation
import Synchronization

/// The Kafka-compatible broker integration tests talk to.
///
/// Uses `$KAFKA_BOOTSTRAP_SERVERS` (the first `host:port`) when set, as
/// `scripts/test.sh` does. Otherwise the first call starts a private Tansu
/// broker through `scripts/broker.sh` on a free port, once per test process;
/// a watchdog started with it stops the broker when this process exits.
public enum TestBroker {
    /// A failure to find or start the broker.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    private static let state = Mutex<Result<Bootstrap, Unavailable>?>(nil)

    /// Where the broker listens.
    public struct Bootstrap: Sendable, Hashable, CustomStringConvertible {
        public let host: String
        public let port: Int
        public var description: String { "\(host):\(port)" }
    }

    /// The broker's address, starting a broker on first use when none is configured.
    public static func bootstrap() throws(Unavailable) -> Bootstrap {
        let result = state.withLock { cached in
            if let cached { return cached }
            let fresh = locateOrStart()
            cached = fresh
            return fresh
        }
        return try result.get()
    }

    /// A topic name no other test (or earlier run against the same broker) uses.
    public static func uniqueTopicName(_ prefix: String = "test") -> String {
        var random = SystemRandomNumberGenerator()
        let suffix = String(random.next() & 0xFFFF_FFFF_FFFF, radix: 36)
        return "\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
    }

    private static func locateOrStart() -> Result<Bootstrap, Unavailable> {
        if let configured = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"], !configured.isEmpty {
            let first = configured.split(separator: ",").first.map(String.init) ?? configured
            guard let bootstrap = parse(first) else {
                return .failure(Unavailable(description: "KAFKA_BOOTSTRAP_SERVERS=\(configured) is not host:port"))
            }
            return .success(bootstrap)
        }
        return startPrivateBroker()
    }

    static func parse(_ text: String) -> Bootstrap? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.lastIndex(of: ":"), let port = Int(trimmed[trimmed.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return Bootstrap(host: host, port: port)
    }

    private static func startPrivateBroker() -> Result<Bootstrap, Unavailable> {
        let script = PackageRoot.appending("scripts/broker.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "start"]
        var environment = ProcessInfo.processInfo.environment
        environment["TANSU_WATCH_PID"] = String(ProcessInfo.processInfo.processIdentifier)
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(Unavailable(description: "cannot run \(script): \(error)"))
        }
        // broker.sh detaches the broker from these pipes, so they end when the script does.
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = printed.split(separator: "\n").last, let bootstrap = parse(String(line)) else {
            return .failure(Unavailable(description:
                "scripts/broker.sh start failed (status \(process.terminationStatus)): \(diagnostics)\(printed)"))
        }
        return .success(bootstrap)
    }
}
