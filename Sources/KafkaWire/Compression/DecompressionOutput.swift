/// A growing output buffer for streaming decompressors that enforces a size cap.
///
/// It holds at most `limit + 1` bytes: a decompressor that fills that last
/// byte has proven the output is too large, without ever allocating more.
struct DecompressionOutput {
    private var storage: [UInt8]
    private(set) var count = 0
    let limit: Int
    let codec: CompressionCodec

    init(expectedSize: Int, limit: Int, codec: CompressionCodec) {
        // Clamped so that `limit + 1` cannot overflow when a caller passes Int.max.
        self.limit = min(max(0, limit), Int.max - 1)
        self.codec = codec
        let initial = min(max(expectedSize, 256), self.limit + 1)
        storage = [UInt8](repeating: 0, count: initial)
    }

    static func limitError(limit: Int, codec: CompressionCodec) -> KafkaWireError {
        KafkaWireError(.decompressedSizeLimitExceeded, detail: "\(codec) output exceeds the \(limit)-byte limit")
    }

    /// Throws if the output has passed the cap.
    func checkLimit() throws(KafkaWireError) {
        if count > limit { throw Self.limitError(limit: limit, codec: codec) }
    }

    /// Makes sure some free space follows the output, growing up to `limit + 1` bytes.
    mutating func ensureFreeSpace() throws(KafkaWireError) {
        try checkLimit()
        guard count == storage.count else { return }
        let grown = min(max(storage.count * 2, 4096), limit + 1)
        guard grown > storage.count else { throw Self.limitError(limit: limit, codec: codec) }
        storage.append(contentsOf: repeatElement(0, count: grown - storage.count))
    }

    /// Lets `body` write into the free space; it returns how many bytes it wrote.
    mutating func write(_ body: (UnsafeMutableRawPointer, Int) -> Int) {
        let used = count
        let written = storage.withUnsafeMutableBytes { raw in
            body(raw.baseAddress! + used, raw.count - used)
        }
        count += written
    }

    /// The output, trimmed to what was written.
    consuming func finish() -> [UInt8] {
        storage.removeLast(storage.count - count)
        return storage
    }
}
