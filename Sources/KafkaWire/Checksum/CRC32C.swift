internal import CKafkaCRC32C

/// CRC32C (Castagnoli), the checksum of Kafka record batches (magic 2).
///
/// Backed by C kernels: the SSE4.2 `crc32` instruction on x86_64 and the ARMv8
/// CRC extension on arm64, each with three interleaved streams for large
/// buffers, chosen at run time; a portable slicing-by-8 kernel otherwise.
public enum CRC32C {
    /// A kernel to run, for tests and benchmarks; production code uses `.automatic`.
    public enum Kernel: Sendable, CaseIterable {
        /// The fastest kernel this CPU supports.
        case automatic
        /// Table-driven slicing-by-8, no special instructions.
        case portable
        /// The hardware instruction, one stream (portable if unsupported).
        case hardwareSerial
        /// The hardware instruction, three interleaved streams (portable if unsupported).
        case hardwareInterleaved
    }

    /// True when this CPU has CRC32C instructions that the kernels use.
    public static var isHardwareAccelerated: Bool { ckafka_crc32c_hardware_available() != 0 }

    /// The CRC32C of `bytes`.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        extend(0, bytes)
    }

    /// The CRC32C of `bytes`.
    @inlinable
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { extend(0, $0) }
    }

    /// Continues `crc` (the CRC32C of earlier bytes, or 0 to start) over `bytes`.
    public static func extend(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return ckafka_crc32c_extend(crc, base, bytes.count)
    }

    /// Continues `crc` over `bytes` with a chosen kernel.
    public static func extend(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer, kernel: Kernel) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        switch kernel {
        case .automatic: return ckafka_crc32c_extend(crc, base, bytes.count)
        case .portable: return ckafka_crc32c_extend_portable(crc, base, bytes.count)
        case .hardwareSerial: return ckafka_crc32c_extend_hw_serial(crc, base, bytes.count)
        case .hardwareInterleaved: return ckafka_crc32c_extend_hw_interleaved(crc, base, bytes.count)
        }
    }

    /// The CRC32C of `a || b` from the CRC32C of `a`, of `b`, and the length of `b`.
    public static func combine(_ crcA: UInt32, _ crcB: UInt32, lengthOfB: Int) -> UInt32 {
        guard lengthOfB > 0 else { return crcA }
        return ckafka_crc32c_combine(crcA, crcB, lengthOfB)
    }
}
