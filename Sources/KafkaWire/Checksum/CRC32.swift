internal import CKafkaZlib

/// CRC32 (IEEE 802.3), the checksum of legacy Kafka messages (magic 0 and 1), via zlib.
public enum CRC32 {
    /// The CRC32 of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        extend(0, bytes)
    }

    /// The CRC32 of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { extend(0, $0) }
    }

    /// Continues `crc` (the CRC32 of earlier bytes, or 0 to start) over `bytes`.
    public static func extend(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard var pointer = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return crc }
        var remaining = bytes.count
        var value = UInt(crc)
        // zlib takes a 32-bit length, so feed huge inputs in pieces.
        while remaining > 0 {
            let chunk = min(remaining, 1 << 30)
            value = crc32(value, pointer, UInt32(chunk))
            pointer += chunk
            remaining -= chunk
        }
        return UInt32(truncatingIfNeeded: value)
    }
}
