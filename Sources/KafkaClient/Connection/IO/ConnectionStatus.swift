import Synchronization

/// What callers may ask of a connection while its thread runs: the negotiated
/// versions once ready, or why it closed.
final class ConnectionStatus: Sendable {
    private struct State {
        var versions: ApiVersionTable?
        var closeReason: KafkaError?
        var isClosed = false
        var readyWaiters: [CheckedContinuation<Result<ApiVersionTable, KafkaError>, Never>] = []
    }

    private let state = Mutex(State())

    var versions: ApiVersionTable? { state.withLock { $0.versions } }
    var isClosed: Bool { state.withLock { $0.isClosed } }
    var closeReason: KafkaError? { state.withLock { $0.closeReason } }

    func becameReady(_ table: ApiVersionTable) {
        let waiters = state.withLock { state in
            state.versions = table
            defer { state.readyWaiters = [] }
            return state.readyWaiters
        }
        for waiter in waiters { waiter.resume(returning: .success(table)) }
    }

    func closed(_ reason: KafkaError) {
        let waiters = state.withLock { state in
            guard !state.isClosed else { return [CheckedContinuation<Result<ApiVersionTable, KafkaError>, Never>]() }
            state.isClosed = true
            state.closeReason = reason
            defer { state.readyWaiters = [] }
            return state.readyWaiters
        }
        for waiter in waiters { waiter.resume(returning: .failure(reason)) }
    }

    /// Waits until negotiation finished, or throws why the connection closed first.
    func waitUntilReady() async throws(KafkaError) -> ApiVersionTable {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<ApiVersionTable, KafkaError>, Never>) in
            let immediate: Result<ApiVersionTable, KafkaError>? = state.withLock { state in
                if state.isClosed { return .failure(state.closeReason ?? KafkaError(.connectionClosed, detail: "the connection is closed")) }
                if let versions = state.versions { return .success(versions) }
                state.readyWaiters.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        return try result.get()
    }
}
