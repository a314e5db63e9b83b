internal import CKafkaLZ4

/// LZ4 in the standard frame format, as Kafka uses it since KIP-57.
///
/// Written with independent 64 KB blocks and no content checksum or size,
/// like the Java client's writer, which its reader requires.
enum LZ4Codec {
    static func compress(_ input: UnsafeRawBufferPointer, level: Int?) throws(KafkaWireError) -> [UInt8] {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        preferences.compressionLevel = Int32(clamping: level ?? 0)
        let bound = LZ4F_compressFrameBound(input.count, &preferences)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            LZ4F_compressFrame(out.baseAddress, out.count, input.baseAddress, input.count, &preferences)
        }
        guard LZ4F_isError(written) == 0 else {
            throw KafkaWireError(.compressionFailed, detail: "lz4: \(String(cString: LZ4F_getErrorName(written)))")
        }
        output.removeLast(bound - written)
        return output
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(KafkaWireError) -> [UInt8] {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            throw KafkaWireError(.decompressionFailed, detail: "lz4: cannot create a decompression context")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        var output = DecompressionOutput(expectedSize: input.count * 4, limit: limit, codec: .lz4)
        var consumed = 0
        var hint = 1
        // Concatenated frames are read one after another; input must end on a frame boundary.
        while consumed < input.count {
            try output.ensureFreeSpace()
            var result = 0
            var sourceSize = input.count - consumed
            output.write { pointer, space in
                var destinationSize = space
                result = LZ4F_decompress(context, pointer, &destinationSize, input.baseAddress! + consumed, &sourceSize, nil)
                return LZ4F_isError(result) == 0 ? destinationSize : 0
            }
            guard LZ4F_isError(result) == 0 else {
                throw KafkaWireError(.decompressionFailed, detail: "lz4: \(String(cString: LZ4F_getErrorName(result)))")
            }
            consumed += sourceSize
            try output.checkLimit()
            hint = result
        }
        // The decompressor may still hold output it could not flush for lack of space.
        while hint != 0 {
            try output.ensureFreeSpace()
            var result = 0
            var produced = 0
            output.write { pointer, space in
                var destinationSize = space
                var sourceSize = 0
                result = LZ4F_decompress(context, pointer, &destinationSize, nil, &sourceSize, nil)
                produced = LZ4F_isError(result) == 0 ? destinationSize : 0
                return produced
            }
            guard LZ4F_isError(result) == 0 else {
                throw KafkaWireError(.decompressionFailed, detail: "lz4: \(String(cString: LZ4F_getErrorName(result)))")
            }
            try output.checkLimit()
            guard produced > 0 || result == 0 else {
                throw KafkaWireError(.decompressionFailed, detail: "lz4 frame is truncated")
            }
            hint = result
        }
        return output.finish()
    }
}
