/// Entry points into the SASL parsers for the fuzz targets in `Fuzz/`, which
/// are a separate package and so cannot see internal API. Not for applications.
@_spi(Fuzzing)
public enum SASLFuzzing {
    /// The client nonce of `scramExchange` (RFC 7677's example, with user "user" and
    /// password "pencil"); a server-first must extend it.
    public static let scramClientNonce = "rOprNGfwEbeRWgbNEkqO"

    /// Plays a SCRAM exchange against broker messages as a client session would:
    /// `serverFirst`, then, if that is accepted, `serverFinal`. Throws what the session throws.
    public static func scramExchange(serverFirst: [UInt8], serverFinal: [UInt8], sha512: Bool) throws {
        var session = SCRAMSession(algorithm: sha512 ? .sha512 : .sha256, password: Array("pencil".utf8),
                                   clientNonce: scramClientNonce, clientFirstBare: "n=user,r=\(scramClientNonce)")
        guard case .respond = try session.challenge(serverFirst) else { return }
        _ = try session.challenge(serverFinal)
    }

    /// The reason an OAUTHBEARER session reports for a broker's error reply.
    public static func oauthBearerReason(fromErrorJSON bytes: [UInt8]) -> String {
        OAuthBearerSession.reason(fromErrorJSON: bytes)
    }

    /// A top-level string member of a JSON object, as the SASL code reads one.
    public static func jsonStringMember(_ name: String, in text: String) -> String? {
        FlatJSON.stringMember(name, in: text)
    }

    /// Canonical padded base64, as SCRAM messages carry it.
    public static func base64Decode(_ text: String) -> [UInt8]? {
        Base64.decode(text)
    }

    /// Base64 encoding, to check that decoding inverts it.
    public static func base64Encode(_ bytes: [UInt8]) -> String {
        Base64.encode(bytes)
    }
}
