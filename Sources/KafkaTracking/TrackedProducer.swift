import Foundation
import KafkaClient
import KafkaWire
import Synchronization
import Tracing

/// A producer that stamps lineage on every record: a new event id, the
/// correlation id of the event being handled (or a new flow), that event as the
/// cause, this service's name, and a per-partition sequence of its own so
/// consumers can tell when records are missing. Each send runs in a
/// `<topic> publish` producer span whose context goes into the headers.
///
/// ```swift
/// let tracked = TrackedProducer(producer, sourceService: "orders")
/// try await LineageContext.withEvent(incoming.lineage) {
///     try await tracked.send(KafkaProducerRecord(topic: "orders.events", key: "42", value: json), eventType: "OrderPlacedEvent")
/// }
/// ```
public final class TrackedProducer: Sendable {
    /// The producer records go through.
    public let producer: KafkaProducer
    /// The service named as every record's source.
    public let sourceService: String
    /// This instance's id in the sequence headers.
    public let instanceId: String
    private let sequences = Mutex<[TopicPartition: Int64]>([:])
    private let partitions = PartitionCounts()
    private let explicitTracer: (any Tracer)?
    private let resolvedTracer = Mutex<(any Tracer)?>(nil)
    /// Where produce hops are recorded for `LineageQuery`; nil to record none.
    public let recorder: LineageRecorder?

    /// - Parameters:
    ///   - tracer: the tracer for producer spans and header injection; nil for
    ///     the one bootstrapped in `InstrumentationSystem` (a no-op until one is).
    ///   - recorder: records a produce hop per record sent, for `LineageQuery`.
    public init(_ producer: KafkaProducer, sourceService: String, instanceId: String = UUID().uuidString.lowercased(),
                tracer: (any Tracer)? = nil, recorder: LineageRecorder? = nil) {
        self.producer = producer
        self.sourceService = sourceService
        self.instanceId = instanceId
        self.explicitTracer = tracer
        self.recorder = recorder
    }

    /// The tracer: the one given, else the bootstrapped one, looked up at the first
    /// send and kept (the lookup costs a lock and a dynamic cast per call).
    var tracer: any Tracer {
        if let explicitTracer { return explicitTracer }
        return resolvedTracer.withLock { resolved in
            if let resolved { return resolved }
            let tracer = InstrumentationSystem.tracer
            resolved = tracer
            return tracer
        }
    }

    /// Sends `record` with lineage headers; returns the id `KafkaProducer.send` gave and the lineage stamped.
    ///
    /// The partition is chosen here when the record names none (murmur2 of the key, as
    /// the producer would; keyless records in turn), so the sequence is per partition.
    /// When the producer's buffer is full, waits for space and queues the same record
    /// (a `queueFull` error would leave a gap in the partition's sequence).
    /// With a recorder, a produce hop is recorded once the record is queued (its offset
    /// is not known yet: sending does not wait for delivery).
    @discardableResult
    public func send(_ record: KafkaProducerRecord, eventType: String? = nil, schemaVersion: Int? = nil)
        async throws(KafkaError) -> (id: KafkaProducerMessageID, lineage: LineageMetadata) {
        var record = record
        let partition = try await choosePartition(for: record)
        record.partition = partition
        let lineage = nextLineage(topic: record.topic, partition: partition, eventType: eventType, schemaVersion: schemaVersion)
        record.headers = lineage.stamped(onto: record.headers)
        let tracer = self.tracer
        let outcome: Result<KafkaProducerMessageID, KafkaError> = await tracer.withSpan("\(record.topic) publish", ofKind: .producer) { span in
            // Attributes cost strings per record; a no-op tracer's spans would drop them.
            if span.isRecording {
                MessagingAttributes.describe(&span.attributes, topic: record.topic, partition: partition,
                                             eventId: lineage.eventId.uuidString.lowercased(), key: record.key)
                span.attributes["messaging.operation.type"] = "send"
            }
            tracer.inject(span.context, into: &record.headers, using: RecordHeadersInjector())
            let sent = await queue(record)
            if case .failure(let error) = sent { span.recordError(error) }
            return sent
        }
        let id = try outcome.get()
        await recorder?.recordProduced(lineage, topic: record.topic, partition: partition)
        return (id, lineage)
    }

    /// Hands `record` to the producer, waiting for buffer space as often as it is full.
    private func queue(_ record: KafkaProducerRecord) async -> Result<KafkaProducerMessageID, KafkaError> {
        while true {
            do throws(KafkaError) {
                return .success(try producer.send(record))
            } catch where error.code == .queueFull {
                await producer.waitForBufferSpace()
            } catch {
                return .failure(error)
            }
        }
    }

    /// The lineage for the next record to `topic`'s `partition`, in the current `LineageContext`.
    func nextLineage(topic: String, partition: Int32, eventType: String?, schemaVersion: Int?) -> LineageMetadata {
        let cause = LineageContext.current
        let number = sequences.withLock { counters -> Int64 in
            let key = TopicPartition(topic: topic, partition: partition)
            let next = counters[key, default: 0]
            counters[key] = next + 1
            return next
        }
        let eventId = EventIds.next()
        return LineageMetadata(eventId: eventId, correlationId: cause?.correlationId ?? eventId, causationId: cause?.eventId,
                               sourceService: sourceService, eventType: eventType, schemaVersion: schemaVersion,
                               producedAt: Int64(Date().timeIntervalSince1970 * 1000),
                               sequence: ProducerSequence(producerId: instanceId, number: number))
    }

    private func choosePartition(for record: KafkaProducerRecord) async throws(KafkaError) -> Int32 {
        if let partition = record.partition { return partition }
        return try await partitions.partition(for: record.key, topic: record.topic, in: producer.cluster)
    }
}
