import Foundation
import Testing
@testable import MSKAuth

@Suite("Credentials: static, closure, environment, shared files, chain")
struct CredentialsProviderTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

    @Test("static and closure providers")
    func staticAndClosure() async throws {
        let fixed = AWSCredentials(accessKeyID: "AKIDSTATIC", secretAccessKey: Self.secret)
        #expect(try await StaticAWSCredentialsProvider(fixed).credentials() == fixed)
        #expect(!String(describing: StaticAWSCredentialsProvider(fixed)).contains(Self.secret))
        await #expect(throws: MSKAuthError.self) {
            try await StaticAWSCredentialsProvider(accessKeyID: "", secretAccessKey: "x").credentials()
        }
        #expect(try await ClosureAWSCredentialsProvider { fixed }.credentials() == fixed)
    }

    @Test("environment: keys, session token, expiration; missing and half-set variables")
    func environment() async throws {
        let full = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": "tok",
                    "AWS_CREDENTIAL_EXPIRATION": "2030-01-02T03:04:05Z"]
        let credentials = try await EnvironmentAWSCredentialsProvider(environment: full).credentials()
        #expect(credentials.accessKeyID == "AKIDENV" && credentials.secretAccessKey == Self.secret)
        #expect(credentials.sessionToken == "tok")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_893_553_445))

        do {
            _ = try await EnvironmentAWSCredentialsProvider(environment: [:]).credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.code == .credentialsNotFound)
        }
        do {
            _ = try await EnvironmentAWSCredentialsProvider(environment: ["AWS_SECRET_ACCESS_KEY": Self.secret]).credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.code == .credentialsProviderFailed)
            #expect(error.detail.contains("AWS_ACCESS_KEY_ID") && !error.detail.contains(Self.secret))
        }
        let empty = ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": ""]
        #expect(try await EnvironmentAWSCredentialsProvider(environment: empty).credentials().sessionToken == nil)
    }

    @Test("config file syntax: sections, [profile x], comments, continuation lines")
    func configSyntax() {
        let text = """
            # comment
            [default]
            region = eu-west-1 ; inline comment
            [profile dev]
            aws_access_key_id=AKIDDEV
            s3 =
              max_concurrent_requests = 10
            AWS_Secret_Access_Key = abc#notacomment
            [sso-session corp]
            sso_region = us-east-1
            [dev]
            ignored = in a config file
            """
        let config = AWSConfigFile(parsing: text, kind: .config)
        #expect(config.profiles["default"] == ["region": "eu-west-1"])
        #expect(config.profiles["dev"] == ["aws_access_key_id": "AKIDDEV", "s3": "", "aws_secret_access_key": "abc#notacomment"])
        #expect(config.profiles.count == 2)
        let credentials = AWSConfigFile(parsing: "[dev]\naws_access_key_id = A\n[profile x]\nk=v", kind: .credentials)
        #expect(credentials.profiles["dev"] == ["aws_access_key_id": "A"])
        #expect(credentials.profiles["profile x"] == ["k": "v"])
    }

    @Test("profiles: AWS_PROFILE, credentials file over config file, missing profiles")
    func profiles() async throws {
        let directory = try TemporaryDirectory()
        let credentialsFile = try directory.write("credentials", """
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = \(Self.secret)
            [dev]
            aws_secret_access_key = from-credentials-file
            """)
        let configFile = try directory.write("config", """
            [profile dev]
            aws_access_key_id = AKIDDEV
            aws_secret_access_key = from-config-file
            aws_session_token = dev-token
            [profile half]
            aws_access_key_id = AKIDHALF
            """)
        var environment = ["AWS_SHARED_CREDENTIALS_FILE": credentialsFile, "AWS_CONFIG_FILE": configFile]
        #expect(try await ProfileAWSCredentialsProvider(environment: environment).credentials().accessKeyID == "AKIDDEFAULT")

        environment["AWS_PROFILE"] = "dev"
        let dev = try await ProfileAWSCredentialsProvider(environment: environment).credentials()
        #expect(dev == AWSCredentials(accessKeyID: "AKIDDEV", secretAccessKey: "from-credentials-file", sessionToken: "dev-token"))

        for (profile, code) in [("half", MSKAuthError.Code.credentialsProviderFailed), ("nobody", .credentialsProviderFailed)] {
            do {
                _ = try await ProfileAWSCredentialsProvider(profile: profile, environment: environment).credentials()
                Issue.record("no error for \(profile)")
            } catch let error as MSKAuthError {
                #expect(error.code == code, "\(error)")
                #expect(error.detail.contains(profile) && !error.detail.contains(Self.secret))
            }
        }
        // No files at all, no explicit profile: not found (the chain moves on).
        do {
            _ = try await ProfileAWSCredentialsProvider(environment: ["HOME": directory.path + "/none"]).credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.code == .credentialsNotFound)
        }
    }

    @Test("credential_process: JSON output, failures without leaking output")
    func credentialProcess() async throws {
        let directory = try TemporaryDirectory()
        let good = try directory.write("good.sh", """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret", "SessionToken": "proc-token", "Expiration": "2031-05-06T07:08:09.123Z"}'
            """, executable: true)
        let bad = try directory.write("bad.sh", "#!/bin/sh\necho leaked-secret-output\nexit 3\n", executable: true)
        let config = try directory.write("config", """
            [default]
            credential_process = \(good) --flag "quoted arg"
            [profile bad]
            credential_process = \(bad)
            """)
        let environment = ["AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": directory.path + "/none"]
        let credentials = try await ProfileAWSCredentialsProvider(environment: environment).credentials()
        #expect(credentials.accessKeyID == "AKIDPROC" && credentials.secretAccessKey == "proc-secret")
        #expect(credentials.sessionToken == "proc-token")
        #expect(credentials.expiration.map { Int($0.timeIntervalSince1970) } == 1_935_817_689)
        do {
            _ = try await ProfileAWSCredentialsProvider(profile: "bad", environment: environment).credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.detail.contains("status 3") && !error.detail.contains("leaked"))
        }
        #expect(throws: MSKAuthError.self) { try CredentialProcess.parse(Data(#"{"Version":2}"#.utf8)) }
    }

    @Test("the chain returns the first provider's credentials and lists every reason when all fail")
    func chain() async throws {
        let first = AWSCredentials(accessKeyID: "AKIDFIRST", secretAccessKey: "s1")
        let notFound = ClosureAWSCredentialsProvider { throw MSKAuthError(.credentialsNotFound, detail: "nothing here") }
        let chain = AWSCredentialsProviderChain([("a", notFound), ("b", StaticAWSCredentialsProvider(first)),
                                                 ("c", ClosureAWSCredentialsProvider { Issue.record("asked"); return first })])
        #expect(try await chain.credentials() == first)

        let failing = AWSCredentialsProviderChain([("a", notFound), ("b", notFound)])
        do {
            _ = try await failing.credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.code == .credentialsNotFound)
            #expect(error.detail.contains("a: nothing here") && error.detail.contains("b: nothing here"))
        }
    }

    @Test("the default chain: environment first, then the profile; nothing configured names every source")
    func defaultChain() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n")
        var environment = ["AWS_SHARED_CREDENTIALS_FILE": file, "AWS_CONFIG_FILE": directory.path + "/none",
                           "AWS_EC2_METADATA_DISABLED": "true"]
        #expect(try await DefaultAWSCredentialsProvider(environment: environment).credentials().accessKeyID == "AKIDFILE")
        environment["AWS_ACCESS_KEY_ID"] = "AKIDENV"
        environment["AWS_SECRET_ACCESS_KEY"] = "e"
        #expect(try await DefaultAWSCredentialsProvider(environment: environment).credentials().accessKeyID == "AKIDENV")

        let nothing = ["HOME": directory.path + "/none", "AWS_EC2_METADATA_DISABLED": "true"]
        do {
            _ = try await DefaultAWSCredentialsProvider(environment: nothing).credentials()
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.code == .credentialsNotFound)
            for source in ["environment", "profile", "web identity", "container", "instance metadata"] {
                #expect(error.detail.contains(source + ":"), "\(error.detail)")
            }
        }
    }
}
