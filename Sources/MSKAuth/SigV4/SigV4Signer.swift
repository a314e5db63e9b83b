import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`),
/// either as an `Authorization` header or as a presigned query string.
///
/// The signing time comes from an injectable ``SigV4Clock`` so a signature
/// can be reproduced exactly.
package struct SigV4Signer: Sendable, CustomStringConvertible {
    /// Choices that differ between services and SDKs.
    package struct Options: Sendable, Hashable {
        /// Remove empty, `.` and `..` path segments before signing (every service but S3).
        package var normalizePath: Bool = true
        /// Escape the wire path once more before signing (every service but S3).
        package var doubleURIEncode: Bool = true
        /// Include the session token in what is signed. When `false` it is still
        /// sent but added after signing, as a few services require.
        package var signSessionToken: Bool = true
        /// In the header form, add and sign `X-Amz-Content-SHA256` with the payload hash.
        package var addContentSHA256Header: Bool = false

        package init() {}
    }

    /// The credentials to sign with.
    package var credentials: AWSCredentials
    /// The region in the credential scope, for example `us-east-1`.
    package var region: String
    /// The signing name of the service, for example `kafka-cluster`.
    package var service: String
    package var options: Options
    /// Where the signing time comes from.
    package var clock: SigV4Clock

    package init(
        credentials: AWSCredentials,
        region: String,
        service: String,
        options: Options = Options(),
        clock: SigV4Clock = .system
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
        self.clock = clock
    }

    package var description: String {
        "SigV4Signer(credentials: \(credentials), region: \(region), service: \(service))"
    }

    static let algorithm = "AWS4-HMAC-SHA256"
    /// Presigned URLs may live at most seven days.
    package static let maximumExpiry = 604_800

    /// Signs `request` for the header form: returns the headers to add
    /// (`X-Amz-Date`, `X-Amz-Security-Token` when there is a token,
    /// `X-Amz-Content-SHA256` when asked for, and `Authorization`).
    ///
    /// `Authorization`, `X-Amz-Date` and `X-Amz-Security-Token` headers already
    /// on the request (and `X-Amz-Content-SHA256` when the signer adds its own)
    /// are replaced, not signed.
    package func signHeaders(_ request: SigV4Request) throws(MSKAuthError) -> SigV4SignedHeaders {
        let context = try makeContext(request)
        var replaced: Set<String> = ["authorization", "x-amz-date", "x-amz-security-token"]
        if options.addContentSHA256Header { replaced.insert("x-amz-content-sha256") }
        var headers = request.headers.filter { !replaced.contains($0.name.lowercased()) }
        var added = [SigV4Header("X-Amz-Date", context.timestamp.dateTime)]
        if let token = credentials.sessionToken, options.signSessionToken {
            added.append(SigV4Header("X-Amz-Security-Token", token))
        }
        if options.addContentSHA256Header {
            added.append(SigV4Header("X-Amz-Content-SHA256", context.payloadHash))
        }
        headers += added
        let canonicalHeaders = try SigV4Canonical.headers(headers)
        let canonicalRequest = SigV4Canonical.request(
            method: request.method, canonicalPath: context.canonicalPath,
            query: request.query, headers: canonicalHeaders, payloadHash: context.payloadHash)
        let (stringToSign, signature) = try sign(canonicalRequest, at: context.timestamp)
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope(context.timestamp)), "
            + "SignedHeaders=\(canonicalHeaders.signedNames), Signature=\(signature)"
        if let token = credentials.sessionToken, !options.signSessionToken {
            added.append(SigV4Header("X-Amz-Security-Token", token))
        }
        added.append(SigV4Header("Authorization", authorization))
        return SigV4SignedHeaders(
            addedHeaders: added, authorization: authorization, signature: signature,
            canonicalRequest: canonicalRequest, stringToSign: stringToSign,
            signingDate: Date(timeIntervalSince1970: TimeInterval(context.timestamp.epochSeconds)))
    }

    /// Signs `request` for the presigned-query form: returns the request's
    /// query followed by `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
    /// `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Security-Token` (with a
    /// token) and `X-Amz-Signature`, valid for `expiresIn` seconds.
    package func presign(_ request: SigV4Request, expiresIn: Int) throws(MSKAuthError) -> SigV4PresignedRequest {
        guard (1...Self.maximumExpiry).contains(expiresIn) else {
            throw MSKAuthError(.invalidExpiry, detail: "expiry must be 1...\(Self.maximumExpiry) seconds, got \(expiresIn)")
        }
        let context = try makeContext(request)
        let authNames: Set<String> = [
            "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
            "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature",
        ]
        if let clash = request.query.first(where: { authNames.contains($0.name) }) {
            throw MSKAuthError(.invalidRequest, detail: "query already has \(clash.name)")
        }
        let canonicalHeaders = try SigV4Canonical.headers(request.headers)
        var added = [
            SigV4QueryItem("X-Amz-Algorithm", Self.algorithm),
            SigV4QueryItem("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(context.timestamp))"),
            SigV4QueryItem("X-Amz-Date", context.timestamp.dateTime),
            SigV4QueryItem("X-Amz-Expires", String(expiresIn)),
            SigV4QueryItem("X-Amz-SignedHeaders", canonicalHeaders.signedNames),
        ]
        if let token = credentials.sessionToken, options.signSessionToken {
            added.append(SigV4QueryItem("X-Amz-Security-Token", token))
        }
        let canonicalRequest = SigV4Canonical.request(
            method: request.method, canonicalPath: context.canonicalPath,
            query: request.query + added, headers: canonicalHeaders, payloadHash: context.payloadHash)
        let (stringToSign, signature) = try sign(canonicalRequest, at: context.timestamp)
        if let token = credentials.sessionToken, !options.signSessionToken {
            added.append(SigV4QueryItem("X-Amz-Security-Token", token))
        }
        added.append(SigV4QueryItem("X-Amz-Signature", signature))
        let signingDate = Date(timeIntervalSince1970: TimeInterval(context.timestamp.epochSeconds))
        return SigV4PresignedRequest(
            query: request.query + added, addedQuery: added, signature: signature,
            canonicalRequest: canonicalRequest, stringToSign: stringToSign,
            signingDate: signingDate, expiration: signingDate.addingTimeInterval(TimeInterval(expiresIn)))
    }
}
