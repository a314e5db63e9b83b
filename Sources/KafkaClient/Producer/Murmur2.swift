/// Kafka's murmur2 hash (the 32-bit MurmurHash2 with seed 0x9747b28c), the
/// function the Java client's default partitioner and librdkafka's
/// `murmur2_random` apply to record keys. Byte-for-byte the same results are
/// what keeps a key on the same partition whichever client produced it.
package enum Murmur2 {
    /// The hash of `bytes`.
    package static func hash(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let length = bytes.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        for index in 0..<blocks {
            var k = bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self).littleEndian
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
        }
        let tail = blocks * 4
        switch length & 3 {
        case 3:
            h ^= UInt32(bytes[tail + 2]) << 16
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h &*= m
        case 2:
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h &*= m
        case 1:
            h ^= UInt32(bytes[tail])
            h &*= m
        default:
            break
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The hash of `bytes`.
    package static func hash(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The partition the Java client and librdkafka's `murmur2_random` pick for
    /// a key: the hash made non-negative by masking the sign bit, modulo the count.
    package static func partition(forKey key: UnsafeRawBufferPointer, partitionCount: Int32) -> Int32 {
        precondition(partitionCount > 0, "a topic has at least one partition")
        return (hash(key) & 0x7fff_ffff) % partitionCount
    }
}
