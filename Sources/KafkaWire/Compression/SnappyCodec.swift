internal import CKafkaSnappy

/// Snappy, raw and in the xerial block framing the Java client writes.
///
/// Xerial framing: the 8-byte magic `0x82 "SNAPPY" 0x00`, an int32 version and
/// an int32 compatible version, then blocks of [int32 big-endian length][raw snappy].
enum SnappyCodec {
    static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]
    static let xerialHeaderSize = 16
    /// The uncompressed size of each xerial block, as the Java library uses.
    static let xerialBlockSize = 32 * 1024

    /// True when `input` starts with the xerial header.
    static func isXerial(_ input: UnsafeRawBufferPointer) -> Bool {
        guard input.count >= xerialHeaderSize else { return false }
        for index in 0..<xerialMagic.count where input[index] != xerialMagic[index] { return false }
        return true
    }

    static func compressRaw(_ input: UnsafeRawBufferPointer) throws(KafkaWireError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: snappy_max_compressed_length(input.count))
        let written = try compressBlock(input, into: &output, at: 0)
        output.removeLast(output.count - written)
        return output
    }

    /// Writes the xerial framing (version 1, compatible version 1).
    static func compressXerial(_ input: UnsafeRawBufferPointer) throws(KafkaWireError) -> [UInt8] {
        let blocks = (input.count + xerialBlockSize - 1) / xerialBlockSize
        let bound = xerialHeaderSize + blocks * 4 + blocks * snappy_max_compressed_length(xerialBlockSize)
        var output = [UInt8](repeating: 0, count: bound)
        output.withUnsafeMutableBytes { out in
            xerialMagic.withUnsafeBytes { out.copyMemory(from: $0) }
            out.storeBytes(of: Int32(1).bigEndian, toByteOffset: 8, as: Int32.self)
            out.storeBytes(of: Int32(1).bigEndian, toByteOffset: 12, as: Int32.self)
        }
        var position = xerialHeaderSize
        var start = 0
        while start < input.count {
            let end = min(start + xerialBlockSize, input.count)
            let written = try compressBlock(UnsafeRawBufferPointer(rebasing: input[start..<end]), into: &output, at: position + 4)
            output.withUnsafeMutableBytes { $0.storeBytes(of: Int32(written).bigEndian, toByteOffset: position, as: Int32.self) }
            position += 4 + written
            start = end
        }
        output.removeLast(output.count - position)
        return output
    }

    private static func compressBlock(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], at offset: Int) throws(KafkaWireError) -> Int {
        var length = output.count - offset
        let status = output.withUnsafeMutableBytes { out in
            chars(input) { source, count in
                snappy_compress(source, count, (out.baseAddress! + offset).assumingMemoryBound(to: CChar.self), &length)
            }
        }
        guard status == SNAPPY_OK else {
            throw KafkaWireError(.compressionFailed, detail: "snappy_compress returned \(status.rawValue)")
        }
        return length
    }

    /// Decompresses xerial-framed or raw snappy, whichever `input` is.
    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(KafkaWireError) -> [UInt8] {
        isXerial(input) ? try decompressXerial(input, limit: limit) : try decompressRaw(input, limit: limit)
    }

    static func decompressRaw(_ input: UnsafeRawBufferPointer, limit: Int) throws(KafkaWireError) -> [UInt8] {
        let size = try uncompressedLength(input)
        guard size <= limit else { throw DecompressionOutput.limitError(limit: limit, codec: .snappy) }
        var output = [UInt8](repeating: 0, count: size)
        try uncompressBlock(input, into: &output, at: 0, size: size)
        return output
    }

    static func decompressXerial(_ input: UnsafeRawBufferPointer, limit: Int) throws(KafkaWireError) -> [UInt8] {
        // First pass: validate the block lengths and total the uncompressed
        // sizes, so the cap is checked before anything is allocated.
        var total = 0
        var position = xerialHeaderSize
        while position < input.count {
            let block = try blockRange(input, at: &position)
            total += try uncompressedLength(UnsafeRawBufferPointer(rebasing: input[block]))
            guard total <= limit else { throw DecompressionOutput.limitError(limit: limit, codec: .snappy) }
        }
        var output = [UInt8](repeating: 0, count: total)
        var written = 0
        position = xerialHeaderSize
        while position < input.count {
            let block = try blockRange(input, at: &position)
            let blockInput = UnsafeRawBufferPointer(rebasing: input[block])
            let size = try uncompressedLength(blockInput)
            try uncompressBlock(blockInput, into: &output, at: written, size: size)
            written += size
        }
        return output
    }

    private static func blockRange(_ input: UnsafeRawBufferPointer, at position: inout Int) throws(KafkaWireError) -> Range<Int> {
        guard input.count - position >= 4 else {
            throw KafkaWireError(.decompressionFailed, detail: "xerial snappy block length is truncated")
        }
        let length = Int(Int32(bigEndian: input.loadUnaligned(fromByteOffset: position, as: Int32.self)))
        position += 4
        guard length >= 0, length <= input.count - position else {
            throw KafkaWireError(.decompressionFailed, detail: "xerial snappy block length \(length) with \(input.count - position) bytes left")
        }
        defer { position += length }
        return position..<position + length
    }

    private static func uncompressedLength(_ input: UnsafeRawBufferPointer) throws(KafkaWireError) -> Int {
        var size = 0
        let status = chars(input) { snappy_uncompressed_length($0, $1, &size) }
        guard status == SNAPPY_OK else {
            throw KafkaWireError(.decompressionFailed, detail: "snappy header is corrupt")
        }
        return size
    }

    private static func uncompressBlock(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], at offset: Int, size: Int) throws(KafkaWireError) {
        guard size > 0 else {
            // An empty block is valid only if it really encodes nothing.
            guard chars(input, { snappy_validate_compressed_buffer($0, $1) }) == SNAPPY_OK else {
                throw KafkaWireError(.decompressionFailed, detail: "snappy block is corrupt")
            }
            return
        }
        var length = size
        let status = output.withUnsafeMutableBytes { out in
            chars(input) { source, count in
                snappy_uncompress(source, count, (out.baseAddress! + offset).assumingMemoryBound(to: CChar.self), &length)
            }
        }
        guard status == SNAPPY_OK, length == size else {
            throw KafkaWireError(.decompressionFailed, detail: "snappy block is corrupt")
        }
    }

    /// Passes `input` as C chars; an empty buffer may have no address, so it gets a stand-in.
    private static func chars<R>(_ input: UnsafeRawBufferPointer, _ body: (UnsafePointer<CChar>, Int) -> R) -> R {
        if let base = input.baseAddress { return body(base.assumingMemoryBound(to: CChar.self), input.count) }
        var zero: CChar = 0
        return withUnsafePointer(to: &zero) { body($0, 0) }
    }
}
