/// OAUTHBEARER (RFC 7628) as Kafka uses it (KIP-255, extensions from KIP-342):
/// one message carrying the bearer token; the broker answers with nothing on
/// success, or with an error JSON the client must acknowledge before failing.
public struct OAuthBearerMechanism: SASLMechanism, CustomStringConvertible {
    /// Called at every authentication (and KIP-368 re-authentication) for a current token.
    public let tokenProvider: @Sendable () async throws -> OAuthBearerToken
    /// Act as this identity (the gs2 `a=`); empty for none, the usual case.
    public let authorizationId: String

    /// OAUTHBEARER with tokens from `tokenProvider`, called at every authentication and re-authentication.
    public init(authorizationId: String = "", tokenProvider: @escaping @Sendable () async throws -> OAuthBearerToken) {
        self.authorizationId = authorizationId
        self.tokenProvider = tokenProvider
    }

    public var name: String { "OAUTHBEARER" }

    public var description: String { "OAuthBearerMechanism()" }

    public func authenticate(with broker: SASLBrokerContext) async throws -> (session: any SASLSession, initialResponse: [UInt8]) {
        let token: OAuthBearerToken
        do {
            token = try await tokenProvider()
        } catch let error as KafkaError {
            throw error
        } catch {
            throw KafkaError.sasl(name, "the token provider failed: \(error)")
        }
        if let expiresAt = token.expiresAt, expiresAt <= .now {
            throw KafkaError.sasl(name, "the token provider returned an expired token")
        }
        return (OAuthBearerSession(), try Self.initialResponse(token: token, authorizationId: authorizationId))
    }

    static let separator: UInt8 = 0x01

    /// `n,[a=authzid],^Aauth=Bearer TOKEN^Akey=value^A...^A^A` (RFC 7628 §3.1).
    static func initialResponse(token: OAuthBearerToken, authorizationId: String) throws(KafkaError) -> [UInt8] {
        guard isBearerToken(token.value) else {
            throw KafkaError.sasl("OAUTHBEARER", "the token is not a valid bearer token (RFC 6750 b64token)")
        }
        guard authorizationId.utf8.allSatisfy({ $0 > 0x20 && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "=") }) else {
            throw KafkaError.sasl("OAUTHBEARER", "the authorization id contains a space, control character, ',' or '='")
        }
        var message = Array("n,\(authorizationId.isEmpty ? "" : "a=\(authorizationId)"),".utf8)
        message.append(separator)
        message += Array("auth=Bearer \(token.value)".utf8)
        // Sorted so the bytes are the same for the same token.
        for (key, value) in token.extensions.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty, key.utf8.allSatisfy(isASCIILetter), key != "auth" else {
                throw KafkaError.sasl("OAUTHBEARER", "invalid extension name \"\(key)\": letters only, and not \"auth\"")
            }
            guard !value.isEmpty, value.utf8.allSatisfy(isExtensionValueByte) else {
                throw KafkaError.sasl("OAUTHBEARER", "the value of extension \"\(key)\" has characters RFC 7628 forbids")
            }
            message.append(separator)
            message += Array("\(key)=\(value)".utf8)
        }
        message += [separator, separator]
        return message
    }

    /// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 6750 §2.1).
    static func isBearerToken(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        let body = bytes.prefix { byte in
            isASCIILetter(byte) || (0x30...0x39).contains(byte) || Array("-._~+/".utf8).contains(byte)
        }
        return !body.isEmpty && bytes.dropFirst(body.count).allSatisfy { $0 == UInt8(ascii: "=") }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// value = *(VCHAR / SP / HTAB / CR / LF) (RFC 7628 §3.1).
    private static func isExtensionValueByte(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}

extension SASLMechanism where Self == OAuthBearerMechanism {
    /// OAUTHBEARER with tokens from `tokenProvider`, called at every (re-)authentication.
    ///
    /// Where the expected type is generic (`some SASLMechanism`), Swift 6.1-6.3 does not
    /// infer `@Sendable` for the closure: write `.oauthBearer { @Sendable in ... }` there.
    public static func oauthBearer(tokenProvider: @escaping @Sendable () async throws -> OAuthBearerToken) -> OAuthBearerMechanism {
        OAuthBearerMechanism(tokenProvider: tokenProvider)
    }
}
