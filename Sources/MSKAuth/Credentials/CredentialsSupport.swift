import Dispatch
import KafkaClient
import Foundation

/// The process environment, injectable so providers can be tested without changing the real one.
enum AWSEnvironment {
    static var current: [String: String] { ProcessInfo.processInfo.environment }
}

extension Dictionary where Key == String, Value == String {
    /// The variable's value, or nil when it is unset or empty (as the AWS SDKs treat empty variables).
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}

/// ISO 8601 times as AWS services write credential expiries:
/// `2024-05-01T12:00:00Z`, with or without fractional seconds or an offset.
enum AWSDate {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// Runs blocking work (sockets, files, child processes) off the Swift
/// concurrency pool, so a slow metadata endpoint does not hold a cooperative thread.
enum BlockingWork {
    /// The result of `body`; throws `CancellationError` as soon as the task is
    /// cancelled (the blocking work runs to its end and its result is dropped).
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let outcome = OnceContinuation<Result<T, any Error>>()
        return try await outcome.wait(cancelled: .failure(CancellationError())) {
            DispatchQueue.global().async {
                outcome.resume(returning: Result { try body() })
            }
        }.get()
    }
}
