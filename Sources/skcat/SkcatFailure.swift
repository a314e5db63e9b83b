import KafkaClient

/// Why skcat stops early, and the exit code it stops with:
/// 0 success, 1 a Kafka or runtime error, 2 a usage error.
enum SkcatFailure: Error {
    case usage(String)
    case kafka(KafkaError)
    case runtime(String)

    var exitCode: Int32 {
        switch self {
        case .usage: 2
        case .kafka, .runtime: 1
        }
    }

    /// One line for stderr.
    var message: String {
        switch self {
        case .usage(let text): text
        case .kafka(let error): Self.describe(error)
        case .runtime(let text): text
        }
    }

    /// A readable line for the error classes people meet first.
    static func describe(_ error: KafkaError) -> String {
        switch error.code {
        case .unknownTopicOrPartition: "unknown topic or partition: \(error.detail)"
        case .authenticationFailed: "authentication failed: \(error)"
        case .notConnected, .connectionClosed, .ioError: "cannot reach the brokers: \(error)"
        default: "\(error)"
        }
    }

    /// Runs `body`, turning a Kafka error into a failure.
    static func kafka<T>(_ body: () throws(KafkaError) -> T) throws(SkcatFailure) -> T {
        do throws(KafkaError) { return try body() } catch { throw .kafka(error) }
    }
}

extension UsageError {
    var failure: SkcatFailure { .usage(description) }
}
