#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failure of the TCP transport: resolving, connecting, sending or receiving.
///
/// Carries a `Code` to switch on, the OS error number and its text when the
/// failure came from a system call, and the peer it concerned.
package struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added in later releases.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case hostNotFound
            case connectionRefused
            case timedOut
            case closedByPeer
            case connectionReset
            case networkUnreachable
            case socketClosed
            case frameTooLarge
            case invalidFrameSize
            case invalidArgument
            case systemError
        }

        let base: Base

        init(_ base: Base) { self.base = base }

        /// The host name could not be resolved to any address.
        package static let hostNotFound = Code(.hostNotFound)
        /// Nothing listens at the address (`ECONNREFUSED`).
        package static let connectionRefused = Code(.connectionRefused)
        /// A connect, send or receive did not finish within its timeout.
        package static let timedOut = Code(.timedOut)
        /// The peer closed the connection (end of stream while bytes were expected).
        package static let closedByPeer = Code(.closedByPeer)
        /// The peer reset the connection, or it broke while writing (`ECONNRESET`, `EPIPE`).
        package static let connectionReset = Code(.connectionReset)
        /// No route to the address (`ENETUNREACH`, `EHOSTUNREACH`).
        package static let networkUnreachable = Code(.networkUnreachable)
        /// The socket was closed locally before or during the operation.
        package static let socketClosed = Code(.socketClosed)
        /// A frame's size prefix exceeds the configured maximum.
        package static let frameTooLarge = Code(.frameTooLarge)
        /// A frame's size prefix is negative.
        package static let invalidFrameSize = Code(.invalidFrameSize)
        /// A parameter was out of range (for example a port outside 0...65535).
        package static let invalidArgument = Code(.invalidArgument)
        /// Any other operating-system error; see `errno`.
        package static let systemError = Code(.systemError)

        package var description: String { base.rawValue }
    }

    /// The kind of failure.
    package var code: Code
    /// The OS error number, when a system call failed.
    package var errno: Int32?
    /// The OS's text for `errno` (or for a resolver error).
    package var systemMessage: String?
    /// The peer, as `host:port`, when known.
    package var peer: String?
    /// What was being done.
    package var detail: String

    package init(_ code: Code, errno: Int32? = nil, systemMessage: String? = nil, peer: String? = nil, detail: String) {
        self.code = code
        self.errno = errno
        self.systemMessage = systemMessage
        self.peer = peer
        self.detail = detail
    }

    package var description: String {
        var parts = ["TransportError.\(code)"]
        if let peer { parts.append(peer) }
        if !detail.isEmpty { parts.append(detail) }
        if let systemMessage {
            parts.append(errno.map { "\(systemMessage) (errno \($0))" } ?? systemMessage)
        }
        return parts.joined(separator: ": ")
    }
}

extension TransportError {
    /// Maps an OS error number to a transport error, keeping the number and its text.
    static func system(_ number: Int32, peer: String?, detail: String) -> TransportError {
        let code: Code
        switch number {
        case ECONNREFUSED: code = .connectionRefused
        case ETIMEDOUT: code = .timedOut
        case ECONNRESET, EPIPE, ECONNABORTED: code = .connectionReset
        case ENETUNREACH, EHOSTUNREACH: code = .networkUnreachable
        case EBADF: code = .socketClosed
        default: code = .systemError
        }
        return TransportError(code, errno: number, systemMessage: String(cString: strerror(number)), peer: peer, detail: detail)
    }
}
