// consumer-example: joins a consumer group on a topic and prints records until it
// has read COUNT of them (default 6), then commits and leaves the group.
//
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 swift run consumer-example [topic] [count]
import Foundation
import KafkaClient

let bootstrap = (ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092")
    .split(separator: ",").map(String.init)
let arguments = Array(CommandLine.arguments.dropFirst())
let topic = arguments.first ?? "orders"
let count = arguments.count > 1 ? Int(arguments[1]) ?? 6 : 6

do {
    var configuration = KafkaConsumer.Configuration(bootstrapServers: bootstrap)
    configuration.groupId = "consumer-example-\(topic)"
    configuration.autoOffsetReset = .earliest            // a new group starts at the beginning
    configuration.sessionTimeout = .seconds(6)
    configuration.partitionAssignors = [CooperativeStickyAssignor()]
    let consumer = try KafkaConsumer(configuration: configuration)
    try consumer.subscribe(topics: [topic])

    let watchdog = Task {  // end even if the records never come
        try await Task.sleep(for: .seconds(60))
        await consumer.close()
    }
    var received = 0
    for try await message in consumer.messages {
        print("consumed \(message.topic)-\(message.partition)@\(message.offset): \(message.keyString ?? "null") = \(message.valueString ?? "null")")
        received += 1
        if received == count { break }
    }
    watchdog.cancel()
    await consumer.close()  // commits what was read and leaves the group
    guard received == count else {
        print("consumer-example failed: read \(received) of \(count) records within 60 seconds")
        exit(1)
    }
} catch {
    print("consumer-example failed: \(error)")
    exit(1)
}
