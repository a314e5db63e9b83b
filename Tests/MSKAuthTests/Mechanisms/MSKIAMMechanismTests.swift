import Foundation
import KafkaClient
import Testing
@testable import MSKAuth

@Suite("AWS_MSK_IAM and MSK OAUTHBEARER mechanisms")
struct MSKIAMMechanismTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                            sessionToken: "session/token+==")
    static let date = Date(timeIntervalSince1970: 1_700_000_000)
    static let host = "b-1.demo.abc123.c2.kafka.eu-west-1.amazonaws.com"

    static func mechanism(region: String? = nil, provider: any AWSCredentialsProvider = .static(credentials)) -> MSKIAMMechanism {
        MSKIAMMechanism(region: region, credentialsProvider: provider, userAgent: "test-agent", clock: .fixed(date))
    }

    @Test("the initial response is the signed payload for the broker host, region read from the host")
    func initialResponse() async throws {
        let mechanism = Self.mechanism()
        #expect(mechanism.name == "AWS_MSK_IAM")
        let (_, message) = try await mechanism.authenticate(with: SASLBrokerContext(host: Self.host, port: 9098))
        let expected = try MSKIAMAuthPayload(credentials: Self.credentials, brokerHost: Self.host, region: "eu-west-1",
                                             userAgent: "test-agent", clock: .fixed(Self.date))
        #expect(message == expected.bytes)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(message)) as? [String: String])
        #expect(json["host"] == Self.host && json["action"] == "kafka-cluster:Connect")
        #expect(json["x-amz-credential"] == "AKIDEXAMPLE/20231114/eu-west-1/kafka-cluster/aws4_request")
        #expect(json["x-amz-security-token"] == "session/token+==")
    }

    @Test("the session accepts MSK's JSON reply and refuses anything else with the broker's text")
    func session() async throws {
        var (session, _) = try await Self.mechanism().authenticate(with: SASLBrokerContext(host: Self.host, port: 9098))
        #expect(try session.challenge(Array(#"{"version":"2020_10_22","request-id":"f00-ba4"}"#.utf8)) == .done)
        #expect(throws: KafkaError.self) { try session.challenge([]) }

        var (other, _) = try await Self.mechanism().authenticate(with: SASLBrokerContext(host: Self.host, port: 9098))
        do {
            _ = try other.challenge(Array("Access denied\n".utf8))
            Issue.record("no error")
        } catch let error as KafkaError {
            #expect(error.code == .authenticationFailed)
            #expect(error.detail.contains("AWS_MSK_IAM") && error.detail.contains("Access denied"), "\(error)")
        }
    }

    @Test("failures: no region in the host, credentials unavailable or expired; never a secret in the error")
    func failures() async throws {
        let local = SASLBrokerContext(host: "127.0.0.1", port: 9098)
        do {
            _ = try await Self.mechanism().authenticate(with: local)
            Issue.record("no error")
        } catch let error as KafkaError {
            #expect(error.code == .authenticationFailed && error.detail.contains("region"), "\(error)")
        }
        #expect(try await Self.mechanism(region: "us-east-1").payload(for: local).host == "127.0.0.1")

        let missing = ClosureAWSCredentialsProvider { throw MSKAuthError(.credentialsNotFound, detail: "AWS_ACCESS_KEY_ID is not set") }
        let expired = AWSCredentials(accessKeyID: "AKIDOLD", secretAccessKey: "old-secret", expiration: Date(timeIntervalSince1970: 0))
        for (provider, text) in [(missing as any AWSCredentialsProvider, "AWS_ACCESS_KEY_ID is not set"),
                                 (StaticAWSCredentialsProvider(expired), "expired")] {
            do {
                _ = try await Self.mechanism(provider: provider).authenticate(with: SASLBrokerContext(host: Self.host, port: 1))
                Issue.record("no error")
            } catch let error as KafkaError {
                #expect(error.code == .authenticationFailed && error.detail.contains(text), "\(error)")
                #expect(!error.description.contains("old-secret"))
            }
        }
        #expect(!String(describing: Self.mechanism()).contains(Self.credentials.secretAccessKey))
        var dumped = ""
        dump(Self.mechanism(), to: &dumped)
        #expect(dumped.contains("AKIDEXAMPLE"))
        #expect(!dumped.contains(Self.credentials.secretAccessKey) && !dumped.contains("session/token"), "\(dumped)")
    }

    @Test("the .awsMSKIAM and .mskOAuthBearer spellings")
    func conveniences() async throws {
        func name(_ mechanism: some SASLMechanism) -> String { mechanism.name }
        #expect(name(.awsMSKIAM(region: "eu-west-1", credentialsProvider: .static(Self.credentials))) == "AWS_MSK_IAM")
        #expect(name(.mskOAuthBearer(region: "eu-west-1", credentials: .static(Self.credentials))) == "OAUTHBEARER")
    }

    @Test("MSK OAUTHBEARER: the client first message carries the presigned token")
    func oauthBearer() async throws {
        let now = Date()
        let mechanism = OAuthBearerMechanism.mskOAuthBearer(region: "eu-west-1", credentials: .static(Self.credentials),
                                                             userAgent: "test-agent", clock: .fixed(now))
        let token = try await mechanism.tokenProvider()
        let expected = try MSKOAuthBearerToken(credentials: Self.credentials, region: "eu-west-1", userAgent: "test-agent",
                                               clock: .fixed(now))
        #expect(token.value == expected.value)
        let lifetime = ContinuousClock.now.duration(to: try #require(token.expiresAt))
        #expect(lifetime > .seconds(890) && lifetime <= .seconds(900))
        let (_, message) = try await mechanism.authenticate(with: SASLBrokerContext(host: Self.host, port: 9098))
        #expect(String(decoding: message, as: UTF8.self) == "n,,\u{1}auth=Bearer \(expected.value)\u{1}\u{1}")

        let broken = OAuthBearerMechanism.mskOAuthBearer(region: "nowhere", credentials: .static(Self.credentials))
        await #expect(throws: KafkaError.self) { try await broken.tokenProvider() }
    }

    @Test("the mechanism's payload equals botocore's presigned request, field by field",
          .enabled(if: PythonReference.isAvailable, Comment(rawValue: PythonReference.missingMessage)))
    func botocore() async throws {
        let cases = MSKPythonCrossCheckTests.makeCases(count: 4)
        let references = try PythonReference.evaluate(cases)
        for (input, reference) in zip(cases, references) {
            let credentials = AWSCredentials(accessKeyID: input.access, secretAccessKey: input.secret, sessionToken: input.token)
            let mechanism = MSKIAMMechanism(credentialsProvider: .static(credentials), userAgent: input.userAgent,
                                            clock: .fixed(Date(timeIntervalSince1970: TimeInterval(input.epoch))))
            let (_, message) = try await mechanism.authenticate(with: SASLBrokerContext(host: input.host, port: 9098))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(message)) as? [String: String])
            for (name, value) in reference.iam {
                #expect(json[name.lowercased()] == value, "\(name) for \(input.host)")
            }
            #expect(json["host"] == input.host && json["version"] == "2020_10_22" && json["user-agent"] == input.userAgent)
        }
    }
}
