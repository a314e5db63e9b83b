/// An error raised while signing a request or building or checking an MSK IAM
/// authentication message.
///
/// Bad input never traps: it surfaces as an `MSKAuthError` whose code says
/// what went wrong. Secrets (secret keys, session tokens, signatures) are
/// never included in the detail.
public struct MSKAuthError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added in later releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case invalidCredentials
            case invalidRequest
            case invalidHeader
            case invalidPercentEncoding
            case missingHost
            case invalidExpiry
            case invalidDate
            case invalidRegion
            case invalidHost
            case invalidResponse
            case cryptoFailure
            case credentialsNotFound
            case credentialsProviderFailed
        }

        let base: Base

        init(_ base: Base) { self.base = base }

        /// The access key or secret key is empty or malformed.
        public static let invalidCredentials = Code(.invalidCredentials)
        /// The request's method, path or query cannot be signed.
        public static let invalidRequest = Code(.invalidRequest)
        /// A header name or value cannot be signed.
        public static let invalidHeader = Code(.invalidHeader)
        /// A `%` escape in the path or query is not followed by two hex digits,
        /// or decodes to something that is not UTF-8.
        public static let invalidPercentEncoding = Code(.invalidPercentEncoding)
        /// The request has no `Host` header, which SigV4 always signs.
        public static let missingHost = Code(.missingHost)
        /// The presigned expiry is outside 1 second to 7 days.
        public static let invalidExpiry = Code(.invalidExpiry)
        /// The signing time cannot be written as a SigV4 timestamp.
        public static let invalidDate = Code(.invalidDate)
        /// The region is empty, malformed, or cannot be derived from a host.
        public static let invalidRegion = Code(.invalidRegion)
        /// The broker host name is empty or malformed.
        public static let invalidHost = Code(.invalidHost)
        /// The broker's authentication response is not the expected JSON.
        public static let invalidResponse = Code(.invalidResponse)
        /// OpenSSL reported a failure while hashing.
        public static let cryptoFailure = Code(.cryptoFailure)
        /// A credentials provider found nothing to use (no variables, no profile, no endpoint).
        public static let credentialsNotFound = Code(.credentialsNotFound)
        /// A credentials source is configured but failed: an unreadable or
        /// incomplete profile, an HTTP or STS error, a malformed response,
        /// expired credentials.
        public static let credentialsProviderFailed = Code(.credentialsProviderFailed)

        /// The code's name.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable detail, free of secrets.
    public var detail: String

    /// An error with `code` and a detail that never holds secrets.
    public init(_ code: Code, detail: String = "") {
        self.code = code
        self.detail = detail
    }

    public var description: String {
        detail.isEmpty ? "MSKAuthError.\(code)" : "MSKAuthError.\(code): \(detail)"
    }
}
