import Foundation

/// A source of AWS credentials, asked at every signature (each SASL
/// authentication and re-authentication).
///
/// Providers that fetch temporary credentials (container, EC2, web identity)
/// do so at every call; wrap them in ``CachedAWSCredentialsProvider`` (the
/// default chain already is) so signing does not hit the network each time.
///
/// Errors are `MSKAuthError` with `.credentialsNotFound` (this source is not
/// configured, a chain moves on) or `.credentialsProviderFailed`; they never
/// contain secrets.
public protocol AWSCredentialsProvider: Sendable {
    /// Current credentials.
    func credentials() async throws -> AWSCredentials
}

/// Fixed credentials, for tests, tools and keys kept in an application's own configuration.
public struct StaticAWSCredentialsProvider: AWSCredentialsProvider, CustomStringConvertible {
    let value: AWSCredentials

    /// Always returns `credentials` (checked to be non-empty at each call).
    public init(_ credentials: AWSCredentials) {
        self.value = credentials
    }

    /// Always returns these keys.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.init(AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken))
    }

    public func credentials() async throws -> AWSCredentials {
        try value.validate()
        return value
    }

    public var description: String { "StaticAWSCredentialsProvider(accessKeyID: \(value.accessKeyID))" }
}

/// Credentials from a closure: for sources this library does not know (a vault, a
/// company SDK). The closure's errors are passed through.
public struct ClosureAWSCredentialsProvider: AWSCredentialsProvider {
    let body: @Sendable () async throws -> AWSCredentials

    /// Calls `body` at every request for credentials (wrap in ``CachedAWSCredentialsProvider`` to cache).
    public init(_ body: @escaping @Sendable () async throws -> AWSCredentials) {
        self.body = body
    }

    public func credentials() async throws -> AWSCredentials {
        try await body()
    }
}

extension AWSCredentialsProvider where Self == StaticAWSCredentialsProvider {
    /// Fixed credentials.
    public static func `static`(_ credentials: AWSCredentials) -> StaticAWSCredentialsProvider {
        StaticAWSCredentialsProvider(credentials)
    }
}

extension AWSCredentialsProvider where Self == ClosureAWSCredentialsProvider {
    /// Credentials from `body`, called at every request for credentials.
    public static func custom(_ body: @escaping @Sendable () async throws -> AWSCredentials) -> ClosureAWSCredentialsProvider {
        ClosureAWSCredentialsProvider(body)
    }
}
