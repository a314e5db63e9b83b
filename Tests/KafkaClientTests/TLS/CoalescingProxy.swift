import Foundation
import KafkaClient
import KafkaTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy for one connection that holds what the server sends for `window`
/// after each read, then forwards it in one write: TLS records the server wrote
/// back to back (the last data and its close_notify) reach the client in one read,
/// every time rather than when the scheduler happens to line them up.
final class CoalescingProxy: Sendable {
    private let listener: LocalTCPListener
    var port: Int { listener.port }

    init(upstreamPort: Int, window: Duration = .milliseconds(50)) throws {
        listener = try LocalTCPListener()
        listener.serveOnce { client in
            guard let upstream = LoopbackConnect.connect(port: upstreamPort) else { return }
            let downstream = client.detachDescriptor()
            let requests = Thread { Self.pump(from: downstream, to: upstream, window: nil) }
            requests.start()
            Self.pump(from: upstream, to: downstream, window: window)
            // Both descriptors are shut down by now in the direction each pump wrote; wait a
            // little for the request pump to see the client's close before releasing them.
            Thread.sleep(forTimeInterval: 0.2)
            _ = Glibc.close(upstream)
            _ = Glibc.close(downstream)
        }
    }

    /// Copies `source` to `destination` until the source ends, then ends the destination's
    /// writing side; with a `window`, gathers what arrives within it into one write.
    private static func pump(from source: Int32, to destination: Int32, window: Duration?) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var ended = false
        while !ended {
            var chunk: [UInt8] = []
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            chunk += buffer[0..<count]
            if let window {
                Thread.sleep(forTimeInterval: window.inSeconds)
                while true {
                    let more = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                    if more > 0 { chunk += buffer[0..<more]; continue }
                    ended = more == 0
                    break
                }
            }
            var offset = 0
            while offset < chunk.count {
                let sent = chunk.withUnsafeBytes { send(destination, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { return }
                offset += sent
            }
        }
        _ = shutdown(destination, Int32(SHUT_WR))
    }
}
