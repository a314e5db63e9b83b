import KafkaClient
import KafkaWire
import Logging
import Synchronization

/// `-C` (and `-G group topics...`): consume and print records.
struct ConsumeMode {
    let arguments: KcatArguments
    let properties: ClientProperties
    let logger: Logger

    /// Counters the watcher reads while the main loop writes records.
    final class Progress: Sendable {
        let messages = Atomic<Int>(0)
        let bytes = Atomic<Int>(0)
        let reachedEnd = Atomic<Bool>(false)
        let failure = VisibleLock<KafkaError?>(nil)
    }

    func run() async throws(SkcatFailure) {
        let start: ConsumeStart
        let formatter: MessageFormatter
        do throws(UsageError) {
            start = try arguments.offset.map { (text) throws(UsageError) in try ConsumeStart(parsing: text) } ?? .beginning
            formatter = try MessageFormatter(arguments: arguments)
        } catch {
            throw error.failure
        }
        var configuration = properties.consumer(groupId: arguments.group)
        if arguments.group != nil {
            // kcat's -o in group mode only says where to start without a committed offset.
            switch start {
            case .beginning: configuration.autoOffsetReset = properties.autoOffsetReset ?? .earliest
            case .end: configuration.autoOffsetReset = .latest
            case .stored: break
            default: throw SkcatFailure.usage("-G takes -o beginning, end or stored")
            }
        } else if start == .stored, configuration.groupId == nil {
            throw SkcatFailure.usage("-o stored needs -X group.id=GROUP")
        }
        let consumer = try SkcatFailure.kafka { () throws(KafkaError) in try KafkaConsumer(configuration: configuration, logger: logger) }
        let progress = Progress()
        do throws(KafkaError) {
            try await setUp(consumer, start: start)
        } catch {
            await consumer.close()
            throw .kafka(error)
        }
        let watcher = Task { await watch(consumer, progress: progress) }
        let began = ContinuousClock.now
        let out = OutputStream(descriptor: 1)
        var seen = 0
        let topics = arguments.group != nil ? arguments.groupTopics : [arguments.topic].compactMap { $0 }
        let leaders = await Self.leaders(consumer.cluster, topics: topics)
        do {
            for try await message in consumer.messages {
                formatter.write(message, broker: leaders[TopicPartition(topic: message.topic, partition: message.partition)] ?? -1, to: out)
                out.flush()
                seen += 1
                progress.messages.store(seen, ordering: .relaxed)
                progress.bytes.add((message.value?.count ?? 0) + (message.key?.count ?? 0), ordering: .relaxed)
                if let count = arguments.count, seen >= count { break }
            }
        } catch {
            progress.failure.withLock { $0 = $0 ?? KafkaError(.ioError, detail: "consuming failed: \(error)") }
        }
        out.flush()
        watcher.cancel()
        await consumer.close()
        _ = await watcher.value
        if let failure = progress.failure.withLock({ $0 }) { throw .kafka(failure) }
        let elapsed = began.duration(to: .now)
        Console.info("Consumed \(seen) messages (\(progress.bytes.load(ordering: .relaxed)) bytes) in \(Self.seconds(elapsed))",
                     quiet: arguments.quiet)
    }

    /// The leader of each partition of `topics`, for the envelope's `broker` field.
    static func leaders(_ cluster: KafkaCluster, topics: [String]) async -> [TopicPartition: Int32] {
        guard let metadata = try? await cluster.metadata(topics: topics) else { return [:] }
        var leaders: [TopicPartition: Int32] = [:]
        for topic in topics {
            for partition in metadata.topics[topic]?.partitions ?? [] {
                leaders[TopicPartition(topic: topic, partition: partition.partition)] = partition.leaderId
            }
        }
        return leaders
    }

    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(milliseconds / 1000).\(padded3(milliseconds % 1000))s"
    }

    private func setUp(_ consumer: KafkaConsumer, start: ConsumeStart) async throws(KafkaError) {
        if arguments.group != nil {
            // Fail early on topics the cluster lacks rather than waiting for an assignment forever.
            for topic in arguments.groupTopics {
                _ = try await OffsetLookup.partitions(consumer.cluster, topic: topic, only: nil)
            }
            try consumer.subscribe(topics: arguments.groupTopics)
            return
        }
        guard let topic = arguments.topic else { return }
        let partitions = try await OffsetLookup.partitions(consumer.cluster, topic: topic, only: arguments.partition)
        switch start {
        case .stored:
            try await consumer.assignFromCommitted(partitions)
            return
        case .fromEnd(let back):
            var starts: [TopicPartition: KafkaConsumerStartOffset] = [:]
            for partition in partitions {
                let low = try await OffsetLookup.offset(consumer.cluster, partition, at: -2).offset
                let high = try await OffsetLookup.offset(consumer.cluster, partition, at: -1).offset
                starts[partition] = .offset(max(low, high - back))
            }
            consumer.assign(starts)
        default:
            let offset: KafkaConsumerStartOffset = switch start {
            case .beginning: .earliest
            case .end: .latest
            case .offset(let number): .offset(number)
            case .timestamp(let milliseconds): .timestamp(milliseconds)
            case .stored, .fromEnd: .earliest  // handled above
            }
            consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, offset) }))
        }
    }

    /// Reports errors and progress; with `-e`, closes the consumer once every
    /// assigned partition's position reached the end seen when it was assigned.
    /// The end comes from ListOffsets (latest), not the fetch high watermark,
    /// which some brokers (Tansu) report as the last batch's base offset + 1.
    private func watch(_ consumer: KafkaConsumer, progress: Progress) async {
        var ends: [TopicPartition: Int64] = [:]
        var lastReport = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
            for error in consumer.takeErrors() {
                logger.debug("consumer error", metadata: ["error": "\(error)"])
                if error.isRetriable { continue }
                if !arguments.quiet { Console.error("\(error)") }
                if !arguments.exitAtEnd { continue }
                progress.failure.withLock { $0 = $0 ?? error }
                await consumer.close()
                return
            }
            if !arguments.quiet, lastReport.duration(to: .now) > .seconds(10) {
                lastReport = .now
                Console.info("\(progress.messages.load(ordering: .relaxed)) messages consumed so far", quiet: false)
            }
            guard arguments.exitAtEnd else { continue }
            let assignment = consumer.assignment
            guard !assignment.isEmpty else { continue }
            var atEnd = true
            for partition in assignment {
                if ends[partition] == nil {
                    do throws(KafkaError) {
                        ends[partition] = try await OffsetLookup.offset(consumer.cluster, partition, at: -1).offset
                    } catch {
                        logger.debug("end offset lookup failed", metadata: ["partition": "\(partition)", "error": "\(error)"])
                        atEnd = false
                        continue
                    }
                }
                guard let end = ends[partition], let position = consumer.position(partition), position >= end else {
                    atEnd = false
                    continue
                }
            }
            if atEnd {
                for partition in assignment.sorted(by: { ($0.topic, $0.partition) < ($1.topic, $1.partition) }) {
                    Console.info("Reached end of topic \(partition.topic) [\(partition.partition)] at offset \(consumer.position(partition) ?? -1)",
                                 quiet: arguments.quiet)
                }
                progress.reachedEnd.store(true, ordering: .relaxed)
                await consumer.close()
                return
            }
        }
    }
}

/// A number zero-padded to three digits.
func padded3(_ number: Int64) -> String {
    let digits = number.description
    return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
}
