import Foundation
import Testing
@testable import MSKAuth

@Suite("SigV4: signer behaviour and errors")
struct SigV4SignerTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN+/="
    static let time = Date(timeIntervalSince1970: 1_440_938_160)

    static func signer(token: String? = nil, options: SigV4Signer.Options = .init(), region: String = "us-east-1") -> SigV4Signer {
        SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: secret, sessionToken: token),
            region: region, service: "service", options: options, clock: .fixed(time))
    }

    static func request(path: String = "/", query: [SigV4QueryItem] = [], headers: [SigV4Header] = [], payload: SigV4Payload = .empty) -> SigV4Request {
        SigV4Request(method: "GET", path: path, query: query,
                     headers: [SigV4Header("Host", "example.amazonaws.com")] + headers, payload: payload)
    }

    static func canonicalPath(of signed: SigV4SignedHeaders) -> String {
        String(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1])
    }

    @Test("an escape on the wire is escaped again, unless double encoding is off")
    func doubleEncoding() throws {
        let doubled = try Self.signer().signHeaders(Self.request(path: "/a%20b/c d"))
        #expect(Self.canonicalPath(of: doubled) == "/a%2520b/c%20d")
        var options = SigV4Signer.Options()
        options.doubleURIEncode = false
        options.normalizePath = false
        let single = try Self.signer(options: options).signHeaders(Self.request(path: "//a%20b/./c d"))
        #expect(Self.canonicalPath(of: single) == "//a%20b/./c%20d")
    }

    @Test("path normalisation", arguments: [
        ("", "/"), ("/", "/"), ("/a/b/../c/./d/", "/a/c/d/"), ("/../../a", "/a"), ("a/b", "/a/b"), ("/a/..", "/"),
    ])
    func normalisation(_ input: String, _ expected: String) {
        #expect(SigV4Encoding.normalizedPath(input) == expected)
    }

    @Test("query parameters are decoded, strictly re-encoded and sorted by name then value")
    func queryCanonicalisation() throws {
        let request = try SigV4Request(
            method: "GET", path: "/", rawQuery: "b=2&a=x+y&a=%2F&c&&%7e=*",
            headers: [SigV4Header("Host", "h")])
        #expect(request.query == [
            SigV4QueryItem("b", "2"), SigV4QueryItem("a", "x+y"), SigV4QueryItem("a", "/"),
            SigV4QueryItem("c", ""), SigV4QueryItem("~", "*"),
        ])
        #expect(SigV4Canonical.query(request.query) == "a=%2F&a=x%2By&b=2&c=&~=%2A")
    }

    @Test("a payload can be unsigned or pre-hashed")
    func payloads() throws {
        let unsigned = try Self.signer().signHeaders(Self.request(payload: .unsigned))
        #expect(unsigned.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
        let body: [UInt8] = Array("Param1=value1".utf8)
        let hashed = try Self.signer().signHeaders(Self.request(payload: .bytes(body)))
        let prehashed = try Self.signer().signHeaders(Self.request(payload: .precomputedSHA256(try SigV4Crypto.sha256Hex(body))))
        #expect(hashed.signature == prehashed.signature)
    }

    @Test("headers the signer owns are replaced; user-agent is never signed")
    func ownedHeaders() throws {
        let signed = try Self.signer(token: Self.token).signHeaders(Self.request(headers: [
            SigV4Header("X-Amz-Date", "19990101T000000Z"), SigV4Header("Authorization", "stale"),
            SigV4Header("User-Agent", "test/1.0"),
        ]))
        #expect(signed.canonicalRequest.contains("x-amz-date:20150830T123600Z\n"))
        #expect(!signed.canonicalRequest.contains("19990101"))
        #expect(!signed.canonicalRequest.contains("user-agent"))
        #expect(signed.addedHeaders.map(\.name) == ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(signed.authorization.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"))
    }

    @Test("the clock decides the signing time")
    func clock() throws {
        let fixed = try Self.signer().presign(Self.request(), expiresIn: 60)
        #expect(fixed.signingDate == Self.time)
        #expect(fixed.expiration == Self.time.addingTimeInterval(60))
        var later = Self.signer()
        later.clock = .fixed(Self.time.addingTimeInterval(1))
        #expect(try later.presign(Self.request(), expiresIn: 60).signature != fixed.signature)
        var system = Self.signer()
        system.clock = .system
        let now = try system.presign(Self.request(), expiresIn: 60)
        #expect(abs(now.signingDate.timeIntervalSinceNow) < 60)
    }

    @Test("bad input is a typed error")
    func errors() throws {
        func code(_ body: () throws -> Void) -> MSKAuthError.Code? {
            do { try body(); return nil } catch { return (error as? MSKAuthError)?.code }
        }
        let good = Self.request()
        #expect(code { _ = try Self.signer().presign(good, expiresIn: 0) } == .invalidExpiry)
        #expect(code { _ = try Self.signer().presign(good, expiresIn: 604_801) } == .invalidExpiry)
        #expect(code { _ = try Self.signer().presign(good, expiresIn: 604_800) } == nil)
        #expect(code { _ = try Self.signer().signHeaders(SigV4Request(method: "GET", headers: [])) } == .missingHost)
        #expect(code { _ = try Self.signer().signHeaders(Self.request(headers: [SigV4Header("Bad Name", "v")])) } == .invalidHeader)
        #expect(code { _ = try Self.signer().signHeaders(Self.request(headers: [SigV4Header("", "v")])) } == .invalidHeader)
        #expect(code { _ = try Self.signer().signHeaders(SigV4Request(method: "GE T", headers: [SigV4Header("Host", "h")])) } == .invalidRequest)
        #expect(code { _ = try Self.signer(region: "us/east").signHeaders(good) } == .invalidRegion)
        #expect(code { _ = try Self.signer().signHeaders(Self.request(payload: .precomputedSHA256("ABC"))) } == .invalidRequest)
        #expect(code { _ = try Self.signer().presign(Self.request(query: [SigV4QueryItem("X-Amz-Signature", "x")]), expiresIn: 60) } == .invalidRequest)
        for raw in ["a=%zz", "a=%e", "%", "a=%FF"] {
            #expect(code { _ = try SigV4Request(method: "GET", path: "/", rawQuery: raw, headers: []) } == .invalidPercentEncoding)
        }
        var noSecret = Self.signer()
        noSecret.credentials.secretAccessKey = ""
        #expect(code { _ = try noSecret.signHeaders(good) } == .invalidCredentials)
        var slashInKey = Self.signer()
        slashInKey.credentials.accessKeyID = "AKID/EXAMPLE"
        #expect(code { _ = try slashInKey.signHeaders(good) } == .invalidCredentials)
    }

    @Test("secrets never appear in descriptions")
    func redaction() throws {
        let signer = Self.signer(token: Self.token)
        let header = try signer.signHeaders(Self.request())
        let query = try signer.presign(Self.request(), expiresIn: 60)
        let texts = [
            String(describing: signer.credentials), String(reflecting: signer.credentials), String(describing: signer),
            String(describing: header), String(describing: query),
        ]
        for text in texts {
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.token))
            #expect(!text.contains(header.signature))
            #expect(!text.contains(query.signature))
        }
        #expect(String(describing: signer.credentials).contains("AKIDEXAMPLE"))
    }
}
