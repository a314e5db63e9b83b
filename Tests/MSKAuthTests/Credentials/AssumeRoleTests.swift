import Foundation
import Testing
@testable import MSKAuth

@Suite("Credentials: STS AssumeRole and role profiles")
struct AssumeRoleTests {
    static let success = """
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleResult>
            <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/dev/s</Arn></AssumedRoleUser>
            <Credentials>
              <AccessKeyId>ASIAROLE</AccessKeyId>
              <SecretAccessKey>role-secret</SecretAccessKey>
              <SessionToken>role-token</SessionToken>
              <Expiration>2030-01-01T00:00:00Z</Expiration>
            </Credentials>
          </AssumeRoleResult>
        </AssumeRoleResponse>
        """

    static func stsServer() throws -> FakeHTTPServer {
        try FakeHTTPServer { _ in FakeHTTPServer.response(Self.success, headers: ["Content-Type: text/xml"]) }
    }

    /// Signs again what the server received, with the same keys and time: the
    /// signature must match what was sent, so the wire carries what was signed.
    static func expectSigned(_ request: FakeHTTPServer.Request, by credentials: AWSCredentials, region: String,
                             at date: Date) throws {
        let signer = SigV4Signer(credentials: credentials, region: region, service: "sts", clock: .fixed(date))
        let signed = try signer.signHeaders(SigV4Request(
            method: request.method, path: request.target,
            headers: [SigV4Header("Host", request.headers["host"] ?? ""),
                      SigV4Header("Content-Type", request.headers["content-type"] ?? "")],
            payload: .bytes(Array(request.body.utf8))))
        #expect(request.headers["authorization"] == signed.authorization)
        #expect(request.headers["x-amz-security-token"] == credentials.sessionToken)
    }

    @Test("AssumeRole: form body, SigV4 signature for sts in the region, session token, XML response")
    func assumeRole() async throws {
        let server = try Self.stsServer()
        defer { server.stop() }
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let source = AWSCredentials(accessKeyID: "AKIDSOURCE", secretAccessKey: "source-secret", sessionToken: "source-token")
        let provider = AssumeRoleAWSCredentialsProvider(
            roleARN: "arn:aws:iam::123456789012:role/dev", source: StaticAWSCredentialsProvider(source),
            sessionName: "my session", externalID: "ext/1", durationSeconds: 900, region: "eu-west-1",
            environment: [:], stsEndpoint: server.url, tls: nil, clock: .fixed(date))
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == "ASIAROLE" && credentials.secretAccessKey == "role-secret")
        #expect(credentials.sessionToken == "role-token" && credentials.expiration?.timeIntervalSince1970 == 1_893_456_000)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.target == "/")
        #expect(request.body == "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdev"
                + "&RoleSessionName=my%20session&DurationSeconds=900&ExternalId=ext%2F1&Version=2011-06-15")
        #expect(request.headers["authorization"]?.hasPrefix(
            "AWS4-HMAC-SHA256 Credential=AKIDSOURCE/20231114/eu-west-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=") == true)
        #expect(request.headers["x-amz-date"] == "20231114T221320Z")
        try Self.expectSigned(request, by: source, region: "eu-west-1", at: date)
    }

    @Test("AssumeRole: the global endpoint signs for us-east-1; STS errors and missing source credentials are clear")
    func assumeRoleErrors() async throws {
        let (global, region) = try STSEndpoint.resolve(explicit: nil, region: nil, environment: [:])
        #expect(global == HTTPEndpoint(scheme: "https", host: "sts.amazonaws.com") && region == "us-east-1")
        let (china, _) = try STSEndpoint.resolve(explicit: nil, region: nil, environment: ["AWS_REGION": "cn-north-1"])
        #expect(china.host == "sts.cn-north-1.amazonaws.com.cn")

        let server = try FakeHTTPServer { _ in
            FakeHTTPServer.response(status: 403, """
                <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>
                <Message>not authorized to perform sts:AssumeRole</Message></Error></ErrorResponse>
                """)
        }
        defer { server.stop() }
        let source = StaticAWSCredentialsProvider(accessKeyID: "AKIDSOURCE", secretAccessKey: "very-secret-key")
        do {
            _ = try await AssumeRoleAWSCredentialsProvider(roleARN: "arn:aws:iam::1:role/r", source: source,
                                                           environment: [:], stsEndpoint: server.url).credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.detail == "STS AssumeRole failed: AccessDenied: not authorized to perform sts:AssumeRole")
            #expect(!error.detail.contains("very-secret-key"))
        }
        let missing = EnvironmentAWSCredentialsProvider(environment: [:])
        do {
            _ = try await AssumeRoleAWSCredentialsProvider(roleARN: "arn:aws:iam::1:role/r", source: missing,
                                                           environment: [:], stsEndpoint: server.url).credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.code == .credentialsProviderFailed && error.detail.contains("source credentials"), "\(error)")
        }
    }

    @Test("profiles: role_arn with source_profile (chained and self), credential_source, loops and bad settings")
    func profiles() async throws {
        let server = try Self.stsServer()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let credentialsFile = try directory.write("credentials", """
            [base]
            aws_access_key_id = AKIDBASE
            aws_secret_access_key = base-secret
            """)
        let config = try directory.write("config", """
            [profile dev]
            role_arn = arn:aws:iam::123456789012:role/dev
            source_profile = base
            role_session_name = dev-session
            external_id = abc
            duration_seconds = 1200
            region = us-west-2

            [profile prod]
            role_arn = arn:aws:iam::123456789012:role/prod
            source_profile = dev

            [profile self]
            role_arn = arn:aws:iam::123456789012:role/self
            source_profile = self
            aws_access_key_id = AKIDSELF
            aws_secret_access_key = self-secret

            [profile env]
            role_arn = arn:aws:iam::123456789012:role/env
            credential_source = Environment

            [profile loop-a]
            role_arn = arn:aws:iam::1:role/a
            source_profile = loop-b

            [profile loop-b]
            role_arn = arn:aws:iam::1:role/b
            source_profile = loop-a

            [profile nosource]
            role_arn = arn:aws:iam::1:role/n

            [profile badsource]
            role_arn = arn:aws:iam::1:role/n
            credential_source = Somewhere

            [profile badduration]
            role_arn = arn:aws:iam::1:role/n
            source_profile = base
            duration_seconds = soon
            """)
        let environment = ["AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentialsFile,
                           "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]
        func provider(_ profile: String) -> ProfileAWSCredentialsProvider {
            ProfileAWSCredentialsProvider(profile: profile, environment: environment, stsEndpoint: server.url)
        }

        #expect(try await provider("dev").credentials().accessKeyID == "ASIAROLE")
        var request = try #require(server.requests.last)
        #expect(request.headers["authorization"]?.contains("Credential=AKIDBASE/") == true)
        #expect(request.headers["authorization"]?.contains("/us-west-2/sts/aws4_request") == true)
        #expect(request.body == "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdev"
                + "&RoleSessionName=dev-session&DurationSeconds=1200&ExternalId=abc&Version=2011-06-15")

        // prod's source is dev's role: two calls, the second signed with the first's credentials.
        let before = server.requests.count
        #expect(try await provider("prod").credentials().accessKeyID == "ASIAROLE")
        #expect(server.requests.count == before + 2)
        request = try #require(server.requests.last)
        #expect(request.headers["authorization"]?.contains("Credential=ASIAROLE/") == true)
        #expect(request.headers["x-amz-security-token"] == "role-token" && request.body.contains("role%2Fprod"))

        #expect(try await provider("self").credentials().accessKeyID == "ASIAROLE")
        #expect(server.requests.last?.headers["authorization"]?.contains("Credential=AKIDSELF/") == true)
        #expect(try await provider("env").credentials().accessKeyID == "ASIAROLE")
        #expect(server.requests.last?.headers["authorization"]?.contains("Credential=AKIDENV/") == true)

        let failures = ["loop-a": "loops", "nosource": "needs source_profile", "badsource": "unknown credential_source",
                        "badduration": "duration_seconds"]
        for (profile, expected) in failures {
            do {
                _ = try await provider(profile).credentials()
                Issue.record("no error for \(profile)")
            } catch let error as MSKAuthError {
                #expect(error.code == .credentialsProviderFailed && error.detail.contains(expected), "\(profile): \(error)")
                #expect(!error.detail.contains("secret"))
            }
        }
    }
}
