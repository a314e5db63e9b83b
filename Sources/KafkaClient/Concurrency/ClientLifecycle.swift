import Synchronization

/// What a client's `run()` waits for: a graceful shutdown, a `close()` from
/// elsewhere, a fatal error, or the cancellation of its task. Whichever comes
/// first ends the wait; `run()` then closes the client and throws the fatal
/// error if there was one, so a `ServiceGroup` sees the failure.
final class ClientLifecycle: Sendable {
    private struct State {
        var runStarted = false
        /// Set by a graceful shutdown or `close()`: the client ends without an error.
        var stopRequested = false
        /// The first error after which the client can only be closed.
        var fatalError: KafkaError?
        var waiters = WaiterList<Void>()
    }

    private let state = VisibleLock(State())
    /// The close every `close()` call waits for.
    private let closing = VisibleLock<Task<Void, Never>?>(nil)

    /// Requests the stop, then runs `finish` once, in a task of its own that every
    /// caller waits for: a close runs to its end even when a caller is cancelled.
    func close(_ finish: @escaping @Sendable () async -> Void) async {
        requestStop()
        let task = closing.withLock { task in
            if let task { return task }
            let started = Task { await finish() }
            task = started
            return started
        }
        await task.value
    }

    /// Marks `run()` as started.
    /// - Throws: `.illegalState` when `run()` was called before: one client has one lifecycle.
    func startRun(client: String) throws(KafkaError) {
        try state.withLock { (state) throws(KafkaError) in
            guard !state.runStarted else {
                throw KafkaError(.illegalState, detail: "\(client).run() was called already; a client runs once")
            }
            state.runStarted = true
        }
    }

    /// The client is to stop: a graceful shutdown began or `close()` was called.
    func requestStop() {
        wake { $0.stopRequested = true }
    }

    /// The client failed for good with `error` (the first such error is kept).
    func fail(_ error: KafkaError) {
        wake { state in
            if state.fatalError == nil { state.fatalError = error }
        }
    }

    /// The error that ended the client, if one did.
    var fatalError: KafkaError? { state.withLock { $0.fatalError } }

    /// Returns once a stop was requested or the client failed, or when the task is cancelled.
    func waitForEnd() async {
        await withCancellableContinuation(cancelled: (), register: { id, continuation in
            state.withLock { state -> Void? in
                if state.stopRequested || state.fatalError != nil { return () }
                state.waiters.append(id, continuation)
                return nil
            }
        }, withdraw: { [self] id in
            state.withLock { $0.waiters.remove(id) }
        })
    }

    private func wake(_ change: (inout State) -> Void) {
        let waiters = state.withLock { state in
            change(&state)
            return state.waiters.removeAll()
        }
        for waiter in waiters { waiter.resume() }
    }
}
