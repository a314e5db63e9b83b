/// Credentials from a profile of the shared files (`~/.aws/credentials` and
/// `~/.aws/config`, or `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`), the
/// profile named by `AWS_PROFILE` or `default`.
///
/// Supported, in this order: `role_arn` with `web_identity_token_file`
/// (through ``WebIdentityAWSCredentialsProvider``); `aws_access_key_id` /
/// `aws_secret_access_key` / `aws_session_token`; `credential_process`.
/// `role_arn` with `source_profile` or `credential_source` needs a signed
/// STS AssumeRole over HTTPS and is reported as unsupported for now.
public struct ProfileAWSCredentialsProvider: AWSCredentialsProvider {
    let environment: [String: String]
    let profile: String?
    let stsEndpoint: String?

    /// - Parameters:
    ///   - profile: the profile to read; nil for `AWS_PROFILE`, else `default`.
    ///   - environment: the variables to read (the process environment by default).
    ///   - stsEndpoint: STS for web identity profiles (see ``WebIdentityAWSCredentialsProvider``).
    public init(profile: String? = nil, environment: [String: String]? = nil, stsEndpoint: String? = nil) {
        self.profile = profile
        self.environment = environment ?? AWSEnvironment.current
        self.stsEndpoint = stsEndpoint
    }

    public func credentials() async throws -> AWSCredentials {
        let files = AWSSharedFiles(environment: environment, profile: profile)
        guard let properties = try files.properties() else {
            let code: MSKAuthError.Code = files.profileIsExplicit ? .credentialsProviderFailed : .credentialsNotFound
            throw MSKAuthError(code, detail: "no profile '\(files.profile)' in \(files.credentialsPath) or \(files.configPath)")
        }
        let name = "profile '\(files.profile)'"
        if let roleARN = properties.nonEmpty("role_arn") {
            guard let tokenFile = properties.nonEmpty("web_identity_token_file") else {
                throw MSKAuthError(.credentialsProviderFailed,
                                   detail: "\(name): role_arn with source_profile/credential_source (STS AssumeRole) is not supported yet")
            }
            let webIdentity = WebIdentityAWSCredentialsProvider(
                roleARN: roleARN, tokenFile: tokenFile, sessionName: properties.nonEmpty("role_session_name"),
                region: properties.nonEmpty("region"), environment: environment, stsEndpoint: stsEndpoint)
            return try await webIdentity.credentials()
        }
        let access = properties.nonEmpty("aws_access_key_id")
        let secret = properties.nonEmpty("aws_secret_access_key")
        if let access, let secret {
            let credentials = AWSCredentials(accessKeyID: access, secretAccessKey: secret,
                                             sessionToken: properties.nonEmpty("aws_session_token"))
            try credentials.validate()
            return credentials
        }
        if let command = properties.nonEmpty("credential_process") {
            return try await CredentialProcess.run(command)
        }
        if access != nil || secret != nil {
            throw MSKAuthError(.credentialsProviderFailed,
                               detail: "\(name) has only one of aws_access_key_id and aws_secret_access_key")
        }
        throw MSKAuthError(.credentialsNotFound, detail: "\(name) has no credentials")
    }
}
