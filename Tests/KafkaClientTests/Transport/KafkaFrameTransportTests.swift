import KafkaClient
import KafkaTestSupport
import Testing

@Suite("KafkaFrameTransport", .serialized)
struct KafkaFrameTransportTests {
    private func connect(_ listener: LocalTCPListener, maxFrameSize: Int = 1024 * 1024) throws -> KafkaFrameTransport {
        var options = TCPSocketOptions()
        options.readTimeout = .seconds(5)
        return try KafkaFrameTransport.connect(host: listener.host, port: listener.port, options: options, maxFrameSize: maxFrameSize)
    }

    @Test("frames carry a 4-byte big-endian size and round-trip")
    func roundTrip() throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in
            // Check the exact bytes of the first frame, then echo frames back.
            let prefix = try connection.read(count: 4)
            let first = try connection.read(count: 3)
            try connection.write(prefix + first)
            for _ in 0..<3 { try connection.writeFrame(try connection.readFrame()) }
        }
        let transport = try connect(listener)
        try transport.sendFrame([0xAA, 0xBB, 0xCC])
        #expect(try transport.receiveFrame() == [0xAA, 0xBB, 0xCC])

        var random = SeededRandom(seed: 7)
        for size in [0, 1, 200_000] {
            let payload = random.bytes(count: size)
            try transport.sendFrame(payload)
            #expect(try transport.receiveFrame() == payload)
        }
    }

    @Test("the wire prefix is exactly the payload length, big-endian")
    func prefixBytes() throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in
            let raw = try connection.read(count: 4 + 258)
            try connection.write(Array(raw.prefix(4)))
        }
        let transport = try connect(listener)
        try transport.sendFrame([UInt8](repeating: 1, count: 258))
        #expect(try transport.socket.receive(exactly: 4) == [0, 0, 1, 2])
    }

    @Test("a size above the maximum is frameTooLarge")
    func tooLarge() throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in
            try connection.write([0x40, 0, 0, 0])  // 1 GiB
            _ = try? connection.read(count: 1)
        }
        let transport = try connect(listener, maxFrameSize: 1024)
        #expect { try transport.receiveFrame() } throws: { error in
            guard let error = error as? TransportError else { return false }
            return error.code == .frameTooLarge && error.detail.contains("1073741824")
        }
    }

    @Test("a negative size is invalidFrameSize")
    func negativeSize() throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in
            try connection.write([0xFF, 0xFF, 0xFF, 0xFE])
            _ = try? connection.read(count: 1)
        }
        let transport = try connect(listener)
        #expect { try transport.receiveFrame() } throws: { ($0 as? TransportError)?.code == .invalidFrameSize }
    }

    @Test("a frame cut short by the peer is closedByPeer")
    func truncatedFrame() throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in try connection.write([0, 0, 0, 10, 1, 2, 3]) }
        let transport = try connect(listener)
        #expect { try transport.receiveFrame() } throws: { ($0 as? TransportError)?.code == .closedByPeer }
    }
}
