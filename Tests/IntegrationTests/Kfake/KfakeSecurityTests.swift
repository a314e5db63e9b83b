import Foundation
import KafkaTestSupport
import KafkaWire
import Testing
@testable import KafkaClient

/// kfake's own SASL (PLAIN, SCRAM) and ACLs: a broker we did not write checks our
/// authentication, and denies what the ACLs do not allow.
@Suite("kfake: SASL and ACLs", .enabled(if: KfakeCluster.isEnabled, KfakeCluster.skipComment), .timeLimit(.minutes(2)))
struct KfakeSecurityTests {
    static func producer(_ kfake: KfakeCluster, _ mechanism: any SASLMechanism) throws -> KafkaProducer {
        var configuration = KafkaProducer.Configuration(bootstrapServers: kfake.bootstrapServers)
        configuration.cluster.connection.sasl = mechanism
        configuration.deliveryTimeout = .seconds(15)
        configuration.maxBlock = .seconds(10)
        return try KafkaProducer(configuration: configuration)
    }

    static func admin(_ kfake: KfakeCluster, _ mechanism: any SASLMechanism) throws -> KafkaAdminClient {
        var configuration = KafkaAdminClient.Configuration(bootstrapServers: kfake.bootstrapServers)
        configuration.cluster.connection.sasl = mechanism
        return try KafkaAdminClient(configuration: configuration)
    }

    @Test("SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN users produce and read back through every broker")
    func mechanisms() async throws {
        let kfake = try KfakeCluster.start(["-sasl", "scram512:ann:s3cret", "-sasl", "scram256:bob:pa55", "-sasl", "plain:cyd:plainpw"])
        defer { kfake.stop() }
        let mechanisms: [(String, any SASLMechanism)] = [
            ("scram512", SCRAMMechanism.scramSHA512(username: "ann", password: "s3cret")),
            ("scram256", SCRAMMechanism.scramSHA256(username: "bob", password: "pa55")),
            ("plain", PlainMechanism.plain(username: "cyd", password: "plainpw")),
        ]
        for (name, mechanism) in mechanisms {
            let topic = TestBroker.uniqueTopicName("kf-sasl-\(name)")
            let producer = try Self.producer(kfake, mechanism)
            // Three partitions over three brokers: each broker's connection authenticates.
            let admin = try Self.admin(kfake, mechanism)
            _ = try await admin.createTopics([NewTopic(name: topic, partitions: 3)])
            for partition: Int32 in 0..<3 {
                let report = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: partition, key: nil, value: "\(name)-\(partition)"))
                #expect(report.offset == 0, "\(name) partition \(partition)")
            }
            await producer.close()
            let offsets = try await admin.listOffsets(Dictionary(uniqueKeysWithValues: (0..<3).map { (TopicPartition(topic: topic, partition: $0), OffsetSpec.latest) }))
            #expect(offsets.values.allSatisfy { (try? $0.get().offset) == 1 }, "\(name): \(offsets)")
            await admin.close()
        }
    }

    @Test("a wrong password is a typed authentication error within seconds, for the producer and the admin client")
    func wrongPassword() async throws {
        let kfake = try KfakeCluster.start(["-sasl", "scram512:ann:s3cret"])
        defer { kfake.stop() }
        let wrong = SCRAMMechanism.scramSHA512(username: "ann", password: "not-it")
        let started = ContinuousClock.now
        let admin = try Self.admin(kfake, wrong)
        do {
            _ = try await admin.listTopics()
            Issue.record("listTopics succeeded with a wrong password")
        } catch {
            #expect(error.code == .authenticationFailed, "\(error)")
        }
        await admin.close()
        let producer = try Self.producer(kfake, wrong)
        do {
            _ = try await producer.sendAndWait(KafkaProducerRecord(topic: "kf-denied", value: "x"))
            Issue.record("a record was delivered with a wrong password")
        } catch {
            #expect(error.code == .authenticationFailed, "\(error)")
        }
        await producer.close()
        #expect(started.duration(to: .now) < .seconds(12), "no waiting for a timeout")

        // A consumer's messages loop ends with the same error, assigned or in a group.
        for subscribing in [false, true] {
            var configuration = KafkaConsumer.Configuration(bootstrapServers: kfake.bootstrapServers)
            configuration.cluster.connection.sasl = wrong
            configuration.groupId = "kf-intruders"
            let consumer = try KafkaConsumer(configuration: configuration)
            if subscribing {
                try consumer.subscribe(topics: ["kf-denied"])
            } else {
                consumer.assign([TopicPartition(topic: "kf-denied", partition: 0): .earliest])
            }
            let began = ContinuousClock.now
            let error = await Self.loopOutcome(consumer, within: .seconds(20))
            #expect(error?.code == .authenticationFailed, "subscribing: \(subscribing): \(String(describing: error))")
            #expect(began.duration(to: .now) < .seconds(10), "subscribing: \(subscribing): no waiting for a timeout")
            await consumer.close()
        }
    }

    /// How a loop over `consumer.messages` ended: the error it threw, or nil when it
    /// ended without one (the consumer is closed after `limit`, so a hang ends too).
    static func loopOutcome(_ consumer: KafkaConsumer, within limit: Duration) async -> KafkaError? {
        let closer = Task {
            try await Task.sleep(for: limit)
            await consumer.close()
        }
        defer { closer.cancel() }
        do {
            for try await message in consumer.messages { Issue.record("a record was handed out: \(message.topic)@\(message.offset)") }
            return nil
        } catch {
            return error as? KafkaError
        }
    }

    @Test("with ACLs on, a user without grants gets typed authorization errors on produce, fetch and admin calls; a grant lets it produce")
    func acls() async throws {
        let kfake = try KfakeCluster.start(["-sasl", "scram512:root:rootpw", "-acls"])
        defer { kfake.stop() }
        let root = SCRAMMechanism.scramSHA512(username: "root", password: "rootpw")
        let topic = TestBroker.uniqueTopicName("kf-acl")
        let rootAdmin = try Self.admin(kfake, root)
        _ = try await rootAdmin.createTopics([NewTopic(name: topic, partitions: 1)])
        try await Self.addScramUser("eve", password: "evepw", with: kfake, as: root)

        let eve = SCRAMMechanism.scramSHA512(username: "eve", password: "evepw")
        let producer = try Self.producer(kfake, eve)
        do {
            _ = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "denied"))
            Issue.record("a record was delivered without a WRITE grant")
        } catch {
            #expect(error.brokerErrorCode == .topicAuthorizationFailed || error.brokerErrorCode == .clusterAuthorizationFailed, "\(error)")
        }
        await producer.close()

        // Fetch: the denial ends the consumer's messages loop with a typed error, and nothing is handed out.
        var consumerConfiguration = KafkaConsumer.Configuration(bootstrapServers: kfake.bootstrapServers)
        consumerConfiguration.cluster.connection.sasl = eve
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
        let fetchError = await Self.loopOutcome(consumer, within: .seconds(15))
        #expect(fetchError?.brokerErrorCode == .topicAuthorizationFailed, "\(String(describing: fetchError))")
        #expect(consumer.takeErrors().contains { $0.brokerErrorCode == .topicAuthorizationFailed })
        await consumer.close()

        let eveAdmin = try Self.admin(kfake, eve)
        let created = try await eveAdmin.createTopics([NewTopic(name: TestBroker.uniqueTopicName("kf-acl-new"), partitions: 1)])
        #expect(created.values.allSatisfy { result in
            if case .failure(let error) = result { return error.brokerErrorCode == .topicAuthorizationFailed }
            return false
        }, "\(created)")

        for result in try await rootAdmin.createAcls([
            AclBinding(resourceType: .topic, resourceName: topic, principal: "User:eve", operation: .write, permission: .allow),
            AclBinding(resourceType: .cluster, resourceName: "kafka-cluster", principal: "User:eve", operation: .idempotentWrite, permission: .allow),
        ]) { try result.get() }
        let granted = try Self.producer(kfake, eve)
        let report = try await granted.sendAndWait(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "allowed"))
        #expect(report.offset == 0)
        await granted.close()
        await eveAdmin.close()
        await rootAdmin.close()
    }

    /// Creates SCRAM-SHA-512 credentials for `user` through AlterUserScramCredentials.
    static func addScramUser(_ user: String, password: String, with kfake: KfakeCluster, as admin: any SASLMechanism) async throws {
        var configuration = KafkaCluster.Configuration(bootstrapServers: kfake.bootstrapServers)
        configuration.connection.sasl = admin
        let cluster = try KafkaCluster(configuration: configuration)
        let salt = Array("salt-for-\(user)".utf8)
        let iterations: Int32 = 4096
        var upsertion = AlterUserScramCredentialsRequest.ScramCredentialUpsertion()
        upsertion.name = user
        upsertion.mechanism = 2  // SCRAM-SHA-512
        upsertion.iterations = iterations
        upsertion.salt = salt
        upsertion.saltedPassword = try SASLCrypto.pbkdf2(.sha512, password: Array(password.utf8), salt: salt, iterations: Int(iterations))
        var request = AlterUserScramCredentialsRequest()
        request.upsertions = [upsertion]
        let response = try await cluster.send(request, to: .controller)
        #expect(response.results.allSatisfy { $0.errorCode == 0 }, "\(response.results)")
        await cluster.close()
    }
}
