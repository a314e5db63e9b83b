import Foundation
import KafkaClient
import KafkaTesting
import KafkaWire
import Synchronization
import Testing

/// Holds the fake cluster's requests of some APIs (the connection's thread waits in
/// the request hook) until `open()`, so a call waiting for their answer stays suspended.
final class RequestGate: Sendable {
    private let apiKeys: Set<ApiKey>
    private let state = VisibleLock<(isOpen: Bool, held: Int)>((false, 0))

    init(_ cluster: FakeKafkaCluster, holding apiKeys: Set<ApiKey>) {
        self.apiKeys = apiKeys
        cluster.setRequestHook { [self] request in
            guard apiKeys.contains(request.apiKey) else { return .proceed }
            state.withLock { $0.held += 1 }
            // A bound, so a test that forgets to open cannot hang the cluster's close.
            let deadline = Date().addingTimeInterval(30)
            while !state.withLock({ $0.isOpen }), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            return .proceed
        }
    }

    /// How many requests have been held so far.
    var held: Int { state.withLock { $0.held } }

    /// Lets held and later requests through.
    func open() { state.withLock { $0.isOpen = true } }
}

/// Runs a call, cancels its task once it waits, and measures how long it takes to return.
enum CancellationProbe {
    /// What the cancelled call did: its error (nil when it returned) and how long after
    /// the cancellation it returned; nil when it had not returned after `limit`.
    struct Outcome {
        var error: (any Error)?
        var elapsed: Duration
    }

    /// Starts `operation`, waits until `isWaiting` holds (plus a moment, so the call is
    /// suspended), cancels it and waits up to `limit` for it to return. `release` runs
    /// afterwards either way, told whether the call returned (open the gate, close the
    /// client), so a call that ignored the cancellation still ends before the test does.
    ///
    /// What proves the cancellation worked is that the call returned before `release`
    /// ended its wait (a `RequestGate` holds its answer 30 s, longer than `limit`), not
    /// how fast: on 2 cores the concurrency pool has 2 threads, and in the whole suite
    /// helpers that block one (a broker script starting Tansu, a Python peer) can keep
    /// a resumed task from running for seconds. Unloaded, calls return within
    /// milliseconds (`Outcome.elapsed`).
    static func cancel(_ operation: @escaping @Sendable () async throws -> Void, once isWaiting: @escaping @Sendable () -> Bool,
                       limit: Duration = .seconds(10), release: (_ returned: Bool) -> Void = { _ in }) async throws -> Outcome? {
        let finished = VisibleLock<(any Error)??>(nil)
        let task = Task {
            do {
                try await operation()
                finished.withLock { $0 = .some(nil) }
            } catch {
                finished.withLock { $0 = .some(error) }
            }
        }
        let waiting = try await ConsumerGroupTests.waitUntil(.seconds(20), isWaiting)
        try #require(waiting, "the call never started waiting")
        try await Task.sleep(for: .milliseconds(200))
        #expect(finished.withLock { $0 == nil }, "the call returned before it was cancelled")
        let cancelledAt = ContinuousClock.now
        task.cancel()
        var outcome: Outcome?
        while outcome == nil {
            // Look once more after the limit: a poll that overslept must not miss a return.
            let pastLimit = cancelledAt.duration(to: .now) >= limit
            if let result = finished.withLock({ $0 }) {
                outcome = Outcome(error: result, elapsed: cancelledAt.duration(to: .now))
            } else if pastLimit {
                break
            } else {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        release(outcome != nil)
        // A call that ignored the cancellation ends once released; one that does not
        // even then is left behind rather than hanging the test run.
        let ended = try await ConsumerGroupTests.waitUntil(.seconds(10)) { finished.withLock { $0 != nil } }
        if ended { await task.value } else { Issue.record("the call did not return even after its wait was released") }
        return outcome
    }

    /// The call returned within the limit by throwing `KafkaError` `.cancelled`.
    static func threwCancelled(_ outcome: Outcome?) -> Bool {
        (outcome?.error as? KafkaError)?.code == .cancelled
    }
}
