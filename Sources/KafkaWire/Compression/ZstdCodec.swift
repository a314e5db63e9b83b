internal import CKafkaZstd

/// Zstandard through libzstd (Kafka 2.1+, KIP-110).
enum ZstdCodec {
    static func compress(_ input: UnsafeRawBufferPointer, level: Int?) throws(KafkaWireError) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        guard ZSTD_isError(bound) == 0 else {
            throw KafkaWireError(.compressionFailed, detail: "zstd input too large")
        }
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            ZSTD_compress(out.baseAddress, out.count, input.baseAddress, input.count, Int32(clamping: level ?? 3))
        }
        guard ZSTD_isError(written) == 0 else {
            throw KafkaWireError(.compressionFailed, detail: "zstd: \(String(cString: ZSTD_getErrorName(written)))")
        }
        output.removeLast(bound - written)
        return output
    }

    /// Streams, so a missing or lying frame content size cannot drive the allocation.
    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(KafkaWireError) -> [UInt8] {
        guard let context = ZSTD_createDCtx() else {
            throw KafkaWireError(.decompressionFailed, detail: "zstd: cannot create a decompression context")
        }
        defer { ZSTD_freeDCtx(context) }
        // The frame's declared size is only a first guess for the buffer: it may be
        // absent or lie, and the cap is still enforced as output arrives.
        var expected = input.count * 4
        if let base = input.baseAddress {
            let declared = ZSTD_getFrameContentSize(base, input.count)
            if declared < UInt64(Int.max), Int(declared) <= limit { expected = Int(declared) + 1 }
        }
        var output = DecompressionOutput(expectedSize: expected, limit: limit, codec: .zstd)
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var pending = 1
        while source.pos < source.size || pending != 0 {
            try output.ensureFreeSpace()
            var result = 0
            var produced = 0
            output.write { pointer, space in
                var destination = ZSTD_outBuffer(dst: pointer, size: space, pos: 0)
                result = ZSTD_decompressStream(context, &destination, &source)
                produced = destination.pos
                return ZSTD_isError(result) == 0 ? destination.pos : 0
            }
            guard ZSTD_isError(result) == 0 else {
                throw KafkaWireError(.decompressionFailed, detail: "zstd: \(String(cString: ZSTD_getErrorName(result)))")
            }
            try output.checkLimit()
            if source.pos == source.size, result != 0, produced == 0 {
                throw KafkaWireError(.decompressionFailed, detail: "zstd frame is truncated")
            }
            pending = result
        }
        return output.finish()
    }
}
