import Foundation

/// An HTTP/1.1 request as ``HTTPClient`` sends it.
struct HTTPRequest: Sendable {
    var method: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(method: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.headers = headers
        self.body = body
    }

    /// The bytes on the wire. `Connection: close`: one request per connection,
    /// so a response without a length ends at the close.
    func serialized(for endpoint: HTTPEndpoint) -> [UInt8] {
        var head = "\(method) \(endpoint.target) HTTP/1.1\r\nHost: \(endpoint.hostHeader)\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}

/// A parsed HTTP/1.x response.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The first header named `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Where a response is read from: a socket, or bytes in tests.
protocol HTTPByteSource {
    /// The next byte, or nil at the end of the stream.
    mutating func nextByte() throws -> UInt8?
}

/// A response already in memory (tests, the fuzz targets).
struct ByteArraySource: HTTPByteSource {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func nextByte() throws -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }
}

/// Reads one response: status line, headers, then a body delimited by
/// `Transfer-Encoding: chunked`, `Content-Length`, or the end of the stream.
struct HTTPResponseParser<Source: HTTPByteSource> {
    /// Responses from the endpoints used here are small; anything bigger is wrong.
    static var maximumSize: Int { 1 << 20 }

    var source: Source
    private var consumed = 0

    init(source: Source) { self.source = source }

    mutating func parse() throws -> HTTPResponse {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw Self.malformed("bad status line")
        }
        var headers: [(name: String, value: String)] = []
        while true {
            let header = try line()
            if header.isEmpty { break }
            guard let colon = header.firstIndex(of: ":") else { throw Self.malformed("bad header line") }
            headers.append((String(header[..<colon]).trimmingCharacters(in: .whitespaces),
                            String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        var response = HTTPResponse(status: status, headers: headers, body: [])
        if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            response.body = try chunkedBody()
        } else if let lengthText = response.header("Content-Length") {
            guard let length = Int(lengthText), length >= 0, length <= Self.maximumSize else {
                throw Self.malformed("bad Content-Length")
            }
            response.body = try bytes(length)
        } else if status == 204 || status == 304 || (100..<200).contains(status) {
            response.body = []
        } else {
            while let byte = try next(allowEnd: true) { response.body.append(byte) }
        }
        return response
    }

    private mutating func chunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try line()
            let sizeText = sizeLine.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            // Compared as a subtraction: a size near Int.max would overflow `body.count + size`.
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0,
                  size <= Self.maximumSize - body.count else {
                throw Self.malformed("bad chunk size")
            }
            if size == 0 {
                while try !line().isEmpty {}  // trailers
                return body
            }
            body += try bytes(size)
            guard try line().isEmpty else { throw Self.malformed("chunk not followed by CRLF") }
        }
    }

    private mutating func next(allowEnd: Bool = false) throws -> UInt8? {
        consumed += 1
        guard consumed <= Self.maximumSize else { throw Self.malformed("response larger than 1 MiB") }
        let byte = try source.nextByte()
        if byte == nil && !allowEnd { throw Self.malformed("connection closed mid-response") }
        return byte
    }

    private mutating func bytes(_ count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count, let byte = try next() { out.append(byte) }
        return out
    }

    /// A line without its CRLF (a bare LF is accepted).
    private mutating func line() throws -> String {
        var bytes: [UInt8] = []
        while let byte = try next(), byte != UInt8(ascii: "\n") { bytes.append(byte) }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func malformed(_ what: String) -> MSKAuthError {
        MSKAuthError(.credentialsProviderFailed, detail: "malformed HTTP response: \(what)")
    }
}
