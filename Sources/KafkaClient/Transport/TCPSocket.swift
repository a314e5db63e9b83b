#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// A connected TCP socket with blocking, timeout-bounded operations.
///
/// The descriptor is non-blocking underneath; `send` and `receive` wait with
/// `poll(2)` so each call honours its timeout as a whole. One thread may send
/// while another receives. `close()` shuts the connection down at once (waking
/// any thread blocked on it); the descriptor itself is released when the last
/// reference goes away, so a concurrent call can never hit a reused descriptor.
package final class TCPSocket: Sendable {
    let descriptor: Int32
    private let closed = Atomic<Bool>(false)
    /// The options the socket was opened with.
    package let options: TCPSocketOptions
    /// The numeric address connected to, as `1.2.3.4:9092` or `[::1]:9092`.
    package let remoteAddress: String

    init(descriptor: Int32, options: TCPSocketOptions, remoteAddress: String) {
        self.descriptor = descriptor
        self.options = options
        self.remoteAddress = remoteAddress
    }

    deinit {
        _ = SystemCalls.close(descriptor)
    }

    /// Resolves `host` and connects to the first of its addresses (IPv4 or IPv6)
    /// that accepts within `options.connectTimeout`, trying each in the resolver's order.
    ///
    /// - Throws: `TransportError` with `.hostNotFound`, `.connectionRefused`,
    ///   `.timedOut`, `.networkUnreachable` and so on; when every address fails,
    ///   the last failure, with each attempt listed in `detail`.
    package static func connect(host: String, port: Int, options: TCPSocketOptions = TCPSocketOptions()) throws(TransportError) -> TCPSocket {
        let addresses = try SocketAddressResolver.resolve(host: host, port: port)
        var failures: [String] = []
        var lastError: TransportError?
        for address in addresses {
            do {
                return try connect(to: address, options: options)
            } catch {
                failures.append("\(address.text): \(error.code)")
                lastError = error
            }
        }
        var error = lastError ?? TransportError(.hostNotFound, detail: "no address to try")
        error.peer = "\(host):\(port)"
        if failures.count > 1 { error.detail += " (tried \(failures.joined(separator: ", ")))" }
        throw error
    }

    static func connect(to address: ResolvedSocketAddress, options: TCPSocketOptions) throws(TransportError) -> TCPSocket {
        let peer = address.text
        let kind = address.socketType | SystemCalls.nonBlocking | SystemCalls.closeOnExec
        let fd = socket(address.family, kind, address.transportProtocol)
        guard fd >= 0 else { throw TransportError.system(errno, peer: peer, detail: "socket() failed") }
        // Owned by `socket` from here on, so every early exit closes the descriptor.
        let socket = TCPSocket(descriptor: fd, options: options, remoteAddress: peer)
        try socket.applyOptions()

        let status = address.storage.withUnsafeBytes { raw in
            SystemCalls.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if status != 0 {
            let number = errno
            guard number == EINPROGRESS || number == EINTR else {
                throw TransportError.system(number, peer: peer, detail: "connect failed")
            }
            let deadline = IODeadline(after: options.connectTimeout)
            guard try socket.wait(for: Int16(POLLOUT), until: deadline, doing: "connect") else {
                throw TransportError(.timedOut, peer: peer, detail: "connect did not complete within \(options.connectTimeout)")
            }
            var pending: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &length) == 0 else {
                throw TransportError.system(errno, peer: peer, detail: "getsockopt(SO_ERROR) failed")
            }
            guard pending == 0 else { throw TransportError.system(pending, peer: peer, detail: "connect failed") }
        }
        return socket
    }

    private func applyOptions() throws(TransportError) {
        if options.noDelay { try setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1, name: "TCP_NODELAY") }
        if options.keepAlive { try setOption(SOL_SOCKET, SO_KEEPALIVE, 1, name: "SO_KEEPALIVE") }
        if let size = options.sendBufferSize { try setOption(SOL_SOCKET, SO_SNDBUF, size, name: "SO_SNDBUF") }
        if let size = options.receiveBufferSize { try setOption(SOL_SOCKET, SO_RCVBUF, size, name: "SO_RCVBUF") }
    }

    private func setOption(_ level: Int32, _ option: Int32, _ value: Int, name: String) throws(TransportError) {
        guard let value32 = Int32(exactly: value), value32 >= 0 else {
            throw TransportError(.invalidArgument, peer: remoteAddress, detail: "\(name) value \(value) is out of range")
        }
        var raw = value32
        guard setsockopt(descriptor, level, option, &raw, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw TransportError.system(errno, peer: remoteAddress, detail: "setsockopt(\(name)) failed")
        }
    }

    /// Reads back an integer socket option (for example `SO_RCVBUF`), or nil if the call fails.
    package func integerOption(level: Int32, name: Int32) -> Int? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, level, name, &value, &length) == 0 else { return nil }
        return Int(value)
    }

    /// True once `close()` has been called.
    package var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Shuts the connection down in both directions; later and blocked calls fail with `.socketClosed`.
    /// Calling it again does nothing.
    package func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = shutdown(descriptor, Int32(SHUT_RDWR))
    }
}
