import KafkaClient

/// A tiny HTTP/1.1 client over ``TCPSocket``, for the credential endpoints:
/// one request per connection, plain HTTP only.
///
/// The socket work runs off the concurrency pool (``BlockingWork``).
struct HTTPClient: Sendable {
    /// Connect timeout; short by default, as metadata endpoints answer at once or not at all.
    var connectTimeout: Duration = .seconds(2)
    /// Timeout of the whole exchange's writes and of the response's reads.
    var ioTimeout: Duration = .seconds(5)

    /// Sends `request` to `endpoint` and reads the response.
    ///
    /// - Throws: `MSKAuthError(.credentialsProviderFailed)` naming the endpoint
    ///   (never a header value: they can be tokens), or `.credentialsNotFound`
    ///   when nothing listens there.
    func send(_ request: HTTPRequest, to endpoint: HTTPEndpoint) async throws -> HTTPResponse {
        guard endpoint.scheme == "http" else {
            throw MSKAuthError(.credentialsProviderFailed,
                               detail: "\(endpoint): HTTPS is not supported by the credentials HTTP client yet")
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
        return try await BlockingWork.run { [options] () throws -> HTTPResponse in
            let socket: TCPSocket
            do throws(TransportError) {
                socket = try TCPSocket.connect(host: endpoint.host, port: endpoint.port, options: options)
            } catch {
                throw MSKAuthError(.credentialsNotFound, detail: "\(endpoint): cannot connect (\(error.code))")
            }
            defer { socket.close() }
            do {
                try socket.send(wire)
                var parser = HTTPResponseParser(source: SocketByteSource(socket: socket))
                return try parser.parse()
            } catch let error as MSKAuthError {
                throw MSKAuthError(error.code, detail: "\(endpoint): \(error.detail)")
            } catch let error as TransportError {
                throw MSKAuthError(.credentialsProviderFailed, detail: "\(endpoint): \(error.code): \(error.detail)")
            }
        }
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
