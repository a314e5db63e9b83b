// cdc-forwarder: reads DynamoDB Streams records ({"Records":[...]}, as Lambda gets
// them) from a file or stdin and forwards each change to a Kafka topic: keyed by
// the item's primary key, the new image (old image for REMOVE) as JSON, lineage
// headers from a TrackedProducer.
//
//   cdc-forwarder [-b host:port] [-t topic] [file|-]
//   (brokers: -b, else KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092; topic: dynamodb.changes)
import DynamoDBCDC
import Foundation
import KafkaClient
import KafkaTracking

var brokers = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092"
var topic = "dynamodb.changes"
var file = "-"
var words = CommandLine.arguments.dropFirst()
while let word = words.popFirst() {
    switch word {
    case "-b": brokers = words.popFirst() ?? brokers
    case "-t": topic = words.popFirst() ?? topic
    default: file = word
    }
}

do {
    let input = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
    let changes = try DynamoDBStreamRecord.records(from: input)
    var configuration = KafkaProducer.Configuration(bootstrapServers: brokers.split(separator: ",").map(String.init))
    configuration.cluster.allowAutoTopicCreation = true
    let producer = try KafkaProducer(configuration: configuration)
    let forwarder = DynamoDBStreamForwarder(producer: TrackedProducer(producer, sourceService: "cdc-forwarder"), topic: topic)
    let stamped = try await forwarder.forward(changes)
    await producer.close()
    for (change, lineage) in zip(changes, stamped) {
        print("\(change.eventName.rawValue) \(change.keyText) -> \(topic) event \(lineage.eventId.uuidString.lowercased())")
    }
    print("forwarded \(changes.count) changes to \(topic)")
} catch {
    FileHandle.standardError.write(Data("cdc-forwarder: \(error)\n".utf8))
    exit(1)
}
