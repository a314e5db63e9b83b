// exactly-once-example: a consume-transform-produce worker (KIP-98, KIP-447). It
// reads INPUT in a consumer group, writes "out-<value>" to OUTPUT with the same key
// and partition, and commits each batch's output records and input offsets in one
// transaction. Kill it at any moment and start it again with the same transactional
// id: read_committed readers of OUTPUT see every input record exactly once.
//
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 swift run exactly-once-example INPUT OUTPUT [transactional-id]
//
// It runs until stopped. Each committed batch prints "committed N" (for tests).
import Foundation
import KafkaClient
import Logging

let bootstrap = (ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092")
    .split(separator: ",").map(String.init)
let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else {
    print("usage: exactly-once-example INPUT OUTPUT [transactional-id]")
    exit(2)
}
let (input, output) = (arguments[0], arguments[1])
let transactionalId = arguments.count > 2 ? arguments[2] : "exactly-once-\(input)"
let batchLimit = 50

/// Writes `line` at once (not buffered), so it is out even if the process is killed next.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
if ProcessInfo.processInfo.environment["EXACTLY_ONCE_TRACE"] != nil {
    say("started \(ProcessInfo.processInfo.processIdentifier) at \(Date().timeIntervalSince1970)")
}

do {
    var consumerConfiguration = KafkaConsumer.Configuration(bootstrapServers: bootstrap)
    consumerConfiguration.groupId = "exactly-once-\(input)"
    consumerConfiguration.autoOffsetReset = .earliest
    consumerConfiguration.isolationLevel = .readCommitted  // never transform records that may yet abort
    consumerConfiguration.enableAutoCommit = false         // offsets go with the transaction instead
    consumerConfiguration.sessionTimeout = .seconds(6)
    consumerConfiguration.heartbeatInterval = .milliseconds(500)
    var logger = Logger(label: "exactly-once-example")
    if ProcessInfo.processInfo.environment["EXACTLY_ONCE_TRACE"] != nil { logger.logLevel = .debug }
    let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)

    var producerConfiguration = KafkaProducer.Configuration(bootstrapServers: bootstrap)
    producerConfiguration.transactionalId = transactionalId
    producerConfiguration.maxBlock = .seconds(30)
    // How long the coordinator lets a transaction of a dead worker stay open
    // (transaction.timeout.ms); Kafka aborts it as soon as the next worker starts.
    if let milliseconds = ProcessInfo.processInfo.environment["TRANSACTION_TIMEOUT_MS"].flatMap(Int64.init) {
        producerConfiguration.transactionTimeout = .milliseconds(milliseconds)
    }
    let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
    // Fences an earlier process with this id and aborts what it left open.
    try await producer.initTransactions()
    try consumer.subscribe(topics: [input])

    var batch: [KafkaConsumerMessage] = []
    for try await message in consumer.messages {
        batch.append(message)
        // A batch ends when full or when this partition has nothing more fetched.
        let partition = TopicPartition(topic: message.topic, partition: message.partition)
        guard batch.count >= batchLimit || (consumer.lag(partition) ?? 0) == 0 else { continue }
        var next: [TopicPartition: Int64] = [:]
        do {
            try await producer.withTransaction {
                for record in batch {
                    let value = "out-" + (record.valueString ?? "")
                    _ = try producer.send(KafkaProducerRecord(topic: output, partition: record.partition,
                                                              key: record.key, value: Array(value.utf8)))
                    next[TopicPartition(topic: record.topic, partition: record.partition)] = record.offset + 1
                }
                try await producer.sendOffsetsToTransaction(next, groupMetadata: try consumer.groupMetadata())
            }
            say("committed \(batch.count)")
            if ProcessInfo.processInfo.environment["EXACTLY_ONCE_TRACE"] != nil { say("  at \(Date().timeIntervalSince1970)") }
        } catch let error as KafkaError where error.code == .transactionAbortable {
            // Aborted (a rebalance fenced the offsets, a broker refused a record): read
            // again from the committed offsets, so nothing is lost or written twice.
            say("aborted: \(error)")
            for partition in Set(batch.map { TopicPartition(topic: $0.topic, partition: $0.partition) }) {
                if let committed = try? await consumer.committed([partition])[partition] {
                    try? consumer.seek(partition, to: .offset(committed))
                } else {
                    try? consumer.seek(partition, to: .earliest)
                }
            }
        }
        batch = []
    }
} catch {
    say("exactly-once-example failed: \(error) at \(Date().timeIntervalSince1970)")
    exit(1)
}
