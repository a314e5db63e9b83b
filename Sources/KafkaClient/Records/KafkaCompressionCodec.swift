import KafkaWire

/// The codec a producer compresses record batches with (`compression.type`):
/// ``KafkaProducer/Configuration/compression``. Consumers read every codec
/// whatever this is set to.
public enum KafkaCompressionCodec: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// No compression (the default).
    case none
    /// gzip (zlib's deflate); levels 1 to 9.
    case gzip
    /// Snappy in the framing Kafka's Java client writes; no levels.
    case snappy
    /// LZ4 frames; levels 0 to 12.
    case lz4
    /// Zstandard; levels 1 to 22. Needs brokers of Kafka 2.1 or later.
    case zstd

    /// The name Kafka's configuration uses (`compression.type`).
    public var description: String { rawValue }
}

extension KafkaCompressionCodec {
    /// The wire layer's codec.
    package var codec: CompressionCodec {
        switch self {
        case .none: .none
        case .gzip: .gzip
        case .snappy: .snappy
        case .lz4: .lz4
        case .zstd: .zstd
        }
    }
}

extension KafkaCompressionCodec {
    /// The setting that compresses with the wire layer's `codec`.
    package init(_ codec: CompressionCodec) {
        switch codec {
        case .none: self = .none
        case .gzip: self = .gzip
        case .snappy: self = .snappy
        case .lz4: self = .lz4
        case .zstd: self = .zstd
        }
    }
}
