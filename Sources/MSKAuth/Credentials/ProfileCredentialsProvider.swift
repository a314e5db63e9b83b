import KafkaClient

/// Credentials from a profile of the shared files (`~/.aws/credentials` and
/// `~/.aws/config`, or `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`), the
/// profile named by `AWS_PROFILE` or `default`.
///
/// Supported, in this order: `role_arn` with `web_identity_token_file`
/// (through ``WebIdentityAWSCredentialsProvider``); `role_arn` with
/// `source_profile` (chains of profiles included) or `credential_source`
/// (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), with `external_id`,
/// `role_session_name` and `duration_seconds` (through
/// ``AssumeRoleAWSCredentialsProvider``); `aws_access_key_id` /
/// `aws_secret_access_key` / `aws_session_token`; `credential_process`.
public struct ProfileAWSCredentialsProvider: AWSCredentialsProvider {
    let environment: [String: String]
    let profile: String?
    let stsEndpoint: String?
    let tls: KafkaTLSConfiguration?
    /// The profiles whose `source_profile` led here, to stop cycles.
    let sourceChain: [String]

    /// Profiles a `source_profile` chain may pass through.
    static var maximumSourceChain: Int { 8 }

    /// - Parameters:
    ///   - profile: the profile to read; nil for `AWS_PROFILE`, else `default`.
    ///   - environment: the variables to read (the process environment by default).
    ///   - stsEndpoint: STS for role profiles (see ``WebIdentityAWSCredentialsProvider``).
    ///   - tls: TLS for an `https` STS endpoint; nil for the defaults (system trust roots, full verification).
    public init(profile: String? = nil, environment: [String: String]? = nil, stsEndpoint: String? = nil,
                tls: KafkaTLSConfiguration? = nil) {
        self.init(profile: profile, environment: environment ?? AWSEnvironment.current, stsEndpoint: stsEndpoint,
                  tls: tls, sourceChain: [])
    }

    init(profile: String?, environment: [String: String], stsEndpoint: String?, tls: KafkaTLSConfiguration?,
         sourceChain: [String]) {
        self.profile = profile
        self.environment = environment
        self.stsEndpoint = stsEndpoint
        self.tls = tls
        self.sourceChain = sourceChain
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
                return try await assumeRole(roleARN, properties: properties, profileName: files.profile)
            }
            let webIdentity = WebIdentityAWSCredentialsProvider(
                roleARN: roleARN, tokenFile: tokenFile, sessionName: properties.nonEmpty("role_session_name"),
                region: properties.nonEmpty("region"), environment: environment, stsEndpoint: stsEndpoint, tls: tls)
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

    /// STS AssumeRole signed with the credentials of `source_profile` or `credential_source`.
    private func assumeRole(_ roleARN: String, properties: [String: String], profileName: String) async throws -> AWSCredentials {
        let name = "profile '\(profileName)'"
        let source: any AWSCredentialsProvider
        if let sourceProfile = properties.nonEmpty("source_profile") {
            if sourceProfile == profileName {
                // A profile may be its own source: its keys sign the call.
                guard let access = properties.nonEmpty("aws_access_key_id"),
                      let secret = properties.nonEmpty("aws_secret_access_key") else {
                    throw MSKAuthError(.credentialsProviderFailed,
                                       detail: "\(name) is its own source_profile but has no aws_access_key_id and aws_secret_access_key")
                }
                source = StaticAWSCredentialsProvider(accessKeyID: access, secretAccessKey: secret,
                                                      sessionToken: properties.nonEmpty("aws_session_token"))
            } else {
                let chain = sourceChain + [profileName]
                guard !chain.contains(sourceProfile), chain.count < Self.maximumSourceChain else {
                    throw MSKAuthError(.credentialsProviderFailed,
                                       detail: "\(name): source_profile loops or is too deep: \((chain + [sourceProfile]).joined(separator: " -> "))")
                }
                source = ProfileAWSCredentialsProvider(profile: sourceProfile, environment: environment,
                                                       stsEndpoint: stsEndpoint, tls: tls, sourceChain: chain)
            }
        } else if let credentialSource = properties.nonEmpty("credential_source") {
            switch credentialSource {
            case "Environment": source = EnvironmentAWSCredentialsProvider(environment: environment)
            case "Ec2InstanceMetadata": source = InstanceMetadataAWSCredentialsProvider(environment: environment)
            case "EcsContainer": source = ContainerAWSCredentialsProvider(environment: environment)
            default:
                throw MSKAuthError(.credentialsProviderFailed, detail: "\(name): unknown credential_source '\(credentialSource)'"
                                   + " (Environment, Ec2InstanceMetadata or EcsContainer)")
            }
        } else {
            throw MSKAuthError(.credentialsProviderFailed,
                               detail: "\(name): role_arn needs source_profile, credential_source or web_identity_token_file")
        }
        var duration: Int?
        if let text = properties.nonEmpty("duration_seconds") {
            guard let seconds = Int(text), seconds > 0 else {
                throw MSKAuthError(.credentialsProviderFailed, detail: "\(name): duration_seconds '\(text)' is not a number of seconds")
            }
            duration = seconds
        }
        let provider = AssumeRoleAWSCredentialsProvider(
            roleARN: roleARN, source: source, sessionName: properties.nonEmpty("role_session_name"),
            externalID: properties.nonEmpty("external_id"), durationSeconds: duration, region: properties.nonEmpty("region"),
            environment: environment, stsEndpoint: stsEndpoint, tls: tls)
        return try await provider.credentials()
    }
}
