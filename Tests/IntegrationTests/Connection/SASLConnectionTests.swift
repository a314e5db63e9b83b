import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaWire
import Logging
import Testing

/// SASL through `BrokerConnection` and `KafkaCluster`, against `sasl_front.py`
/// (server side of SCRAM from scramp) forwarding to the broker.
@Suite("SASL connections through the test front", .enabled(if: SASLFront.isAvailable, "python3 with scramp is needed"))
struct SASLConnectionTests {
    static func connection(port: Int, _ mechanism: any SASLMechanism) throws -> BrokerConnection {
        var configuration = BrokerConnection.Configuration()
        configuration.sasl = mechanism
        var logger = Logger(label: "test", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_DEBUG"] != nil ? Logger.Level.debug : Logger.Level.error
        return try BrokerConnection(host: "127.0.0.1", port: port, configuration: configuration, logger: logger)
    }

    @Test("SCRAM-SHA-256 and SCRAM-SHA-512: the right password authenticates and requests flow",
          arguments: ["SCRAM-SHA-256", "SCRAM-SHA-512"])
    func scramRightPassword(mechanism: String) async throws {
        let front = SASLFront()
        let port = try front.start(users: ["alice": "pencil-\(mechanism)"])
        defer { front.stop() }
        let sasl: SCRAMMechanism = mechanism == "SCRAM-SHA-256"
            ? .scramSHA256(username: "alice", password: "pencil-\(mechanism)")
            : .scramSHA512(username: "alice", password: "pencil-\(mechanism)")
        let connection = try Self.connection(port: port, sasl)
        let metadata = try await connection.send(MetadataRequest(topics: []))
        #expect(!metadata.brokers.isEmpty)
        #expect(front.authenticationCount(user: "alice") == 1)
        await connection.close()
    }

    @Test("SCRAM with a wrong password fails with authenticationFailed and the broker's message",
          arguments: ["SCRAM-SHA-256", "SCRAM-SHA-512"])
    func scramWrongPassword(mechanism: String) async throws {
        let front = SASLFront()
        let port = try front.start(users: ["alice": "right"])
        defer { front.stop() }
        let sasl: SCRAMMechanism = mechanism == "SCRAM-SHA-256"
            ? .scramSHA256(username: "alice", password: "wrong")
            : .scramSHA512(username: "alice", password: "wrong")
        let connection = try Self.connection(port: port, sasl)
        do {
            _ = try await connection.send(MetadataRequest(topics: []))
            Issue.record("a wrong password authenticated")
        } catch {
            #expect(error.code == .authenticationFailed)
            #expect(!error.isRetriable)
            #expect(!"\(error)".contains("wrong"), "the password never appears in errors")
        }
        #expect(connection.isClosed)
    }

    @Test("PLAIN and OAUTHBEARER authenticate; a bad token is refused")
    func plainAndOAuthBearer() async throws {
        let front = SASLFront()
        let port = try front.start(users: ["bob": "builder"], token: "t0ken-123")
        defer { front.stop() }
        let plain = try Self.connection(port: port, PlainMechanism.plain(username: "bob", password: "builder"))
        _ = try await plain.apiVersions()
        #expect(try await plain.send(MetadataRequest(topics: [])).brokers.count >= 1)
        await plain.close()

        let bearer = try Self.connection(port: port, OAuthBearerMechanism.oauthBearer {
            OAuthBearerToken(value: "t0ken-123", lifetime: .seconds(60), extensions: ["traceId": "abc"])
        })
        _ = try await bearer.send(MetadataRequest(topics: []))
        await bearer.close()

        let refused = try Self.connection(port: port, OAuthBearerMechanism.oauthBearer {
            OAuthBearerToken(value: "forged", lifetime: .seconds(60))
        })
        do {
            _ = try await refused.send(MetadataRequest(topics: []))
            Issue.record("a forged token authenticated")
        } catch {
            #expect(error.code == .authenticationFailed)
        }
    }

    @Test("KIP-368: the connection re-authenticates before the session expires, with no request failing")
    func reauthentication() async throws {
        let front = SASLFront()
        let port = try front.start(users: ["carol": "secret"], sessionLifetimeMs: 1200)
        defer { front.stop() }
        let connection = try Self.connection(port: port, SCRAMMechanism.scramSHA512(username: "carol", password: "secret"))
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        var answered = 0
        // Keep requests in flight throughout, so re-authentication happens between them,
        // until the session was renewed twice (about 2 s at 85-95% of 1.2 s).
        while ContinuousClock.now < deadline, front.authenticationCount(user: "carol") < 3 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 {
                    group.addTask { _ = try await connection.send(MetadataRequest(topics: [.init(name: "reauth-\(index)")], allowAutoTopicCreation: false)) }
                }
                try await group.waitForAll()
            }
            answered += 8
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(answered >= 16)
        #expect(front.authenticationCount(user: "carol") >= 3, "initial + at least two re-authentications")
        #expect(!connection.isClosed)
        await connection.close()
    }

    @Test("a cluster behind the front: metadata, leader routing and produce all authenticate",
          .disabled(if: TestBroker.isKfake,
                    "the front forwards to one broker and advertises itself for all; kfake has three (KfakeSecurityTests covers its own SASL)"))
    func clusterBehindFront() async throws {
        let front = SASLFront()
        // The front rewrites Metadata so brokers are reached through it too.
        let port = try front.start(users: ["dave": "pw"])
        defer { front.stop() }
        var configuration = KafkaProducer.Configuration(bootstrapServers: ["127.0.0.1:\(port)"])
        configuration.cluster.connection.sasl = SCRAMMechanism.scramSHA256(username: "dave", password: "pw")
        let producer = try KafkaProducer(configuration: configuration)
        let report = try await producer.sendAndWait(KafkaProducerRecord(topic: TestBroker.uniqueTopicName("sasl"), value: "authenticated"))
        #expect(report.offset != nil)
        #expect(front.authenticationCount(user: "dave") >= 1)
        await producer.close()
    }
}
