import Foundation
import KafkaClient
import KafkaTestSupport
import Synchronization

/// Keyed workloads for the kfake fault tests: records whose values say which key
/// and which of that key's records they are, so a reader can tell loss,
/// duplication and reordering apart.
enum KfakeWorkload {
    /// Delivery outcomes counted by `onDelivery`.
    final class Deliveries: Sendable {
        private let counts = VisibleLock<(ok: Int, failed: [KafkaError])>((0, []))
        func record(_ report: KafkaDeliveryReport) {
            counts.withLock { counts in
                if let error = report.error { counts.failed.append(error) } else { counts.ok += 1 }
            }
        }
        var succeeded: Int { counts.withLock { $0.ok } }
        var failures: [KafkaError] { counts.withLock { $0.failed } }
    }

    static func value(key: Int, sequence: Int) -> String { "k\(key)#\(sequence)" }

    /// Sends `count` records spread over `keys` keys (key i%keys, its sequence i/keys),
    /// waiting for buffer space when it runs out, then flushes.
    static func produce(_ topic: String, count: Int, keys: Int, with producer: KafkaProducer) async throws -> Deliveries {
        let deliveries = Deliveries()
        for index in 0..<count {
            let key = index % keys
            let record = KafkaProducerRecord(topic: topic, key: "k\(key)", value: value(key: key, sequence: index / keys))
            while !(try send(record, with: producer, deliveries: deliveries)) {
                await producer.waitForBufferSpace()
            }
        }
        await producer.flush()
        return deliveries
    }

    /// Queues `record`; false when the producer's buffer is full.
    private static func send(_ record: KafkaProducerRecord, with producer: KafkaProducer, deliveries: Deliveries) throws -> Bool {
        do {
            try producer.send(record, onDelivery: deliveries.record)
            return true
        } catch {
            if error.code == .queueFull { return false }
            throw error
        }
    }

    /// What a reader saw, checked against a keyed workload.
    struct Check: CustomStringConvertible {
        var missing = 0, duplicated = 0, reordered = 0, foreign = 0
        var isExact: Bool { missing == 0 && duplicated == 0 && reordered == 0 && foreign == 0 }
        var description: String { "missing \(missing), duplicated \(duplicated), out of order \(reordered), unexpected \(foreign)" }

        /// Checks `values` in the order read per partition (a key lives in one partition),
        /// against `count` records over `keys` keys.
        init(values: [String], count: Int, keys: Int) {
            var next = [Int](repeating: 0, count: keys)
            var seen = [Set<Int>](repeating: [], count: keys)
            for value in values {
                let parts = value.dropFirst().split(separator: "#")
                guard parts.count == 2, let key = Int(parts[0]), let sequence = Int(parts[1]), key < keys else {
                    foreign += 1
                    continue
                }
                if !seen[key].insert(sequence).inserted { duplicated += 1; continue }
                if sequence != next[key] { reordered += 1 }
                next[key] = sequence + 1
            }
            let expected = (0..<keys).map { key in (count - key + keys - 1) / keys }
            missing = zip(seen, expected).map { max(0, $1 - $0.count) }.reduce(0, +)
        }
    }

    /// Reads `partitions` of `topic` from the start until `count` records arrived or
    /// `timeout` passed; values per partition in the order read.
    static func readAll(_ topic: String, partitions: Int32, count: Int, servers: [String], timeout: Duration = .seconds(60),
                        _ configure: (inout KafkaConsumer.Configuration) -> Void = { _ in }) async throws -> [String] {
        var configuration = KafkaConsumer.Configuration(bootstrapServers: servers)
        configuration.fetchMaxWait = .milliseconds(100)
        configure(&configuration)
        let consumer = try KafkaConsumer(configuration: configuration)
        consumer.assign(Dictionary(uniqueKeysWithValues: (0..<partitions).map { (TopicPartition(topic: topic, partition: $0), .earliest) }))
        let read = try await collect(count, from: consumer, timeout: timeout)
        await consumer.close()
        return read
    }

    /// Values read so far, shared between the reading task and the test.
    final class Values: Sendable {
        private let values = VisibleLock<[String]>([])
        /// Appends `value`; true once there are `count`.
        func append(_ value: String, until count: Int) -> Bool {
            values.withLock { values in
                values.append(value)
                return values.count >= count
            }
        }
        var all: [String] { values.withLock { $0 } }
        var count: Int { values.withLock { $0.count } }
    }

    /// Values of the next `count` messages (fewer when `timeout` passes first).
    static func collect(_ count: Int, from consumer: KafkaConsumer, timeout: Duration) async throws -> [String] {
        let values = Values()
        let reader = Task {
            for try await message in consumer.messages {
                if values.append(String(decoding: message.value ?? [], as: UTF8.self), until: count) { break }
            }
        }
        let deadline = ContinuousClock.now + timeout
        while values.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        reader.cancel()
        return values.all
    }

    /// Creates `topic` with `partitions` partitions on the cluster at `servers`.
    static func createTopic(_ topic: String, partitions: Int32, servers: [String]) async throws {
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: servers))
        _ = try await admin.createTopics([NewTopic(name: topic, partitions: partitions)])
        await admin.close()
    }
}
