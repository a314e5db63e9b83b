/// Credentials of an EC2 instance's IAM role through IMDSv2: a session token
/// from `PUT /latest/api/token`, then the role name and its credentials from
/// `/latest/meta-data/iam/security-credentials/`.
///
/// The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` or `http://169.254.169.254`;
/// `AWS_EC2_METADATA_DISABLED=true` turns the provider off. Only IMDSv2 is
/// used (no fallback to the token-less v1).
public struct InstanceMetadataAWSCredentialsProvider: AWSCredentialsProvider {
    /// The instance metadata service's address.
    public static let defaultEndpoint = "http://169.254.169.254"
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    let environment: [String: String]
    let endpoint: String?
    let client: HTTPClient

    /// - Parameters:
    ///   - endpoint: the metadata service (override for tests); nil for the
    ///     environment's or the default.
    ///   - environment: the variables to read (the process environment by default).
    public init(endpoint: String? = nil, environment: [String: String]? = nil) {
        self.environment = environment ?? AWSEnvironment.current
        self.endpoint = endpoint
        var client = HTTPClient()
        client.connectTimeout = .seconds(1)  // off EC2 nothing answers: fail fast
        self.client = client
    }

    public func credentials() async throws -> AWSCredentials {
        if environment.nonEmpty("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
            throw MSKAuthError(.credentialsNotFound, detail: "AWS_EC2_METADATA_DISABLED is true")
        }
        let base = try HTTPEndpoint(parsing: endpoint ?? environment.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? Self.defaultEndpoint)
        let source = "instance metadata \(base.hostHeader)"

        let tokenResponse = try await client.send(
            HTTPRequest(method: "PUT", headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")]),
            to: base.with(target: "/latest/api/token"))
        guard tokenResponse.status == 200, !tokenResponse.body.isEmpty else {
            throw MetadataCredentialsJSON.httpError(tokenResponse, source: "\(source) token")
        }
        let tokenHeader = [(name: "X-aws-ec2-metadata-token", value: tokenResponse.bodyText)]

        let roleResponse = try await client.send(HTTPRequest(method: "GET", headers: tokenHeader),
                                                 to: base.with(target: Self.credentialsPath))
        if roleResponse.status == 404 {
            throw MSKAuthError(.credentialsNotFound, detail: "\(source): the instance has no IAM role")
        }
        guard roleResponse.status == 200 else { throw MetadataCredentialsJSON.httpError(roleResponse, source: source) }
        guard let role = roleResponse.bodyText.split(whereSeparator: \.isNewline).first.map(String.init),
              !role.isEmpty, !role.contains("/") else {
            throw MSKAuthError(.credentialsNotFound, detail: "\(source): the instance has no IAM role")
        }

        let credentialsResponse = try await client.send(HTTPRequest(method: "GET", headers: tokenHeader),
                                                        to: base.with(target: Self.credentialsPath + role))
        guard credentialsResponse.status == 200 else {
            throw MetadataCredentialsJSON.httpError(credentialsResponse, source: "\(source) role \(role)")
        }
        return try MetadataCredentialsJSON.parse(credentialsResponse.body, source: "\(source) role \(role)")
    }
}
