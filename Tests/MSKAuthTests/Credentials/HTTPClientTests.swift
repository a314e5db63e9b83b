import Foundation
import Testing
@testable import MSKAuth

@Suite("Credentials HTTP client")
struct HTTPClientTests {
    @Test("Content-Length, chunked (with extensions and trailers) and close-delimited bodies",
          arguments: [FakeHTTPServer.Framing.contentLength, .chunked(1), .chunked(7), .untilClose])
    func framing(_ framing: FakeHTTPServer.Framing) async throws {
        let body = #"{"hello":"world","n":[1,2,3]}"# + String(repeating: "x", count: 300)
        let server = try FakeHTTPServer { _ in FakeHTTPServer.response(body, framing: framing, headers: ["X-Test: 1"]) }
        defer { server.stop() }
        let endpoint = try HTTPEndpoint(parsing: server.url + "/some/path?q=1")
        let response = try await HTTPClient().send(
            HTTPRequest(method: "POST", headers: [("X-Custom", "v")], body: Array("a=b".utf8)), to: endpoint)
        #expect(response.status == 200)
        #expect(response.header("x-test") == "1")
        #expect(response.bodyText == body)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.target == "/some/path?q=1")
        #expect(request.headers["host"] == "127.0.0.1:\(endpoint.port)" && request.headers["x-custom"] == "v")
        #expect(request.body == "a=b")
    }

    @Test("the parser on raw bytes: bare LF line ends, 204 without body, malformed input")
    func parser() throws {
        func parse(_ text: String) throws -> HTTPResponse {
            var parser = HTTPResponseParser(source: ByteArraySource(Array(text.utf8)))
            return try parser.parse()
        }
        #expect(try parse("HTTP/1.0 404 Not Found\nContent-Length: 2\n\nno").bodyText == "no")
        #expect(try parse("HTTP/1.1 204 No Content\r\n\r\n").body.isEmpty)
        #expect(throws: MSKAuthError.self) { try parse("SSH-2.0-OpenSSH\r\n\r\n") }
        #expect(throws: MSKAuthError.self) { try parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort") }
        #expect(throws: MSKAuthError.self) { try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") }
        // A chunk size near Int.max after a first chunk once overflowed the size check (a trap).
        #expect(throws: MSKAuthError.self) {
            try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n7fffffffffffffff\r\n")
        }
    }

    @Test("URLs: ports, IPv6, other schemes refused, nothing listening is 'not found'")
    func endpoints() async throws {
        let v6 = try HTTPEndpoint(parsing: "http://[fd00:ec2::23]/v1/credentials")
        #expect(v6.host == "fd00:ec2::23" && v6.port == 80 && v6.hostHeader == "[fd00:ec2::23]")
        #expect(try HTTPEndpoint(parsing: "http://169.254.170.2:8080").target == "/")
        #expect(throws: MSKAuthError.self) { try HTTPEndpoint(parsing: "ftp://x/") }
        await #expect(throws: MSKAuthError.self) {
            try await HTTPClient().send(HTTPRequest(method: "GET", headers: [("X-Token", "a\r\nEvil: 1")]),
                                        to: HTTPEndpoint(host: "127.0.0.1", port: 9))
        }
        #expect(STSResponse.decodeEntities("a&amp;b&#65;&#x42;&unknown;&") == "a&bAB&unknown;&")
        #expect(STSResponse.element("Code", in: "<CodeX>no</CodeX><Code a=\"1\">yes</Code>") == "yes")
        await #expect(throws: MSKAuthError.self) {
            try await HTTPClient().send(HTTPRequest(method: "GET"), to: HTTPEndpoint(scheme: "ftp", host: "127.0.0.1", port: 9))
        }
        let port: Int
        do { port = try FakeHTTPServer { _ in [] }.url.split(separator: ":").last.flatMap { Int($0) } ?? 1 }
        try await Task.sleep(for: .milliseconds(300))  // that server has stopped listening
        do {
            _ = try await HTTPClient().send(HTTPRequest(method: "GET"), to: HTTPEndpoint(host: "127.0.0.1", port: port))
            Issue.record("no error")
        } catch let error as MSKAuthError {
            #expect(error.code == .credentialsNotFound, "\(error)")
        }
    }
}
