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

    /// Which broker implementation the suite runs against.
    public enum Kind: String, Sendable {
        /// Tansu, the embedded broker (`scripts/broker.sh`): one broker, several known
        /// differences from Kafka (`../shared/brokers/TANSU.md`).
        case tansu
        /// franz-go's kfake (`../shared/brokers/kfake`): several brokers, strict.
        case kfake
    }

    /// The broker named by `$KAFKA_TEST_BROKER` (`tansu` or `kfake`, as `scripts/test.sh`
    /// sets it for each pass); Tansu when unset.
    public static let kind: Kind = {
        let named = ProcessInfo.processInfo.environment["KAFKA_TEST_BROKER"]?.lowercased() ?? ""
        return Kind(rawValue: named) ?? .tansu
    }()

    /// How many brokers the test cluster has: one per address in `$KAFKA_BOOTSTRAP_SERVERS`
    /// (`scripts/test.sh` lists every kfake broker there), else the one private Tansu.
    public static var brokerCount: Int {
        let configured = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? ""
        return max(1, configured.split(separator: ",").count)
    }

    /// True when the suite runs against kfake.
    public static var isKfake: Bool { kind == .kfake }

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

    /// Starts a broker of the test's own (on `port`, or a free one) that it may stop and
    /// restart; it is stopped when the test process exits at the latest.
    ///
    /// With `advertisedPort`, metadata names that port instead, so clients reach the
    /// broker through a front listening there (TLS terminator, SASL front, proxy).
    public static func startDedicated(port: Int? = nil, advertisedPort: Int? = nil) throws(Unavailable) -> Bootstrap {
        try startPrivateBroker(port: port, advertisedPort: advertisedPort).get()
    }

    /// Stops the broker listening on `port` (one from `startDedicated`) at once.
    public static func stopDedicated(port: Int) {
        let script = PackageRoot.appending("scripts/broker.sh")
        _ = ShellCommand.run("/bin/bash \(shellQuoted(script)) stop \(port) >/dev/null 2>&1 </dev/null")
    }

    private static func startPrivateBroker(port: Int? = nil, advertisedPort: Int? = nil) -> Result<Bootstrap, Unavailable> {
        let script = PackageRoot.appending("scripts/broker.sh")
        let errorLog = "\(NSTemporaryDirectory())/kafka-test-broker-\(getpid())-\(port ?? 0).err"
        let portArgument = port.map { " \($0)" } ?? ""
        let advertise = advertisedPort.map { "TANSU_ADVERTISED_PORT=\($0) " } ?? ""
        let (status, output) = ShellCommand.run(
            "\(advertise)TANSU_WATCH_PID=\(getpid()) /bin/bash \(shellQuoted(script)) start\(portArgument) 2>\(shellQuoted(errorLog)) </dev/null")
        let diagnostics = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: errorLog)
        guard status == 0, let line = output.split(separator: "\n").last, let bootstrap = parse(String(line)) else {
            return .failure(Unavailable(description: "scripts/broker.sh start failed (status \(status)): \(diagnostics)\(output)"))
        }
        return .success(bootstrap)
    }

    private static func shellQuoted(_ text: String) -> String { ShellCommand.quoted(text) }
}
