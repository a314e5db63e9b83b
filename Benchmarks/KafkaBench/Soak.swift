// kafka-bench soak: produce and consume COUNT records at once, the consumer kept
// deliberately slow, while sampling this process's resident memory; prints the
// peak against the configured buffer limits (beyond_mb: what the peak exceeds the
// idle baseline plus the limits by, e.g. allocator slack; negative when below):
//   kafka-bench soak BOOTSTRAP TOPIC COUNT SIZE [key=value ...]
//   settings: partitions=6 slow.every=1000 slow.ms=10 delete.topic=true, the
//   producer's buffer.memory, queue.buffering.max.messages, linger.ms, batch.size and
//   the consumer's queued.max.messages.kbytes, fetch.max.bytes, max.partition.fetch.bytes.
#if canImport(Glibc)
import Glibc
#endif
import KafkaClient
import KafkaWire
import Synchronization

/// VmRSS and VmHWM of this process from /proc/self/status, in bytes.
func residentMemory() -> (current: Int, peak: Int) {
    guard let file = fopen("/proc/self/status", "r") else { return (0, 0) }
    defer { fclose(file) }
    var current = 0, peak = 0
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let kilobytes = text.split(separator: " ").dropFirst().first { Int($0) != nil }.flatMap { Int($0) } ?? 0
        if text.hasPrefix("VmRSS:") { current = kilobytes * 1024 }
        if text.hasPrefix("VmHWM:") { peak = kilobytes * 1024 }
    }
    return (current, peak)
}

/// Progress shared by the soak's producer, consumer and sampler tasks.
final class SoakCounters: Sendable {
    let produced = Atomic<Int>(0)
    let consumed = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
    let peak = Atomic<Int>(0)
}

struct SoakSettings {
    var partitions: Int32 = 6
    var slowEvery = 1000
    var slowMilliseconds = 10
    var deleteTopic = true
    var producer: KafkaProducer.Configuration
    var consumer: KafkaConsumer.Configuration

    init(bootstrap: [String], arguments: ArraySlice<String>) {
        producer = KafkaProducer.Configuration(bootstrapServers: bootstrap)
        consumer = KafkaConsumer.Configuration(bootstrapServers: bootstrap)
        for setting in arguments {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let number = Int(parts[1]) ?? (parts[1] == "true" ? 1 : parts[1] == "false" ? 0 : nil) else {
                fail("expected key=number, got \(setting)")
            }
            switch parts[0] {
            case "partitions": partitions = Int32(number)
            case "slow.every": slowEvery = max(1, number)
            case "slow.ms": slowMilliseconds = number
            case "delete.topic": deleteTopic = number != 0
            case "buffer.memory": producer.bufferMemory = number
            case "queue.buffering.max.messages": producer.maxBufferedRecords = number
            case "linger.ms": producer.linger = .milliseconds(number)
            case "batch.size": producer.batchSize = number
            case "queued.max.messages.kbytes": consumer.maxPrefetchBytes = number * 1024
            case "fetch.max.bytes": consumer.fetchMaxBytes = Int32(number)
            case "max.partition.fetch.bytes": consumer.maxPartitionFetchBytes = Int32(number)
            default: fail("unknown setting \(parts[0])")
            }
        }
    }
}

func soak(_ arguments: [String]) async {
    guard arguments.count >= 4, let count = Int(arguments[2]), let size = Int(arguments[3]) else {
        fail("usage: kafka-bench soak BOOTSTRAP TOPIC COUNT SIZE [key=value ...]")
    }
    let bootstrap = arguments[0].split(separator: ",").map(String.init), topic = arguments[1]
    let settings = SoakSettings(bootstrap: bootstrap, arguments: arguments.dropFirst(4))
    let admin: KafkaAdminClient
    let producer: KafkaProducer
    let events: KafkaProducerEvents
    let consumer: KafkaConsumer
    do {
        admin = try KafkaAdminClient(configuration: .init(bootstrapServers: bootstrap))
        let created = try await admin.createTopics([NewTopic(name: topic, partitions: settings.partitions, replicationFactor: 1)])
        if case .failure(let error)? = created[topic], error.brokerErrorCode != .topicAlreadyExists { fail("create \(topic): \(error)") }
        (producer, events) = try KafkaProducer.makeProducerWithEvents(configuration: settings.producer)
        consumer = try KafkaConsumer(configuration: settings.consumer)
    } catch {
        fail("\(error)")
    }
    consumer.assign(Dictionary(uniqueKeysWithValues: (0..<settings.partitions).map { (TopicPartition(topic: topic, partition: $0), KafkaConsumerStartOffset.earliest) }))
    // What the process holds with clients made but no records yet: the fixed overhead.
    let baseline = residentMemory().current
    let counters = SoakCounters()
    counters.peak.store(baseline, ordering: .relaxed)
    let start = monotonicSeconds()

    let sampler = Task {
        var lastPrint = start
        while !Task.isCancelled {
            let now = residentMemory().current
            counters.peak.max(now, ordering: .relaxed)
            if monotonicSeconds() - lastPrint >= 10 {
                lastPrint = monotonicSeconds()
                print("soak t=\(Int(lastPrint - start))s produced=\(counters.produced.load(ordering: .relaxed)) "
                      + "consumed=\(counters.consumed.load(ordering: .relaxed)) rss_mb=\(now >> 20)")
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
    let reports = Task {
        for await event in events {
            guard case .deliveryReports(let batch) = event else { continue }
            var good = 0
            for report in batch { if report.isSuccess { good += 1 } else { counters.failed.add(1, ordering: .relaxed) } }
            let total = counters.produced.add(good, ordering: .relaxed).newValue + counters.failed.load(ordering: .relaxed)
            if total >= count { break }
        }
    }
    let reader = Task {
        var received = 0
        do {
            for try await _ in consumer.messages {
                received += 1
                if received % settings.slowEvery == 0 {
                    counters.consumed.store(received, ordering: .relaxed)
                    try? await Task.sleep(for: .milliseconds(settings.slowMilliseconds))
                }
                if received >= count { break }
            }
        } catch {
            fail("consume failed: \(error)")
        }
        counters.consumed.store(received, ordering: .relaxed)
    }
    let value = (0..<size).map { UInt8(ascii: "a") + UInt8($0 % 26) }
    let keys = (0..<1000).map { Array("k\($0)".utf8) }
    for index in 0..<count {
        await sendWaitingForSpace(KafkaProducerRecord(topic: topic, key: keys[index % 1000], value: value), with: producer)
    }
    await producer.flush()
    await reports.value
    let produceSeconds = monotonicSeconds() - start
    await reader.value
    let seconds = monotonicSeconds() - start
    sampler.cancel()
    await sampler.value
    counters.peak.max(residentMemory().current, ordering: .relaxed)
    let highWater = residentMemory().peak
    await producer.close()
    await consumer.close()
    if settings.deleteTopic { _ = try? await admin.deleteTopics([topic]) }
    await admin.close()

    // Buffers the configuration bounds: the producer's, the consumer's prefetch, and on
    // top of it one fetch response per broker (one broker here) while it is decoded:
    // its bytes and its decoded records, about as many bytes again for small records.
    let limits = settings.producer.bufferMemory + settings.consumer.maxPrefetchBytes + 2 * Int(settings.consumer.fetchMaxBytes)
    let peakRSS = counters.peak.load(ordering: .relaxed)
    func megabytes(_ bytes: Int) -> String { "\(bytes >> 20)" }
    print("soak msgs=\(count) size=\(size) secs=\(Int(seconds)) produce_secs=\(Int(produceSeconds)) produced=\(counters.produced.load(ordering: .relaxed)) "
          + "failed=\(counters.failed.load(ordering: .relaxed)) consumed=\(counters.consumed.load(ordering: .relaxed)) slow=\(settings.slowMilliseconds)ms/\(settings.slowEvery)")
    print("soak rss: baseline_mb=\(megabytes(baseline)) peak_rss_mb=\(megabytes(peakRSS)) vm_hwm_mb=\(megabytes(highWater)) "
          + "growth_mb=\(megabytes(peakRSS - baseline))")
    print("soak limits: buffer.memory_mb=\(megabytes(settings.producer.bufferMemory)) "
          + "queue.buffering.max.messages=\(settings.producer.maxBufferedRecords) "
          + "queued.max.messages.kbytes=\(settings.consumer.maxPrefetchBytes >> 10) fetch.max.bytes_mb=\(megabytes(Int(settings.consumer.fetchMaxBytes))) "
          + "limits_mb=\(megabytes(limits)) (buffer.memory + queued.max.messages.kbytes + 2 x fetch.max.bytes) baseline_plus_limits_mb=\(megabytes(baseline + limits)) "
          + "beyond_mb=\((max(peakRSS, highWater) - baseline - limits) / (1 << 20))")
    exit(counters.consumed.load(ordering: .relaxed) < count || counters.failed.load(ordering: .relaxed) > 0 ? 1 : 0)
}
