import Foundation

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for
/// temporary credentials, `AWS_SESSION_TOKEN`.
///
/// `AWS_CREDENTIAL_EXPIRATION` (ISO 8601), when set, is the expiry, as the AWS SDKs read it.
public struct EnvironmentAWSCredentialsProvider: AWSCredentialsProvider {
    let environment: [String: String]

    /// Reads `environment` (the process environment by default) at every call.
    public init(environment: [String: String]? = nil) {
        self.environment = environment ?? AWSEnvironment.current
    }

    public func credentials() async throws -> AWSCredentials {
        try read()
    }

    func read() throws(MSKAuthError) -> AWSCredentials {
        let access = environment.nonEmpty("AWS_ACCESS_KEY_ID")
        let secret = environment.nonEmpty("AWS_SECRET_ACCESS_KEY")
        switch (access, secret) {
        case (nil, nil):
            throw MSKAuthError(.credentialsNotFound, detail: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        case (nil, _):
            throw MSKAuthError(.credentialsProviderFailed, detail: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (_, nil):
            throw MSKAuthError(.credentialsProviderFailed, detail: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        case let (access?, secret?):
            var expiration: Date?
            if let text = environment.nonEmpty("AWS_CREDENTIAL_EXPIRATION") {
                guard let date = AWSDate.parse(text) else {
                    throw MSKAuthError(.credentialsProviderFailed, detail: "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time")
                }
                expiration = date
            }
            let credentials = AWSCredentials(accessKeyID: access, secretAccessKey: secret,
                                             sessionToken: environment.nonEmpty("AWS_SESSION_TOKEN"), expiration: expiration)
            try credentials.validate()
            return credentials
        }
    }
}
