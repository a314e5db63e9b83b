import Foundation
import KafkaClient
import Synchronization

/// Reads a flow's hops back from the lineage topic and rebuilds its graph.
///
/// Hops are keyed by correlation id, so only that key's partition is read: from
/// its start to the end offset found when the query begins, with a consumer of
/// no group (nothing is committed).
///
/// ```swift
/// let query = LineageQuery(configuration: .init(bootstrapServers: ["localhost:9092"]))
/// print(try await query.graph(correlationId: id).text)
/// ```
public struct LineageQuery: Sendable {
    /// How the consumer reaches the cluster (its group id is ignored).
    public var configuration: KafkaConsumer.Configuration
    /// The lineage topic.
    public var topic: String
    /// How long the whole read may take.
    public var timeout: Duration = .seconds(30)
    /// After the end offset is reached, how long to keep taking records that arrive.
    /// Some brokers (Tansu) report the end as the last batch's base offset + 1,
    /// so the rest of that batch comes after the record at the reported end.
    public var settle: Duration = .milliseconds(200)

    /// A query reading `topic` with consumers made from `configuration`.
    public init(configuration: KafkaConsumer.Configuration, topic: String = LineageRecorder.defaultTopic) {
        self.configuration = configuration
        self.configuration.groupId = nil
        self.configuration.enableAutoCommit = false
        self.topic = topic
    }

    /// The graph of the flow `correlationId`.
    public func graph(correlationId: UUID) async throws(KafkaError) -> LineageGraph {
        LineageGraph(correlationId: correlationId, hops: try await hops(correlationId: correlationId))
    }

    /// The hops recorded for `correlationId`, in the order they were recorded.
    public func hops(correlationId: UUID) async throws(KafkaError) -> [LineageHop] {
        let consumer = try KafkaConsumer(configuration: configuration)
        let key = correlationId.lowercasedUTF8
        do throws(KafkaError) {
            let partition = TopicPartition(topic: topic, partition: try await PartitionCounts().partition(for: key, topic: topic,
                                                                                                         in: consumer.cluster))
            let (start, end) = try await bounds(of: partition)
            guard end > start else {
                await consumer.close()
                return []
            }
            consumer.assign([partition: .offset(start)])
            return try await read(consumer, key: key, until: end)
        } catch {
            await consumer.close()
            throw error
        }
    }

    /// The partition's start and end offsets.
    private func bounds(of partition: TopicPartition) async throws(KafkaError) -> (start: Int64, end: Int64) {
        var settings = KafkaAdminClient.Configuration(bootstrapServers: configuration.cluster.bootstrapServers)
        settings.cluster = configuration.cluster
        let admin = try KafkaAdminClient(configuration: settings)
        do throws(KafkaError) {
            let bounds = (try await Self.offset(admin, partition, .earliest), try await Self.offset(admin, partition, .latest))
            await admin.close()
            return bounds
        } catch {
            await admin.close()
            throw error
        }
    }

    private static func offset(_ admin: KafkaAdminClient, _ partition: TopicPartition, _ spec: OffsetSpec)
        async throws(KafkaError) -> Int64 {
        let listed = try await admin.listOffsets([partition: spec])
        guard let result = listed[partition] else {
            throw KafkaError(.protocolViolation, detail: "ListOffsets answered without \(partition)")
        }
        return try result.get().offset
    }

    /// What the reading task has seen so far, shared with the watching task.
    private final class Progress: Sendable {
        struct State {
            var hops: [LineageHop] = []
            var lastOffset: Int64 = -1
            var lastArrival = ContinuousClock.now
        }

        let state = VisibleLock(State())
    }

    /// Takes the records of the assigned partition up to `end` (and any arriving within
    /// `settle` after), keeping the hops whose key is `key`; closes the consumer.
    private func read(_ consumer: KafkaConsumer, key: [UInt8], until end: Int64) async throws(KafkaError) -> [LineageHop] {
        let progress = Progress()
        let outcome: Result<Void, KafkaError> = await withTaskGroup(of: Void.self) { group in
            // Errors end the reading early; the watcher below reports them or the timeout.
            group.addTask { try? await Self.collect(consumer.messages, key: key, into: progress) }
            let outcome = await watch(consumer, progress, until: end)
            // Closing ends the message sequence, and with it the reading task.
            await consumer.close()
            group.cancelAll()
            return outcome
        }
        try outcome.get()
        return progress.state.withLock { $0.hops }
    }

    /// Waits until `end` is reached and nothing more arrived for `settle`, a
    /// non-retriable consumer error, or the timeout.
    private func watch(_ consumer: KafkaConsumer, _ progress: Progress, until end: Int64) async -> Result<Void, KafkaError> {
        let deadline = ContinuousClock.now + timeout
        while true {
            try? await Task.sleep(for: .milliseconds(20))
            if let failure = consumer.takeErrors().first(where: { !$0.isRetriable }) { return .failure(failure) }
            let (last, arrival) = progress.state.withLock { ($0.lastOffset, $0.lastArrival) }
            if last + 1 >= end && arrival.duration(to: .now) >= settle { return .success(()) }
            if ContinuousClock.now > deadline || Task.isCancelled {
                return .failure(KafkaError(.requestTimedOut, detail: "lineage topic \(topic): read to offset \(last + 1) of \(end) in \(timeout)"))
            }
        }
    }

    private static func collect(_ messages: KafkaConsumerMessages, key: [UInt8], into progress: Progress) async throws {
        for try await message in messages {
            let hop = message.key.map { $0.elementsEqual(key) } == true ? LineageHop.decode(message.value ?? []) : nil
            progress.state.withLock { state in
                if let hop { state.hops.append(hop) }
                state.lastOffset = message.offset
                state.lastArrival = ContinuousClock.now
            }
        }
    }
}
