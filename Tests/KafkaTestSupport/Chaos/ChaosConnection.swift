import Foundation
import KafkaClient
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One client connection through a `ChaosProxy` and its upstream socket.
final class ChaosConnection: Sendable {
    let id: Int
    let client: Int32
    let upstream: Int32
    private let isCut = Atomic<Bool>(false)
    private let pumpsRunning = Atomic<Int>(2)
    /// While set and in the future, neither direction forwards anything.
    private let stalledUntil = VisibleLock<ContinuousClock.Instant?>(nil)

    init(id: Int, client: Int32, upstream: Int32) {
        self.id = id
        self.client = client
        self.upstream = upstream
    }

    /// Shuts both sockets down (once); blocked reads and writes on them return.
    func cut() {
        guard !isCut.exchange(true, ordering: .relaxed) else { return }
        _ = shutdown(client, Int32(SHUT_RDWR))
        _ = shutdown(upstream, Int32(SHUT_RDWR))
    }

    /// Stops forwarding in both directions until `duration` from now.
    func stall(for duration: Duration) {
        let until = ContinuousClock.now.advanced(by: duration)
        stalledUntil.withLock { $0 = max($0 ?? until, until) }
    }

    /// Returns once no stall is in force or the connection was cut.
    func waitWhileStalled() {
        while !isCut.load(ordering: .relaxed), let until = stalledUntil.withLock({ $0 }) {
            let left = ContinuousClock.now.duration(to: until)
            guard left > .zero else { return }
            Self.sleep(for: min(left, .milliseconds(20)))
        }
    }

    /// Marks one pump done; true for the last, which then closes the sockets.
    func finishPump() -> Bool {
        pumpsRunning.subtract(1, ordering: .acquiringAndReleasing).newValue == 0
    }

    /// Releases both descriptors; only after both pumps have finished and the
    /// connection left the proxy's open set, so no one shuts down a reused descriptor.
    func close() {
        _ = SystemCalls.close(client)
        _ = SystemCalls.close(upstream)
    }

    static func sleep(for duration: Duration) {
        let components = duration.components
        var request = timespec(tv_sec: Int(components.seconds), tv_nsec: Int(components.attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
