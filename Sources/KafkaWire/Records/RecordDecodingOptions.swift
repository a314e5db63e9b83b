/// Settings for decoding record batches.
public struct RecordDecodingOptions: Sendable, Hashable {
    /// The most bytes one compressed batch may decompress to; larger is
    /// `decompressedSizeLimitExceeded`.
    public var decompressedSizeLimit: Int
    /// Verify each batch's CRC (CRC32C for magic 2, CRC32 for legacy messages).
    public var verifyChecksums: Bool

    /// Defaults: a 256 MiB cap and checksums verified.
    public init(
        decompressedSizeLimit: Int = CompressionCodec.defaultDecompressedSizeLimit,
        verifyChecksums: Bool = true
    ) {
        self.decompressedSizeLimit = decompressedSizeLimit
        self.verifyChecksums = verifyChecksums
    }
}
