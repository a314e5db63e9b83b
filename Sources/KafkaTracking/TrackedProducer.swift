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
    private let stamper = VisibleLock(LineageStamper())
    private let partitions = PartitionCounts()
    /// Source service and instance id in the compact header, encoded once.
    private let compactFields: CompactLineage.ProducerFields
    private let explicitTracer: (any Tracer)?
    private let resolvedTracer = VisibleLock<ResolvedTracer?>(nil)
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
    ///   - producer: the producer records are sent with.
    ///   - sourceService: the service named as every event's source in its lineage.
    ///   - instanceId: this producer's id in lineage sequences; unique per process by default.
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
    @inlinable
    public func send(_ record: consuming KafkaProducerRecord, eventType: String? = nil, schemaVersion: Int? = nil)
        async throws(KafkaError) -> (id: KafkaProducerMessageID, lineage: LineageMetadata) {
        // Inlined into the caller, so the common case (the record queued at once) is a plain
        // call: as an async call every send paid an async frame and an executor switch.
        switch try firstStep(&record, eventType: eventType, schemaVersion: schemaVersion) {
        case .sent(let id, let lineage)?:
            return (id, lineage)
        case .stamped(let stamped)?:
            return try await finish(stamped)
        case .needsPartitionCount?, nil:
            return try await sendWaiting(record, eventType: eventType, schemaVersion: schemaVersion)
        }
    }

    /// Stamps and queues `record` when that needs no waiting; nil while the recorder's
    /// topic is still to be checked.
    @usableFromInline
    func firstStep(_ record: inout KafkaProducerRecord, eventType: String?, schemaVersion: Int?) throws(KafkaError) -> Attempt? {
        if let recorder, !recorder.isPrepared { return nil }
        return try attempt(&record, eventType: eventType, schemaVersion: schemaVersion)
    }

    /// Queues a stamped record, in a span or once there is buffer space.
    @usableFromInline
    func finish(_ stamped: Stamped) async throws(KafkaError) -> (id: KafkaProducerMessageID, lineage: LineageMetadata) {
        (try await send(stamped), stamped.lineage)
    }

    /// A send that waits first: for the recorder's topic, or for the record's partition count.
    @usableFromInline
    func sendWaiting(_ record: consuming KafkaProducerRecord, eventType: String?, schemaVersion: Int?)
        async throws(KafkaError) -> (id: KafkaProducerMessageID, lineage: LineageMetadata) {
        // Delivery handlers can then queue produce hops at once (`flush` waits for those).
        if let recorder { try? await recorder.prepare() }
        while true {
            let outcome = try attempt(&record, eventType: eventType, schemaVersion: schemaVersion)
            // Consumed, so the lineage moves out instead of being copied.
            switch consume outcome {
            case .sent(let id, let lineage):
                return (id, lineage)
            case .stamped(let stamped):
                return try await finish(stamped)
            case .needsPartitionCount:
                let count = try await partitions.count(of: record.topic, in: producer.cluster)
                stamper.withLock { $0.learn(partitionCount: count, of: record.topic) }
            }
        }
    }

    /// A record with its lineage stamped, ready to queue.
    @usableFromInline
    struct Stamped {
        var record: KafkaProducerRecord
        let lineage: LineageMetadata
        let spanName: String
    }

    /// How far `attempt` got.
    @usableFromInline
    enum Attempt {
        /// Queued.
        case sent(KafkaProducerMessageID, LineageMetadata)
        /// Stamped, to be queued in a span or once there is buffer space.
        case stamped(Stamped)
        /// The record's topic must be looked up first, to choose its partition.
        case needsPartitionCount
    }

    /// Stamps `record` and, with the no-op tracer and space in the buffer, queues it:
    /// the whole of a send, synchronous, in the common case. Leaves `record` as it
    /// was when its partition count is needed.
    private func attempt(_ record: inout KafkaProducerRecord, eventType: String?, schemaVersion: Int?) throws(KafkaError) -> Attempt {
        guard let stamp = stamper.withLock({ $0.stamp(topic: record.topic, partition: record.partition, key: record.key) }) else {
            return .needsPartitionCount
        }
        let producedAt = Self.wallClockMilliseconds()
        let cause = LineageContext.current
        let lineage = LineageMetadata(eventId: stamp.eventId, correlationId: cause?.correlationId ?? stamp.eventId,
                                      causationId: cause?.eventId, sourceService: sourceService, eventType: eventType,
                                      schemaVersion: schemaVersion, producedAt: producedAt,
                                      sequence: ProducerSequence(producerId: instanceId, number: stamp.sequence))
        record.partition = stamp.partition
        record.timestamp = record.timestamp ?? producedAt
        if record.headers.contains(where: { LineageMetadata.isLineageHeader($0.key) }) {
            record.headers.removeAll { LineageMetadata.isLineageHeader($0.key) }
        }
        // The compact header is written straight into the batch when the record is queued.
        if headerFormat == .perField { record.headers += lineage.perFieldHeaders }
        let kind = tracerKind.load(ordering: .relaxed)
        // With the no-op tracer there is nothing to inject or record: no span at all.
        if kind == 1 || (kind == 0 && resolved.isNoOp), let id = try queueNow(record, lineage: lineage) {
            return .sent(id, lineage)
        }
        return .stamped(Stamped(record: record, lineage: lineage, spanName: stamp.spanName))
    }

    /// Queues `stamped` in a producer span (unless the tracer is the no-op one), waiting for buffer space if need be.
    private func send(_ stamped: Stamped) async throws(KafkaError) -> KafkaProducerMessageID {
        if tracerKind.load(ordering: .relaxed) == 1 { return try await queue(stamped.record, lineage: stamped.lineage).get() }
        let tracer = self.tracer
        let lineage = stamped.lineage
        let outcome: Result<KafkaProducerMessageID, KafkaError> = await tracer.withSpan(stamped.spanName, ofKind: .producer) { span in
            var record = stamped.record
            // Attributes cost strings per record; a non-recording span would drop them.
            if span.isRecording {
                MessagingAttributes.describe(&span.attributes, topic: record.topic, partition: record.partition ?? -1,
                                             eventId: lineage.eventId.uuidString.lowercased(), key: record.key)
                span.attributes["messaging.operation.type"] = "send"
            }
            tracer.inject(span.context, into: &record.headers, using: RecordHeadersInjector())
            let sent = await queue(record, lineage: lineage)
            if case .failure(let error) = sent { span.recordError(error) }
            return sent
        }
        return try outcome.get()
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

    /// Hands `record` to the producer, with the compact lineage header unless the
    /// headers carry it per field; nil when the producer's buffer is full. With a
    /// recorder, asks for the delivery report to record the produce hop with the offset.
    private func queueNow(_ record: KafkaProducerRecord, lineage: LineageMetadata) throws(KafkaError) -> KafkaProducerMessageID? {
        var onDelivery: (@Sendable (KafkaDeliveryReport) -> Void)?
        if let recorder {
            onDelivery = { report in
                guard report.isSuccess else { return }
                recorder.recordProducedSoon(lineage, topic: report.topic, partition: report.partition, offset: report.offset)
            }
        }
        do throws(KafkaError) {
            guard headerFormat == .compact else {
                guard let onDelivery else { return try producer.send(record) }
                return try producer.send(record, onDelivery: onDelivery)
            }
            // Encoded on the stack and copied by the producer into the batch: no allocation per record.
            let encoding = CompactLineage.Encoding(lineage, fields: compactFields)
            typealias Sent = Result<KafkaProducerMessageID, KafkaError>
            let sent = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: encoding.size) { buffer -> Sent in
                encoding.write(lineage, fields: compactFields, into: buffer)
                let key = UnsafeRawBufferPointer(start: Self.compactKey.utf8Start, count: Self.compactKey.utf8CodeUnitCount)
                let header = BorrowedRecordHeader(key: key, value: UnsafeRawBufferPointer(buffer))
                do throws(KafkaError) {
                    return .success(try producer.send(record, trailingHeader: header, onDelivery: onDelivery))
                } catch {
                    return .failure(error)
                }
            }
            return try sent.get()
        } catch where error.code == .queueFull {
            return nil
        }
    }

    /// `LineageMetadata.Header.compact`, as static UTF-8 for the borrowed header.
    private static let compactKey: StaticString = "lineage"

    static func wallClockMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
