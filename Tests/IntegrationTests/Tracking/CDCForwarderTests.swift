import DynamoDBCDC
import Foundation
import KafkaClient
import KafkaTestSupport
import KafkaTracking
import Testing

/// The DynamoDB Streams forwarder on the real broker: the sample stream's changes
/// arrive keyed by item, with their images, `cdc.*` headers and lineage.
@Suite("CDC forwarder on the real broker")
struct CDCForwarderTests {
    @Test("the sample stream forwarded: one record per change, one item's changes in order on its key's partition")
    func forwardSample() async throws {
        let topic = TestBroker.uniqueTopicName("cdc")
        try await KafkaProducerTests.createTopic(topic, partitions: 3)
        let data = try Data(contentsOf: URL(fileURLWithPath: PackageRoot.appending("Examples/CDCForwarder/sample-stream.json")))
        let changes = try DynamoDBStreamRecord.records(from: data)
        let producer = try KafkaProducer(configuration: try KafkaProducerTests.configuration())
        let forwarder = DynamoDBStreamForwarder(producer: TrackedProducer(producer, sourceService: "cdc-forwarder"), topic: topic)
        let stamped = try await forwarder.forward(changes)
        await producer.close()

        let consumer = try KafkaConsumerTests.consumer()
        consumer.assign((0..<3).reduce(into: [:]) { $0[TopicPartition(topic: topic, partition: $1)] = .earliest })
        let messages = try await KafkaConsumerTests.read(3, from: consumer)
        await consumer.close()
        func header(_ message: KafkaConsumerMessage, _ key: String) -> String? {
            message.headers.first { $0.key == key }?.value.map { String(decoding: $0, as: UTF8.self) }
        }
        let bySequence = Dictionary(uniqueKeysWithValues: messages.map { (header($0, DynamoDBStreamForwarder.Header.sequenceNumber) ?? "", $0) })
        for (change, lineage) in zip(changes, stamped) {
            let message = try #require(bySequence[change.sequenceNumber ?? ""])
            #expect(message.keyString == change.keyText)
            #expect(message.valueString == change.valueText)
            #expect(header(message, DynamoDBStreamForwarder.Header.eventName) == change.eventName.rawValue)
            #expect(header(message, DynamoDBStreamForwarder.Header.eventId) == change.eventId)
            let received = try #require(try LineageMetadata(headers: message.headers))
            #expect(received.eventId == lineage.eventId && received.sourceService == "cdc-forwarder")
            #expect(received.eventType == "dynamodb.\(change.eventName.rawValue)")
        }
        let order1 = messages.filter { $0.keyString == #"{"pk":"ORDER#1","sk":1}"# }
        #expect(order1.count == 2 && Set(order1.map(\.partition)).count == 1)
        #expect(order1.map { header($0, DynamoDBStreamForwarder.Header.eventName) } == ["INSERT", "MODIFY"])
        #expect(messages.first { $0.keyString?.contains("ORDER#2") == true }?.valueString?.contains("CANCELLED") == true)
    }
}
