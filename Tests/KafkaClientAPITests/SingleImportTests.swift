// Compiled with `import KafkaClient` alone (the target depends on nothing else and
// enables MemberImportVisibility), so it fails to build if the public API of records,
// headers, compression or consumed messages needs a type from another module.
import KafkaClient
import Testing

@Suite("import KafkaClient alone")
struct SingleImportTests {
    @Test("a producer record carries headers, a consumed message exposes them, and compression is a KafkaClient type")
    func recordsHeadersAndCompression() throws {
        var configuration = KafkaProducer.Configuration(bootstrapServers: ["localhost:9092"])
        configuration.compression = .zstd
        configuration.compressionLevel = 3
        #expect(configuration.compression.description == "zstd")
        #expect(KafkaCompressionCodec.allCases.map(\.description) == ["none", "gzip", "snappy", "lz4", "zstd"])

        var record = KafkaProducerRecord(topic: "orders", key: "o-1", value: "{}",
                                         headers: [KafkaHeader(key: "content-type", value: "application/json")])
        record.headers.append(KafkaHeader(key: "trace", value: [1, 2, 3]))
        record.headers.append(KafkaHeader(key: "empty", value: nil as [UInt8]?))
        #expect(record.headers.map(\.key) == ["content-type", "trace", "empty"])
        #expect(record.headers[0].valueString == "application/json")

        let message = KafkaConsumerMessage(topic: record.topic, partition: 0, offset: 41, key: Array("o-1".utf8)[...],
                                           value: Array("{}".utf8)[...], headers: record.headers, timestamp: 1_700_000_000_000,
                                           timestampType: .logAppendTime, leaderEpoch: 3)
        #expect(message.headers.last(named: "trace") == [1, 2, 3])
        #expect(message.headers.last(named: "empty") == nil)
        #expect(message.headers.last(named: "content-type").map { String(decoding: $0, as: UTF8.self) } == "application/json")
        #expect(message.timestampType == .logAppendTime)
        #expect(message.keyString == "o-1")
    }

    @Test("TLS, SASL and consumer settings are reachable under KafkaClient's own names")
    func configurationNames() throws {
        var consumer = KafkaConsumer.Configuration(bootstrapServers: ["localhost:9093"])
        consumer.groupId = "billing"
        consumer.cluster.connection.tls = KafkaTLSConfiguration.trusting(caFile: "/etc/ssl/ca.pem")
        consumer.cluster.connection.sasl = SCRAMMechanism.scramSHA512(username: "u", password: "p")
        #expect(consumer.cluster.connection.securityProtocol == .saslSSL)
        let fromProperties = try KafkaProducer.Configuration(properties: [
            "bootstrap.servers": "localhost:9092", "compression.type": "lz4",
        ])
        #expect(fromProperties.compression == .lz4)
    }
}
