import Instrumentation
import KafkaClient
import KafkaWire
import Tracing

/// Spans for Kafka records after the OpenTelemetry messaging conventions:
/// `<topic> publish` (kind producer) around a send, its context injected into the
/// record's headers; `<topic> process` (kind consumer) around handling a record,
/// started as a child of the context extracted from the headers.
enum MessagingAttributes {
    static func describe(_ attributes: inout SpanAttributes, topic: String, partition: Int32, eventId: String?, key: [UInt8]?) {
        attributes["messaging.system"] = "kafka"
        attributes["messaging.destination.name"] = topic
        attributes["messaging.destination.partition.id"] = "\(partition)"
        if let eventId { attributes["messaging.message.id"] = eventId }
        if let key { attributes["messaging.kafka.message.key"] = String(decoding: key, as: UTF8.self) }
    }
}

extension KafkaConsumerMessage {
    /// Runs `operation` inside a `<topic> process` consumer span, child of the
    /// producer's span context found in the headers, and inside the record's
    /// lineage (`LineageContext`), so records produced by `operation` name this one as cause.
    /// Records the end-to-end latency (`EndToEndLatency`) first, and with a
    /// `recorder`, this service's consume hop.
    public func withProcessingSpan<T>(consumerGroup: String? = nil, tracer: (any Tracer)? = nil, recorder: LineageRecorder? = nil,
                                      _ operation: (any Span) async throws -> T) async rethrows -> T {
        let tracer = tracer ?? InstrumentationSystem.tracer
        var context = InstrumentationContext.topLevel
        tracer.extract(headers, into: &context, using: RecordHeadersExtractor())
        let lineage = try? LineageMetadata(headers: headers)
        if let lineage {
            EndToEndLatency.record(lineage, topic: topic, consumerGroup: consumerGroup)
            await recorder?.recordConsumed(lineage, topic: topic, partition: partition, offset: offset, consumerGroup: consumerGroup)
        }
        return try await tracer.withSpan("\(topic) process", context: context, ofKind: .consumer) { span in
            MessagingAttributes.describe(&span.attributes, topic: topic, partition: partition,
                                         eventId: lineage?.eventId.uuidString.lowercased(), key: key.map(Array.init))
            span.attributes["messaging.operation.type"] = "process"
            span.attributes["messaging.kafka.offset"] = Int(offset)
            if let consumerGroup { span.attributes["messaging.consumer.group.name"] = consumerGroup }
            return try await LineageContext.withEvent(lineage) { try await operation(span) }
        }
    }
}
