import KafkaWire

/// Where an exchange happens, for mechanisms that sign or scope by host (MSK IAM).
public struct SASLBrokerContext: Sendable, Hashable {
    /// The host name the client connected to (what TLS verified, when TLS is on).
    public var host: String
    /// The broker's port.
    public var port: Int
    /// The broker's node id, when known (nil for a bootstrap server).
    public var brokerId: Int32?

    /// The broker at `host:port`, with its node id when known.
    public init(host: String, port: Int, brokerId: Int32? = nil) {
        self.host = host
        self.port = port
        self.brokerId = brokerId
    }
}

/// A SASL mechanism: names itself in SaslHandshake and starts sessions.
///
/// Mechanisms are values holding credentials (or a way to get them); each
/// authentication, at connect and at every KIP-368 re-authentication, starts a
/// fresh ``SASLSession``.
public protocol SASLMechanism: Sendable {
    /// The mechanism name sent in SaslHandshake: "PLAIN", "SCRAM-SHA-256",
    /// "SCRAM-SHA-512", "OAUTHBEARER", "AWS_MSK_IAM".
    var name: String { get }

    /// Starts one exchange (at connect or KIP-368 re-authentication): a session and the client's first message.
    ///
    /// - Throws: `KafkaError(.authenticationFailed)` when no first message can be
    ///   made (a token provider failed, an invalid token or extension).
    func authenticate(with broker: SASLBrokerContext) async throws -> (session: any SASLSession, initialResponse: [UInt8])
}

/// One exchange in progress; answers the broker's messages.
public protocol SASLSession: Sendable {
    /// Handles the broker's reply to the last client message (the `auth_bytes`
    /// of a successful SaslAuthenticate response).
    ///
    /// Returns `.respond(bytes)` to send another message, `.done` once the exchange
    /// succeeded (e.g. SCRAM server signature verified).
    /// - Throws: `KafkaError(.authenticationFailed)` on a bad server message.
    mutating func challenge(_ serverMessage: [UInt8]) throws -> SASLStep
}

/// What a session does after a broker message.
public enum SASLStep: Sendable, Hashable {
    /// Send these bytes in the next SaslAuthenticate request.
    case respond([UInt8])
    /// The exchange succeeded; the connection is authenticated.
    case done
}

extension KafkaError {
    /// A mechanism's failure. Callers must never put secrets in `detail`.
    static func sasl(_ mechanism: String, _ detail: String) -> KafkaError {
        KafkaError(.authenticationFailed, detail: "\(mechanism): \(detail)", apiKey: .saslAuthenticate)
    }
}
