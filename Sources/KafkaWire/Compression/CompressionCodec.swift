/// The compression codec of a record batch: bits 0-2 of its attributes.
public enum CompressionCodec: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case gzip = 1
    case snappy = 2
    case lz4 = 3
    case zstd = 4

    /// The default cap on the decompressed size of one batch: 256 MiB.
    public static let defaultDecompressedSizeLimit = 256 << 20

    /// The codec named by the low three bits of batch attributes.
    ///
    /// Throws `unsupportedCompression` for the values 5-7, which no codec uses.
    @inlinable
    public init(attributeBits bits: Int) throws(KafkaWireError) {
        guard let codec = CompressionCodec(rawValue: Int8(truncatingIfNeeded: bits & 0x07)) else {
            throw KafkaWireError(.unsupportedCompression, detail: "compression type \(bits & 0x07)")
        }
        self = codec
    }

    /// The name Kafka's configuration uses (`compression.type`).
    public var description: String {
        switch self {
        case .none: "none"
        case .gzip: "gzip"
        case .snappy: "snappy"
        case .lz4: "lz4"
        case .zstd: "zstd"
        }
    }

    /// Compresses `input` in the framing Kafka clients expect for this codec.
    ///
    /// - Parameters:
    ///   - input: the bytes to compress.
    ///   - level: a codec-specific level (gzip 1-9, lz4 0-12, zstd 1-22);
    ///     nil picks the codec's default. Snappy has no levels.
    public func compress(_ input: UnsafeRawBufferPointer, level: Int? = nil) throws(KafkaWireError) -> [UInt8] {
        switch self {
        case .none: return Array(input)
        case .gzip: return try GzipCodec.compress(input, level: level)
        case .snappy: return try SnappyCodec.compressXerial(input)
        case .lz4: return try LZ4Codec.compress(input, level: level)
        case .zstd: return try ZstdCodec.compress(input, level: level)
        }
    }

    /// Compresses `input`; see ``compress(_:level:)-(UnsafeRawBufferPointer,_)``.
    public func compress(_ input: [UInt8], level: Int? = nil) throws(KafkaWireError) -> [UInt8] {
        try withBytes(input) { (raw) throws(KafkaWireError) in try compress(raw, level: level) }
    }

    /// Decompresses `input`, refusing to produce more than `limit` bytes.
    ///
    /// Corrupt input throws `decompressionFailed`; output beyond `limit` throws
    /// `decompressedSizeLimitExceeded` before more than `limit + 1` bytes are held.
    public func decompress(
        _ input: UnsafeRawBufferPointer,
        limit: Int = CompressionCodec.defaultDecompressedSizeLimit
    ) throws(KafkaWireError) -> [UInt8] {
        switch self {
        case .none:
            guard input.count <= limit else { throw DecompressionOutput.limitError(limit: limit, codec: self) }
            return Array(input)
        case .gzip: return try GzipCodec.decompress(input, limit: limit)
        case .snappy: return try SnappyCodec.decompress(input, limit: limit)
        case .lz4: return try LZ4Codec.decompress(input, limit: limit)
        case .zstd: return try ZstdCodec.decompress(input, limit: limit)
        }
    }

    /// Decompresses `input`; see ``decompress(_:limit:)-(UnsafeRawBufferPointer,_)``.
    public func decompress(
        _ input: [UInt8],
        limit: Int = CompressionCodec.defaultDecompressedSizeLimit
    ) throws(KafkaWireError) -> [UInt8] {
        try withBytes(input) { (raw) throws(KafkaWireError) in try decompress(raw, limit: limit) }
    }
}
