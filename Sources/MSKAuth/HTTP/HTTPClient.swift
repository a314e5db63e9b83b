import KafkaClient

/// A tiny HTTP/1.1 client over ``TCPSocket``, for the credential endpoints:
/// one request per connection, plain HTTP or HTTPS (through KafkaClient's
/// ``TLSEngine``, verifying the server against `tls`, the system roots by default).
///
/// The socket work runs off the concurrency pool (``BlockingWork``).
struct HTTPClient: Sendable {
    /// Connect timeout; short by default, as metadata endpoints answer at once or not at all.
    var connectTimeout: Duration = .seconds(2)
    /// Timeout of the whole exchange's writes and of the response's reads.
    var ioTimeout: Duration = .seconds(5)
    /// TLS for `https` endpoints: trust roots, verification, server name.
    var tls: KafkaTLSConfiguration = .default

    init(tls: KafkaTLSConfiguration = .default) {
        self.tls = tls
    }

    /// Sends `request` to `endpoint` and reads the response.
    ///
    /// - Throws: `MSKAuthError(.credentialsProviderFailed)` naming the endpoint
    ///   (never a header value: they can be tokens), or `.credentialsNotFound`
    ///   when nothing listens there.
    func send(_ request: HTTPRequest, to endpoint: HTTPEndpoint) async throws -> HTTPResponse {
        guard endpoint.scheme == "http" || endpoint.scheme == "https" else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "\(endpoint): unsupported URL scheme")
        }
        // Header values come from files and responses: a line break would smuggle in headers.
        guard request.headers.allSatisfy({ !($0.name + $0.value).contains(where: \.isNewline) }) else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "\(endpoint): a header contains a line break")
        }
        var options = TCPSocketOptions()
        options.connectTimeout = connectTimeout
        options.readTimeout = ioTimeout
        options.writeTimeout = ioTimeout
        let wire = request.serialized(for: endpoint)
        var context: TLSContext?
        if endpoint.scheme == "https" {
            do throws(KafkaError) {
                context = try TLSContext(configuration: tls)
            } catch {
                throw MSKAuthError(.credentialsProviderFailed, detail: "\(endpoint): TLS set-up failed: \(Self.describe(error))")
            }
        }
        return try await BlockingWork.run { [options, context] () throws -> HTTPResponse in
            let socket: TCPSocket
            do throws(TransportError) {
                socket = try TCPSocket.connect(host: endpoint.host, port: endpoint.port, options: options)
            } catch {
                throw MSKAuthError(.credentialsNotFound, detail: "\(endpoint): cannot connect (\(error.code))")
            }
            defer { socket.close() }
            do {
                if let context {
                    let source = try TLSByteSource(socket: socket, context: context, serverName: endpoint.host)
                    defer { source.close() }
                    try source.write(wire)
                    var parser = HTTPResponseParser(source: source)
                    return try parser.parse()
                }
                try socket.send(wire)
                var parser = HTTPResponseParser(source: SocketByteSource(socket: socket))
                return try parser.parse()
            } catch let error as MSKAuthError {
                throw MSKAuthError(error.code, detail: "\(endpoint): \(error.detail)")
            } catch let error as TransportError {
                throw MSKAuthError(.credentialsProviderFailed, detail: "\(endpoint): \(error.code): \(error.detail)")
            } catch let error as KafkaError {
                throw MSKAuthError(.credentialsProviderFailed, detail: "\(endpoint): \(Self.describe(error))")
            }
        }
    }

    /// A TLS error's detail and OpenSSL's reason.
    static func describe(_ error: KafkaError) -> String {
        error.underlying.map { "\(error.detail) (\($0))" } ?? error.detail
    }
}

/// ``TCPSocket`` only fills whole buffers, so the response is read a byte at a
/// time: slow, but these responses are a few hundred bytes.
private struct SocketByteSource: HTTPByteSource {
    let socket: TCPSocket

    mutating func nextByte() throws(TransportError) -> UInt8? {
        let byte: [UInt8]
        do {
            byte = try socket.receive(exactly: 1)
        } catch {
            if error.code == .closedByPeer || error.code == .connectionReset { return nil }
            throw error
        }
        return byte.first
    }
}

/// A TLS session over a connected socket, driven like KafkaClient's connection
/// loop: the handshake at creation, then whole writes, and reads of what has
/// arrived, sending whatever the engine produces after each step.
private struct TLSByteSource: HTTPByteSource {
    let socket: TCPSocket
    let engine: TLSEngine
    /// Decrypted bytes not yet handed out, from `position` on.
    private var plaintext: [UInt8] = []
    private var position = 0
    private var ended = false

    init(socket: TCPSocket, context: TLSContext, serverName: String) throws {
        self.socket = socket
        engine = try TLSEngine(context: context, serverName: serverName)
        while true {
            let done = try engine.handshake()
            try flush()
            if done { break }
            guard try receiveCiphertext() else {
                throw KafkaError(.tlsFailed, detail: "\(engine.peerName) closed the connection during the TLS handshake")
            }
        }
    }

    /// Encrypts and sends all of `bytes`.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in try engine.writePlaintext(raw) }
        try flush()
    }

    mutating func nextByte() throws -> UInt8? {
        while position == plaintext.count {
            if ended { return nil }
            plaintext.removeAll(keepingCapacity: true)
            position = 0
            switch Result(catching: { () throws(KafkaError) in try engine.readPlaintext(into: &plaintext) }) {
            case .success:
                break
            case .failure(let error):
                guard error.code == .connectionClosed else { throw error }
                ended = true  // close_notify
            }
            try flush()
            if position < plaintext.count || ended { continue }
            // Servers often close without close_notify; the parser decides if that was too soon.
            if try !receiveCiphertext() { ended = true }
        }
        defer { position += 1 }
        return plaintext[position]
    }

    /// Sends a close_notify, best effort.
    func close() {
        engine.shutdown()
        try? flush()
    }

    /// Sends the ciphertext the engine has produced.
    private func flush() throws(TransportError) {
        var out: [UInt8] = []
        engine.takeCiphertext(into: &out)
        if !out.isEmpty { try socket.send(out) }
    }

    /// Feeds the engine what the socket has; false at the end of the stream.
    private func receiveCiphertext() throws(TransportError) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var received: Result<Int, TransportError> = .success(0)
        buffer.withUnsafeMutableBytes { raw in
            received = Result { () throws(TransportError) in try socket.receiveAvailable(into: raw) }
        }
        let count: Int
        switch received {
        case .success(let value):
            count = value
        case .failure(let error):
            if error.code == .connectionReset { return false }
            throw error
        }
        guard count > 0 else { return false }
        buffer.withUnsafeBytes { raw in engine.receivedCiphertext(UnsafeRawBufferPointer(rebasing: raw[0..<count])) }
        return true
    }
}
