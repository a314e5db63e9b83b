#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
#error("swift-kafka-native builds for Linux (Glibc, or Musl for static binaries): its socket layer uses Linux calls such as SOCK_NONBLOCK and MSG_NOSIGNAL")
#endif

/// The C library's names whose Swift shape differs between Glibc and Musl (Glibc
/// imports `SOCK_*` as enum cases, Musl as plain integers), and calls that a method
/// of the same name shadows where they are used (`close`, `send`, `connect`, `accept`),
/// so that no other file names a C module.
package enum SystemCalls {
    #if canImport(Glibc)
    /// `SOCK_STREAM`.
    package static let streamSocket = Int32(SOCK_STREAM.rawValue)
    /// `SOCK_NONBLOCK`, for `socket(2)`'s type.
    package static let nonBlocking = Int32(SOCK_NONBLOCK.rawValue)
    /// `SOCK_CLOEXEC`, for `socket(2)`'s type.
    package static let closeOnExec = Int32(SOCK_CLOEXEC.rawValue)
    #else
    /// `SOCK_STREAM`.
    package static let streamSocket = Int32(SOCK_STREAM)
    /// `SOCK_NONBLOCK`, for `socket(2)`'s type.
    package static let nonBlocking = Int32(SOCK_NONBLOCK)
    /// `SOCK_CLOEXEC`, for `socket(2)`'s type.
    package static let closeOnExec = Int32(SOCK_CLOEXEC)
    #endif

    /// `close(2)`.
    @discardableResult
    package static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #else
        Musl.close(descriptor)
        #endif
    }

    /// `send(2)`.
    package static func send(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
        #if canImport(Glibc)
        Glibc.send(descriptor, bytes, count, flags)
        #else
        Musl.send(descriptor, bytes, count, flags)
        #endif
    }

    /// `connect(2)`.
    package static func connect(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        #if canImport(Glibc)
        Glibc.connect(descriptor, address, length)
        #else
        Musl.connect(descriptor, address, length)
        #endif
    }

    /// `accept(2)`, without the peer's address.
    package static func accept(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.accept(descriptor, nil, nil)
        #else
        Musl.accept(descriptor, nil, nil)
        #endif
    }
}
