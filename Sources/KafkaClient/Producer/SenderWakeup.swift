import Dispatch
import Synchronization

/// Wakes the producer's sender: when a batch fills, a response arrives, or a
/// deadline (linger, retry backoff) passes. Signals while it runs are kept, so
/// none is lost between its last look and its next wait.
final class SenderWakeup: Sendable {
    private struct State {
        var signaled = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Bumps with each wait, so a timer armed for an earlier wait does nothing.
        var epoch: UInt64 = 0
    }

    /// Shared by tasks and the connection threads: a lock the thread sanitizer sees (`VisibleLock`).
    private let state = VisibleLock(State())

    func signal() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard let waiter = state.waiter else {
                state.signaled = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next signal, at `deadline`, or when the task is cancelled.
    func wait(until deadline: ContinuousClock.Instant) async {
        let delay = ContinuousClock.now.duration(to: deadline)
        if delay <= .zero {
            state.withLock { $0.signaled = false }
            return
        }
        // The wait's epoch, once registered: the timer and cancellation take the waiter
        // only while it is still this wait's, so neither can resume a later one.
        let registered = RegisteredEpoch()
        await withCancellableContinuation(cancelled: (), register: { _, continuation in
            let epoch: UInt64? = state.withLock { state in
                if state.signaled {
                    state.signaled = false
                    return nil
                }
                state.epoch &+= 1
                state.waiter = continuation
                return state.epoch
            }
            guard let epoch else { return () }
            registered.value.store(epoch, ordering: .releasing)
            let nanoseconds = delay.wholeNanoseconds
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { [self] in
                take(epoch: epoch)?.resume()
            }
            return nil
        }, withdraw: { [self] _ in
            let epoch = registered.value.load(ordering: .acquiring)
            return epoch == 0 ? nil : take(epoch: epoch)
        })
    }

    /// The waiter, taken out, if the wait of `epoch` is still the current one.
    private func take(epoch: UInt64) -> CheckedContinuation<Void, Never>? {
        state.withLock { state in
            guard state.epoch == epoch, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
    }
}

/// The epoch of one `SenderWakeup.wait`, shared with its cancellation handler (0: not registered yet).
private final class RegisteredEpoch: Sendable {
    let value = Atomic<UInt64>(0)
}
