import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A TLS server in front of a plain TCP one: `socat` terminates TLS on a free
/// loopback port and forwards each connection to `upstreamHost:upstreamPort`.
///
/// socat handshakes before it connects upstream, so a rejected handshake never
/// reaches the upstream server. Stopped by `stop()` or on deinit; its output
/// goes to a log file quoted in start-up failures.
public final class SocatTLSFront: Sendable {
    /// A failure to start socat.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The loopback port socat listens on for TLS.
    public let port: Int
    /// socat's standard output and error.
    public let logPath: String
    private let processID: pid_t
    private let stopped = Atomic<Bool>(false)

    /// True when the `socat` command is installed.
    public static var isAvailable: Bool { ExternalTool.find("socat") != nil }

    /// Starts socat with the server `identity`, requiring a client certificate
    /// signed by `clientCA` when given, plus any extra socat OpenSSL address
    /// options (such as `openssl-max-proto-version=TLS1.2`), and waits until it accepts.
    public init(upstreamHost: String = "127.0.0.1", upstreamPort: Int, identity: TestCertificates.Identity, clientCA: String? = nil,
                options extraOptions: [String] = []) throws {
        guard let socat = ExternalTool.find("socat") else { throw Unavailable(description: "socat is not installed") }
        // The kernel picks a free port for a throwaway listener, which closes at once.
        let port = try LocalTCPListener().port
        var listen = ["OPENSSL-LISTEN:\(port)", "bind=127.0.0.1", "reuseaddr", "fork",
                      "cert=\(identity.certificate)", "key=\(identity.key)"]
        if let clientCA { listen += ["verify=1", "cafile=\(clientCA)"] } else { listen.append("verify=0") }
        listen += extraOptions
        let upstream = upstreamHost.contains(":") ? "TCP6:[\(upstreamHost)]:\(upstreamPort)" : "TCP:\(upstreamHost):\(upstreamPort)"
        let arguments = ["socat", listen.joined(separator: ","), upstream]
        let logPath = "\(NSTemporaryDirectory())socat-tls-\(getpid())-\(port).log"
        self.port = port
        self.logPath = logPath
        self.processID = try Self.spawn(socat, arguments: arguments, logPath: logPath)
        do {
            try waitUntilAccepting(timeout: 10)
        } catch {
            stop()
            throw error
        }
    }

    deinit {
        stop()
    }

    /// Stops socat and every connection it forked. Calling it again does nothing.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // socat runs in its own process group, which holds the per-connection children too.
        _ = kill(-processID, SIGTERM)
        var status: Int32 = 0
        _ = waitpid(processID, &status, 0)
    }

    private static func spawn(_ path: String, arguments: [String], logPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The test runner's threads block signals, and a spawned process inherits the
        // mask: without resetting it, socat would never see the SIGTERM of stop().
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)

        let cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var processID: pid_t = 0
        let status = posix_spawn(&processID, path, &actions, &attributes, cArguments, environ)
        guard status == 0 else {
            throw Unavailable(description: "cannot start \(path): \(String(cString: strerror(status)))")
        }
        return processID
    }

    /// Polls with plain TCP connects; each probe makes a socat child fail its
    /// handshake and exit, which is harmless.
    private func waitUntilAccepting(timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(processID, &status, WNOHANG) == processID {
                stopped.store(true, ordering: .releasing)
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw Unavailable(description: "socat exited at start-up (status \(status)): \(log)")
            }
            if LoopbackConnect.accepts(port: port) { return }
            usleep(20_000)
        }
        throw Unavailable(description: "socat did not accept on port \(port) within \(timeout) s")
    }
}
