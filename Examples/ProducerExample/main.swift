// producer-example: creates a topic and sends six keyed records with an idempotent,
// lz4-compressing producer, printing each delivery report.
//
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 swift run producer-example [topic]
// (./scripts/demo.sh starts an embedded broker and runs this, then consumer-example.)
import Foundation
import KafkaClient

let bootstrap = (ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092")
    .split(separator: ",").map(String.init)
let topic = CommandLine.arguments.dropFirst().first ?? "orders"

do {
    // Three partitions; a topic left from an earlier run is fine.
    let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: bootstrap))
    if case .failure(let error) = try await admin.createTopics([NewTopic(name: topic, partitions: 3)])[topic],
       error.brokerErrorCode != .topicAlreadyExists {
        throw error
    }
    await admin.close()

    var configuration = KafkaProducer.Configuration(bootstrapServers: bootstrap)
    configuration.compression = .lz4  // idempotence is on by default
    let producer = try KafkaProducer(configuration: configuration)
    for index in 1...6 {
        let record = KafkaProducerRecord(topic: topic, key: "customer-\(index % 3)", value: "order \(index) placed",
                                         headers: [KafkaHeader(key: "source", value: Array("producer-example".utf8))])
        let report = try await producer.sendAndWait(record)  // or send(_:) and read producer.events
        print("delivered customer-\(index % 3) to \(report.topic)-\(report.partition) at offset \(report.offset ?? -1)")
    }
    await producer.close()
} catch {
    print("producer-example failed: \(error)")
    exit(1)
}
