import Foundation
import KafkaClient

/// Credentials for a role assumed with STS `AssumeRole`, signed (SigV4,
/// service `sts`) with the credentials of `source`: what a shared-file profile
/// with `role_arn` and `source_profile` or `credential_source` means.
///
/// STS is found as for ``WebIdentityAWSCredentialsProvider``: `stsEndpoint`,
/// `AWS_ENDPOINT_URL_STS`, `https://sts.<region>.amazonaws.com`, or the global
/// `https://sts.amazonaws.com` (signed for `us-east-1`).
public struct AssumeRoleAWSCredentialsProvider: AWSCredentialsProvider {
    let roleARN: String
    let source: any AWSCredentialsProvider
    let sessionName: String?
    let externalID: String?
    let durationSeconds: Int?
    let region: String?
    let environment: [String: String]
    let stsEndpoint: String?
    let client: HTTPClient
    let clock: SigV4Clock

    /// - Parameters:
    ///   - roleARN: the role to assume.
    ///   - source: the credentials that sign the call.
    ///   - sessionName: `RoleSessionName`; nil for a generated one.
    ///   - externalID: `ExternalId`, when the role's trust policy asks for one.
    ///   - durationSeconds: `DurationSeconds`; nil for STS's default (one hour).
    ///   - region: STS's region; nil for `AWS_REGION` / `AWS_DEFAULT_REGION`, else the global endpoint.
    ///   - environment: the variables to read (the process environment by default).
    ///   - stsEndpoint: the STS URL (override for tests).
    ///   - tls: TLS for an `https` STS endpoint; nil for the defaults (system trust roots, full verification).
    public init(roleARN: String, source: any AWSCredentialsProvider, sessionName: String? = nil, externalID: String? = nil,
                durationSeconds: Int? = nil, region: String? = nil, environment: [String: String]? = nil,
                stsEndpoint: String? = nil, tls: KafkaTLSConfiguration? = nil) {
        self.init(roleARN: roleARN, source: source, sessionName: sessionName, externalID: externalID,
                  durationSeconds: durationSeconds, region: region, environment: environment,
                  stsEndpoint: stsEndpoint, tls: tls, clock: .system)
    }

    init(roleARN: String, source: any AWSCredentialsProvider, sessionName: String?, externalID: String?,
         durationSeconds: Int?, region: String?, environment: [String: String]?, stsEndpoint: String?,
         tls: KafkaTLSConfiguration?, clock: SigV4Clock) {
        self.roleARN = roleARN
        self.source = source
        self.sessionName = sessionName
        self.externalID = externalID
        self.durationSeconds = durationSeconds
        self.region = region
        self.environment = environment ?? AWSEnvironment.current
        self.stsEndpoint = stsEndpoint
        self.client = HTTPClient(tls: tls ?? .default)
        self.clock = clock
    }

    public func credentials() async throws -> AWSCredentials {
        let sourceCredentials: AWSCredentials
        do {
            sourceCredentials = try await source.credentials()
        } catch let error as MSKAuthError {
            // The role is configured: missing source credentials are a failure, not "not configured".
            throw MSKAuthError(.credentialsProviderFailed, detail: "AssumeRole \(roleARN): source credentials: \(error.detail)")
        }
        let session = sessionName ?? "swift-kafka-native-\(Int(Date().timeIntervalSince1970))"
        var parameters = [("Action", "AssumeRole"), ("RoleArn", roleARN), ("RoleSessionName", session)]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        if let externalID { parameters.append(("ExternalId", externalID)) }
        parameters.append(("Version", "2011-06-15"))
        let body = Array(parameters.map { "\($0.0)=\(SigV4Encoding.encodeComponent($0.1))" }.joined(separator: "&").utf8)

        let (endpoint, signingRegion) = try STSEndpoint.resolve(explicit: stsEndpoint, region: region, environment: environment)
        let path = String(endpoint.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        let target = endpoint.with(target: path)
        let contentType = "application/x-www-form-urlencoded; charset=utf-8"
        let signer = SigV4Signer(credentials: sourceCredentials, region: signingRegion, service: "sts", clock: clock)
        let signed = try signer.signHeaders(SigV4Request(
            method: "POST", path: target.target,
            headers: [SigV4Header("Host", target.hostHeader), SigV4Header("Content-Type", contentType)],
            payload: .bytes(body)))
        let headers = [(name: "Content-Type", value: contentType), (name: "Accept", value: "text/xml")]
            + signed.addedHeaders.map { (name: $0.name, value: $0.value) }
        let response = try await client.send(HTTPRequest(method: "POST", headers: headers, body: body), to: target)
        return try STSResponse.credentials(from: response, action: "AssumeRole")
    }
}

/// Where STS is, and the region to sign for.
enum STSEndpoint {
    /// `explicit`, `AWS_ENDPOINT_URL_STS`, regional (`region`, `AWS_REGION`,
    /// `AWS_DEFAULT_REGION`), or global (signed for `us-east-1`).
    static func resolve(explicit: String?, region: String?,
                        environment: [String: String]) throws(MSKAuthError) -> (endpoint: HTTPEndpoint, region: String) {
        let configuredRegion = region ?? environment.nonEmpty("AWS_REGION") ?? environment.nonEmpty("AWS_DEFAULT_REGION")
        if let url = explicit ?? environment.nonEmpty("AWS_ENDPOINT_URL_STS") {
            return (try HTTPEndpoint(parsing: url), configuredRegion ?? "us-east-1")
        }
        if let configuredRegion {
            try MSKHost.validateRegion(configuredRegion)
            let suffix = configuredRegion.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
            return (HTTPEndpoint(scheme: "https", host: "sts.\(configuredRegion).\(suffix)"), configuredRegion)
        }
        return (HTTPEndpoint(scheme: "https", host: "sts.amazonaws.com"), "us-east-1")
    }
}
