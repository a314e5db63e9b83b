import Foundation
import Testing
@testable import MSKAuth

/// Every case of AWS's classic SigV4 suite as shipped with botocore (header
/// form): canonical request, string to sign, Authorization header, and the
/// other headers of the signed request.
@Suite("SigV4: botocore aws4_testsuite", .enabled(if: SigV4SuiteFiles.isPresent, Comment(rawValue: SigV4SuiteFiles.missingMessage)))
struct SigV4BotocoreSuiteTests {
    static let suite = "botocore-aws4_testsuite"
    // The suite's fixed inputs, stated in its documentation rather than in files.
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let signingTime = Date(timeIntervalSince1970: 1_440_938_160) // 2015-08-30T12:36:00Z

    @Test("every case folder is found")
    func allCasesFound() {
        #expect(SigV4SuiteFiles.botocoreCases.count >= 34)
    }

    @Test("header form", arguments: SigV4SuiteFiles.botocoreCases)
    func headerForm(_ casePath: String) throws {
        let name = URL(fileURLWithPath: casePath).lastPathComponent
        func file(_ ext: String) throws -> String {
            try SigV4SuiteFiles.read(Self.suite, "\(casePath)/\(name).\(ext)").trimmedVector
        }
        let parsed = try SuiteHTTPRequest(parsing: try file("req"))
        let signedRequest = try SuiteHTTPRequest(parsing: try file("sreq"))

        // The signer adds X-Amz-Date and X-Amz-Security-Token itself. The token
        // comes from the request or the signed request; in the
        // `post-sts-header-after` case it is, as the name says, added after signing.
        func header(_ request: SuiteHTTPRequest, _ name: String) -> String? {
            request.headers.first { $0.name.lowercased() == name }?.value
        }
        let token = header(parsed, "x-amz-security-token") ?? header(signedRequest, "x-amz-security-token")
        let ownHeaders: Set<String> = ["x-amz-date", "x-amz-security-token"]
        let request = try SigV4Request(
            method: parsed.method, path: parsed.path, rawQuery: parsed.rawQuery,
            headers: parsed.headers.filter { !ownHeaders.contains($0.name.lowercased()) },
            payload: .bytes(parsed.body))
        var options = SigV4Signer.Options()
        options.signSessionToken = name != "post-sts-header-after"
        var credentials = Self.credentials
        credentials.sessionToken = token
        let signer = SigV4Signer(
            credentials: credentials, region: "us-east-1", service: "service",
            options: options, clock: .fixed(Self.signingTime))

        let signed = try signer.signHeaders(request)
        #expect(signed.canonicalRequest == (try file("creq")))
        #expect(signed.stringToSign == (try file("sts")))
        #expect(signed.authorization == (try file("authz")))

        // One .sreq (get-vanilla-with-session-token) carries another case's
        // Authorization line; the .authz file is authoritative for that header.
        let withoutAuthorization = { (headers: [SigV4Header]) in
            SuiteHTTPRequest.normalized(headers.filter { $0.name.lowercased() != "authorization" })
        }
        #expect(withoutAuthorization(request.headers + signed.addedHeaders) == withoutAuthorization(signedRequest.headers))
    }
}
