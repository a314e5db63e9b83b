import Foundation
import Testing
@testable import MSKAuth

@Suite("Credentials: container, EC2 instance metadata (IMDSv2), web identity")
struct MetadataProvidersTests {
    @Test("container: relative URI with the authorization token; the token file wins over the variable")
    func containerRelative() async throws {
        let server = try FakeHTTPServer { _ in FakeHTTPServer.response(metadataCredentialsJSON(), framing: .chunked(16)) }
        defer { server.stop() }
        var environment = ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc",
                           "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token"]
        let provider = ContainerAWSCredentialsProvider(environment: environment, relativeBase: server.url)
        let credentials = try await provider.credentials()
        #expect(credentials == AWSCredentials(accessKeyID: "ASIAMETADATA", secretAccessKey: "metadata-secret",
                                              sessionToken: "metadata-token", expiration: Date(timeIntervalSince1970: 4_070_908_800)))
        #expect(server.requests.last?.target == "/v2/credentials/abc")
        #expect(server.requests.last?.headers["authorization"] == "variable-token")

        let directory = try TemporaryDirectory()
        environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = try directory.write("token", "file-token\n")
        _ = try await ContainerAWSCredentialsProvider(environment: environment, relativeBase: server.url).credentials()
        #expect(server.requests.last?.headers["authorization"] == "file-token")
    }

    @Test("container: full URI on loopback; other hosts, HTTP errors and bad JSON are refused")
    func containerFull() async throws {
        let server = try FakeHTTPServer { request in
            request.target == "/bad" ? FakeHTTPServer.response("<html>", framing: .untilClose)
                : request.target == "/denied" ? FakeHTTPServer.response(status: 403, "denied")
                : FakeHTTPServer.response(metadataCredentialsJSON(access: "ASIAFULL"))
        }
        defer { server.stop() }
        let good = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.url + "/creds"]
        #expect(try await ContainerAWSCredentialsProvider(environment: good).credentials().accessKeyID == "ASIAFULL")
        for (uri, expected) in [(server.url + "/bad", "JSON"), (server.url + "/denied", "403"),
                                ("http://198.51.100.7/creds", "not loopback")] {
            do {
                _ = try await ContainerAWSCredentialsProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri]).credentials()
                Issue.record("no error for \(uri)")
            } catch let error as MSKAuthError {
                #expect(error.code == .credentialsProviderFailed && error.detail.contains(expected), "\(error)")
            }
        }
        await #expect(throws: MSKAuthError(.credentialsNotFound, detail: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set")) {
            try await ContainerAWSCredentialsProvider(environment: [:]).credentials()
        }
    }

    @Test("IMDSv2: token PUT, role name, then the role's credentials, each with the token")
    func instanceMetadata() async throws {
        let server = try FakeHTTPServer { request in
            switch (request.method, request.target) {
            case ("PUT", "/latest/api/token"):
                return request.headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600"
                    ? FakeHTTPServer.response("imds-session-token") : FakeHTTPServer.response(status: 400, "")
            case _ where request.headers["x-aws-ec2-metadata-token"] != "imds-session-token":
                return FakeHTTPServer.response(status: 401, "")
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return FakeHTTPServer.response("my-role\n", framing: .chunked(3))
            case ("GET", "/latest/meta-data/iam/security-credentials/my-role"):
                return FakeHTTPServer.response(metadataCredentialsJSON(access: "ASIAEC2"))
            default:
                return FakeHTTPServer.response(status: 404, "")
            }
        }
        defer { server.stop() }
        let credentials = try await InstanceMetadataAWSCredentialsProvider(endpoint: server.url, environment: [:]).credentials()
        #expect(credentials.accessKeyID == "ASIAEC2" && credentials.sessionToken == "metadata-token")
        #expect(server.requests.map(\.method) == ["PUT", "GET", "GET"])

        let fromEnvironment = ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url]
        #expect(try await InstanceMetadataAWSCredentialsProvider(environment: fromEnvironment).credentials().accessKeyID == "ASIAEC2")
        await #expect(throws: MSKAuthError.self) {
            try await InstanceMetadataAWSCredentialsProvider(environment: ["AWS_EC2_METADATA_DISABLED": "true"]).credentials()
        }
    }

    @Test("IMDSv2: an instance without a role is 'not found'")
    func instanceWithoutRole() async throws {
        let server = try FakeHTTPServer { request in
            request.method == "PUT" ? FakeHTTPServer.response("t") : FakeHTTPServer.response(status: 404, "")
        }
        defer { server.stop() }
        do {
            _ = try await InstanceMetadataAWSCredentialsProvider(endpoint: server.url, environment: [:]).credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.code == .credentialsNotFound)
        }
    }

    static let stsSuccess = """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <SubjectFromWebIdentityToken>system:serviceaccount:default:app</SubjectFromWebIdentityToken>
            <Credentials>
              <SessionToken>FwoG&amp;token</SessionToken>
              <SecretAccessKey>sts-secret</SecretAccessKey>
              <Expiration>2030-01-01T00:00:00Z</Expiration>
              <AccessKeyId>ASIASTS</AccessKeyId>
            </Credentials>
          </AssumeRoleWithWebIdentityResult>
        </AssumeRoleWithWebIdentityResponse>
        """

    @Test("web identity: AssumeRoleWithWebIdentity form request and XML response, through an endpoint override")
    func webIdentity() async throws {
        let server = try FakeHTTPServer { _ in FakeHTTPServer.response(Self.stsSuccess, headers: ["Content-Type: text/xml"]) }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "eyJhbGciOi.jwt+token/=\n")
        let environment = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app",
                           "AWS_ROLE_SESSION_NAME": "my-session", "AWS_ENDPOINT_URL_STS": server.url]
        let credentials = try await WebIdentityAWSCredentialsProvider(environment: environment).credentials()
        #expect(credentials.accessKeyID == "ASIASTS" && credentials.secretAccessKey == "sts-secret")
        #expect(credentials.sessionToken == "FwoG&token")
        #expect(credentials.expiration?.timeIntervalSince1970 == 1_893_456_000)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.headers["content-type"]?.hasPrefix("application/x-www-form-urlencoded") == true)
        #expect(request.body == "Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp"
                + "&RoleSessionName=my-session&Version=2011-06-15&WebIdentityToken=eyJhbGciOi.jwt%2Btoken%2F%3D")

        // The same through a profile with role_arn and web_identity_token_file.
        let config = try directory.write("config", """
            [profile eks]
            role_arn = arn:aws:iam::123456789012:role/other
            web_identity_token_file = \(tokenFile)
            """)
        let profile = ProfileAWSCredentialsProvider(profile: "eks", environment: ["AWS_CONFIG_FILE": config], stsEndpoint: server.url)
        #expect(try await profile.credentials().accessKeyID == "ASIASTS")
        #expect(server.requests.last?.body.contains("role%2Fother") == true)
    }

    @Test("web identity: STS errors carry STS's code and message; the real STS is regional HTTPS")
    func webIdentityErrors() async throws {
        let server = try FakeHTTPServer { _ in
            FakeHTTPServer.response(status: 400, """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
                <Code>InvalidIdentityToken</Code><Message>Token &quot;expired&quot;</Message></Error></ErrorResponse>
                """)
        }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let secretToken = "super-secret-jwt"
        let tokenFile = try directory.write("token", secretToken)
        do {
            _ = try await WebIdentityAWSCredentialsProvider(roleARN: "arn:aws:iam::1:role/r", tokenFile: tokenFile,
                                                            environment: [:], stsEndpoint: server.url).credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.detail == #"STS AssumeRoleWithWebIdentity failed: InvalidIdentityToken: Token "expired""#)
        }
        let real = WebIdentityAWSCredentialsProvider(roleARN: "arn:aws:iam::1:role/r", tokenFile: tokenFile,
                                                     environment: ["AWS_REGION": "eu-west-1"])
        #expect(try real.endpoint() == HTTPEndpoint(scheme: "https", host: "sts.eu-west-1.amazonaws.com"))
        await #expect(throws: MSKAuthError.self) {
            try await WebIdentityAWSCredentialsProvider(environment: ["AWS_ROLE_ARN": "arn:aws:iam::1:role/r"]).credentials()
        }
    }
}
