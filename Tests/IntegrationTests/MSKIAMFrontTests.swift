import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import MSKAuth
import Synchronization
import Testing

/// `AWS_MSK_IAM` end to end: ``MSKIAMMechanism`` against `sasl_front.py`, which
/// recomputes the SigV4 signature with botocore from the known secret and
/// answers like MSK, then forwards to the test broker.
@Suite("AWS_MSK_IAM through the test front", .enabled(if: MSKIAMFrontAvailability.isAvailable,
                                                       "python3 with scramp and botocore is not installed"))
struct MSKIAMFrontTests {
    static let accessKeyID = "AKIDSWIFTKAFKATEST"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSWIFTKAFKA"
    static let region = "eu-west-1"

    static func startFront(sessionLifetimeMs: Int64? = nil) throws -> SASLFront {
        let front = SASLFront()
        try front.start(sessionLifetimeMs: sessionLifetimeMs, awsCredentials: (accessKeyID, secret), awsRegion: region)
        return front
    }

    static func mechanism(secret: String = secret, sessionToken: String? = nil) -> MSKIAMMechanism {
        MSKIAMMechanism(region: region, credentialsProvider: .static(
            AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: sessionToken)))
    }

    @Test("a valid signature (with and without a session token, SaslAuthenticate v0-v2) authenticates; Metadata then reaches the broker",
          arguments: [(String?.none, Int16(2)), ("FwoGZXIvYXdzEJr//////////wEaDK+test/token==", 1), (nil, 0)])
    func authenticates(sessionToken: String?, version: Int16) async throws {
        let front = try Self.startFront()
        defer { front.stop() }
        let driver = try SASLFrontDriver(port: try #require(front.port))
        let apis = try driver.apiVersions()
        #expect(apis[17] == 0...1 && apis[36] == 0...2)
        try await driver.authenticate(Self.mechanism(sessionToken: sessionToken), version: version)
        #expect(front.authenticationCount(user: Self.accessKeyID) == 1)
        #expect(front.logLines().contains { $0.contains("mechanism=AWS_MSK_IAM user=\(Self.accessKeyID)") })
        let metadata = try driver.metadata()
        #expect(!metadata.brokers.isEmpty)
    }

    @Test("a wrong secret: SASL_AUTHENTICATION_FAILED with the broker's text, no secret in the error, then the connection closes")
    func wrongSecret() async throws {
        let front = try Self.startFront()
        defer { front.stop() }
        let driver = try SASLFrontDriver(port: try #require(front.port))
        let wrong = "not-the-secret-0123456789abcdefghijklmn"
        do {
            try await driver.authenticate(Self.mechanism(secret: wrong))
            Issue.record("authentication with a wrong secret succeeded")
        } catch let error as KafkaError {
            #expect(error.code == .authenticationFailed)
            #expect(error.brokerErrorCode == .saslAuthenticationFailed, "\(error)")
            #expect(error.description.contains("signature mismatch"), "\(error)")
            #expect(!error.description.contains(wrong) && !error.description.contains(Self.secret))
        }
        #expect(throws: (any Error).self) { _ = try driver.metadata() }
        #expect(front.logLines().contains { $0.hasPrefix("auth failed ") && $0.contains("mechanism=AWS_MSK_IAM") })
    }

    @Test("a signature for another region is refused")
    func wrongRegion() async throws {
        let front = try Self.startFront()
        defer { front.stop() }
        let driver = try SASLFrontDriver(port: try #require(front.port))
        let mechanism = MSKIAMMechanism(region: "us-west-2", credentialsProvider: .static(
            AWSCredentials(accessKeyID: Self.accessKeyID, secretAccessKey: Self.secret)))
        await #expect(throws: KafkaError.self) { try await driver.authenticate(mechanism) }
    }

    @Test("MSK OAUTHBEARER tokens: the presigned URL verified with botocore; a wrong secret gets invalid_token")
    func oauthBearer() async throws {
        let front = try Self.startFront()
        defer { front.stop() }
        let good = OAuthBearerMechanism.mskOAuthBearer(region: Self.region, credentials: .static(
            AWSCredentials(accessKeyID: Self.accessKeyID, secretAccessKey: Self.secret, sessionToken: "tok/en+=")))
        let driver = try SASLFrontDriver(port: try #require(front.port))
        try await driver.authenticate(good)
        #expect(front.logLines().contains { $0.contains("mechanism=OAUTHBEARER user=\(Self.accessKeyID)") })
        _ = try driver.metadata()

        let wrong = OAuthBearerMechanism.mskOAuthBearer(region: Self.region, credentials: .static(
            AWSCredentials(accessKeyID: Self.accessKeyID, secretAccessKey: "wrong-secret")))
        let other = try SASLFrontDriver(port: try #require(front.port))
        do {
            try await other.authenticate(wrong)
            Issue.record("a token signed with a wrong secret was accepted")
        } catch let error as KafkaError {
            #expect(error.code == .authenticationFailed && error.brokerErrorCode == .saslAuthenticationFailed)
            #expect(error.detail.contains("invalid_token") && error.detail.contains("signature mismatch"), "\(error)")
        }
    }

    @Test("KIP-368 re-authentication signs again with fresh credentials from the provider")
    func reauthentication() async throws {
        let front = try Self.startFront(sessionLifetimeMs: 60_000)
        defer { front.stop() }
        let calls = VisibleLock(0)
        let provider = ClosureAWSCredentialsProvider {
            let call = calls.withLock { value -> Int in value += 1; return value }
            return AWSCredentials(accessKeyID: Self.accessKeyID, secretAccessKey: Self.secret, sessionToken: "session-\(call)")
        }
        let mechanism = MSKIAMMechanism(region: Self.region, credentialsProvider: provider)
        let driver = try SASLFrontDriver(port: try #require(front.port))
        try await driver.authenticate(mechanism)
        #expect(driver.sessionLifetimeMs == 60_000)
        _ = try driver.metadata()
        try await driver.authenticate(mechanism)
        _ = try driver.metadata()
        #expect(front.authenticationCount(user: Self.accessKeyID) == 2)
        #expect(calls.withLock { $0 } == 2)
    }
}

/// Whether the front can check AWS_MSK_IAM: python3 with scramp and botocore.
enum MSKIAMFrontAvailability {
    static let isAvailable: Bool = {
        guard SASLFront.isAvailable else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import botocore.auth"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        while process.isRunning { usleep(10_000) }
        return process.terminationStatus == 0
    }()
}

/// AWS_MSK_IAM through the client's own connections: a producer and consumer
/// authenticating every broker connection, and KIP-368 re-authentication.
@Suite("AWS_MSK_IAM through KafkaProducer and KafkaConsumer", .enabled(if: MSKIAMFrontAvailability.isAvailable,
                                                                        "python3 with scramp and botocore is not installed"))
struct MSKIAMClientTests {
    @Test("a producer and a consumer authenticate with AWS_MSK_IAM and exchange records",
          .disabled(if: TestBroker.isKfake,
                    "the front forwards to one broker and advertises itself for all; kfake has three, so records for partitions led elsewhere never arrive"))
    func produceAndConsume() async throws {
        let front = try MSKIAMFrontTests.startFront()
        defer { front.stop() }
        let bootstrap = "127.0.0.1:\(try #require(front.port))"
        let topic = TestBroker.uniqueTopicName("msk")
        var producerConfiguration = KafkaProducer.Configuration(bootstrapServers: [bootstrap])
        producerConfiguration.cluster.connection.sasl = MSKIAMFrontTests.mechanism()
        let producer = try KafkaProducer(configuration: producerConfiguration)
        for index in 0..<10 { _ = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: 0, value: "iam \(index)")) }
        await producer.close()

        var consumerConfiguration = KafkaConsumer.Configuration(bootstrapServers: [bootstrap])
        consumerConfiguration.cluster.connection.sasl = MSKIAMFrontTests.mechanism()
        consumerConfiguration.fetchMaxWait = .milliseconds(100)
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
        let messages = try await KafkaConsumerTests.read(10, from: consumer)
        #expect(messages.map(\.valueString) == (0..<10).map { "iam \($0)" })
        await consumer.close()
        #expect(front.authenticationCount(user: MSKIAMFrontTests.accessKeyID) >= 2)
    }

    @Test("a wrong secret fails the connection with authenticationFailed, no secret in the error")
    func wrongSecret() async throws {
        let front = try MSKIAMFrontTests.startFront()
        defer { front.stop() }
        var configuration = BrokerConnection.Configuration()
        configuration.sasl = MSKIAMFrontTests.mechanism(secret: "not-the-secret")
        let connection = try BrokerConnection(host: "127.0.0.1", port: try #require(front.port), configuration: configuration)
        do {
            _ = try await connection.send(MetadataRequest(topics: []))
            Issue.record("a wrong secret authenticated")
        } catch {
            #expect(error.code == .authenticationFailed)
            #expect(!"\(error)".contains("not-the-secret"))
        }
    }

    @Test("KIP-368: the connection re-signs before the session lifetime ends, requests keep flowing")
    func reauthentication() async throws {
        let front = try MSKIAMFrontTests.startFront(sessionLifetimeMs: 1200)
        defer { front.stop() }
        var configuration = BrokerConnection.Configuration()
        configuration.sasl = MSKIAMFrontTests.mechanism()
        let connection = try BrokerConnection(host: "127.0.0.1", port: try #require(front.port), configuration: configuration)
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        var answered = 0
        while ContinuousClock.now < deadline, front.authenticationCount(user: MSKIAMFrontTests.accessKeyID) < 3 {
            _ = try await connection.send(MetadataRequest(topics: []))
            answered += 1
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(front.authenticationCount(user: MSKIAMFrontTests.accessKeyID) >= 3)
        #expect(answered > 5)
        #expect(!connection.isClosed)
        await connection.close()
    }
}
