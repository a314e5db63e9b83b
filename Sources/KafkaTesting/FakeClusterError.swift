#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failure to set up or control a ``FakeKafkaCluster``.
public struct FakeClusterError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String

    init(_ description: String) { self.description = description }

    static func system(_ call: String, _ code: Int32) -> FakeClusterError {
        FakeClusterError("\(call): \(String(cString: strerror(code)))")
    }
}
