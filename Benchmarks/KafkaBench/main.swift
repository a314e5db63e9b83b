// kafka-bench: produce and consume throughput of swift-kafka-native, printed in
// the same one-line form as ../shared/peers rdk_perf so the two compare side by side:
//   kafka-bench produce BOOTSTRAP TOPIC COUNT SIZE [CODEC] [key=value ...] [--tracked | --fixed-header=N]
//   kafka-bench consume BOOTSTRAP TOPIC COUNT [key=value ...]   (all partitions from the beginning)
//   kafka-bench soak BOOTSTRAP TOPIC COUNT SIZE [key=value ...]  (both at once, slow consumer, peak RSS: Soak.swift)
//   kafka-bench latency BOOTSTRAP TOPIC [--rate R] [--seconds S] [--linger-ms L] ...  (paced, percentiles: Latency.swift)
//   kafka-bench create BOOTSTRAP TOPIC PARTITIONS  (creates the topic, for scripts/bench-compare.sh)
//   produce msgs=N secs=S msgs_per_s=R MB_per_s=M cpu_user=U cpu_sys=Y
// Defaults match rdk_perf's: linger.ms=5, batch.size=1000000, idempotence on,
// keys k0..k999, delivery reports counted. --tracked sends the same records through
// KafkaTracking's TrackedProducer (the compact lineage header; with the default no-op
// tracer no span; no lineage recorder), to measure what tracking costs; --fixed-header=N
// sends plain records that each carry one N-byte `lineage` header of fixed bytes, to tell
// what the header's bytes cost from what stamping it costs.
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import KafkaClient
import KafkaTracking
import KafkaWire

func fail(_ message: String) -> Never {
    FileHandleStderr.write(message + "\n")
    exit(2)
}

enum FileHandleStderr {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = Glibc.write(2, &bytes, bytes.count)
    }
}

func report(_ mode: String, count: Int, seconds: Double, bytes: Int) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    func fixed(_ value: Double, _ digits: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(digits)f", $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    print("\(mode) msgs=\(count) secs=\(fixed(seconds, 3)) msgs_per_s=\(fixed(Double(count) / seconds, 0)) "
          + "MB_per_s=\(fixed(Double(bytes) / seconds / 1e6, 2)) cpu_user=\(fixed(user, 3)) cpu_sys=\(fixed(system, 3))")
}

/// Sends `record`, waiting for buffer space whenever the producer's buffer is full.
func sendWaitingForSpace(_ record: KafkaProducerRecord, with producer: KafkaProducer) async {
    while true {
        do {
            try producer.send(record)
            return
        } catch {
            guard error.code == .queueFull else { fail("send failed: \(error)") }
            await producer.waitForBufferSpace()
        }
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func codec(named name: String) -> KafkaCompressionCodec {
    guard let codec = KafkaCompressionCodec(rawValue: name) else { fail("unknown codec \(name)") }
    return codec
}

func apply(_ setting: String, to configuration: inout KafkaProducer.Configuration) {
    let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { fail("expected key=value, got \(setting)") }
    let (key, value) = (parts[0], parts[1])
    switch key {
    case "linger.ms": configuration.linger = .milliseconds(Int(value) ?? 5)
    case "batch.size": configuration.batchSize = Int(value) ?? configuration.batchSize
    case "acks": configuration.acks = value == "all" || value == "-1" ? .all : value == "0" ? .none : .leader
    case "enable.idempotence": configuration.enableIdempotence = value == "true"
    case "compression.level": configuration.compressionLevel = Int(value)
    case "max.in.flight": configuration.maxInFlightPerConnection = Int(value) ?? 5
    case "buffer.memory": configuration.bufferMemory = Int(value) ?? configuration.bufferMemory
    case "queue.buffering.max.messages": configuration.maxBufferedRecords = Int(value) ?? configuration.maxBufferedRecords
    default: fail("unknown setting \(key)")
    }
}

func produce(_ words: [String]) async {
    let tracked = words.contains("--tracked")
    let fixedHeader = words.first { $0.hasPrefix("--fixed-header=") }.map { Int($0.dropFirst("--fixed-header=".count)) }
    let arguments = words.filter { !$0.hasPrefix("--") }
    guard arguments.count >= 4, let count = Int(arguments[2]), let size = Int(arguments[3]), fixedHeader != .some(nil) else {
        fail("usage: kafka-bench produce BOOTSTRAP TOPIC COUNT SIZE [CODEC] [key=value ...] [--tracked | --fixed-header=N]")
    }
    let headers = fixedHeader.flatMap { $0 }.map { [KafkaHeader(key: "lineage", value: [UInt8](repeating: 0x2A, count: $0))] } ?? []
    let bootstrap = arguments[0], topic = arguments[1]
    var configuration = KafkaProducer.Configuration(bootstrapServers: bootstrap.split(separator: ",").map(String.init))
    configuration.linger = .milliseconds(5)
    configuration.batchSize = 1_000_000
    configuration.maxBufferedRecords = 1_000_000
    configuration.bufferMemory = 1 << 30
    configuration.maxRequestSize = 16 << 20
    if arguments.count > 4 { configuration.compression = codec(named: arguments[4]) }
    for setting in arguments.dropFirst(5) { apply(setting, to: &configuration) }

    let producer: KafkaProducer
    let events: KafkaProducerEvents
    do {
        (producer, events) = try KafkaProducer.makeProducerWithEvents(configuration: configuration)
    } catch {
        fail("\(error)")
    }
    let counter = Task {
        var delivered = 0, failed = 0
        for await event in events {
            guard case .deliveryReports(let reports) = event else { continue }
            for report in reports { if report.isSuccess { delivered += 1 } else { failed += 1 } }
            if delivered + failed == count { break }
        }
        return (delivered, failed)
    }
    let value = (0..<size).map { UInt8(ascii: "a") + UInt8((($0 * 7) + $0 / 13) % 26) }
    let keys = (0..<1000).map { Array("k\($0)".utf8) }
    let start = monotonicSeconds()
    if tracked {
        // TrackedProducer waits for buffer space itself.
        let trackedProducer = TrackedProducer(producer, sourceService: "kafka-bench")
        for index in 0..<count {
            do {
                try await trackedProducer.send(KafkaProducerRecord(topic: topic, key: keys[index % 1000], value: value))
            } catch {
                fail("send failed: \(error)")
            }
        }
    } else {
        for index in 0..<count {
            await sendWaitingForSpace(KafkaProducerRecord(topic: topic, key: keys[index % 1000], value: value, headers: headers), with: producer)
        }
    }
    await producer.flush()
    let (delivered, failed) = await counter.value
    let seconds = monotonicSeconds() - start
    report("produce", count: delivered, seconds: seconds, bytes: delivered * size)
    if failed > 0 { FileHandleStderr.write("failed=\(failed)\n") }
    await producer.close()
    exit(failed > 0 ? 1 : 0)
}

func consume(_ arguments: [String]) async {
    guard arguments.count >= 3, let count = Int(arguments[2]) else {
        fail("usage: kafka-bench consume BOOTSTRAP TOPIC COUNT [key=value ...]")
    }
    let bootstrap = arguments[0].split(separator: ",").map(String.init), topic = arguments[1]
    var configuration = KafkaConsumer.Configuration(bootstrapServers: bootstrap)
    configuration.fetchMaxBytes = 52_428_800
    for setting in arguments.dropFirst(3) {
        let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { fail("expected key=value, got \(setting)") }
        switch parts[0] {
        case "max.partition.fetch.bytes": configuration.maxPartitionFetchBytes = Int32(parts[1]) ?? configuration.maxPartitionFetchBytes
        case "fetch.max.bytes": configuration.fetchMaxBytes = Int32(parts[1]) ?? configuration.fetchMaxBytes
        case "check.crcs": configuration.checkCRCs = parts[1] == "true"
        default: fail("unknown setting \(parts[0])")
        }
    }
    let consumer: KafkaConsumer
    let partitions: [PartitionMetadata]
    do {
        consumer = try KafkaConsumer(configuration: configuration)
        // The partitions through the public admin API, as an application would find them.
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: bootstrap))
        partitions = try await admin.describeTopics([topic])[topic]?.get().partitions ?? []
        await admin.close()
    } catch {
        fail("\(error)")
    }
    guard !partitions.isEmpty else { fail("metadata failed for \(topic)") }
    let start = monotonicSeconds()
    consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { (TopicPartition(topic: topic, partition: $0.partition), KafkaConsumerStartOffset.earliest) }))
    var received = 0, bytes = 0
    let deadline = start + 120
    let watchdog = Task {
        try? await Task.sleep(for: .seconds(120))
        await consumer.close()
    }
    do {
        for try await message in consumer.messages {
            received += 1
            bytes += message.value?.count ?? 0
            if received >= count || (received & 0xFFFF == 0 && monotonicSeconds() > deadline) { break }
        }
    } catch {
        fail("consume failed: \(error)")
    }
    let seconds = monotonicSeconds() - start
    report("consume", count: received, seconds: seconds, bytes: bytes)
    watchdog.cancel()
    await consumer.close()
    exit(received < count ? 1 : 0)
}

func createTopic(_ arguments: [String]) async {
    guard arguments.count == 3, let partitions = Int32(arguments[2]) else { fail("usage: kafka-bench create BOOTSTRAP TOPIC PARTITIONS") }
    do {
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: arguments[0].split(separator: ",").map(String.init)))
        let created = try await admin.createTopics([NewTopic(name: arguments[1], partitions: partitions, replicationFactor: 1)])
        await admin.close()
        if case .failure(let error)? = created[arguments[1]], error.brokerErrorCode != .topicAlreadyExists { fail("create \(arguments[1]): \(error)") }
    } catch {
        fail("\(error)")
    }
    exit(0)
}

/// Runs `mode`; every mode ends the process with `exit`.
func run(_ mode: String, _ arguments: [String]) async {
    switch mode {
    case "produce": await produce(arguments)
    case "consume": await consume(arguments)
    case "soak": await soak(arguments)
    case "latency": await latency(arguments)
    case "create": await createTopic(arguments)
    default: fail("unknown mode \(mode)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first else { fail("usage: kafka-bench produce BOOTSTRAP TOPIC COUNT SIZE [CODEC] [key=value ...]") }
// A synchronous main that parks on a semaphore rather than an async one: an async main
// ends the main thread through dispatch_main, which valgrind (3.19) cannot follow, and
// instruction counts from callgrind are how changes are judged on a noisy machine.
let finished = DispatchSemaphore(value: 0)
Task.detached {
    await run(mode, Array(arguments.dropFirst()))
    finished.signal()
}
finished.wait()
