import Foundation
import Testing

/// A kfake cluster of the test's own (franz-go's in-memory Kafka, from
/// `../shared/brokers/kfake`), started with the flags a test needs: leader moves
/// (`-shuffle-leaders-every`), connection drops (`-drop-every`), SASL, ACLs.
///
///     let kfake = try KfakeCluster.start(["-shuffle-leaders-every", "700ms"])
///     defer { kfake.stop() }
///     configuration.bootstrapServers = kfake.bootstrapServers
///
/// These tests run in `scripts/test.sh`'s kfake pass (`KAFKA_TEST_BROKER=kfake`);
/// use `.enabled(if: KfakeCluster.isEnabled, KfakeCluster.skipComment)`.
public final class KfakeCluster: Sendable {
    /// A failure to start kfake.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// `host:port` of every broker.
    public let bootstrapServers: [String]
    /// The kfake-broker process.
    public let pid: pid_t
    /// Where its log goes.
    public let logPath: String

    private init(bootstrapServers: [String], pid: pid_t, logPath: String) {
        self.bootstrapServers = bootstrapServers
        self.pid = pid
        self.logPath = logPath
    }

    deinit { stop() }

    /// The launcher, when the shared folder has it.
    public static var launcher: String? { SharedFolder.item("brokers/kfake/kfake.sh") }

    /// True in the kfake pass with the launcher present.
    public static var isEnabled: Bool { TestBroker.isKfake && launcher != nil }

    /// Why a kfake test was skipped.
    public static let skipComment: Comment =
        "starts its own kfake (../shared/brokers/kfake): runs in scripts/test.sh's kfake pass (KAFKA_TEST_BROKER=kfake)"

    /// Starts a cluster of `brokers` brokers with `flags` (kfake-broker's own; topics
    /// are auto-created) and waits until every broker listens.
    public static func start(_ flags: [String] = [], brokers: Int = 3) throws(Unavailable) -> KfakeCluster {
        guard let launcher else { throw Unavailable(description: "kfake not found in the shared folder") }
        let ports = Array(repeating: "0", count: brokers).joined(separator: ",")
        var random = SystemRandomNumberGenerator()
        let logPath = "\(NSTemporaryDirectory())/kfake-\(getpid())-\(String(random.next() & 0xFFFF_FFFF, radix: 36)).log"
        let arguments = (["-ports", ports, "-auto-create"] + flags).map(ShellCommand.quoted).joined(separator: " ")
        // The launcher returns once every broker listens, leaving kfake running.
        let (status, printed) = ShellCommand.run(
            "KFAKE_LOG=\(ShellCommand.quoted(logPath)) /bin/bash \(ShellCommand.quoted(launcher)) \(arguments) 2>&1 </dev/null")
        let output = printed.trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = output.split(separator: "\n").last?.split(separator: " ") ?? []
        guard status == 0, fields.count == 2, let pid = pid_t(fields[0]) else {
            throw Unavailable(description: "kfake did not start (status \(status)): \(output)")
        }
        return KfakeCluster(bootstrapServers: fields[1].split(separator: ",").map(String.init), pid: pid, logPath: logPath)
    }

    /// Stops the cluster (idempotent).
    public func stop() {
        kill(pid, SIGKILL)
    }
}
