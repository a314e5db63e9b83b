#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Buffered writes to a file descriptor (stdout for records, stderr for
/// messages), without Foundation's per-write allocations.
final class OutputStream {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let limit: Int

    init(descriptor: Int32, limit: Int = 64 * 1024) {
        self.descriptor = descriptor
        self.limit = limit
        buffer.reserveCapacity(limit)
    }

    func write(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= limit { flush() }
    }

    func write(_ text: String) { write(text.utf8) }

    func flush() {
        var start = 0
        while start < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                systemWrite(descriptor, raw.baseAddress! + start, raw.count - start)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break  // a closed pipe: drop the rest
            }
            start += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

private func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, pointer, count)
}

/// One-line messages on stderr.
enum Console {
    static func error(_ message: String) {
        let stream = OutputStream(descriptor: 2)
        stream.write("% ERROR: \(message)\n")
        stream.flush()
    }

    static func info(_ message: String, quiet: Bool) {
        guard !quiet else { return }
        let stream = OutputStream(descriptor: 2)
        stream.write("% \(message)\n")
        stream.flush()
    }
}

extension OutputStream {
    /// Writes `text` and a newline at once.
    static func print(_ text: String, descriptor: Int32) {
        let stream = OutputStream(descriptor: descriptor)
        stream.write(text)
        stream.write("\n")
        stream.flush()
    }
}
