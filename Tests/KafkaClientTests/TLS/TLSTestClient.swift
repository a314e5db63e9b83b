import KafkaClient
import KafkaTestSupport

/// A blocking TLS client for tests: a real `TCPSocket` driven by a `TLSEngine`
/// the way the connection's I/O loop drives it, one TLS record at a time.
final class TLSTestClient {
    let socket: TCPSocket
    let engine: TLSEngine
    private var outgoing: [UInt8] = []
    private var plaintext: [UInt8] = []

    /// Connects to `127.0.0.1:port` and completes the handshake as `serverName`.
    init(port: Int, context: TLSContext, serverName: String = "localhost") throws {
        var options = TCPSocketOptions()
        options.connectTimeout = .seconds(5)
        options.readTimeout = .seconds(10)
        options.writeTimeout = .seconds(10)
        socket = try TCPSocket.connect(host: "127.0.0.1", port: port, options: options)
        engine = try TLSEngine(context: context, serverName: serverName)
        do {
            // Handshake: step, send what the engine produced, and feed it a record until done.
            while true {
                let done = try engine.handshake()
                try flush()
                if done { break }
                try receiveRecord()
            }
        } catch {
            socket.close()
            throw error
        }
    }

    deinit { socket.close() }

    /// Sends one Kafka-style frame (4-byte size, then `payload`).
    func sendFrame(_ payload: [UInt8]) throws {
        let size = UInt32(payload.count)
        let prefix = [UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)]
        try prefix.withUnsafeBytes { try engine.writePlaintext($0) }
        try payload.withUnsafeBytes { try engine.writePlaintext($0) }
        try flush()
    }

    /// Receives one frame and returns its payload.
    func receiveFrame() throws -> [UInt8] {
        while true {
            if plaintext.count >= 4 {
                let size = Int(plaintext[0]) << 24 | Int(plaintext[1]) << 16 | Int(plaintext[2]) << 8 | Int(plaintext[3])
                if plaintext.count >= 4 + size {
                    let payload = Array(plaintext[4..<(4 + size)])
                    plaintext.removeFirst(4 + size)
                    return payload
                }
            }
            try receivePlaintext()
        }
    }

    /// Feeds one record from the socket and decrypts what it can.
    func receivePlaintext() throws {
        try receiveRecord()
        _ = try engine.readPlaintext(into: &plaintext)
        try flush()
    }

    /// Queues close_notify and sends it.
    func shutdown() throws {
        engine.shutdown()
        try flush()
    }

    private func flush() throws {
        engine.takeCiphertext(into: &outgoing)
        guard !outgoing.isEmpty else { return }
        try socket.send(outgoing)
        outgoing.removeAll(keepingCapacity: true)
    }

    /// Every TLS record starts with type, version and a 2-byte length.
    private func receiveRecord() throws {
        let header = try socket.receive(exactly: 5)
        let body = try socket.receive(exactly: Int(header[3]) << 8 | Int(header[4]))
        header.withUnsafeBytes { engine.receivedCiphertext($0) }
        body.withUnsafeBytes { engine.receivedCiphertext($0) }
    }
}

/// A plain TCP upstream behind socat that echoes each frame back, for one connection.
struct EchoUpstream {
    let listener: LocalTCPListener

    /// Echoes `frames` frames, then closes (socat then sends close_notify).
    init(frames: Int = 1) throws {
        listener = try LocalTCPListener()
        listener.serveOnce { connection in
            for _ in 0..<frames { try connection.writeFrame(try connection.readFrame()) }
        }
    }

    var port: Int { listener.port }
}

enum TLSTestEnvironment {
    static var toolsInstalled: Bool { SocatTLSFront.isAvailable && ExternalTool.find("openssl") != nil }
}
