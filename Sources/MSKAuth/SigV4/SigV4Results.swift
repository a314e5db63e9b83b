import Foundation

/// The outcome of signing in the header form.
///
/// `description` leaves out the canonical request, which can hold a session token.
package struct SigV4SignedHeaders: Sendable, Hashable, CustomStringConvertible {
    /// The headers to add to the request, `Authorization` last.
    package var addedHeaders: [SigV4Header]
    /// The `Authorization` header value.
    package var authorization: String
    /// The hex signature.
    package var signature: String
    /// The canonical request that was signed (for diagnosing signature mismatches).
    package var canonicalRequest: String
    /// The string to sign derived from it.
    package var stringToSign: String
    /// The signing time, in whole seconds.
    package var signingDate: Date

    package var description: String {
        "SigV4SignedHeaders(signedAt: \(signingDate), headers: \(addedHeaders.map(\.name)))"
    }
}

/// The outcome of signing in the presigned-query form.
///
/// `description` leaves out the query and canonical request, which can hold a session token.
package struct SigV4PresignedRequest: Sendable, Hashable, CustomStringConvertible {
    /// The complete query: the request's own parameters, then the signing ones.
    package var query: [SigV4QueryItem]
    /// Only the parameters the signer added, `X-Amz-Signature` last.
    package var addedQuery: [SigV4QueryItem]
    /// The hex signature.
    package var signature: String
    /// The canonical request that was signed.
    package var canonicalRequest: String
    /// The string to sign derived from it.
    package var stringToSign: String
    /// The signing time, in whole seconds.
    package var signingDate: Date
    /// When the signature stops being accepted.
    package var expiration: Date

    /// `query` as sent on the wire, each name and value strictly percent-encoded.
    package var encodedQuery: String {
        query.map { SigV4Encoding.encodeComponent($0.name) + "=" + SigV4Encoding.encodeComponent($0.value) }
            .joined(separator: "&")
    }

    package var description: String {
        "SigV4PresignedRequest(signedAt: \(signingDate), expiration: \(expiration))"
    }
}
