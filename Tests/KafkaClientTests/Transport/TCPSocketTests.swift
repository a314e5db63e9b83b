#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import KafkaClient
import KafkaTestSupport
import Testing

@Suite("TCPSocket", .serialized)
struct TCPSocketTests {
    private func options(read: Duration? = .seconds(5), connect: Duration = .seconds(5)) -> TCPSocketOptions {
        var options = TCPSocketOptions()
        options.readTimeout = read
        options.writeTimeout = .seconds(5)
        options.connectTimeout = connect
        return options
    }

    @Test("bytes round-trip through an echoing peer over IPv4 and IPv6", arguments: [false, true])
    func echo(ipv6: Bool) throws {
        let listener = try LocalTCPListener(ipv6: ipv6)
        listener.serveOnce { connection in
            let request = try connection.read(count: 1000)
            try connection.write(request.reversed())
        }
        let socket = try TCPSocket.connect(host: listener.host, port: listener.port, options: options())
        var random = SeededRandom(seed: 42)
        let payload = random.bytes(count: 1000)
        try socket.send(payload)
        #expect(try socket.receive(exactly: 1000) == payload.reversed())
        #expect(socket.remoteAddress == (ipv6 ? "[::1]:\(listener.port)" : "127.0.0.1:\(listener.port)"))
    }

    @Test("localhost tries every resolved address")
    func localhostResolves() throws {
        // Only IPv4 listens: if localhost resolves to ::1 first, that attempt is refused and 127.0.0.1 must follow.
        let listener = try LocalTCPListener(ipv6: false)
        listener.serveOnce { connection in try connection.write([7]) }
        let socket = try TCPSocket.connect(host: "localhost", port: listener.port, options: options())
        #expect(try socket.receive(exactly: 1) == [7])
    }

    @Test("receive(exactly:) assembles bytes that arrive in pieces")
    func receiveAcrossWrites() throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in
            for chunk in stride(from: 0, to: 300, by: 100) {
                try connection.write(Array(UInt8(chunk / 100)...UInt8(chunk / 100)) + [UInt8](repeating: 9, count: 99))
                usleep(20_000)
            }
        }
        let socket = try TCPSocket.connect(host: listener.host, port: listener.port, options: options())
        let bytes = try socket.receive(exactly: 300)
        #expect(bytes.count == 300)
        #expect([bytes[0], bytes[100], bytes[200]] == [0, 1, 2])
    }

    @Test("options are applied: TCP_NODELAY, SO_KEEPALIVE and buffer sizes")
    func socketOptions() throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in _ = try? connection.read(count: 1) }
        var options = options()
        options.receiveBufferSize = 64 * 1024
        options.sendBufferSize = 64 * 1024
        options.keepAlive = true
        let socket = try TCPSocket.connect(host: listener.host, port: listener.port, options: options)
        #expect(socket.integerOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY) == 1)
        #expect(socket.integerOption(level: SOL_SOCKET, name: SO_KEEPALIVE) == 1)
        // Linux doubles the requested size for bookkeeping; it must at least honour the request.
        #expect((socket.integerOption(level: SOL_SOCKET, name: SO_RCVBUF) ?? 0) >= 64 * 1024)
        #expect((socket.integerOption(level: SOL_SOCKET, name: SO_SNDBUF) ?? 0) >= 64 * 1024)
        try socket.send([1])
    }

    @Test("a closed port is refused")
    func refused() throws {
        let port: Int
        do {
            let listener = try LocalTCPListener()
            port = listener.port
        }  // the listener is closed here, so nothing listens on `port`
        #expect {
            try TCPSocket.connect(host: "127.0.0.1", port: port, options: options())
        } throws: { error in
            guard let error = error as? TransportError else { return false }
            return error.code == .connectionRefused && error.errno == ECONNREFUSED && error.systemMessage != nil
        }
    }

    @Test("an unknown host is reported as hostNotFound")
    func unknownHost() {
        #expect {
            try TCPSocket.connect(host: "no-such-host.invalid", port: 9092, options: options())
        } throws: { error in
            (error as? TransportError)?.code == .hostNotFound
        }
    }

    @Test("an out-of-range port is rejected before resolving")
    func badPort() {
        #expect {
            try TCPSocket.connect(host: "127.0.0.1", port: 70000, options: options())
        } throws: { error in
            (error as? TransportError)?.code == .invalidArgument
        }
    }

    @Test("a silent peer makes receive time out")
    func readTimeout() throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in _ = try? connection.read(count: 1) }
        let socket = try TCPSocket.connect(host: listener.host, port: listener.port, options: options(read: .milliseconds(200)))
        let started = ContinuousClock.now
        #expect {
            try socket.receive(exactly: 4)
        } throws: { error in
            (error as? TransportError)?.code == .timedOut
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(190) && elapsed < .seconds(3))
        try socket.send([0])
    }

    @Test("a peer closing mid-message is closedByPeer")
    func closedByPeer() throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in try connection.write([1, 2, 3]) }
        let socket = try TCPSocket.connect(host: listener.host, port: listener.port, options: options())
        #expect {
            try socket.receive(exactly: 10)
        } throws: { error in
            (error as? TransportError)?.code == .closedByPeer
        }
    }

    @Test("a full accept queue makes connect time out")
    func connectTimeout() throws {
        // With backlog 0 and nobody accepting, Linux drops further SYNs once the queue is full.
        let listener = try LocalTCPListener(backlog: 0)
        var fillers: [TCPSocket] = []
        var outcome: TransportError?
        for _ in 0..<8 {
            do {
                fillers.append(try TCPSocket.connect(host: listener.host, port: listener.port,
                                                     options: options(connect: .milliseconds(300))))
            } catch {
                outcome = error
                break
            }
        }
        let error = try #require(outcome, "every connect succeeded; the accept queue never filled")
        #expect(error.code == .timedOut)
        #expect(fillers.count >= 1)
    }

    @Test("operations after close fail with socketClosed, and close is idempotent")
    func useAfterClose() throws {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in _ = try? connection.read(count: 1) }
        let socket = try TCPSocket.connect(host: listener.host, port: listener.port, options: options())
        socket.close()
        socket.close()
        #expect(socket.isClosed)
        #expect { try socket.send([1]) } throws: { ($0 as? TransportError)?.code == .socketClosed }
        #expect { try socket.receive(exactly: 1) } throws: { ($0 as? TransportError)?.code == .socketClosed }
    }
}
