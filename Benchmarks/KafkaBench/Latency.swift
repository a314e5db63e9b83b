// kafka-bench latency: produce at a fixed rate and consume in the same process,
// printing percentiles of produce-to-consume time and of the producer's send-to-ack time:
//   kafka-bench latency BOOTSTRAP TOPIC [--rate 10000] [--seconds 10] [--linger-ms 0] [--size 100]
//                       [--partitions 6] [--warmup-seconds 1] [key=value ...]
//   settings: the consumer's fetch.max.wait.ms, fetch.min.bytes; the producer's acks,
//   enable.idempotence, batch.size, max.in.flight (as in `produce`).
// A dedicated thread paces the sends: record i is due at start + i / rate and is sent
// as soon as it is due (sleeping with an absolute deadline in between), so the load is
// even rather than bursty; when the thread falls behind it sends what is due at once.
// Each value starts with its send time (CLOCK_MONOTONIC nanoseconds, 8 bytes little
// endian); the consumer subtracts it from the time it receives the record. Records
// sent in the first --warmup-seconds (connections, metadata, the first fetches) are
// not counted.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KafkaClient
import Synchronization

func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

struct LatencySettings {
    var rate = 10_000
    var seconds = 10.0
    var warmupSeconds = 1.0
    var size = 100
    var partitions: Int32 = 6
    var lingerMilliseconds = 0
    var producer: KafkaProducer.Configuration
    var consumer: KafkaConsumer.Configuration

    init(bootstrap: [String], arguments: [String]) {
        producer = KafkaProducer.Configuration(bootstrapServers: bootstrap)
        producer.linger = .zero
        consumer = KafkaConsumer.Configuration(bootstrapServers: bootstrap)
        var words = arguments[...]
        while let word = words.popFirst() {
            if word.hasPrefix("--") {
                guard let value = words.popFirst(), let number = Double(value) else { fail("\(word) needs a number") }
                switch word {
                case "--rate": rate = max(1, Int(number))
                case "--seconds": seconds = number
                case "--warmup-seconds": warmupSeconds = number
                case "--linger-ms": lingerMilliseconds = Int(number); producer.linger = .milliseconds(lingerMilliseconds)
                case "--size": size = max(8, Int(number))
                case "--partitions": partitions = Int32(number)
                default: fail("unknown flag \(word)")
                }
                continue
            }
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { fail("expected key=value, got \(word)") }
            switch parts[0] {
            case "fetch.max.wait.ms": consumer.fetchMaxWait = .milliseconds(Int(parts[1]) ?? 500)
            case "fetch.min.bytes": consumer.fetchMinBytes = Int32(parts[1]) ?? 1
            default: apply(word, to: &producer)
            }
        }
    }
}

/// Histograms filled from the producer's delivery handlers and the consumer task.
final class LatencyRecorder: Sendable {
    let acks = Mutex(LatencyHistogram())
    let endToEnd = Mutex(LatencyHistogram())
    let failed = Atomic<Int>(0)
    let late = Atomic<Int>(0)
}

/// Sends `count` records paced at `rate` a second on the calling thread (a dedicated one).
func paceSends(_ producer: KafkaProducer, topic: String, count: Int, settings: LatencySettings,
               countFrom measureFrom: UInt64, into recorder: LatencyRecorder) {
    var value = [UInt8](repeating: UInt8(ascii: "x"), count: settings.size)
    let keys = (0..<1000).map { Array("k\($0)".utf8) }
    let interval = 1_000_000_000 / Double(settings.rate)
    let start = monotonicNanoseconds()
    for index in 0..<count {
        let due = start + UInt64(Double(index) * interval)
        var now = monotonicNanoseconds()
        if now < due {
            var deadline = timespec(tv_sec: Int(due / 1_000_000_000), tv_nsec: Int(due % 1_000_000_000))
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil) == EINTR {}
            now = monotonicNanoseconds()
        } else if now - due > 1_000_000 {
            recorder.late.add(1, ordering: .relaxed)   // more than 1 ms behind schedule
        }
        let sentAt = now
        value.withUnsafeMutableBytes { $0.storeBytes(of: sentAt.littleEndian, as: UInt64.self) }
        let record = KafkaProducerRecord(topic: topic, key: keys[index % 1000], value: value)
        let counted = sentAt >= measureFrom
        while true {
            do {
                _ = try producer.send(record) { report in
                    guard report.isSuccess else { recorder.failed.add(1, ordering: .relaxed); return }
                    guard counted else { return }
                    let elapsed = monotonicNanoseconds() - sentAt
                    recorder.acks.withLock { $0.record(elapsed) }
                }
                break
            } catch {
                guard error.code == .queueFull else { fail("send failed: \(error)") }
                usleep(100)
            }
        }
    }
}

func latency(_ arguments: [String]) async {
    guard arguments.count >= 2 else {
        fail("usage: kafka-bench latency BOOTSTRAP TOPIC [--rate R] [--seconds S] [--linger-ms L] [--size B] [key=value ...]")
    }
    let bootstrap = arguments[0].split(separator: ",").map(String.init), topic = arguments[1]
    let settings = LatencySettings(bootstrap: bootstrap, arguments: Array(arguments.dropFirst(2)))
    let producer: KafkaProducer
    let consumer: KafkaConsumer
    do {
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: bootstrap))
        let created = try await admin.createTopics([NewTopic(name: topic, partitions: settings.partitions, replicationFactor: 1)])
        if case .failure(let error)? = created[topic], error.brokerErrorCode != .topicAlreadyExists { fail("create \(topic): \(error)") }
        await admin.close()
        producer = try KafkaProducer(configuration: settings.producer)
        consumer = try KafkaConsumer(configuration: settings.consumer)
    } catch {
        fail("\(error)")
    }
    consumer.assign(Dictionary(uniqueKeysWithValues: (0..<settings.partitions).map {
        (TopicPartition(topic: topic, partition: $0), KafkaConsumerStartOffset.earliest)
    }))
    let count = Int(Double(settings.rate) * (settings.warmupSeconds + settings.seconds))
    let recorder = LatencyRecorder()
    // Records of an earlier run on the same topic are read but not counted.
    let runStart = monotonicNanoseconds()
    let measureFrom = monotonicNanoseconds() + UInt64(settings.warmupSeconds * 1e9)

    let consuming = Task {
        var received = 0
        var local = LatencyHistogram()
        do {
            for try await message in consumer.messages {
                let now = monotonicNanoseconds()
                guard let value = message.value, value.count >= 8 else { continue }
                let sentAt = value.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
                guard sentAt >= runStart else { continue }
                if sentAt >= measureFrom { local.record(now - sentAt) }
                received += 1
                if received >= count { break }
            }
        } catch {
            FileHandleStderr.write("consume failed: \(error)\n")
        }
        recorder.endToEnd.withLock { $0.merge(local) }
        return received
    }
    let sending = Thread {
        paceSends(producer, topic: topic, count: count, settings: settings, countFrom: measureFrom, into: recorder)
    }
    sending.stackSize = 1 << 20
    let started = monotonicSeconds()
    sending.start()
    // The consumer stops after `count` records; a watchdog ends it if some never arrive.
    let watchdog = Task {
        try? await Task.sleep(for: .seconds(settings.warmupSeconds + settings.seconds + 30))
        await consumer.close()
    }
    let received = await consuming.value
    watchdog.cancel()
    let elapsed = monotonicSeconds() - started
    await producer.flush()

    func micros(_ histogram: LatencyHistogram) -> String {
        let points: [(String, Double)] = [("p50", 50), ("p95", 95), ("p99", 99), ("p99.9", 99.9), ("max", 100)]
        return points.map { "\($0.0)=\(histogram.value(atPercentile: $0.1) / 1000)" }.joined(separator: " ") + " n=\(histogram.total)"
    }
    print("latency rate=\(settings.rate) secs=\(settings.seconds) linger_ms=\(settings.lingerMilliseconds) "
          + "size=\(settings.size) partitions=\(settings.partitions) sent=\(count) received=\(received) "
          + "failed=\(recorder.failed.load(ordering: .relaxed)) late_sends=\(recorder.late.load(ordering: .relaxed)) "
          + "wall_s=\(Int(elapsed))")
    print("end_to_end_us " + micros(recorder.endToEnd.withLock { $0 }))
    print("send_to_ack_us " + micros(recorder.acks.withLock { $0 }))
    await producer.close()
    await consumer.close()
    exit(received < count ? 1 : 0)
}
