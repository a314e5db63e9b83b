import KafkaClient

/// Tries providers in order and returns the first credentials found.
///
/// Every failure moves on to the next provider (as the AWS SDKs' chains do);
/// when all fail, the error lists each provider's reason. Not cached: wrap it
/// in ``CachedAWSCredentialsProvider``, or use ``DefaultAWSCredentialsProvider``.
public struct AWSCredentialsProviderChain: AWSCredentialsProvider {
    /// The providers, with the names used in errors.
    let providers: [(name: String, provider: any AWSCredentialsProvider)]

    /// - Parameter providers: tried in this order; `name` labels each one's reason in the final error.
    public init(_ providers: [(name: String, provider: any AWSCredentialsProvider)]) {
        self.providers = providers
    }

    public func credentials() async throws -> AWSCredentials {
        var reasons: [String] = []
        var configuredButFailed = false
        for (name, provider) in providers {
            do {
                return try await provider.credentials()
            } catch let error as MSKAuthError {
                if error.code != .credentialsNotFound { configuredButFailed = true }
                reasons.append("\(name): \(error.detail)")
            } catch {
                configuredButFailed = true
                reasons.append("\(name): \(error)")
            }
        }
        throw MSKAuthError(configuredButFailed ? .credentialsProviderFailed : .credentialsNotFound,
                           detail: "no AWS credentials found (\(reasons.joined(separator: "; ")))")
    }
}

/// The AWS SDKs' default chain, cached: environment variables, the shared
/// config/credentials profile (`AWS_PROFILE`), web identity (EKS IRSA),
/// container credentials (ECS task role, EKS Pod Identity), EC2 instance
/// metadata (IMDSv2).
///
/// One instance keeps its cache: create it once and share it (copies of a
/// mechanism holding it share it too).
public struct DefaultAWSCredentialsProvider: AWSCredentialsProvider {
    let cache: CachedAWSCredentialsProvider

    /// - Parameters:
    ///   - profile: the shared-file profile; nil for `AWS_PROFILE` or `default`.
    ///   - environment: the variables to read (the process environment by default).
    ///   - stsEndpoint: the STS URL for web identity and assumed roles; nil for the regional one (an override for tests).
    ///   - containerRelativeBase: the ECS container credentials base URL (an override for tests).
    ///   - instanceMetadataEndpoint: the EC2 instance metadata URL; nil for the standard one (an override for tests).
    ///   - stsTLS: TLS for `https` STS endpoints; nil for the defaults (system trust roots, full verification).
    ///   - refreshBeforeExpiry: how long before expiry cached credentials are replaced.
    public init(profile: String? = nil, environment: [String: String]? = nil, stsEndpoint: String? = nil,
                stsTLS: KafkaTLSConfiguration? = nil,
                containerRelativeBase: String = ContainerAWSCredentialsProvider.defaultRelativeBase,
                instanceMetadataEndpoint: String? = nil,
                refreshBeforeExpiry: Duration = CachedAWSCredentialsProvider.defaultRefreshBeforeExpiry) {
        let environment = environment ?? AWSEnvironment.current
        let chain = AWSCredentialsProviderChain([
            ("environment", EnvironmentAWSCredentialsProvider(environment: environment)),
            ("profile", ProfileAWSCredentialsProvider(profile: profile, environment: environment, stsEndpoint: stsEndpoint,
                                                     tls: stsTLS)),
            ("web identity", WebIdentityAWSCredentialsProvider(environment: environment, stsEndpoint: stsEndpoint, tls: stsTLS)),
            ("container", ContainerAWSCredentialsProvider(environment: environment, relativeBase: containerRelativeBase)),
            ("instance metadata", InstanceMetadataAWSCredentialsProvider(endpoint: instanceMetadataEndpoint,
                                                                         environment: environment)),
        ])
        cache = CachedAWSCredentialsProvider(chain, refreshBeforeExpiry: refreshBeforeExpiry)
    }

    public func credentials() async throws -> AWSCredentials {
        try await cache.credentials()
    }
}

extension AWSCredentialsProvider where Self == DefaultAWSCredentialsProvider {
    /// The default chain with the process environment (see ``DefaultAWSCredentialsProvider``).
    public static var `default`: DefaultAWSCredentialsProvider { DefaultAWSCredentialsProvider() }
}
