// kafka-demo: the client end to end against a real broker. Creates a topic,
// produces keyed records with an idempotent, lz4-compressing KafkaProducer,
// prints each delivery report, and reads the records back with Fetch.
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

    // Read every partition back with plain Fetch requests to each leader.
    let partitions = try await cluster.metadata(topics: [topic]).topics[topic]?.partitions ?? []
    for partition in partitions {
        var fetchPartition = FetchRequest.FetchTopic.FetchPartition()
        fetchPartition.partition = partition.partition
        fetchPartition.partitionMaxBytes = 1 << 20
        var fetch = FetchRequest()
        fetch.maxWaitMs = 500
        fetch.topics = [FetchRequest.FetchTopic(topic: topic, partitions: [fetchPartition])]
        let leader = try await cluster.leaderConnection(topic: topic, partition: partition.partition)
        // Topic names are used up to Fetch v12; v13+ uses topic ids.
        for response in try await leader.send(fetch, versionCeiling: 12).responses {
            for data in response.partitions {
                for batch in try RecordBatchDecoder.decodeAll(data.records ?? []) {
                    for record in batch.records {
                        let key = record.key.map { String(decoding: $0, as: UTF8.self) } ?? "null"
                        let value = record.value.map { String(decoding: $0, as: UTF8.self) } ?? "null"
                        print("fetched \(response.topic)-\(data.partitionIndex)@\(record.offset): \(key) = \(value)"
                              + " (\(batch.attributes.compressionName))")
                    }
                }
            }
        }
    }
    await cluster.close()
} catch {
    print("kafka-demo failed: \(error)")
    exit(1)
}

extension RecordBatchAttributes {
    var compressionName: String { (try? compression()).map { "\($0)" } ?? "unknown codec" }
}
