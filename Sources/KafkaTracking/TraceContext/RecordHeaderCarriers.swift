import KafkaClient
import Instrumentation

/// Writes trace context into record headers for any swift-distributed-tracing
/// instrument (swift-otel's W3C or X-Ray propagators included): one header per
/// key, replacing a header of the same name.
public struct RecordHeadersInjector: Injector {
    /// An injector.
    public init() {}

    /// Replaces any header named `key` with one carrying `value`.
    public func inject(_ value: String, forKey key: String, into carrier: inout [KafkaHeader]) {
        carrier.removeAll { $0.key == key }
        carrier.append(KafkaHeader(key: key, value: Array(value.utf8)))
    }
}

/// Reads trace context from record headers; header names match case-insensitively
/// (W3C `traceparent`, AWS `X-Amzn-Trace-Id`).
public struct RecordHeadersExtractor: Extractor {
    /// An extractor.
    public init() {}

    /// The value of the last header named `key`, as UTF-8.
    public func extract(key: String, from carrier: [KafkaHeader]) -> String? {
        let wanted = key.lowercased()
        guard let header = carrier.last(where: { $0.key.lowercased() == wanted }), let value = header.value else { return nil }
        return String(decoding: value, as: UTF8.self)
    }
}
