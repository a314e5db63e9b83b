import KafkaWire

/// Deterministic inputs for the microbenchmarks.
enum BenchmarkData {
    /// Pseudo-random bytes from a fixed-seed xorshift generator (incompressible).
    static func random(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    /// JSON-ish event text, compressible the way real payloads are.
    static func recordLikeText(count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 200)
        var n = 0
        while out.count < count {
            out += Array(#"{"eventId":"\#(n)","eventType":"OrderPlacedEvent","aggregateId":"order-\#(n % 977)","amount":\#(n % 10_000),"currency":"EUR"}"#.utf8)
            n += 1
        }
        return Array(out.prefix(count))
    }

    /// `count` values of `size` bytes each, cut from record-like text.
    static func recordValues(count: Int, size: Int) -> [[UInt8]] {
        let text = recordLikeText(count: size * 4)
        return (0..<count).map { i in
            let start = (i * 37) % (size * 3)
            return Array(text[start..<start + size])
        }
    }

    /// One uncompressed batch of `values`, keyless, as a producer would build it.
    static func encodeBatch(_ values: [[UInt8]], reusing buffer: consuming [UInt8] = []) -> [UInt8] {
        let valueSize = values.first?.count ?? 0
        var encoder = RecordBatchEncoder(estimatedSize: RecordBatch.headerSize + values.count * (valueSize + 16),
                                         reusing: buffer)
        for value in values {
            encoder.append(key: nil, value: value, timestamp: 1_700_000_000_000)
        }
        return try! encoder.finish()
    }

    static func label(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : bytes >= 1 << 10 ? "\(bytes >> 10) KiB" : "\(bytes) B"
    }
}
