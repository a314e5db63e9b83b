import Foundation
import KafkaClient

/// Credentials for a role assumed with an OIDC token, as on EKS (IRSA):
/// `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (and optionally
/// `AWS_ROLE_SESSION_NAME`), exchanged with STS `AssumeRoleWithWebIdentity`.
///
/// The call is unsigned: the token file, re-read at every call since it
/// rotates, is the proof. STS is at `https://sts.<region>.amazonaws.com`
/// (region from `AWS_REGION` / `AWS_DEFAULT_REGION`), or `AWS_ENDPOINT_URL_STS`,
/// or `stsEndpoint`.
///
/// HTTPS endpoints are verified against the system trust roots unless `tls`
/// says otherwise; a plain `http://` endpoint (a proxy or test server) works too.
public struct WebIdentityAWSCredentialsProvider: AWSCredentialsProvider {
    let roleARN: String?
    let tokenFile: String?
    let sessionName: String?
    let region: String?
    let environment: [String: String]
    let stsEndpoint: String?
    let client: HTTPClient

    /// - Parameters:
    ///   - roleARN: the role to assume; nil to read `AWS_ROLE_ARN`.
    ///   - tokenFile: the web identity token's file; nil to read `AWS_WEB_IDENTITY_TOKEN_FILE`.
    ///   - sessionName: the role session's name; nil to read `AWS_ROLE_SESSION_NAME`.
    ///   - region: the STS region; nil to read `AWS_REGION`.
    ///   - environment: the variables to read (the process environment by default).
    ///   - stsEndpoint: the STS URL (override for tests).
    ///   - tls: TLS for an `https` STS endpoint; nil for the defaults (system trust roots, full verification).
    public init(roleARN: String? = nil, tokenFile: String? = nil, sessionName: String? = nil, region: String? = nil,
                environment: [String: String]? = nil, stsEndpoint: String? = nil, tls: KafkaTLSConfiguration? = nil) {
        self.roleARN = roleARN
        self.tokenFile = tokenFile
        self.sessionName = sessionName
        self.region = region
        self.environment = environment ?? AWSEnvironment.current
        self.stsEndpoint = stsEndpoint
        self.client = HTTPClient(tls: tls ?? .default)
    }

    public func credentials() async throws -> AWSCredentials {
        let tokenPath = tokenFile ?? environment.nonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE")
        let role = roleARN ?? environment.nonEmpty("AWS_ROLE_ARN")
        guard let tokenPath, let role else {
            if tokenPath == nil && role == nil {
                throw MSKAuthError(.credentialsNotFound, detail: "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set")
            }
            throw MSKAuthError(.credentialsProviderFailed,
                               detail: "web identity needs both AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN")
        }
        guard let data = FileManager.default.contents(atPath: tokenPath) else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "cannot read the web identity token file \(tokenPath)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "the web identity token file \(tokenPath) is empty")
        }
        let session = sessionName ?? environment.nonEmpty("AWS_ROLE_SESSION_NAME")
            ?? "swift-kafka-native-\(Int(Date().timeIntervalSince1970))"
        let form = [("Action", "AssumeRoleWithWebIdentity"), ("RoleArn", role), ("RoleSessionName", session),
                    ("Version", "2011-06-15"), ("WebIdentityToken", token)]
            .map { "\($0.0)=\(SigV4Encoding.encodeComponent($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(method: "POST", headers: [
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Accept", "text/xml"),
        ], body: Array(form.utf8))
        let response = try await client.send(request, to: try endpoint())
        return try STSResponse.credentials(from: response, action: "AssumeRoleWithWebIdentity")
    }

    /// The STS URL: explicit, `AWS_ENDPOINT_URL_STS`, regional, or global.
    func endpoint() throws(MSKAuthError) -> HTTPEndpoint {
        try STSEndpoint.resolve(explicit: stsEndpoint, region: region, environment: environment).endpoint
    }
}
