// kafka-demo: bytes to a real broker and back through swift-kafka-native's own
// protocol code. Creates a topic, reads its metadata, produces a record batch
// and fetches it back.
//
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 swift run kafka-demo [topic]
// (./scripts/demo.sh starts an embedded broker and runs this against it.)
import Foundation
import KafkaClient
import KafkaWire

let bootstrap = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092"
let first = bootstrap.split(separator: ",")[0]
guard let colon = first.lastIndex(of: ":"), let port = Int(first[first.index(after: colon)...]) else {
    fatalError("KAFKA_BOOTSTRAP_SERVERS must look like host:port, got \(bootstrap)")
}
let host = String(first[..<colon])
let topic = CommandLine.arguments.dropFirst().first ?? "kafka-demo-\(Int(Date().timeIntervalSince1970))"

do {
    var connection = try DemoConnection(host: host, port: port)
    print("connected to \(host):\(port); broker supports \(connection.brokerVersions.count) APIs")

    // Create the topic (TOPIC_ALREADY_EXISTS is fine on a re-run).
    var creatable = CreateTopicsRequest.CreatableTopic()
    creatable.name = topic
    creatable.numPartitions = 3
    creatable.replicationFactor = 1
    var create = CreateTopicsRequest()
    create.topics = [creatable]
    for result in try connection.send(create).topics {
        print("create topic \(result.name): \(KafkaErrorCode(result.errorCode))")
    }

    // Read its metadata.
    var wanted = MetadataRequest.MetadataRequestTopic()
    wanted.name = topic
    var metadata = MetadataRequest()
    metadata.topics = [wanted]
    let cluster = try connection.send(metadata)
    for broker in cluster.brokers { print("broker \(broker.nodeId) at \(broker.host):\(broker.port)") }
    for described in cluster.topics {
        let leaders = described.partitions.map { "p\($0.partitionIndex)->\($0.leaderId)" }.joined(separator: " ")
        print("topic \(described.name ?? "?") id \(described.topicId): \(described.partitions.count) partitions [\(leaders)]")
    }

    // Produce one batch of three records to partition 0, acks=all.
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    var batch = RecordBatchEncoder()
    for i in 1...3 {
        batch.append(key: Array("key-\(i)".utf8), value: Array("hello from swift-kafka-native #\(i)".utf8),
                     headers: [RecordHeader(key: "demo", value: Array("yes".utf8))], timestamp: now)
    }
    var partitionData = ProduceRequest.TopicProduceData.PartitionProduceData()
    partitionData.index = 0
    partitionData.records = try batch.finish(compression: .lz4)
    var topicData = ProduceRequest.TopicProduceData()
    topicData.name = topic
    topicData.partitionData = [partitionData]
    var produce = ProduceRequest()
    produce.acks = -1
    produce.timeoutMs = 10_000
    produce.topicData = [topicData]
    var baseOffset: Int64 = 0
    for response in try connection.send(produce, ceiling: 11).responses {
        for partition in response.partitionResponses {
            print("produced 3 records (lz4) to \(response.name)/\(partition.index): "
                + "\(KafkaErrorCode(partition.errorCode)), base offset \(partition.baseOffset)")
            baseOffset = partition.baseOffset
        }
    }

    // Fetch them back (topic names are used up to Fetch v12; v13+ uses topic ids).
    var fetchPartition = FetchRequest.FetchTopic.FetchPartition()
    fetchPartition.partition = 0
    fetchPartition.fetchOffset = baseOffset
    fetchPartition.partitionMaxBytes = 1 << 20
    var fetchTopic = FetchRequest.FetchTopic()
    fetchTopic.topic = topic
    fetchTopic.partitions = [fetchPartition]
    var fetch = FetchRequest()
    fetch.maxWaitMs = 500
    fetch.minBytes = 1
    fetch.topics = [fetchTopic]
    for response in try connection.send(fetch, ceiling: 12).responses {
        for partition in response.partitions {
            let batches = try RecordBatchDecoder.decodeAll(partition.records ?? [])
            for batch in batches {
                for record in batch.records {
                    let key = record.key.map { String(decoding: $0, as: UTF8.self) } ?? "null"
                    let value = record.value.map { String(decoding: $0, as: UTF8.self) } ?? "null"
                    print("fetched \(response.topic)/\(partition.partitionIndex)@\(record.offset): \(key) = \(value)")
                }
            }
        }
    }
    connection.transport.close()
} catch {
    print("kafka-demo failed: \(error)")
    exit(1)
}
