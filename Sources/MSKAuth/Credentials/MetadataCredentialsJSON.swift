import Foundation

/// The JSON credentials document of the ECS/EKS container endpoints and EC2
/// instance metadata: `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`
/// (and on EC2 `Code`, `"Success"` when valid).
enum MetadataCredentialsJSON {
    private struct Document: Decodable {
        var Code: String?
        var Message: String?
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var Token: String?
        var Expiration: String?
    }

    /// - Parameter source: names the endpoint in errors.
    static func parse(_ body: [UInt8], source: String) throws(MSKAuthError) -> AWSCredentials {
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(body)) else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "\(source): the response is not a JSON credentials document")
        }
        if let code = document.Code, code != "Success" {
            throw MSKAuthError(.credentialsProviderFailed, detail: "\(source): \(code) \(document.Message ?? "")")
        }
        guard let access = document.AccessKeyId, let secret = document.SecretAccessKey else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "\(source): the response lacks AccessKeyId or SecretAccessKey")
        }
        var expiration: Date?
        if let text = document.Expiration {
            guard let date = AWSDate.parse(text) else {
                throw MSKAuthError(.credentialsProviderFailed, detail: "\(source): Expiration is not an ISO 8601 time")
            }
            expiration = date
        }
        let credentials = AWSCredentials(accessKeyID: access, secretAccessKey: secret, sessionToken: document.Token,
                                         expiration: expiration)
        try credentials.validate()
        return credentials
    }

    /// A short, secret-free summary of an HTTP error response.
    static func httpError(_ response: HTTPResponse, source: String) -> MSKAuthError {
        MSKAuthError(.credentialsProviderFailed, detail: "\(source): HTTP status \(response.status)")
    }
}
