// kafka-demo: the client end to end against a real broker. Creates a topic,
// produces keyed records with an idempotent, lz4-compressing KafkaProducer,
// prints each delivery report, and consumes them back in a consumer group.
//
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 swift run kafka-demo [topic]
// (./scripts/demo.sh starts an embedded broker and runs this against it.)
import Foundation
import KafkaClient
import KafkaWire

let bootstrap = (ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092")
    .split(separator: ",").map(String.init)
let topic = CommandLine.arguments.dropFirst().first ?? "kafka-demo-\(Int(Date().timeIntervalSince1970))"

do {
    let cluster = try KafkaCluster(configuration: .init(bootstrapServers: bootstrap))
    let metadata = try await cluster.refreshMetadata()
    for broker in metadata.brokers.values { print("broker \(broker)") }

    // Create the topic on the controller (TOPIC_ALREADY_EXISTS is fine on a re-run).
    var create = CreateTopicsRequest()
    create.topics = [CreateTopicsRequest.CreatableTopic(name: topic, numPartitions: 3, replicationFactor: 1)]
    for result in try await cluster.send(create, to: .controller).topics {
        print("create topic \(result.name): \(KafkaErrorCode(result.errorCode))")
    }

    // Produce: idempotent (the default), lz4 batches, keys spread by murmur2.
    var configuration = KafkaProducer.Configuration(bootstrapServers: bootstrap)
    configuration.compression = .lz4
    let producer = try KafkaProducer(configuration: configuration)
    for index in 1...6 {
        let record = KafkaProducerRecord(topic: topic, key: "customer-\(index % 3)", value: "order \(index) placed",
                                         headers: [RecordHeader(key: "source", value: Array("kafka-demo".utf8))])
        let report = try await producer.sendAndWait(record)
        print("delivered \(record.key.map { String(decoding: $0, as: UTF8.self) } ?? "-") to \(report.topic)-\(report.partition)"
              + " at offset \(report.offset ?? -1)")
    }
    await producer.close()

    // Consume them back in a consumer group: the group's coordinator assigns the
    // three partitions, and the consumer commits what it read when it closes.
    var consumerConfiguration = KafkaConsumer.Configuration(bootstrapServers: bootstrap)
    consumerConfiguration.groupId = "kafka-demo-\(topic)"
    consumerConfiguration.autoOffsetReset = .earliest
    consumerConfiguration.sessionTimeout = .seconds(6)
    let consumer = try KafkaConsumer(configuration: consumerConfiguration)
    try consumer.subscribe(topics: [topic])
    // The demo must end even if records never come: close after 60 seconds.
    let watchdog = Task {
        try await Task.sleep(for: .seconds(60))
        await consumer.close()
    }
    var received = 0
    for try await message in consumer.messages {
        print("consumed \(message.topic)-\(message.partition)@\(message.offset): \(message.keyString ?? "null") = \(message.valueString ?? "null")")
        received += 1
        if received == 6 { break }
    }
    watchdog.cancel()
    await consumer.close()
    guard received == 6 else {
        print("kafka-demo failed: consumed \(received) of 6 records within 60 seconds")
        exit(1)
    }
    await cluster.close()
} catch {
    print("kafka-demo failed: \(error)")
    exit(1)
}
