import Foundation
import KafkaTestSupport
import Synchronization

/// A scripted HTTP server on 127.0.0.1 for the credential endpoints: records
/// each request and answers with the raw bytes `respond` returns.
final class FakeHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        /// Header names lower-cased.
        var headers: [String: String]
        var body: String
    }

    /// What the serving thread shares with the test (atomics cannot be captured directly).
    private final class Shared: Sendable {
        let stopped = Atomic(false)
        let recorded = Mutex<[Request]>([])
    }

    private let listener: LocalTCPListener
    private let shared = Shared()

    /// The base URL, `http://127.0.0.1:PORT`.
    var url: String { "http://127.0.0.1:\(listener.port)" }
    var requests: [Request] { shared.recorded.withLock { $0 } }

    init(_ respond: @escaping @Sendable (Request) -> [UInt8]) throws {
        listener = try LocalTCPListener()
        Thread.detachNewThread { [listener, shared] in
            while !shared.stopped.load(ordering: .acquiring) {
                guard let connection = try? listener.accept(timeout: 0.2) else { continue }
                guard let request = try? Self.read(connection) else { connection.close(); continue }
                shared.recorded.withLock { $0.append(request) }
                try? connection.write(respond(request))
                connection.close()
            }
        }
    }

    deinit { stop() }

    func stop() { shared.stopped.store(true, ordering: .releasing) }

    private static func read(_ connection: AcceptedConnection) throws -> Request {
        var head: [UInt8] = []
        while !head.ends(with: Array("\r\n\r\n".utf8)) { head += try connection.read(count: 1) }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let start = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let body = length > 0 ? try connection.read(count: length) : []
        return Request(method: String(start[0]), target: String(start[1]), headers: headers,
                       body: String(decoding: body, as: UTF8.self))
    }

    /// A response with `Content-Length`, or chunked in pieces of `chunkSize`, or ended by closing.
    static func response(status: Int = 200, _ body: String, framing: Framing = .contentLength,
                         headers: [String] = []) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Error")\r\n" + headers.map { $0 + "\r\n" }.joined()
        let bytes = Array(body.utf8)
        switch framing {
        case .contentLength:
            return Array((head + "Content-Length: \(bytes.count)\r\n\r\n").utf8) + bytes
        case .untilClose:
            return Array((head + "\r\n").utf8) + bytes
        case .chunked(let size):
            head += "Transfer-Encoding: chunked\r\n\r\n"
            var out = Array(head.utf8)
            var rest = bytes[...]
            while !rest.isEmpty {
                let piece = rest.prefix(size)
                rest = rest.dropFirst(size)
                out += Array("\(String(piece.count, radix: 16));ext=1\r\n".utf8) + piece + Array("\r\n".utf8)
            }
            return out + Array("0\r\nX-Trailer: yes\r\n\r\n".utf8)
        }
    }

    enum Framing: Sendable {
        case contentLength
        case untilClose
        case chunked(Int)
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

/// Temporary files for profile and token tests, removed on deinit.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "/msk-auth-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file) }
        return file
    }
}

/// A JSON credentials document as the container and EC2 endpoints send it.
func metadataCredentialsJSON(access: String = "ASIAMETADATA", secret: String = "metadata-secret",
                             token: String = "metadata-token", expiration: String = "2099-01-01T00:00:00Z") -> String {
    #"{"Code":"Success","AccessKeyId":"\#(access)","SecretAccessKey":"\#(secret)","Token":"\#(token)","Expiration":"\#(expiration)"}"#
}
