import Synchronization

/// What callers may ask of a connection while its thread runs: the negotiated
/// versions once ready, or why it closed.
final class ConnectionStatus: Sendable {
    private struct State {
        var versions: ApiVersionTable?
        var closeReason: KafkaError?
        var isClosed = false
        var readyWaiters = WaiterList<Result<ApiVersionTable, KafkaError>>()
    }

    private let state = VisibleLock(State())

    var versions: ApiVersionTable? { state.withLock { $0.versions } }
    var isClosed: Bool { state.withLock { $0.isClosed } }
    var closeReason: KafkaError? { state.withLock { $0.closeReason } }

    func becameReady(_ table: ApiVersionTable) {
        let waiters = state.withLock { state in
            state.versions = table
            return state.readyWaiters.removeAll()
        }
        for waiter in waiters { waiter.resume(returning: .success(table)) }
    }

    func closed(_ reason: KafkaError) {
        let waiters = state.withLock { state in
            guard !state.isClosed else { return [CheckedContinuation<Result<ApiVersionTable, KafkaError>, Never>]() }
            state.isClosed = true
            state.closeReason = reason
            return state.readyWaiters.removeAll()
        }
        for waiter in waiters { waiter.resume(returning: .failure(reason)) }
    }

    /// Waits until negotiation finished, or throws why the connection closed first
    /// (`.cancelled` when the task is cancelled while waiting).
    func waitUntilReady() async throws(KafkaError) -> ApiVersionTable {
        let result = await withCancellableContinuation(cancelled: .failure(KafkaError.cancelled("waiting for the connection")), register: { id, continuation in
            state.withLock { state -> Result<ApiVersionTable, KafkaError>? in
                if state.isClosed { return .failure(state.closeReason ?? KafkaError(.connectionClosed, detail: "the connection is closed")) }
                if let versions = state.versions { return .success(versions) }
                state.readyWaiters.append(id, continuation)
                return nil
            }
        }, withdraw: { [self] id in
            state.withLock { $0.readyWaiters.remove(id) }
        })
        return try result.get()
    }
}
