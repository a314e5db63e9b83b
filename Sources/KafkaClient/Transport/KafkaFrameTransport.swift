/// Kafka's framing over a `TCPSocket`: every request and response is a
/// 4-byte big-endian size followed by that many bytes.
package struct KafkaFrameTransport: Sendable {
    /// The default cap on a received frame: 100 MiB, like the Java client's `socket.request.max.bytes`.
    package static let defaultMaxFrameSize = 100 * 1024 * 1024

    /// The connection frames travel on.
    package let socket: TCPSocket
    /// The largest frame `receiveFrame()` accepts; larger size prefixes throw `.frameTooLarge`.
    package var maxFrameSize: Int

    package init(socket: TCPSocket, maxFrameSize: Int = KafkaFrameTransport.defaultMaxFrameSize) {
        self.socket = socket
        self.maxFrameSize = maxFrameSize
    }

    /// Connects to `host:port` and wraps the socket.
    package static func connect(
        host: String, port: Int,
        options: TCPSocketOptions = TCPSocketOptions(),
        maxFrameSize: Int = KafkaFrameTransport.defaultMaxFrameSize
    ) throws(TransportError) -> KafkaFrameTransport {
        KafkaFrameTransport(socket: try TCPSocket.connect(host: host, port: port, options: options), maxFrameSize: maxFrameSize)
    }

    /// Sends one frame: the size of `payload`, then `payload`, in a single write.
    package func sendFrame(_ payload: [UInt8]) throws(TransportError) {
        guard let size = Int32(exactly: payload.count) else {
            throw TransportError(.frameTooLarge, peer: socket.remoteAddress,
                                 detail: "frame of \(payload.count) bytes does not fit a 32-bit size")
        }
        var frame: [UInt8] = []
        frame.reserveCapacity(4 + payload.count)
        withUnsafeBytes(of: size.bigEndian) { frame.append(contentsOf: $0) }
        frame.append(contentsOf: payload)
        try socket.send(frame)
    }

    /// Receives one frame and returns its payload (without the size prefix).
    ///
    /// - Throws: `.invalidFrameSize` for a negative size, `.frameTooLarge` when the
    ///   size exceeds `maxFrameSize` (nothing past the prefix is read), and the
    ///   socket's errors.
    package func receiveFrame() throws(TransportError) -> [UInt8] {
        let prefix = try socket.receive(exactly: 4)
        let size = prefix.withUnsafeBytes { Int32(bigEndian: $0.loadUnaligned(as: Int32.self)) }
        guard size >= 0 else {
            throw TransportError(.invalidFrameSize, peer: socket.remoteAddress, detail: "frame size prefix \(size) is negative")
        }
        guard Int(size) <= maxFrameSize else {
            throw TransportError(.frameTooLarge, peer: socket.remoteAddress,
                                 detail: "frame of \(size) bytes exceeds the maximum of \(maxFrameSize)")
        }
        return try socket.receive(exactly: Int(size))
    }

    /// Closes the underlying socket.
    package func close() {
        socket.close()
    }
}
