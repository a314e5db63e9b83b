import Logging

/// How each broker connection connects, secures, authenticates and paces its requests:
/// ``KafkaClusterConfiguration/connection`` of every client's configuration.
///
/// Settings are named after the Java client's where one exists.
public struct KafkaConnectionConfiguration: Sendable {
    /// Sent in every request header (`client.id`).
    public var clientId: String = "swift-kafka-native"
    /// Connect timeout, socket buffer sizes and `TCP_NODELAY`.
    public var socket: TCPSocketOptions = TCPSocketOptions()
    /// TLS settings; nil for a plaintext connection (`security.protocol` PLAINTEXT or SASL_PLAINTEXT).
    public var tls: KafkaTLSConfiguration?
    /// The SASL mechanism; nil for no authentication (`sasl.mechanism`).
    public var sasl: (any SASLMechanism)?
    /// Requests written and unanswered at once (`max.in.flight.requests.per.connection`);
    /// further requests wait in order.
    public var maxInFlight: Int = 5
    /// How long a request may wait for its response by default (`request.timeout.ms`).
    public var requestTimeout: Duration = .seconds(30)
    /// How long ApiVersions and each SASL round trip may take.
    public var setupTimeout: Duration = .seconds(10)
    /// A connection with no request for this long closes itself (`connections.max.idle.ms`,
    /// default 9 minutes); nil keeps it open. The cluster reopens it on next use.
    public var connectionsMaxIdle: Duration? = .seconds(540)
    /// The largest response frame accepted (`socket.request.max.bytes`).
    public var maxResponseSize: Int = KafkaFrameTransport.defaultMaxFrameSize

    /// Defaults for every setting: plaintext, no SASL.
    public init() {}

    /// The security protocol these settings amount to.
    public var securityProtocol: SecurityProtocol {
        switch (tls != nil, sasl != nil) {
        case (false, false): .plaintext
        case (true, false): .ssl
        case (false, true): .saslPlaintext
        case (true, true): .saslSSL
        }
    }
}

extension BrokerConnection {
    /// The connection settings under the name the connection layer uses.
    package typealias Configuration = KafkaConnectionConfiguration
}

/// Kafka's `security.protocol`: whether connections use TLS and SASL.
public enum SecurityProtocol: String, Sendable, Hashable, CaseIterable {
    /// No TLS, no SASL.
    case plaintext = "PLAINTEXT"
    /// TLS, no SASL.
    case ssl = "SSL"
    /// SASL without TLS.
    case saslPlaintext = "SASL_PLAINTEXT"
    /// SASL over TLS.
    case saslSSL = "SASL_SSL"
}
