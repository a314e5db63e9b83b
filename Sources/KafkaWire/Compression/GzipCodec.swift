internal import CKafkaZlib

/// gzip (RFC 1952) through zlib, as Kafka's `gzip` codec writes it.
enum GzipCodec {
    /// zlib's window bits for a gzip wrapper (15 + 16).
    static let gzipWindowBits: Int32 = 31

    static func compress(_ input: UnsafeRawBufferPointer, level: Int?) throws(KafkaWireError) -> [UInt8] {
        guard input.count < Int(UInt32.max) else {
            throw KafkaWireError(.compressionFailed, detail: "gzip input over 4 GiB")
        }
        var stream = z_stream()
        let zlevel = level.map { Int32(clamping: min(max($0, 0), 9)) } ?? Z_DEFAULT_COMPRESSION
        guard ckafka_deflateInit2(&stream, zlevel, Z_DEFLATED, gzipWindowBits, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            throw KafkaWireError(.compressionFailed, detail: "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        // Room for the worst case plus the gzip header and trailer, so one call finishes.
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        let status: Int32 = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = UInt32(input.count)
            stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(out.count)
            return deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else {
            throw KafkaWireError(.compressionFailed, detail: "deflate returned \(status)")
        }
        output.removeLast(bound - Int(stream.total_out))
        return output
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(KafkaWireError) -> [UInt8] {
        var stream = z_stream()
        guard ckafka_inflateInit2(&stream, gzipWindowBits) == Z_OK else {
            throw KafkaWireError(.decompressionFailed, detail: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        // The gzip trailer's ISIZE (size mod 4 GiB) is a hint for the first buffer only.
        var expected = input.count * 4
        if input.count >= 18 {
            let trailer = UInt32(littleEndian: input.loadUnaligned(fromByteOffset: input.count - 4, as: UInt32.self))
            if Int(trailer) <= limit { expected = max(Int(trailer) + 1, 256) }
        }
        var output = DecompressionOutput(expectedSize: expected, limit: limit, codec: .gzip)
        var consumed = 0
        while true {
            let chunk = min(input.count - consumed, 1 << 30)
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = UInt32(chunk)
            try output.ensureFreeSpace()
            var status: Int32 = Z_OK
            output.write { pointer, space in
                let room = min(space, 1 << 30)
                stream.next_out = pointer.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = UInt32(room)
                status = inflate(&stream, Z_NO_FLUSH)
                return room - Int(stream.avail_out)
            }
            consumed += chunk - Int(stream.avail_in)
            try output.checkLimit()
            switch status {
            case Z_STREAM_END:
                // Java reads concatenated gzip members; anything else after a member is ignored.
                let rest = input.count - consumed
                if rest >= 2, input[consumed] == 0x1F, input[consumed + 1] == 0x8B {
                    inflateReset(&stream)
                    continue
                }
                return output.finish()
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_in == 0 && consumed == input.count:
                throw KafkaWireError(.decompressionFailed, detail: "gzip stream is truncated")
            case Z_BUF_ERROR:
                continue
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw KafkaWireError(.decompressionFailed, detail: "gzip: \(message)")
            }
        }
    }
}
