import Foundation
import KafkaClient
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Client-side TCP connections to 127.0.0.1, for proxies and readiness checks.
public enum LoopbackConnect {
    /// A connected socket descriptor (the caller closes it), or nil when nothing accepts on `port`.
    public static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, SystemCalls.streamSocket | SystemCalls.closeOnExec, 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SystemCalls.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            _ = close(fd)
            return nil
        }
        return fd
    }

    /// True when something accepts connections on `port`.
    public static func accepts(port: Int) -> Bool {
        guard let fd = connect(port: port) else { return false }
        _ = close(fd)
        return true
    }
}
