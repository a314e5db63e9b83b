/// SASL/PLAIN (RFC 4616): the user name and password in the clear, so use it
/// only over TLS. One message: `authzid NUL username NUL password`.
public struct PlainMechanism: SASLMechanism, CustomStringConvertible, CustomReflectable {
    /// The user name.
    public let username: String
    /// The password. Never printed.
    let password: String
    /// Act as this identity instead of `username` (empty: none; brokers rarely allow it).
    public let authorizationId: String

    /// PLAIN with these credentials; `authorizationId` empty to act as `username`.
    public init(username: String, password: String, authorizationId: String = "") {
        self.username = username
        self.password = password
        self.authorizationId = authorizationId
    }

    public var name: String { "PLAIN" }

    public var description: String {
        authorizationId.isEmpty ? "PlainMechanism(username: \(username))"
            : "PlainMechanism(username: \(username), authorizationId: \(authorizationId))"
    }

    /// Hides the password from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["username": username, "authorizationId": authorizationId])
    }

    public func authenticate(with broker: SASLBrokerContext) async throws -> (session: any SASLSession, initialResponse: [UInt8]) {
        try start()
    }

    func start() throws(KafkaError) -> (session: any SASLSession, initialResponse: [UInt8]) {
        // A NUL inside a field would shift the fields the broker reads.
        guard !username.isEmpty else { throw KafkaError.sasl(name, "the user name is empty") }
        guard !(username + authorizationId).utf8.contains(0), !password.utf8.contains(0) else {
            throw KafkaError.sasl(name, "credentials must not contain NUL characters")
        }
        let message = Array(authorizationId.utf8) + [0] + Array(username.utf8) + [0] + Array(password.utf8)
        return (PlainSession(), message)
    }
}

/// PLAIN has a single round trip: the broker's (empty) reply means success.
struct PlainSession: SASLSession {
    private var finished = false

    mutating func challenge(_ serverMessage: [UInt8]) throws -> SASLStep {
        guard !finished else { throw KafkaError.sasl("PLAIN", "the broker sent a message after the exchange ended") }
        finished = true
        guard serverMessage.isEmpty else {
            throw KafkaError.sasl("PLAIN", "unexpected \(serverMessage.count)-byte reply from the broker")
        }
        return .done
    }
}

extension SASLMechanism where Self == PlainMechanism {
    /// SASL/PLAIN with a user name and password (use it over TLS).
    public static func plain(username: String, password: String) -> PlainMechanism {
        PlainMechanism(username: username, password: password)
    }
}
