#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension TCPSocket {
    /// Receives what is available into `buffer`, waiting up to
    /// `options.readTimeout` for at least one byte.
    ///
    /// For callers inside the package that read a stream of unknown length
    /// (such as a TLS session over this socket).
    ///
    /// - Returns: the number of bytes received, at least 1; 0 when the peer has
    ///   closed the stream (or `buffer` is empty).
    /// - Throws: `.timedOut` if nothing arrives in time, `.socketClosed`, ...
    package func receiveAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let deadline = IODeadline(after: options.readTimeout)
        while true {
            if isClosed {
                throw TransportError(.socketClosed, peer: remoteAddress, detail: "receive on a closed socket")
            }
            let received = recv(descriptor, base, buffer.count, 0)
            if received >= 0 { return received }
            let number = errno
            if number == EINTR { continue }
            guard number == EAGAIN || number == EWOULDBLOCK else {
                if isClosed {
                    throw TransportError(.socketClosed, peer: remoteAddress, detail: "receive on a closed socket")
                }
                throw TransportError.system(number, peer: remoteAddress, detail: "receive failed")
            }
            guard try wait(for: Int16(POLLIN), until: deadline, doing: "receive") else {
                throw TransportError(.timedOut, peer: remoteAddress,
                                     detail: "nothing received within \(String(describing: options.readTimeout))")
            }
        }
    }
}
