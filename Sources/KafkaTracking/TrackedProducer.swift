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
    /// How lineage is written into headers (`compact` unless told otherwise).
    public let headerFormat: LineageMetadata.HeaderFormat
    /// Where produce hops are recorded for `LineageQuery`; nil to record none.
    public let recorder: LineageRecorder?
    /// Partitions, sequences and event ids: one lock per record.
    private let stamper = Mutex(LineageStamper())
    private let partitions = PartitionCounts()
    /// Source service and instance id in the compact header, encoded once.
    private let compactFields: CompactLineage.ProducerFields
    private let explicitTracer: (any Tracer)?
    private let resolvedTracer = Mutex<ResolvedTracer?>(nil)
    /// Whether the resolved tracer is the no-op one, read without the lock: 0 not resolved yet, 1 no-op, 2 another.
    private let tracerKind = Atomic<UInt8>(0)

    /// A tracer and whether it is the no-op one (then no span is started at all).
    private struct ResolvedTracer: @unchecked Sendable {
        // `any Tracer` is not Sendable; tracers are shared across tasks by design.
        let tracer: any Tracer
        let isNoOp: Bool

        init(_ tracer: any Tracer) {
            self.tracer = tracer
            isNoOp = tracer is NoOpTracer
        }
    }

    /// - Parameters:
    ///   - tracer: the tracer for producer spans and header injection; nil for
    ///     the one bootstrapped in `InstrumentationSystem` (a no-op until one is).
    ///   - recorder: records a produce hop per record delivered, with its offset, for `LineageQuery`.
    ///   - headerFormat: how lineage is written into headers; readers take either form.
    public init(_ producer: KafkaProducer, sourceService: String, instanceId: String = UUID().uuidString.lowercased(),
                tracer: (any Tracer)? = nil, recorder: LineageRecorder? = nil,
                headerFormat: LineageMetadata.HeaderFormat = .compact) {
        self.producer = producer
        self.sourceService = sourceService
        self.instanceId = instanceId
        self.explicitTracer = tracer
        self.recorder = recorder
        self.headerFormat = headerFormat
        compactFields = CompactLineage.ProducerFields(sourceService: sourceService, producerId: instanceId)
    }

    /// The tracer: the one given, else the bootstrapped one, looked up at the first
    /// send and kept (the lookup costs a lock and a dynamic cast per call).
    var tracer: any Tracer { resolved.tracer }

    private var resolved: ResolvedTracer {
        resolvedTracer.withLock { resolved in
            if let resolved { return resolved }
            let tracer = ResolvedTracer(explicitTracer ?? InstrumentationSystem.tracer)
            resolved = tracer
            tracerKind.store(tracer.isNoOp ? 1 : 2, ordering: .relaxed)
            return tracer
        }
    }

    /// Sends `record` with lineage headers; returns the id `KafkaProducer.send` gave and the lineage stamped.
    ///
    /// The partition is chosen here when the record names none (murmur2 of the key, as
    /// the producer would; keyless records in turn), so the sequence is per partition.
    /// When the producer's buffer is full, waits for space and queues the same record
    /// (a `queueFull` error would leave a gap in the partition's sequence).
    /// With a recorder, a produce hop with the record's offset is recorded when its
    /// delivery report arrives (sending does not wait for delivery).
    @discardableResult
    public func send(_ record: KafkaProducerRecord, eventType: String? = nil, schemaVersion: Int? = nil)
        async throws(KafkaError) -> (id: KafkaProducerMessageID, lineage: LineageMetadata) {
        var record = record
        // Delivery handlers can then queue produce hops at once (`flush` waits for those).
        if let recorder { try? await recorder.prepare() }
        // The stamp and the queueing take no suspension point unless they must wait.
        let stamp: LineageStamper.Stamp
        if let ready = stamper.withLock({ $0.stamp(topic: record.topic, partition: record.partition, key: record.key) }) {
            stamp = ready
        } else {
            stamp = try await nextStamp(for: record)
        }
        let producedAt = Self.wallClockMilliseconds()
        let cause = LineageContext.current
        let lineage = LineageMetadata(eventId: stamp.eventId, correlationId: cause?.correlationId ?? stamp.eventId,
                                      causationId: cause?.eventId, sourceService: sourceService, eventType: eventType,
                                      schemaVersion: schemaVersion, producedAt: producedAt,
                                      sequence: ProducerSequence(producerId: instanceId, number: stamp.sequence))
        record.partition = stamp.partition
        record.timestamp = record.timestamp ?? producedAt
        if headerFormat == .compact {
            // Straight from the stamp into one exact-size buffer: the producer's fields are this producer's.
            let value = CompactLineage.encode(eventId: lineage.eventId, correlationId: lineage.correlationId,
                                              causationId: lineage.causationId, producedAt: producedAt,
                                              schemaVersion: schemaVersion, sequence: stamp.sequence, fields: compactFields,
                                              eventType: eventType)
            record.headers = LineageMetadata.replacingLineage(in: record.headers,
                                                              with: RecordHeader(key: LineageMetadata.Header.compact, value: value))
        } else {
            record.headers = lineage.stamped(onto: record.headers, format: headerFormat)
        }
        let kind = tracerKind.load(ordering: .relaxed)
        if kind == 1 || (kind == 0 && resolved.isNoOp) {
            // Nothing to inject, nothing to record: skip the span machinery altogether.
            if let id = try queueNow(record, lineage: lineage) { return (id, lineage) }
            return (try await queue(record, lineage: lineage).get(), lineage)
        }
        let tracer = self.tracer
        let outcome: Result<KafkaProducerMessageID, KafkaError> = await tracer.withSpan(stamp.spanName, ofKind: .producer) { span in
            // Attributes cost strings per record; a non-recording span would drop them.
            if span.isRecording {
                MessagingAttributes.describe(&span.attributes, topic: record.topic, partition: stamp.partition,
                                             eventId: lineage.eventId.uuidString.lowercased(), key: record.key)
                span.attributes["messaging.operation.type"] = "send"
            }
            tracer.inject(span.context, into: &record.headers, using: RecordHeadersInjector())
            let sent = await queue(record, lineage: lineage)
            if case .failure(let error) = sent { span.recordError(error) }
            return sent
        }
        return (try outcome.get(), lineage)
    }

    /// Hands `record` to the producer, waiting for buffer space as often as it is full.
    private func queue(_ record: KafkaProducerRecord, lineage: LineageMetadata) async -> Result<KafkaProducerMessageID, KafkaError> {
        while true {
            do throws(KafkaError) {
                if let id = try queueNow(record, lineage: lineage) { return .success(id) }
                await producer.waitForBufferSpace()
            } catch {
                return .failure(error)
            }
        }
    }

    /// Hands `record` to the producer; nil when its buffer is full. With a recorder, asks
    /// for the delivery report to record the produce hop with the offset.
    private func queueNow(_ record: KafkaProducerRecord, lineage: LineageMetadata) throws(KafkaError) -> KafkaProducerMessageID? {
        do throws(KafkaError) {
            guard let recorder else { return try producer.send(record) }
            return try producer.send(record) { report in
                guard report.isSuccess else { return }
                recorder.recordProducedSoon(lineage, topic: report.topic, partition: report.partition, offset: report.offset)
            }
        } catch where error.code == .queueFull {
            return nil
        }
    }

    /// The stamp for `record`, looking its topic's partition count up first when it is needed and not known.
    private func nextStamp(for record: KafkaProducerRecord) async throws(KafkaError) -> LineageStamper.Stamp {
        while true {
            if let stamp = stamper.withLock({ $0.stamp(topic: record.topic, partition: record.partition, key: record.key) }) {
                return stamp
            }
            let count = try await partitions.count(of: record.topic, in: producer.cluster)
            stamper.withLock { $0.learn(partitionCount: count, of: record.topic) }
        }
    }

    static func wallClockMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
