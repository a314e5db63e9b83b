import KafkaWire
import Metrics
import Synchronization

/// The swift-metrics instruments of one broker connection.
///
/// | Metric                                | Type    | Dimensions                               |
/// |---------------------------------------|---------|------------------------------------------|
/// | `kafka_client_request_latency`        | Timer   | `client_id`, `broker`, `api`             |
/// | `kafka_client_request_errors_total`   | Counter | `client_id`, `broker`, `api`, `error_code` |
/// | `kafka_client_throttle_time`          | Timer   | `client_id`, `broker`, `api`             |
/// | `kafka_client_bytes_sent_total`       | Counter | `client_id`, `broker`                    |
/// | `kafka_client_bytes_received_total`   | Counter | `client_id`, `broker`                    |
/// | `kafka_client_connections`            | Meter   | `client_id`, `broker`                    |
/// | `kafka_client_reconnects_total`       | Counter | `client_id`, `broker`                    |
///
/// Every dimension is bounded: `client_id` is the configured one, `broker` the
/// node id (`bootstrap` for a bootstrap server whose id is not known yet), `api`
/// Kafka's name for the API (`Produce`, `Fetch`), and `error_code` the broker's
/// error name (`NOT_LEADER_OR_FOLLOWER`) or, for a request that failed without an
/// answer, the client's code in the same style (`REQUEST_TIMED_OUT` is the broker's,
/// `CLIENT_REQUEST_TIMED_OUT` ours). No topic, partition or generated id appears.
///
/// The per-request instruments (latency, bytes) are made once per connection and
/// API and kept by the connection's thread (`ConnectionInstruments`), so the request
/// path does no label formatting or factory lookup; errors, throttling and
/// reconnects are rare and make theirs when they happen.
final class ConnectionMetrics: Sendable {
    let clientId: String
    /// The `broker` dimension's value; moves from `bootstrap` to the node id once the
    /// cluster learns which broker a bootstrap connection reached (it is then reused for it).
    private let brokerName: VisibleLock<String>
    /// Bumped on every rename, so the connection's thread knows to remake its instruments.
    private let renames = Atomic<Int>(0)

    init(clientId: String, brokerId: Int32?) {
        self.clientId = clientId
        brokerName = VisibleLock(Self.brokerLabel(brokerId))
    }

    /// The `broker` dimension's value now.
    var broker: String { brokerName.withLock { $0 } }

    /// How many times the broker was renamed; read once per wake-up of the connection's thread.
    var generation: Int { renames.load(ordering: .acquiring) }

    /// Names the broker by its node id from now on.
    func identify(brokerId: Int32) {
        let label = Self.brokerLabel(brokerId)
        let renamed = brokerName.withLock { name in
            guard name != label else { return false }
            name = label
            return true
        }
        if renamed { renames.add(1, ordering: .releasing) }
    }

    private var dimensions: [(String, String)] { [("client_id", clientId), ("broker", broker)] }

    func makeBytesSent() -> Counter { Counter(label: "kafka_client_bytes_sent_total", dimensions: dimensions) }
    func makeBytesReceived() -> Counter { Counter(label: "kafka_client_bytes_received_total", dimensions: dimensions) }
    func makeConnections() -> Meter { Meter(label: "kafka_client_connections", dimensions: dimensions) }

    /// The timer of `api`'s request latency on this connection.
    func makeLatencyTimer(_ api: ApiKey) -> Timer {
        Timer(label: "kafka_client_request_latency", dimensions: dimensions + [("api", Self.apiLabel(api))])
    }

    /// Counts a request that failed without an answer (timed out, connection lost).
    func recordFailure(_ api: ApiKey, _ error: KafkaError) {
        recordError(api, name: error.brokerErrorCode.map(Self.errorLabel) ?? Self.errorLabel(error.code))
    }

    /// Counts a broker's error code in a response.
    func recordError(_ api: ApiKey, _ code: KafkaErrorCode) {
        recordError(api, name: Self.errorLabel(code))
    }

    private func recordError(_ api: ApiKey, name: String) {
        Counter(label: "kafka_client_request_errors_total", dimensions: dimensions + [("api", Self.apiLabel(api)), ("error_code", name)])
            .increment()
    }

    /// Records a response's `throttle_time_ms` when the broker throttled it.
    func recordThrottle(_ api: ApiKey, milliseconds: Int32) {
        guard milliseconds > 0 else { return }
        Timer(label: "kafka_client_throttle_time", dimensions: dimensions + [("api", Self.apiLabel(api))])
            .recordMilliseconds(milliseconds)
    }

    /// Counts a new connection to a broker that had one before.
    static func recordReconnect(clientId: String, brokerId: Int32?) {
        Counter(label: "kafka_client_reconnects_total", dimensions: [("client_id", clientId), ("broker", brokerLabel(brokerId))])
            .increment()
    }

    static func brokerLabel(_ brokerId: Int32?) -> String {
        brokerId.map { "\($0)" } ?? "bootstrap"
    }

    static func apiLabel(_ api: ApiKey) -> String {
        api.name ?? "unknown"
    }

    static func errorLabel(_ code: KafkaErrorCode) -> String {
        // Codes newer than this library share one label, so the dimension stays bounded.
        code.isKnown ? code.name : "UNKNOWN"
    }

    /// The client's codes in the broker's style, prefixed so they cannot be mistaken for them.
    static func errorLabel(_ code: KafkaError.Code) -> String {
        var label = "CLIENT_"
        for character in "\(code)" {
            if character.isUppercase { label.append("_") }
            label.append(contentsOf: character.uppercased())
        }
        return label
    }
}
