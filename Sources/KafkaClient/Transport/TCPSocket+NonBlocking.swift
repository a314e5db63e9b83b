#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Single-attempt reads and writes for an event loop that waits with `poll(2)` itself.
extension TCPSocket {
    /// The descriptor, for a loop's `poll(2)` set. Valid while the socket is alive.
    var pollDescriptor: Int32 { descriptor }

    /// Reads what is available into `buffer` without waiting.
    ///
    /// - Returns: the bytes read; 0 when nothing is available yet.
    /// - Throws: `.closedByPeer` at end of stream, and the system's errors.
    func readAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Int {
        while true {
            if isClosed { throw TransportError(.socketClosed, peer: remoteAddress, detail: "read on a closed socket") }
            let received = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if received > 0 { return received }
            if received == 0 { throw TransportError(.closedByPeer, peer: remoteAddress, detail: "the broker closed the connection") }
            let number = errno
            if number == EINTR { continue }
            if number == EAGAIN || number == EWOULDBLOCK { return 0 }
            throw TransportError.system(number, peer: remoteAddress, detail: "receive failed")
        }
    }

    /// Writes as much of `buffer` as the kernel takes without waiting.
    ///
    /// - Returns: the bytes written; 0 when the send buffer is full.
    func writeAvailable(_ buffer: UnsafeRawBufferPointer) throws(TransportError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if isClosed { throw TransportError(.socketClosed, peer: remoteAddress, detail: "write on a closed socket") }
            // MSG_NOSIGNAL: a broken connection is an error here, not a process-killing SIGPIPE.
            let sent = SystemCalls.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if sent >= 0 { return sent }
            let number = errno
            if number == EINTR { continue }
            if number == EAGAIN || number == EWOULDBLOCK { return 0 }
            throw TransportError.system(number, peer: remoteAddress, detail: "send failed")
        }
    }
}
