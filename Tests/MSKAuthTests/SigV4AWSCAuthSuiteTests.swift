import Foundation
import Testing
@testable import MSKAuth

/// Every case of awslabs/aws-c-auth's SigV4 suite, in both the header and the
/// presigned-query form, checked at every step: canonical request, string to
/// sign, signature and the signed request's headers or query.
@Suite("SigV4: aws-c-auth suite", .enabled(if: SigV4SuiteFiles.isPresent, Comment(rawValue: SigV4SuiteFiles.missingMessage)))
struct SigV4AWSCAuthSuiteTests {
    static let suite = "aws-c-auth-v4"

    struct Context: Decodable {
        struct Credentials: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }
        var credentials: Credentials
        var expiration_in_seconds: Int
        var normalize: Bool
        var region: String
        var service: String
        var sign_body: Bool
        var timestamp: String
        var omit_session_token: Bool?
    }

    struct Case {
        var context: Context
        var request: SigV4Request
        var signer: SigV4Signer

        init(_ name: String) throws {
            context = try JSONDecoder().decode(
                Context.self, from: Data(try SigV4SuiteFiles.read(suite, "\(name)/context.json").utf8))
            let parsed = try SuiteHTTPRequest(parsing: try SigV4SuiteFiles.read(suite, "\(name)/request.txt"))
            request = try SigV4Request(
                method: parsed.method, path: parsed.path, rawQuery: parsed.rawQuery,
                headers: parsed.headers, payload: .bytes(parsed.body))
            let formatter = ISO8601DateFormatter()
            let date = try #require(formatter.date(from: context.timestamp))
            var options = SigV4Signer.Options()
            options.normalizePath = context.normalize
            options.signSessionToken = !(context.omit_session_token ?? false)
            options.addContentSHA256Header = context.sign_body
            signer = SigV4Signer(
                credentials: AWSCredentials(
                    accessKeyID: context.credentials.access_key_id,
                    secretAccessKey: context.credentials.secret_access_key,
                    sessionToken: context.credentials.token),
                region: context.region, service: context.service, options: options, clock: .fixed(date))
        }

        func expected(_ file: String) throws -> String {
            try SigV4SuiteFiles.read(suite, file).trimmedVector
        }
    }

    @Test("every case folder is found")
    func allCasesFound() {
        #expect(SigV4SuiteFiles.awsCAuthCases.count >= 38)
    }

    @Test("header form", arguments: SigV4SuiteFiles.awsCAuthCases)
    func headerForm(_ name: String) throws {
        let testCase = try Case(name)
        let signed = try testCase.signer.signHeaders(testCase.request)
        #expect(signed.canonicalRequest == (try testCase.expected("\(name)/header-canonical-request.txt")))
        #expect(signed.stringToSign == (try testCase.expected("\(name)/header-string-to-sign.txt")))
        #expect(signed.signature == (try testCase.expected("\(name)/header-signature.txt")))

        let expectedRequest = try SuiteHTTPRequest(parsing: try testCase.expected("\(name)/header-signed-request.txt"))
        #expect(SuiteHTTPRequest.normalized(testCase.request.headers + signed.addedHeaders)
            == SuiteHTTPRequest.normalized(expectedRequest.headers))
    }

    @Test("presigned query form", arguments: SigV4SuiteFiles.awsCAuthCases)
    func queryForm(_ name: String) throws {
        let testCase = try Case(name)
        let signed = try testCase.signer.presign(testCase.request, expiresIn: testCase.context.expiration_in_seconds)
        #expect(signed.canonicalRequest == (try testCase.expected("\(name)/query-canonical-request.txt")))
        #expect(signed.stringToSign == (try testCase.expected("\(name)/query-string-to-sign.txt")))
        #expect(signed.signature == (try testCase.expected("\(name)/query-signature.txt")))

        // The suite orders the signing parameters its own way and keeps the
        // request's own parameters as written (raw UTF-8 included), so compare
        // the decoded parameters as a multiset.
        let expectedRequest = try SuiteHTTPRequest(parsing: try testCase.expected("\(name)/query-signed-request.txt"))
        func decoded(_ rawQuery: String) throws -> [String] {
            try SigV4Request(method: "GET", path: "/", rawQuery: rawQuery, headers: [])
                .query.map { "\($0.name)=\($0.value)" }.sorted()
        }
        #expect(try decoded(signed.encodedQuery) == decoded(expectedRequest.rawQuery))
        #expect(signed.expiration.timeIntervalSince(signed.signingDate) == Double(testCase.context.expiration_in_seconds))
    }
}
