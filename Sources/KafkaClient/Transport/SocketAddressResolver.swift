#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One address a host name resolved to, ready for `connect(2)`.
struct ResolvedSocketAddress: Sendable {
    let family: Int32
    let socketType: Int32
    let transportProtocol: Int32
    /// The raw `sockaddr` bytes (`sockaddr_in` or `sockaddr_in6`).
    let storage: [UInt8]

    /// The numeric address and port, as `1.2.3.4:9092` or `[::1]:9092`.
    var text: String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let status = storage.withUnsafeBytes { raw in
            getnameinfo(
                raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count),
                &host, socklen_t(host.count), &service, socklen_t(service.count),
                NI_NUMERICHOST | NI_NUMERICSERV)
        }
        guard status == 0 else { return "?" }
        let hostText = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let serviceText = String(decoding: service.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return family == AF_INET6 ? "[\(hostText)]:\(serviceText)" : "\(hostText):\(serviceText)"
    }
}

/// Resolves host names with `getaddrinfo`, keeping every IPv4 and IPv6 result in the resolver's order.
enum SocketAddressResolver {
    static func resolve(host: String, port: Int) throws(TransportError) -> [ResolvedSocketAddress] {
        let peer = "\(host):\(port)"
        guard (0...65535).contains(port) else {
            throw TransportError(.invalidArgument, peer: peer, detail: "port \(port) is outside 0...65535")
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = SystemCalls.streamSocket
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            let text = String(cString: gai_strerror(status))
            if status == EAI_SYSTEM {
                let number = errno
                throw TransportError(.hostNotFound, errno: number, systemMessage: String(cString: strerror(number)),
                                     peer: peer, detail: "cannot resolve host: \(text)")
            }
            throw TransportError(.hostNotFound, systemMessage: text, peer: peer, detail: "cannot resolve host")
        }
        defer { freeaddrinfo(list) }

        var addresses: [ResolvedSocketAddress] = []
        var cursor = list
        while let entry = cursor?.pointee {
            cursor = entry.ai_next
            guard let address = entry.ai_addr, entry.ai_family == AF_INET || entry.ai_family == AF_INET6 else { continue }
            let bytes = Array(UnsafeRawBufferPointer(start: address, count: Int(entry.ai_addrlen)))
            addresses.append(ResolvedSocketAddress(
                family: entry.ai_family, socketType: entry.ai_socktype,
                transportProtocol: entry.ai_protocol, storage: bytes))
        }
        guard !addresses.isEmpty else {
            throw TransportError(.hostNotFound, peer: peer, detail: "host has no IPv4 or IPv6 address")
        }
        return addresses
    }
}
