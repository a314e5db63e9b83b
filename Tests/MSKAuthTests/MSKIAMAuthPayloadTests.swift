import Foundation
import Testing
@testable import MSKAuth

@Suite("MSK: AWS_MSK_IAM payload and response")
struct MSKIAMAuthPayloadTests {
    static let credentials = AWSCredentials(
        accessKeyID: "ASIAEXAMPLEKEY123456", secretAccessKey: "secret/Key+With/Slashes0123456789abcdefgh",
        sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE/token+value==")
    static let time = Date(timeIntervalSince1970: 1_700_000_000) // 2023-11-14T22:13:20Z
    static let host = "b-1.demo.abc123.c2.kafka.eu-west-1.amazonaws.com"

    static func payload(credentials: AWSCredentials = credentials, region: String? = nil, userAgent: String = "swift-kafka-native/1.0") throws -> MSKIAMAuthPayload {
        try MSKIAMAuthPayload(
            credentials: credentials, brokerHost: host + ":9098", region: region, userAgent: userAgent, clock: .fixed(time))
    }

    @Test("fields, in order, with the signing parameters decoded")
    func fields() throws {
        let payload = try Self.payload()
        #expect(payload.fields.map(\.name) == [
            "version", "host", "user-agent", "action", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-expires", "x-amz-signedheaders", "x-amz-security-token", "x-amz-signature",
        ])
        #expect(payload[field: "version"] == "2020_10_22")
        #expect(payload[field: "host"] == Self.host)
        #expect(payload[field: "action"] == "kafka-cluster:Connect")
        #expect(payload[field: "x-amz-algorithm"] == "AWS4-HMAC-SHA256")
        #expect(payload[field: "x-amz-credential"] == "ASIAEXAMPLEKEY123456/20231114/eu-west-1/kafka-cluster/aws4_request")
        #expect(payload[field: "x-amz-date"] == "20231114T221320Z")
        #expect(payload[field: "x-amz-expires"] == "900")
        #expect(payload[field: "x-amz-signedheaders"] == "host")
        #expect(payload[field: "x-amz-security-token"] == Self.credentials.sessionToken)
        #expect(payload[field: "x-amz-signature"]?.count == 64)
        #expect(payload.region == "eu-west-1")
        #expect(payload.expiration == Self.time.addingTimeInterval(900))
    }

    @Test("the signature covers GET / with Action and the X-Amz parameters, host signed, empty payload")
    func signedRequest() throws {
        let payload = try Self.payload()
        let signer = SigV4Signer(credentials: Self.credentials, region: "eu-west-1", service: "kafka-cluster", clock: .fixed(Self.time))
        let presigned = try signer.presign(
            SigV4Request(method: "GET", path: "/", query: [SigV4QueryItem("Action", "kafka-cluster:Connect")],
                         headers: [SigV4Header("host", Self.host)]),
            expiresIn: 900)
        #expect(presigned.canonicalRequest.hasPrefix("GET\n/\nAction=kafka-cluster%3AConnect&X-Amz-Algorithm="))
        #expect(presigned.canonicalRequest.hasSuffix(
            "\nhost:\(Self.host)\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        #expect(payload[field: "x-amz-signature"] == presigned.signature)
    }

    @Test("the JSON is valid and carries exactly the fields")
    func json() throws {
        let payload = try Self.payload(userAgent: "agent \"quoted\" \\ back\tslash")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(payload.bytes)) as? [String: String])
        #expect(object == Dictionary(uniqueKeysWithValues: payload.fields.map { ($0.name, $0.value) }))
        #expect(object["user-agent"] == "agent \"quoted\" \\ back\tslash")
    }

    @Test("no session token, no token field; an explicit region wins")
    func withoutToken() throws {
        let plain = AWSCredentials(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "secret")
        let payload = try Self.payload(credentials: plain, region: "us-east-2")
        #expect(payload[field: "x-amz-security-token"] == nil)
        #expect(payload[field: "x-amz-credential"] == "AKIAEXAMPLE/20231114/us-east-2/kafka-cluster/aws4_request")
        #expect(payload.fields.count == 10)
    }

    @Test("bad region or host is a typed error")
    func errors() {
        #expect(throws: MSKAuthError.self) { _ = try Self.payload(region: "Not A Region") }
        #expect(throws: MSKAuthError.self) {
            _ = try MSKIAMAuthPayload(credentials: Self.credentials, brokerHost: "localhost:9098", userAgent: "x")
        }
        #expect(throws: MSKAuthError.self) {
            _ = try MSKIAMAuthPayload(credentials: Self.credentials, brokerHost: Self.host, userAgent: "x", expiresIn: 0)
        }
    }

    @Test("description hides the token and signature")
    func redaction() throws {
        let payload = try Self.payload()
        let text = String(describing: payload)
        #expect(!text.contains(Self.credentials.sessionToken!))
        #expect(!text.contains(payload[field: "x-amz-signature"]!))
        #expect(!text.contains(Self.credentials.secretAccessKey))
    }

    @Test("the server response is parsed and checked")
    func response() throws {
        let ok = try MSKIAMAuthResponse(parsing: Array(#"{"version":"2020_10_22","request-id":"a1b2-c3","extra":1}"#.utf8))
        #expect(ok == MSKIAMAuthResponse(version: "2020_10_22", requestID: "a1b2-c3"))
        let bad = [
            #"{"request-id":"a"}"#, #"{"version":"2021_01_01","request-id":"a"}"#, #"{"version":"2020_10_22"}"#,
            #"{"version":"2020_10_22","request-id":""}"#, #"{"version":2020,"request-id":"a"}"#,
            "", "not json", "[]", #"{"version":"2020_10_22","request-id":"a""#,
        ]
        for text in bad {
            do {
                _ = try MSKIAMAuthResponse(parsing: Array(text.utf8))
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.code == .invalidResponse)
            }
        }
    }

    @Test("JSON strings escape quotes, backslashes and control characters")
    func jsonEscaping() {
        #expect(MSKJSON.string("a\"b\\c\u{01}\n/é") == #""a\"b\\c\u0001\n/é""#)
    }
}
