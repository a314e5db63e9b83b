import Foundation
import KafkaClient

extension SASLMechanism where Self == OAuthBearerMechanism {
    /// OAUTHBEARER with Amazon MSK tokens (the aws-msk-iam-sasl-signer format,
    /// ``MSKOAuthBearerToken``): at every authentication and re-authentication a
    /// token is presigned with fresh credentials; its expiry (15 minutes) is
    /// passed on, so the client knows when it lapses.
    ///
    /// - Parameters:
    ///   - region: the cluster's region (OAUTHBEARER tokens are not per broker).
    ///   - credentials: the default chain unless given.
    ///   - userAgent: the unsigned `User-Agent` parameter of the token.
    ///   - clock: the signing time.
    public static func mskOAuthBearer(region: String,
                                      credentials: any AWSCredentialsProvider = DefaultAWSCredentialsProvider(),
                                      userAgent: String = MSKOAuthBearerToken.defaultUserAgent,
                                      clock: SigV4Clock = .system) -> OAuthBearerMechanism {
        OAuthBearerMechanism { @Sendable in
            let current = try await MSKCredentials.fetch(from: credentials, mechanism: "OAUTHBEARER")
            let token: MSKOAuthBearerToken
            do throws(MSKAuthError) {
                token = try MSKOAuthBearerToken(credentials: current, region: region, userAgent: userAgent, clock: clock)
            } catch {
                throw MSKCredentials.failure("OAUTHBEARER", "cannot sign an MSK token: \(error.detail)")
            }
            let lifetime = token.expiration.timeIntervalSince(clock.now())
            return OAuthBearerToken(value: token.value, lifetime: .milliseconds(Int64(lifetime * 1000)))
        }
    }
}
