import Foundation

/// An `OAUTHBEARER` token for Amazon MSK, in the format of
/// aws-msk-iam-sasl-signer: the SigV4 presigned URL
/// `https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-...`
/// with an unsigned `User-Agent` parameter appended, base64url-encoded without padding.
///
/// `description` shows only the expiry; the token is a bearer secret.
public struct MSKOAuthBearerToken: Sendable, CustomStringConvertible {
    /// How long the token is valid unless told otherwise (15 minutes, as the AWS signers).
    public static let defaultExpiry = 900
    /// The user agent sent when none is given.
    public static let defaultUserAgent = "swift-kafka-native"

    /// The token to send as the OAUTHBEARER `auth=Bearer` value.
    public let value: String
    /// The signed URL the token encodes.
    public let signedURL: String
    /// The signing time, in whole seconds.
    public let signingDate: Date
    /// When MSK stops accepting the token.
    public let expiration: Date

    /// The expiry in milliseconds since 1970, the unit OAUTHBEARER token lifetimes use.
    public var expirationMilliseconds: Int64 {
        Int64(expiration.timeIntervalSince1970.rounded(.down)) * 1_000
    }

    /// Signs a token for the cluster's region: the one in broker host names such
    /// as `b-1.mycluster.abc123.c2.kafka.eu-west-1.amazonaws.com`.
    public init(
        credentials: AWSCredentials,
        region: String,
        userAgent: String = MSKOAuthBearerToken.defaultUserAgent,
        expiresIn: Int = MSKOAuthBearerToken.defaultExpiry,
        clock: SigV4Clock = .system
    ) throws(MSKAuthError) {
        try MSKHost.validateRegion(region)
        let host = "kafka.\(region).amazonaws.com"
        let signer = SigV4Signer(
            credentials: credentials, region: region, service: MSKIAMAuthPayload.service, clock: clock)
        let request = SigV4Request(
            method: "GET", path: "/", query: [SigV4QueryItem("Action", MSKIAMAuthPayload.action)],
            headers: [SigV4Header("host", host)], payload: .empty)
        let presigned = try signer.presign(request, expiresIn: expiresIn)
        // The user agent is added after signing, so it is not covered by the signature.
        let url = "https://\(host)/?\(presigned.encodedQuery)&User-Agent=\(SigV4Encoding.encodeComponent(userAgent))"
        self.signedURL = url
        self.value = Data(url.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        self.signingDate = presigned.signingDate
        self.expiration = presigned.expiration
    }

    public var description: String {
        "MSKOAuthBearerToken(signedAt: \(signingDate), expiration: \(expiration))"
    }
}
