import Foundation
import KafkaTestSupport
import KafkaWire
import Testing
@testable import KafkaClient

/// `Configuration(properties:)` on both clients and the mapping skcat shares:
/// names, aliases, values, and the errors for unknown names and bad values.
@Suite("Configuration from Java/librdkafka properties")
struct ConfigurationPropertiesTests {
    static let bootstrap = ["bootstrap.servers": "localhost:9092"]

    /// The KafkaError `body` throws, nil when it succeeds.
    static func failure(_ body: () throws -> Void) -> KafkaError? {
        do {
            try body()
            return nil
        } catch {
            return error as? KafkaError
        }
    }

    @Test("kcat's producer command line from issue 23 parses, every value in place")
    func issueCommandLine() throws {
        let configuration = try KafkaProducer.Configuration(properties: Self.bootstrap.merging([
            "enable.idempotence": "true", "acks": "all", "linger.ms": "5", "message.max.bytes": "1000000",
            "retry.backoff.ms": "100",
        ]) { $1 })
        #expect(configuration.enableIdempotence)
        #expect(configuration.acks == .all)
        #expect(configuration.linger == .milliseconds(5))
        #expect(configuration.maxRequestSize == 1_000_000)
        #expect(configuration.retryBackoff == .milliseconds(100))
        #expect(configuration.cluster.bootstrapServers == ["localhost:9092"])
    }

    @Test("producer settings under Java and librdkafka names")
    func producerSettings() throws {
        let configuration = try KafkaProducer.Configuration(properties: [
            "metadata.broker.list": "a:9092, b:9093", "client.id": "billing", "compression.codec": "zstd",
            "compression.level": "3", "batch.size": "65536", "batch.num.messages": "500",
            "queue.buffering.max.kbytes": "2048", "queue.buffering.max.messages": "1000", "message.timeout.ms": "30000",
            "request.timeout.ms": "5000", "retries": "7", "retry.backoff.max.ms": "2000", "transactional.id": "tx-1",
            "transaction.timeout.ms": "20000", "max.in.flight": "3", "socket.nagle.disable": "false", "socket.keepalive.enable": "true",
            "socket.send.buffer.bytes": "0", "socket.receive.buffer.bytes": "131072", "connections.max.idle.ms": "0",
            "reconnect.backoff.ms": "20", "reconnect.backoff.max.ms": "500", "metadata.max.age.ms": "60000",
            "socket.connection.setup.timeout.ms": "3000", "receive.message.max.bytes": "2000000",
        ])
        #expect(configuration.cluster.bootstrapServers == ["a:9092", "b:9093"])
        #expect(configuration.cluster.connection.clientId == "billing")
        #expect(configuration.compression == .zstd)
        #expect(configuration.compressionLevel == 3)
        #expect(configuration.batchSize == 65_536)
        #expect(configuration.maxBatchRecords == 500)
        #expect(configuration.bufferMemory == 2048 * 1024)
        #expect(configuration.maxBufferedRecords == 1000)
        #expect(configuration.deliveryTimeout == .seconds(30))
        #expect(configuration.requestTimeout == .seconds(5))
        #expect(configuration.cluster.connection.requestTimeout == .seconds(5))
        #expect(configuration.retries == 7)
        #expect(configuration.retryBackoffMax == .seconds(2))
        #expect(configuration.transactionalId == "tx-1")
        #expect(configuration.transactionTimeout == .seconds(20))
        #expect(configuration.maxInFlightPerConnection == 3)
        #expect(configuration.cluster.connection.maxInFlight == 3)
        #expect(!configuration.cluster.connection.socket.noDelay)
        #expect(configuration.cluster.connection.socket.keepAlive)
        #expect(configuration.cluster.connection.socket.sendBufferSize == nil)
        #expect(configuration.cluster.connection.socket.receiveBufferSize == 131_072)
        #expect(configuration.cluster.connection.connectionsMaxIdle == nil)
        #expect(configuration.cluster.reconnectBackoff.base == .milliseconds(20))
        #expect(configuration.cluster.reconnectBackoff.maximum == .milliseconds(500))
        #expect(configuration.cluster.metadataMaxAge == .seconds(60))
        #expect(configuration.cluster.connection.socket.connectTimeout == .seconds(3))
        #expect(configuration.cluster.connection.maxResponseSize == 2_000_000)
        // Producers create topics on first use unless told otherwise, as before.
        #expect(configuration.cluster.allowAutoTopicCreation)
    }

    @Test("consumer settings under Java and librdkafka names")
    func consumerSettings() throws {
        let configuration = try KafkaConsumer.Configuration(properties: Self.bootstrap.merging([
            "group.id": "billing", "group.instance.id": "billing-1", "group.protocol": "consumer",
            "auto.offset.reset": "smallest", "enable.auto.commit": "false", "auto.commit.interval.ms": "1000",
            "session.timeout.ms": "6000", "max.poll.interval.ms": "60000", "isolation.level": "read_committed",
            "fetch.min.bytes": "10", "fetch.wait.max.ms": "250", "fetch.max.bytes": "1000000",
            "fetch.message.max.bytes": "500000", "queued.max.messages.kbytes": "1024", "check.crcs": "false",
            "partition.assignment.strategy": "cooperative-sticky", "allow.auto.create.topics": "true", "client.rack": "use1-az1",
        ]) { $1 })
        #expect(configuration.groupId == "billing")
        #expect(configuration.groupInstanceId == "billing-1")
        #expect(configuration.groupProtocol == .consumer)
        #expect(configuration.autoOffsetReset == .earliest)
        #expect(!configuration.enableAutoCommit)
        #expect(configuration.autoCommitInterval == .seconds(1))
        #expect(configuration.sessionTimeout == .seconds(6))
        // A short session brings the heartbeat down to a third of it.
        #expect(configuration.heartbeatInterval == .seconds(2))
        #expect(configuration.rebalanceTimeout == .seconds(60))
        #expect(configuration.isolationLevel == .readCommitted)
        #expect(configuration.fetchMinBytes == 10)
        #expect(configuration.fetchMaxWait == .milliseconds(250))
        #expect(configuration.fetchMaxBytes == 1_000_000)
        #expect(configuration.maxPartitionFetchBytes == 500_000)
        #expect(configuration.maxPrefetchBytes == 1024 * 1024)
        #expect(!configuration.checkCRCs)
        #expect(configuration.partitionAssignors.map(\.name) == ["cooperative-sticky"])
        #expect(configuration.clientRack == "use1-az1")
        #expect(configuration.cluster.allowAutoTopicCreation)
    }

    @Test("an unknown property is an unknownProperty error naming it")
    func unknownProperty() {
        let error = Self.failure { _ = try KafkaProducer.Configuration(properties: Self.bootstrap.merging(["linger.msec": "5"]) { $1 }) }
        #expect(error?.code == .unknownProperty)
        #expect(error?.property == "linger.msec")
        #expect(error?.description.contains("linger.msec") == true)
    }

    @Test("a property of the other client is refused by name; the shared mapping takes both")
    func otherClientsProperty() throws {
        let producerError = Self.failure { _ = try KafkaProducer.Configuration(properties: Self.bootstrap.merging(["group.id": "g"]) { $1 }) }
        #expect(producerError?.code == .unknownProperty)
        #expect(producerError?.property == "group.id")
        let consumerError = Self.failure { _ = try KafkaConsumer.Configuration(properties: Self.bootstrap.merging(["acks": "1"]) { $1 }) }
        #expect(consumerError?.code == .unknownProperty)
        #expect(consumerError?.property == "acks")
        let both = try KafkaClientProperties(Self.bootstrap.merging(["group.id": "g", "acks": "all"]) { $1 }, for: .both)
        #expect(both.consumer.groupId == "g")
        #expect(both.producer.acks == .all)
    }

    @Test("an invalid value is an invalidProperty error naming the property and the value", arguments: [
        ("linger.ms", "soon"), ("acks", "2"), ("enable.idempotence", "maybe"), ("compression.type", "brotli"),
        ("auto.offset.reset", "middle"), ("fetch.max.bytes", "-1"), ("isolation.level", "serializable"),
        ("security.protocol", "tls"), ("partition.assignment.strategy", "sticky"), ("bootstrap.servers", "no-port"),
    ])
    func invalidValue(_ name: String, _ value: String) {
        let properties = Self.bootstrap.merging([name: value]) { $1 }
        let error = Self.failure { _ = try KafkaClientProperties(properties, for: .both) }
        #expect(error?.code == .invalidProperty)
        #expect(error?.property == name)
        #expect(error?.detail.contains(value) == true, "\(error?.detail ?? "no error")")
    }

    @Test("a password's value never shows in an error")
    func secretsHidden() {
        let value = KafkaPropertyValue(name: "ssl.key.password", text: "hunter2")
        #expect(!value.invalid("bad").description.contains("hunter2"))
        #expect(value.invalid("bad").property == "ssl.key.password")
    }

    @Test("bootstrap.servers is required")
    func bootstrapRequired() {
        let error = Self.failure { _ = try KafkaConsumer.Configuration(properties: ["group.id": "g"]) }
        #expect(error?.code == .invalidProperty)
        #expect(error?.property == "bootstrap.servers")
    }

    @Test("idempotence follows Java: off with acks=1 unless asked for, then an error naming acks")
    func idempotenceAndAcks() throws {
        let plain = try KafkaProducer.Configuration(properties: Self.bootstrap.merging(["acks": "1"]) { $1 })
        #expect(plain.acks == .leader)
        #expect(!plain.enableIdempotence)
        let error = Self.failure {
            _ = try KafkaProducer.Configuration(properties: Self.bootstrap.merging(["acks": "1", "enable.idempotence": "true"]) { $1 })
        }
        #expect(error?.code == .invalidProperty)
        #expect(error?.property == "acks")
        let transactional = Self.failure {
            _ = try KafkaProducer.Configuration(properties: Self.bootstrap.merging(["transactional.id": "t", "enable.idempotence": "false"]) { $1 })
        }
        #expect(transactional?.property == "enable.idempotence")
    }

    @Test("security: SASL_SSL with SCRAM, mutual TLS, and what is missing named")
    func security() throws {
        let scram = try KafkaConsumer.Configuration(properties: Self.bootstrap.merging([
            "security.protocol": "SASL_SSL", "sasl.mechanisms": "SCRAM-SHA-512", "sasl.username": "u", "sasl.password": "p",
            "ssl.ca.location": "/etc/ca.pem", "ssl.endpoint.identification.algorithm": "none",
        ]) { $1 })
        #expect(scram.cluster.connection.securityProtocol == .saslSSL)
        #expect(scram.cluster.connection.sasl?.name == "SCRAM-SHA-512")
        #expect(scram.cluster.connection.tls?.trustRoots == .pemFile("/etc/ca.pem"))
        #expect(scram.cluster.connection.tls?.certificateVerification == .noHostnameVerification)

        let mutual = try KafkaProducer.Configuration(properties: Self.bootstrap.merging([
            "security.protocol": "ssl", "ssl.certificate.location": "c.pem", "ssl.key.location": "k.pem",
            "ssl.key.password": "secret", "enable.ssl.certificate.verification": "false",
        ]) { $1 })
        #expect(mutual.cluster.connection.securityProtocol == .ssl)
        #expect(mutual.cluster.connection.tls?.certificateChain == .file("c.pem"))
        #expect(mutual.cluster.connection.tls?.privateKeyPassword == "secret")
        #expect(mutual.cluster.connection.tls?.certificateVerification == .noVerification)

        let noPassword = Self.failure {
            _ = try KafkaProducer.Configuration(properties: Self.bootstrap.merging([
                "security.protocol": "sasl_plaintext", "sasl.mechanism": "PLAIN", "sasl.username": "u",
            ]) { $1 })
        }
        #expect(noPassword?.property == "sasl.password")
        let noKey = Self.failure {
            _ = try KafkaProducer.Configuration(properties: Self.bootstrap.merging([
                "security.protocol": "ssl", "ssl.certificate.location": "c.pem",
            ]) { $1 })
        }
        #expect(noKey?.property == "ssl.key.location")
        let kerberos = Self.failure {
            _ = try KafkaProducer.Configuration(properties: Self.bootstrap.merging(["security.protocol": "sasl_plaintext"]) { $1 })
        }
        #expect(kerberos?.property == "sasl.mechanism")
    }

    @Test("a mechanism offered from above KafkaClient brings its own properties, unknown without it")
    func extensionMechanism() throws {
        let offered = KafkaPropertySASLMechanism(name: "TEST-MECH", properties: ["sasl.test.region"]) { values throws(KafkaError) in
            PlainMechanism.plain(username: values["sasl.test.region"] ?? "", password: "x")
        }
        let properties = Self.bootstrap.merging([
            "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "test-mech", "sasl.test.region": "eu-west-1",
        ]) { $1 }
        let parsed = try KafkaClientProperties(properties, for: .both, saslMechanisms: [offered])
        #expect(parsed.producer.cluster.connection.sasl?.name == "PLAIN")
        let error = Self.failure { _ = try KafkaClientProperties(properties, for: .both) }
        #expect(error?.code == .unknownProperty)
        #expect(error?.property == "sasl.test.region")
    }

    @Test("every property the README's table lists is taken, and every one taken is listed")
    func readmeTable() throws {
        let readme = try String(contentsOfFile: PackageRoot.appending("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "<!-- properties:start -->").dropFirst().first?
            .components(separatedBy: "<!-- properties:end -->").first)
        var listed: Set<String> = []
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let firstCell = line.split(separator: "|").first ?? ""
            for part in firstCell.split(separator: "`") where part.contains(".") || part == "acks" || part == "retries" || part == "partitioner" {
                listed.insert(String(part))
            }
        }
        let supported = Set(KafkaClientProperties.supported.flatMap(\.names))
        #expect(listed.subtracting(supported).isEmpty, "listed but not taken: \(listed.subtracting(supported).sorted())")
        #expect(supported.subtracting(listed).isEmpty, "taken but not listed: \(supported.subtracting(listed).sorted())")
    }
}
