/// SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) as Kafka uses them,
/// including delegation tokens (KIP-48: `tokenauth=true`).
///
/// No channel binding (gs2 header `n,,`), like every Kafka client. The password
/// is used as its UTF-8 bytes without SASLprep, as Kafka's own client and broker
/// do, so non-ASCII passwords match credentials created with Kafka's tools.
public struct SCRAMMechanism: SASLMechanism, CustomStringConvertible, CustomReflectable {
    /// The hash function a SCRAM variant is built on.
    public struct Algorithm: Sendable, Hashable, CustomStringConvertible {
        let digest: SASLCrypto.Digest

        /// SCRAM-SHA-256 (RFC 7677).
        public static let sha256 = Algorithm(digest: .sha256)
        /// SCRAM-SHA-512.
        public static let sha512 = Algorithm(digest: .sha512)

        /// The mechanism name: "SCRAM-SHA-256" or "SCRAM-SHA-512".
        public var description: String { digest == .sha256 ? "SCRAM-SHA-256" : "SCRAM-SHA-512" }
    }

    /// The fewest PBKDF2 iterations accepted from a broker: Kafka's own minimum
    /// for both variants. Fewer would make a stolen exchange cheap to brute-force.
    public static let minimumIterations = 4096
    /// The most PBKDF2 iterations accepted: a hostile broker could otherwise make
    /// every connection burn seconds of CPU (Kafka itself allows at most 16384).
    public static let maximumIterations = 1_000_000

    /// Which SCRAM variant.
    public let algorithm: Algorithm
    /// The user name (or, with `isTokenAuthentication`, the delegation token id).
    public let username: String
    /// The password (or the delegation token's HMAC). Never printed.
    let password: String
    /// Whether the credentials are a delegation token (adds `tokenauth=true`).
    public let isTokenAuthentication: Bool
    /// Tests inject the RFC's nonce; nil draws a fresh random one per exchange.
    let fixedClientNonce: String?

    /// A SCRAM mechanism for `username` and `password`; set `isTokenAuthentication`
    /// to log in with a delegation token (token id as user, token HMAC as password).
    public init(_ algorithm: Algorithm, username: String, password: String, isTokenAuthentication: Bool = false) {
        self.init(algorithm, username: username, password: password, isTokenAuthentication: isTokenAuthentication,
                  clientNonce: nil)
    }

    /// Fixes the client nonce, for test vectors only.
    init(_ algorithm: Algorithm, username: String, password: String, isTokenAuthentication: Bool = false,
         clientNonce: String?) {
        self.algorithm = algorithm
        self.username = username
        self.password = password
        self.isTokenAuthentication = isTokenAuthentication
        self.fixedClientNonce = clientNonce
    }

    public var name: String { algorithm.description }

    public var description: String {
        "SCRAMMechanism(\(name), username: \(username)\(isTokenAuthentication ? ", delegation token" : ""))"
    }

    /// Hides the password from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["algorithm": algorithm, "username": username, "isTokenAuthentication": isTokenAuthentication])
    }

    public func authenticate(with broker: SASLBrokerContext) async throws -> (session: any SASLSession, initialResponse: [UInt8]) {
        let (session, first) = try start()
        return (session, first)
    }

    /// Builds the client-first message and the session that continues from it.
    func start() throws(KafkaError) -> (session: SCRAMSession, initialResponse: [UInt8]) {
        guard !username.isEmpty else { throw KafkaError.sasl(name, "the user name is empty") }
        let nonce: String
        if let fixedClientNonce {
            nonce = fixedClientNonce
        } else {
            // 24 random bytes: 192 bits, and base64 without padding (32 characters, never a comma).
            do { nonce = Base64.encode(try SASLCrypto.randomBytes(24)) } catch {
                throw KafkaError.sasl(name, "OpenSSL \(error.function) failed")
            }
        }
        var bare = "n=\(SCRAMMessage.escapeUsername(username)),r=\(nonce)"
        if isTokenAuthentication { bare += ",tokenauth=true" }
        let session = SCRAMSession(algorithm: algorithm, password: Array(password.utf8), clientNonce: nonce,
                                   clientFirstBare: bare)
        return (session, Array((SCRAMMessage.gs2Header + bare).utf8))
    }
}

extension SASLMechanism where Self == SCRAMMechanism {
    /// SCRAM-SHA-256 with a user name and password.
    public static func scramSHA256(username: String, password: String) -> SCRAMMechanism {
        SCRAMMechanism(.sha256, username: username, password: password)
    }

    /// SCRAM-SHA-512 with a user name and password.
    public static func scramSHA512(username: String, password: String) -> SCRAMMechanism {
        SCRAMMechanism(.sha512, username: username, password: password)
    }
}
