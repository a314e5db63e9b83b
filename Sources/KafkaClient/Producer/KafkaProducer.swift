import KafkaWire
import Logging
import ServiceLifecycle
import Synchronization

/// Produces records to Kafka: idempotent by default, batched per partition,
/// compressed per batch, retried in order, every record ending in exactly one
/// delivery report.
///
/// ```swift
/// let (producer, events) = try KafkaProducer.makeProducerWithEvents(configuration: .init(bootstrapServers: ["localhost:9092"]))
/// let id = try producer.send(KafkaProducerRecord(topic: "orders", key: "42", value: "created"))
/// for await event in events { ... }   // .deliveryReports([...])
/// ```
///
/// As a swift-service-lifecycle `Service`, `run()` returns after a graceful
/// shutdown (or the cancellation of its task, or `close()`) has flushed every
/// buffered record and closed the producer, and throws when the producer failed
/// for good (fenced, a fatal transaction error, rejected credentials).
///
/// Every call that waits honours task cancellation: `sendAndWait` and the
/// transaction calls throw `KafkaError` with code `.cancelled`; `flush()` and
/// `waitForBufferSpace()` return early. Cancelling stops the wait only: records
/// already queued are still sent, and may be written.
public final class KafkaProducer: Sendable, Service {
    /// The settings the producer was made with.
    public let configuration: Configuration
    /// The cluster client the producer sends through.
    package let cluster: KafkaCluster
    let accumulator: RecordAccumulator
    let sender: ProducerSender
    /// The transaction state and coordinator requests, with `transactionalId` set.
    let transactions: TransactionManager?
    private let senderTask: VisibleLock<Task<Void, Never>?> = VisibleLock(nil)
    var lifecycle: ClientLifecycle { sender.lifecycle }

    /// A producer without an events sequence: outcomes reach `sendAndWait` callers only.
    public convenience init(configuration: Configuration, logger: Logger = Logger(label: "swift-kafka-native.producer")) throws(KafkaError) {
        try self.init(configuration: configuration, events: nil, logger: logger)
    }

    /// A producer and the sequence of its events (delivery reports and errors).
    /// Consume the events: they are buffered until read.
    public static func makeProducerWithEvents(configuration: Configuration,
                                              logger: Logger = Logger(label: "swift-kafka-native.producer"))
        throws(KafkaError) -> (KafkaProducer, KafkaProducerEvents) {
        let (stream, continuation) = AsyncStream<KafkaProducerEvent>.makeStream()
        let producer = try KafkaProducer(configuration: configuration, events: continuation, logger: logger)
        return (producer, KafkaProducerEvents(stream: stream))
    }

    private init(configuration: Configuration, events: AsyncStream<KafkaProducerEvent>.Continuation?, logger: Logger) throws(KafkaError) {
        try Self.validate(configuration)
        self.configuration = configuration
        cluster = try KafkaCluster(configuration: configuration.cluster, logger: logger)
        let idempotent = configuration.enableIdempotence
        accumulator = RecordAccumulator(settings: .init(
            batchSize: max(1, configuration.batchSize), maxBatchRecords: max(1, configuration.maxBatchRecords), linger: configuration.linger, bufferMemory: configuration.bufferMemory,
            maxBufferedRecords: configuration.maxBufferedRecords, maxRequestSize: configuration.maxRequestSize, idempotent: idempotent,
            maxInFlightPerPartition: idempotent ? min(5, configuration.maxInFlightPerConnection) : configuration.maxInFlightPerConnection,
            deliveryTimeout: configuration.deliveryTimeout, metadataWait: min(configuration.maxBlock, configuration.deliveryTimeout),
            retryBackoff: configuration.retryBackoff,
            retryBackoffMax: configuration.retryBackoffMax, retries: configuration.retries, partitioner: configuration.partitioner,
            partitionerOptions: .init(adaptive: configuration.adaptivePartitioning,
                                      availabilityTimeout: configuration.partitionerAvailabilityTimeout,
                                      ignoreKeys: configuration.partitionerIgnoresKeys)))
        let cluster = self.cluster, accumulator = self.accumulator
        transactions = configuration.transactionalId.map {
            TransactionManager(transactionalId: $0, configuration: configuration, cluster: cluster, accumulator: accumulator, logger: logger)
        }
        sender = ProducerSender(configuration: configuration, accumulator: accumulator, cluster: cluster, transactions: transactions,
                                events: events, logger: logger)
        let sender = self.sender
        senderTask.withLock { $0 = Task { await sender.run() } }
    }

    static func validate(_ configuration: Configuration) throws(KafkaError) {
        if configuration.enableIdempotence {
            guard configuration.acks == .all else {
                throw KafkaError(.invalidConfiguration, detail: "enable.idempotence requires acks=all")
            }
            guard configuration.maxInFlightPerConnection <= 5 else {
                throw KafkaError(.invalidConfiguration, detail: "enable.idempotence allows at most 5 in-flight requests per connection")
            }
        }
        if let transactionalId = configuration.transactionalId {
            guard !transactionalId.isEmpty else {
                throw KafkaError(.invalidConfiguration, detail: "transactional.id must not be empty")
            }
            guard configuration.enableIdempotence else {
                throw KafkaError(.invalidConfiguration, detail: "transactional.id requires enable.idempotence")
            }
        }
        guard configuration.batchSize > 0, configuration.bufferMemory > 0, configuration.maxRequestSize > 0 else {
            throw KafkaError(.invalidConfiguration, detail: "batch.size, buffer.memory and max.request.size must be positive")
        }
    }

    /// Queues `record` for sending and returns at once with its id; the outcome
    /// arrives as a delivery report.
    ///
    /// - Throws: `.queueFull` when the buffer is full (await `waitForBufferSpace()` and
    ///   send again), `.messageTooLarge`, `.unknownTopicOrPartition` for a partition the
    ///   topic lacks, `.connectionClosed` after `close()`.
    @discardableResult
    public func send(_ record: KafkaProducerRecord) throws(KafkaError) -> KafkaProducerMessageID {
        try transactions?.checkCanSend()
        let appended = try accumulator.append(record)
        if appended.wakeSender { sender.wakeup.signal() }
        return KafkaProducerMessageID(rawValue: appended.id)
    }

    /// Queues `record` like `send(_:)`, and calls `onDelivery` with its report once
    /// the outcome is known (as well as reporting it in the events sequence).
    ///
    /// `onDelivery` runs on the producer's sender: keep it short, never block in it.
    /// Records it sends are waited for by `flush()` and `close()`.
    ///
    /// - Throws: as `send(_:)`; then `onDelivery` is never called.
    @discardableResult
    public func send(_ record: KafkaProducerRecord, onDelivery: @escaping @Sendable (KafkaDeliveryReport) -> Void)
        throws(KafkaError) -> KafkaProducerMessageID {
        try transactions?.checkCanSend()
        let appended = try accumulator.append(record, waiter: .handler(onDelivery))
        if appended.wakeSender { sender.wakeup.signal() }
        return KafkaProducerMessageID(rawValue: appended.id)
    }

    /// Queues `record` like `send(_:)` with `trailingHeader` after its headers, written
    /// straight from the borrowed bytes into the batch: for a layer that stamps a header
    /// on every record (lineage) without allocating it. `onDelivery` as in `send(_:onDelivery:)`.
    @discardableResult
    package func send(_ record: KafkaProducerRecord, trailingHeader: BorrowedRecordHeader,
                      onDelivery: (@Sendable (KafkaDeliveryReport) -> Void)? = nil) throws(KafkaError) -> KafkaProducerMessageID {
        try transactions?.checkCanSend()
        let appended = try accumulator.append(record, trailingHeader: trailingHeader, waiter: onDelivery.map { .handler($0) })
        if appended.wakeSender { sender.wakeup.signal() }
        return KafkaProducerMessageID(rawValue: appended.id)
    }

    /// Sends `record` and waits for its outcome, waiting for buffer space first if needed.
    ///
    /// - Returns: the report of the written record (partition, offset, timestamp).
    /// - Throws: the record's error; `.cancelled` when the task is cancelled while the
    ///   call waits. A cancelled call stops waiting but does not take the record back:
    ///   once queued it is still sent and may be written (its report still reaches the
    ///   events sequence).
    public func sendAndWait(_ record: KafkaProducerRecord) async throws(KafkaError) -> KafkaDeliveryReport {
        try transactions?.checkCanSend()
        while true {
            let report = OnceContinuation<KafkaDeliveryReport>()
            let cancelled = KafkaDeliveryReport(id: KafkaProducerMessageID(rawValue: 0), topic: record.topic, partition: record.partition ?? -1,
                                                error: KafkaError.cancelled("sendAndWait"))
            let outcome = await report.wait(cancelled: cancelled) {
                do throws(KafkaError) {
                    let appended = try accumulator.append(record, waiter: .continuation(report))
                    if appended.wakeSender { sender.wakeup.signal() }
                } catch {
                    report.resume(returning: KafkaDeliveryReport(id: KafkaProducerMessageID(rawValue: 0), topic: record.topic,
                                                                 partition: record.partition ?? -1, error: error))
                }
            }.asResult
            switch outcome {
            case .success(let report):
                return report
            case .failure(let error) where error.code == .queueFull:
                await waitForBufferSpace()
                if Task.isCancelled { throw KafkaError.cancelled("sendAndWait") }
            case .failure(let error):
                throw error
            }
        }
    }

    /// Waits until the buffer has room again after `.queueFull`; returns early when the task is cancelled.
    public func waitForBufferSpace() async {
        sender.wakeup.signal()
        await accumulator.waitForSpace()
    }

    /// Sends everything buffered now (ignoring `linger.ms`) and waits until each record
    /// has its report. Returns early when the task is cancelled (check `Task.isCancelled`);
    /// the records are still sent.
    public func flush() async {
        accumulator.requestFlush()
        sender.wakeup.signal()
        await accumulator.waitUntilEmpty()
    }

    /// Flushes, then stops: later sends fail with `.connectionClosed`, the events
    /// sequence ends, and the cluster's connections close.
    ///
    /// Every call waits for the same close, which runs to its end even when the
    /// calling task is cancelled: buffered records are still flushed, each within
    /// `delivery.timeout.ms`. A `run()` in progress returns once it is done.
    public func close() async {
        await lifecycle.close { [self] in await finishClosing() }
    }

    private func finishClosing() async {
        await flush()
        accumulator.state.withLock { $0.isClosed = true }
        sender.stopping.store(true, ordering: .releasing)
        sender.wakeup.signal()
        await senderTask.withLock { $0 }?.value
        sender.events?.finish()
        await cluster.close()
    }

    /// Runs the producer as a swift-service-lifecycle `Service`: returns after a
    /// graceful shutdown, a `close()` from elsewhere or the cancellation of the task,
    /// once the producer has flushed every buffered record and closed.
    ///
    /// - Throws: the error that ended the producer for good (`.producerFenced`,
    ///   `.transactionFatal`, `.authenticationFailed`, cluster or transactional-id
    ///   authorization), after closing it, so a `ServiceGroup` shuts the other services
    ///   down; `.illegalState` when `run()` is called a second time.
    public func run() async throws {
        try lifecycle.startRun(client: "KafkaProducer")
        await withGracefulShutdownHandler {
            await lifecycle.waitForEnd()
        } onGracefulShutdown: { [lifecycle] in
            lifecycle.requestStop()
        }
        await close()
        if let error = lifecycle.fatalError { throw error }
    }
}

extension KafkaError {
    /// True for errors after which the producer can only be closed: `run()` throws them.
    var endsProducer: Bool {
        switch code {
        case .producerFenced, .transactionFatal, .authenticationFailed: return true
        default: break
        }
        switch brokerErrorCode {
        case .clusterAuthorizationFailed?, .transactionalIdAuthorizationFailed?: return true
        default: return false
        }
    }
}

/// The producer's events: delivery reports (in batches) and errors.
public struct KafkaProducerEvents: AsyncSequence, Sendable {
    public typealias Element = KafkaProducerEvent
    let stream: AsyncStream<KafkaProducerEvent>

    /// Iterates the producer's events.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<KafkaProducerEvent>.AsyncIterator
        /// The next event; nil once the producer is closed.
        public mutating func next() async -> KafkaProducerEvent? { await base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: stream.makeAsyncIterator()) }
}

extension KafkaDeliveryReport {
    init(id: KafkaProducerMessageID, topic: String, partition: Int32, error: KafkaError) {
        self.init(id: id, topic: topic, partition: partition, offset: nil, timestamp: nil, error: error)
    }

    var asResult: Result<KafkaDeliveryReport, KafkaError> {
        if let error { .failure(error) } else { .success(self) }
    }
}
