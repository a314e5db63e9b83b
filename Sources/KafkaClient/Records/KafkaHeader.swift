import KafkaWire

/// A record header: a string key and nullable bytes, carried by
/// ``KafkaProducerRecord/headers`` and ``KafkaConsumerMessage/headers``.
///
/// Header names may repeat; their order is kept from producer to consumer.
///
/// ```swift
/// let record = KafkaProducerRecord(topic: "orders", key: "o-1", value: "{}",
///                                  headers: [KafkaHeader(key: "content-type", value: "application/json")])
/// ```
public struct KafkaHeader: Sendable, Hashable {
    /// The header name (UTF-8).
    public var key: String
    /// The header value; nil for a null value. Headers of consumed messages are
    /// slices of the fetched buffer, so reading them copies nothing.
    public var value: ArraySlice<UInt8>?

    /// A header that owns `value`.
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value.map { $0[...] }
    }

    /// A header whose value shares existing storage.
    public init(key: String, valueSlice: ArraySlice<UInt8>?) {
        self.key = key
        self.value = valueSlice
    }

    /// A header whose value is the UTF-8 bytes of `value`.
    public init(key: String, value: String) {
        self.init(key: key, value: Array(value.utf8))
    }

    /// The value decoded as UTF-8 (invalid bytes replaced); nil for a null value.
    public var valueString: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}

// The batch encoder writes these headers directly, with no conversion per record.
extension KafkaHeader: EncodableRecordHeader {}

extension KafkaHeader {
    /// The header as the wire layer decoded it (no copy of the value).
    package init(_ header: RecordHeader) {
        self.init(key: header.key, valueSlice: header.value)
    }

    /// The header as the wire layer's type.
    package var recordHeader: RecordHeader { RecordHeader(key: key, valueSlice: value) }
}

extension Array where Element == KafkaHeader {
    /// The value of the last header named `key`, or nil when there is none (or its value is null).
    public func last(named key: String) -> ArraySlice<UInt8>? {
        last { $0.key == key }?.value ?? nil
    }
}
