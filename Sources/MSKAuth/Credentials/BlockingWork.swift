import Dispatch

/// Runs blocking work (sockets, files, child processes) off the Swift
/// concurrency pool, so a slow metadata endpoint does not hold a cooperative thread.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
