import KafkaWire

/// Bytes received from the broker, cut into frames at their 4-byte size prefixes.
struct InboundFrameBuffer {
    private var storage: [UInt8] = []
    private var readIndex = 0
    /// The largest frame accepted; a larger size prefix is a protocol violation.
    let maxFrameSize: Int

    init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
        storage.reserveCapacity(64 * 1024)
    }

    /// Bytes received but not yet returned as frames.
    var bufferedCount: Int { storage.count - readIndex }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
    }

    /// The next complete frame (without its size prefix), or nil until more bytes arrive.
    mutating func nextFrame() throws(KafkaError) -> [UInt8]? {
        guard storage.count - readIndex >= 4 else { return compactIfDrained() }
        let size = Int(storage.withUnsafeBytes { Int32(bigEndian: $0.loadUnaligned(fromByteOffset: readIndex, as: Int32.self)) })
        guard size >= 0, size <= maxFrameSize else {
            throw KafkaError(.protocolViolation, detail: "response frame size \(size) is outside 0...\(maxFrameSize)")
        }
        let start = readIndex + 4
        guard storage.count - start >= size else {
            // Make room for the whole frame once instead of growing step by step.
            if storage.capacity < start + size { compact(reserving: size + 4) }
            return nil
        }
        let frame = Array(storage[start..<(start + size)])
        readIndex = start + size
        _ = compactIfDrained()
        return frame
    }

    private mutating func compactIfDrained() -> [UInt8]? {
        if readIndex == storage.count {
            storage.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 1 << 20 && readIndex * 2 > storage.count {
            compact(reserving: 0)
        }
        return nil
    }

    private mutating func compact(reserving extra: Int) {
        if readIndex > 0 {
            storage.removeFirst(readIndex)
            readIndex = 0
        }
        storage.reserveCapacity(storage.count + extra)
    }
}

/// Frames waiting to be written, encoded straight into one buffer.
struct OutboundFrameBuffer {
    private(set) var writer = WireWriter(reservingCapacity: 64 * 1024)
    private var sentIndex = 0

    /// Bytes not yet written.
    var pendingCount: Int { writer.count - sentIndex }
    var isEmpty: Bool { writer.count == sentIndex }

    /// Appends one frame: a size prefix, then whatever `body` writes.
    mutating func appendFrame(_ body: (inout WireWriter) throws(KafkaWireError) -> Void) throws(KafkaWireError) {
        let sizeIndex = writer.reserve(4)
        do {
            try body(&writer)
        } catch {
            // Drop the partial frame so the stream stays well formed.
            writer.bytes.removeLast(writer.count - sizeIndex)
            throw error
        }
        writer.setInteger(Int32(truncatingIfNeeded: writer.count - sizeIndex - 4), at: sizeIndex)
    }

    /// Appends bytes that are already framed (or TLS records).
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        writer.writeBytes(bytes)
    }

    /// Calls `write` with the unwritten bytes; it returns how many it wrote.
    mutating func drain<E: Error>(_ write: (UnsafeRawBufferPointer) throws(E) -> Int) throws(E) {
        var failure: E?
        while !isEmpty {
            let start = sentIndex
            let written = writer.bytes.withUnsafeBytes { raw -> Int in
                do throws(E) { return try write(UnsafeRawBufferPointer(rebasing: raw[start...])) } catch {
                    failure = error
                    return 0
                }
            }
            if let failure { throw failure }
            guard written > 0 else { break }
            sentIndex += written
        }
        if isEmpty {
            writer.bytes.removeAll(keepingCapacity: true)
            sentIndex = 0
        } else if sentIndex > 1 << 20 && sentIndex * 2 > writer.count {
            // Only once most of the buffer is sent, so each byte moves at most once.
            writer.bytes.removeFirst(sentIndex)
            sentIndex = 0
        }
    }

    /// Hands over all unwritten bytes (for a TLS engine to encrypt) and empties the buffer.
    mutating func takeAll<E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        var failure: E?
        let start = sentIndex
        writer.bytes.withUnsafeBytes { raw in
            do throws(E) { try body(UnsafeRawBufferPointer(rebasing: raw[start...])) } catch { failure = error }
        }
        writer.bytes.removeAll(keepingCapacity: true)
        sentIndex = 0
        if let failure { throw failure }
    }
}
