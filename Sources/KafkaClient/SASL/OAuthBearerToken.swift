/// An OAuth 2 bearer token for OAUTHBEARER (KIP-255), as a token provider returns it.
public struct OAuthBearerToken: Sendable, CustomStringConvertible, CustomReflectable {
    /// The token itself (an RFC 6750 b64token, usually a JWT). Never printed.
    public var value: String
    /// When the token stops being valid, if known; an expired token is not sent.
    public var expiresAt: ContinuousClock.Instant?
    /// The principal the token names, if known (informational: the broker reads it from the token).
    public var principalName: String?
    /// SASL extensions sent with the token (KIP-342), e.g. `logicalCluster`.
    /// Keys are letters only and not "auth"; values are printable ASCII, space, tab, CR or LF.
    public var extensions: [String: String]

    /// A token; its expiry, when given, lets the client re-authenticate in time.
    public init(value: String, expiresAt: ContinuousClock.Instant? = nil, principalName: String? = nil,
                extensions: [String: String] = [:]) {
        self.value = value
        self.expiresAt = expiresAt
        self.principalName = principalName
        self.extensions = extensions
    }

    /// A token valid for `lifetime` from now (convert an expiry date with `expiry.timeIntervalSinceNow`).
    public init(value: String, lifetime: Duration, principalName: String? = nil, extensions: [String: String] = [:]) {
        self.init(value: value, expiresAt: .now.advanced(by: lifetime), principalName: principalName,
                  extensions: extensions)
    }

    /// Hides the token and extension values from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["principalName": principalName as Any, "expiresAt": expiresAt as Any,
                                "extensionNames": extensions.keys.sorted()])
    }

    public var description: String {
        var parts: [String] = []
        if let principalName { parts.append("principal: \(principalName)") }
        if let expiresAt { parts.append("expires in: \(ContinuousClock.now.duration(to: expiresAt))") }
        // Extension values may be sensitive too: names only.
        if !extensions.isEmpty { parts.append("extensions: \(extensions.keys.sorted())") }
        return "OAuthBearerToken(\(parts.joined(separator: ", ")))"
    }
}
