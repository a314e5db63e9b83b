import Foundation
import KafkaClient
import Metrics

/// End-to-end latency: the time from a record's `produced-at` lineage stamp to
/// its handling, as a swift-metrics timer `kafka_tracking_end_to_end_latency`
/// per topic and consumer group. `withProcessingSpan` records it for every record.
public enum EndToEndLatency {
    /// Records and returns the latency of `message`; nil when it carries no lineage.
    @discardableResult
    public static func record(_ message: KafkaConsumerMessage, consumerGroup: String?,
                              now: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) -> Duration? {
        guard let lineage = try? LineageMetadata(headers: message.headers) else { return nil }
        return record(lineage, topic: message.topic, consumerGroup: consumerGroup, now: now)
    }

    /// Records the latency of an event with `lineage` handled now from `topic`.
    @discardableResult
    static func record(_ lineage: LineageMetadata, topic: String, consumerGroup: String?,
                       now: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) -> Duration {
        // Clocks of different hosts disagree a little; a negative span counts as zero.
        let milliseconds = max(0, now - lineage.producedAt)
        Timer(label: "kafka_tracking_end_to_end_latency",
              dimensions: [("topic", topic), ("consumer_group", consumerGroup ?? "")])
            .recordNanoseconds(milliseconds * 1_000_000)
        return .milliseconds(milliseconds)
    }
}
