import Foundation

/// Credentials from the ECS task role or EKS Pod Identity agent:
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (under `http://169.254.170.2`) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the `Authorization` header from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// As in the AWS SDKs, a full URI over plain HTTP must point to a loopback
/// address or to the ECS/EKS agent addresses (`169.254.170.2`, `169.254.170.23`,
/// `fd00:ec2::23`): anything else could send the token elsewhere.
public struct ContainerAWSCredentialsProvider: AWSCredentialsProvider {
    /// The ECS agent, which relative URIs are resolved against.
    public static let defaultRelativeBase = "http://169.254.170.2"

    let environment: [String: String]
    let relativeBase: String
    let client: HTTPClient

    /// - Parameters:
    ///   - environment: the variables to read (the process environment by default).
    ///   - relativeBase: where relative URIs point (override for tests).
    public init(environment: [String: String]? = nil, relativeBase: String = Self.defaultRelativeBase) {
        self.environment = environment ?? AWSEnvironment.current
        self.relativeBase = relativeBase
        self.client = HTTPClient()
    }

    public func credentials() async throws -> AWSCredentials {
        let endpoint: HTTPEndpoint
        if let relative = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            endpoint = try HTTPEndpoint(parsing: relativeBase).with(target: relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            endpoint = try HTTPEndpoint(parsing: full)
            guard endpoint.scheme == "https" || Self.isAllowedPlainHost(endpoint.host) else {
                throw MSKAuthError(.credentialsProviderFailed,
                                   detail: "AWS_CONTAINER_CREDENTIALS_FULL_URI host \(endpoint.host) is not loopback or an ECS/EKS agent address")
            }
        } else {
            throw MSKAuthError(.credentialsNotFound, detail: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set")
        }
        var request = HTTPRequest(method: "GET", headers: [("Accept", "application/json")])
        if let token = try authorizationToken() {
            guard !token.contains("\r") && !token.contains("\n") else {
                throw MSKAuthError(.credentialsProviderFailed, detail: "the container authorization token contains a line break")
            }
            request.headers.append(("Authorization", token))
        }
        let source = "container credentials \(endpoint)"
        let response = try await client.send(request, to: endpoint)
        guard response.status == 200 else { throw MetadataCredentialsJSON.httpError(response, source: source) }
        return try MetadataCredentialsJSON.parse(response.body, source: source)
    }

    /// The file (re-read at every call: EKS rotates it) wins over the variable.
    func authorizationToken() throws(MSKAuthError) -> String? {
        if let path = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MSKAuthError(.credentialsProviderFailed, detail: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(path)")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN")
    }

    static func isAllowedPlainHost(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered.hasPrefix("127.") { return true }
        return ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"].contains(lowered)
    }
}
