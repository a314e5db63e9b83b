import KafkaClient
import Metrics
import Synchronization

/// A gap or repeat in a producer's sequence on one partition.
public struct SequenceAnomaly: Sendable, Hashable {
    /// What went wrong in the sequence.
    public enum Kind: Sendable, Hashable {
        /// Sequence numbers `missing` never arrived: those records are lost (or were deleted).
        case gap(missing: Range<Int64>)
        /// A number arrived again (a redelivery, or a producer retry without idempotence).
        case duplicate(number: Int64)
    }

    /// A gap or a duplicate.
    public var kind: Kind
    /// The producer whose sequence it is (the lineage producer id).
    public var producerId: String
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The offset of the record that revealed it.
    public var offset: Int64
}

/// Watches the per-partition sequence numbers `TrackedProducer` stamps and reports
/// gaps and duplicates the moment the next record shows them, as events and as
/// swift-metrics counters (`kafka_tracking_lost_records`, `kafka_tracking_duplicate_records`).
///
/// A producer's first record on a partition sets the baseline, so a consumer that
/// starts mid-stream reports nothing for what came before it.
public final class LossDetector: Sendable {
    private struct Key: Hashable {
        var producerId: String
        var topic: String
        var partition: Int32
    }

    private let expected = VisibleLock<[Key: Int64]>([:])
    private let continuation: AsyncStream<SequenceAnomaly>.Continuation
    /// Every anomaly, as it is found.
    public let anomalies: AsyncStream<SequenceAnomaly>

    /// A detector that has seen nothing yet.
    public init() {
        (anomalies, continuation) = AsyncStream<SequenceAnomaly>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Checks one consumed record; returns (and reports) what it reveals.
    @discardableResult
    public func observe(_ message: KafkaConsumerMessage) -> [SequenceAnomaly] {
        guard let lineage = try? LineageMetadata(headers: message.headers), let sequence = lineage.sequence else { return [] }
        let key = Key(producerId: sequence.producerId, topic: message.topic, partition: message.partition)
        let kind: SequenceAnomaly.Kind? = expected.withLock { expected in
            guard let next = expected[key] else {
                expected[key] = sequence.number + 1
                return nil
            }
            if sequence.number == next {
                expected[key] = next + 1
                return nil
            }
            if sequence.number > next {
                expected[key] = sequence.number + 1
                return .gap(missing: next..<sequence.number)
            }
            return .duplicate(number: sequence.number)
        }
        guard let kind else { return [] }
        let anomaly = SequenceAnomaly(kind: kind, producerId: sequence.producerId, topic: message.topic, partition: message.partition,
                                      offset: message.offset)
        let dimensions = [("topic", message.topic), ("partition", "\(message.partition)"), ("producer", sequence.producerId)]
        switch kind {
        case .gap(let missing): Counter(label: "kafka_tracking_lost_records", dimensions: dimensions).increment(by: missing.count)
        case .duplicate: Counter(label: "kafka_tracking_duplicate_records", dimensions: dimensions).increment()
        }
        continuation.yield(anomaly)
        return [anomaly]
    }

    /// Ends the `anomalies` sequence.
    public func finish() {
        continuation.finish()
    }
}
