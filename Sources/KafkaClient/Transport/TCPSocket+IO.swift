#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension TCPSocket {
    /// Sends every byte, waiting for buffer space up to `options.writeTimeout` in total.
    package func send(_ bytes: [UInt8]) throws(TransportError) {
        var failure: TransportError?
        bytes.withUnsafeBytes { raw in
            do throws(TransportError) { try send(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Sends every byte of `buffer`, waiting for buffer space up to `options.writeTimeout` in total.
    package func send(_ buffer: UnsafeRawBufferPointer) throws(TransportError) {
        let deadline = IODeadline(after: options.writeTimeout)
        var offset = 0
        while offset < buffer.count {
            try checkOpen(doing: "send")
            // MSG_NOSIGNAL: a broken connection is an error here, not a process-killing SIGPIPE.
            let sent = SystemCalls.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            if sent > 0 {
                offset += sent
                continue
            }
            let number = errno
            guard sent < 0, number == EAGAIN || number == EWOULDBLOCK || number == EINTR else {
                throw failure(number, doing: "send")
            }
            if number == EINTR { continue }
            guard try wait(for: Int16(POLLOUT), until: deadline, doing: "send") else {
                throw TransportError(.timedOut, peer: remoteAddress,
                                     detail: "send of \(buffer.count) bytes stalled after \(offset) within \(String(describing: options.writeTimeout))")
            }
        }
    }

    /// Receives exactly `count` bytes, waiting up to `options.readTimeout` in total.
    ///
    /// - Throws: `.closedByPeer` if the stream ends first, `.timedOut`, `.socketClosed`, ...
    package func receive(exactly count: Int) throws(TransportError) -> [UInt8] {
        guard count >= 0 else {
            throw TransportError(.invalidArgument, peer: remoteAddress, detail: "cannot receive \(count) bytes")
        }
        var failure: TransportError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(TransportError) {
                try receive(into: UnsafeMutableRawBufferPointer(buffer))
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Fills all of `buffer`, waiting up to `options.readTimeout` in total.
    package func receive(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) {
        let deadline = IODeadline(after: options.readTimeout)
        var offset = 0
        while offset < buffer.count {
            try checkOpen(doing: "receive")
            let received = recv(descriptor, buffer.baseAddress! + offset, buffer.count - offset, 0)
            if received > 0 {
                offset += received
                continue
            }
            if received == 0 {
                try checkOpen(doing: "receive")
                throw TransportError(.closedByPeer, peer: remoteAddress,
                                     detail: "connection closed after \(offset) of \(buffer.count) bytes")
            }
            let number = errno
            if number == EINTR { continue }
            guard number == EAGAIN || number == EWOULDBLOCK else { throw failure(number, doing: "receive") }
            guard try wait(for: Int16(POLLIN), until: deadline, doing: "receive") else {
                throw TransportError(.timedOut, peer: remoteAddress,
                                     detail: "received \(offset) of \(buffer.count) bytes within \(String(describing: options.readTimeout))")
            }
        }
    }

    /// Waits until the socket is ready for `events` (true) or the deadline passes (false).
    /// Errors and hang-ups count as ready, so the next system call reports them.
    func wait(for events: Int16, until deadline: IODeadline, doing operation: String) throws(TransportError) -> Bool {
        while true {
            try checkOpen(doing: operation)
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let status = poll(&entry, 1, deadline.pollMilliseconds)
            if status > 0 {
                if entry.revents & Int16(POLLNVAL) != 0 {
                    throw TransportError(.socketClosed, peer: remoteAddress, detail: "\(operation) on an invalid descriptor")
                }
                return true
            }
            if status == 0 { return false }
            let number = errno
            guard number == EINTR else { throw failure(number, doing: operation) }
        }
    }

    private func checkOpen(doing operation: String) throws(TransportError) {
        if isClosed {
            throw TransportError(.socketClosed, peer: remoteAddress, detail: "\(operation) on a closed socket")
        }
    }

    private func failure(_ number: Int32, doing operation: String) -> TransportError {
        if isClosed {
            return TransportError(.socketClosed, peer: remoteAddress, detail: "\(operation) on a closed socket")
        }
        return TransportError.system(number, peer: remoteAddress, detail: "\(operation) failed")
    }
}
