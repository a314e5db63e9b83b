import Synchronization

/// Identifies one suspended caller in a waiter list, so cancellation can take out
/// exactly that caller and nobody else.
package struct WaiterID: Hashable, Sendable {
    private static let counter = Atomic<UInt64>(0)
    let rawValue: UInt64

    /// A fresh id, unique in the process.
    package static func make() -> WaiterID {
        WaiterID(rawValue: counter.wrappingAdd(1, ordering: .relaxed).oldValue)
    }
}

/// Continuations waiting for one event, each with its id: `remove(_:)` is how
/// cancellation withdraws a caller, `removeAll()` how the event wakes them.
struct WaiterList<Value: Sendable> {
    private var entries: [(id: WaiterID, continuation: CheckedContinuation<Value, Never>)] = []

    var isEmpty: Bool { entries.isEmpty }

    mutating func append(_ id: WaiterID, _ continuation: CheckedContinuation<Value, Never>) {
        entries.append((id, continuation))
    }

    /// The waiter with `id`, taken out; nil when the event has taken it already.
    mutating func remove(_ id: WaiterID) -> CheckedContinuation<Value, Never>? {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return nil }
        return entries.remove(at: index).continuation
    }

    /// Every waiter, taken out.
    mutating func removeAll() -> [CheckedContinuation<Value, Never>] {
        defer { entries = [] }
        return entries.map(\.continuation)
    }
}

/// Suspends until the event a caller registered for, or until the task is cancelled:
/// then the call resumes with `cancelled`.
///
/// Exactly one resume happens because every resume first takes the continuation out
/// of the caller's locked state: the event through its list, cancellation through
/// `withdraw`. `register` stores the continuation under the caller's lock (or returns
/// a value to resume with at once). Cancellation that comes before the continuation
/// is stored finds nothing to withdraw; the check after `register` catches it then,
/// since the task's cancelled flag is set before its handlers run.
func withCancellableContinuation<Value: Sendable>(
    cancelled: Value,
    register: (WaiterID, CheckedContinuation<Value, Never>) -> Value?,
    withdraw: @escaping @Sendable (WaiterID) -> CheckedContinuation<Value, Never>?
) async -> Value {
    let id = WaiterID.make()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
            if let now = register(id, continuation) {
                continuation.resume(returning: now)
            } else if Task.isCancelled {
                withdraw(id)?.resume(returning: cancelled)
            }
        }
    } onCancel: {
        withdraw(id)?.resume(returning: cancelled)
    }
}

/// A continuation for one answer that may come from a callback or from cancellation,
/// whichever is first; the later one finds it taken and does nothing.
package final class OnceContinuation<Value: Sendable>: Sendable {
    private let slot = VisibleLock<CheckedContinuation<Value, Never>?>(nil)

    package init() {}

    /// Resumes the waiting caller with `value`; false when it was resumed before.
    @discardableResult
    package func resume(returning value: Value) -> Bool {
        guard let continuation = slot.withLock({ $0.take() }) else { return false }
        continuation.resume(returning: value)
        return true
    }

    /// Suspends until `resume(returning:)` or until the task is cancelled (then
    /// `cancelled`). `start` runs once the continuation is in place, and begins the
    /// work whose callback resumes it (it may resume at once).
    package func wait(cancelled: Value, start: () -> Void) async -> Value {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
                slot.withLock { $0 = continuation }
                if Task.isCancelled {
                    resume(returning: cancelled)
                } else {
                    start()
                }
            }
        } onCancel: {
            resume(returning: cancelled)
        }
    }
}

extension KafkaError {
    /// The error a call throws when its task was cancelled while it waited.
    static func cancelled(_ what: String) -> KafkaError {
        KafkaError(.cancelled, detail: "\(what) was cancelled")
    }
}
