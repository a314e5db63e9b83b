#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import KafkaWire

/// Events posted to a connection's thread from other threads and tasks.
enum ConnectionEvent: Sendable {
    /// A caller's request, with what is needed to encode it and to answer the caller.
    case request(PendingRequest)
    /// Close the connection; with `drain`, written requests may finish first.
    case close(drain: Bool)
    /// The SASL mechanism started a session and produced its first message.
    case saslStarted(any SASLSession, firstMessage: [UInt8])
    /// The SASL mechanism failed before producing its first message.
    case saslFailed(String)
    /// A response asked the client to hold back this long (KIP-219 throttling).
    case throttle(Duration)
}

/// A caller's request as the connection's thread holds it.
struct PendingRequest: Sendable {
    typealias Encoder = @Sendable (_ writer: inout WireWriter, _ version: Int16, _ correlationId: Int32) throws(KafkaWireError) -> Void

    var request: ConnectionStateMachine.Request
    /// Appends the request frame (header and body, no size prefix) at the negotiated version;
    /// dropped once written, so the request's buffers are freed before its response arrives.
    var encode: Encoder?
    /// Receives the response frame, `nil` for requests without a response, or the failure.
    var completion: @Sendable (Result<ResponseFrame?, KafkaError>) -> Void
    /// When the request was written, for its latency metric.
    var sentAt: ContinuousClock.Instant?
}

/// A response frame (header and body) with the version it answers.
package struct ResponseFrame: Sendable {
    /// The version the request was sent at.
    package var version: Int16
    /// The frame without its size prefix.
    package var bytes: [UInt8]
}

/// The thread-safe inbox of one connection's thread: a locked queue plus a
/// pipe that wakes the thread from `poll(2)`. Only the first post after the
/// thread drained the queue writes to the pipe, so a burst of requests costs
/// one system call, not one each.
final class ConnectionMailbox: Sendable {
    private struct State {
        var events: [ConnectionEvent] = []
        var wakeupPending = false
        /// Set once the thread has exited; later posts are refused.
        var isShutDown = false
        var shutdownWaiters = WaiterList<Void>()
    }

    /// Shared by callers' tasks and the connection threads: a lock the thread sanitizer sees (`VisibleLock`).
    private let state = VisibleLock(State())
    /// The pipe end the thread polls; readable while events wait.
    let wakeupDescriptor: Int32
    private let wakeupWriteDescriptor: Int32

    init() throws(KafkaError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            throw KafkaError(.ioError, detail: "could not create the connection's wake-up pipe",
                             underlying: String(cString: strerror(errno)))
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeupDescriptor = ends[0]
        wakeupWriteDescriptor = ends[1]
    }

    deinit {
        _ = SystemCalls.close(wakeupDescriptor)
        _ = SystemCalls.close(wakeupWriteDescriptor)
    }

    /// Queues `event` for the thread; false once the thread has exited.
    func post(_ event: ConnectionEvent) -> Bool {
        let wake: Bool? = state.withLock { state in
            guard !state.isShutDown else { return nil }
            state.events.append(event)
            defer { state.wakeupPending = true }
            return !state.wakeupPending
        }
        guard let wake else { return false }
        if wake {
            var one: UInt8 = 1
            _ = write(wakeupWriteDescriptor, &one, 1)
        }
        return true
    }

    /// Takes every queued event (on the connection's thread).
    func takeAll() -> [ConnectionEvent] {
        var drained = (UInt64(0), UInt64(0))
        _ = read(wakeupDescriptor, &drained, 16)
        return state.withLock { state in
            state.wakeupPending = false
            defer { state.events.removeAll(keepingCapacity: true) }
            return state.events
        }
    }

    /// Refuses further posts and returns what was still queued (the thread is exiting).
    func shutDown() -> [ConnectionEvent] {
        let (events, waiters) = state.withLock { state in
            state.isShutDown = true
            defer { state.events = [] }
            return (state.events, state.shutdownWaiters.removeAll())
        }
        for waiter in waiters { waiter.resume() }
        return events
    }

    /// True once the thread has exited.
    var isShutDown: Bool { state.withLock { $0.isShutDown } }

    /// Waits until the thread has exited, or until the task is cancelled (the thread
    /// still exits on its own).
    func waitForShutdown() async {
        await withCancellableContinuation(cancelled: (), register: { id, continuation in
            state.withLock { state -> Void? in
                if state.isShutDown { return () }
                state.shutdownWaiters.append(id, continuation)
                return nil
            }
        }, withdraw: { [self] id in
            state.withLock { $0.shutdownWaiters.remove(id) }
        })
    }
}
