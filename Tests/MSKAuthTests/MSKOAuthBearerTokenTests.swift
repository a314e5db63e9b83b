import Foundation
import Testing
@testable import MSKAuth

@Suite("MSK: OAUTHBEARER token")
struct MSKOAuthBearerTokenTests {
    static let credentials = AWSCredentials(
        accessKeyID: "ASIAEXAMPLEKEY123456", secretAccessKey: "secret/Key+With/Slashes0123456789abcdefgh",
        sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE/token+value==")
    static let time = Date(timeIntervalSince1970: 1_700_000_000)

    static func token(userAgent: String = "swift-kafka-native/1.0", expiresIn: Int = 900) throws -> MSKOAuthBearerToken {
        try MSKOAuthBearerToken(
            credentials: credentials, region: "us-west-2", userAgent: userAgent, expiresIn: expiresIn, clock: .fixed(time))
    }

    static func decode(_ value: String) -> String? {
        var base64 = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("the token is the signed URL, base64url without padding")
    func encoding() throws {
        let token = try Self.token()
        #expect(!token.value.contains("=") && !token.value.contains("+") && !token.value.contains("/"))
        #expect(Self.decode(token.value) == token.signedURL)
    }

    @Test("the URL: Action first, signing parameters, signature, then the unsigned User-Agent")
    func url() throws {
        let url = try Self.token().signedURL
        #expect(url.hasPrefix(
            "https://kafka.us-west-2.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=ASIAEXAMPLEKEY123456%2F20231114%2Fus-west-2%2Fkafka-cluster%2Faws4_request"
                + "&X-Amz-Date=20231114T221320Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
                + "&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE%2Ftoken%2Bvalue%3D%3D&X-Amz-Signature="))
        #expect(url.hasSuffix("&User-Agent=swift-kafka-native%2F1.0"))
    }

    @Test("the user agent is not signed")
    func userAgentUnsigned() throws {
        func signature(_ url: String) -> Substring? {
            url.split(separator: "&").first { $0.hasPrefix("X-Amz-Signature=") }
        }
        let first = try Self.token(userAgent: "one")
        let second = try Self.token(userAgent: "two words")
        #expect(signature(first.signedURL) == signature(second.signedURL))
        #expect(second.signedURL.hasSuffix("&User-Agent=two%20words"))
    }

    @Test("expiry: signing time plus the lifetime, also in milliseconds")
    func expiry() throws {
        let token = try Self.token(expiresIn: 300)
        #expect(token.expiration == Self.time.addingTimeInterval(300))
        #expect(token.expirationMilliseconds == 1_700_000_300_000)
        #expect(token.signedURL.contains("&X-Amz-Expires=300&"))
    }

    @Test("bad region or credentials are a typed error; description hides the token")
    func errorsAndRedaction() throws {
        #expect(throws: MSKAuthError.self) {
            _ = try MSKOAuthBearerToken(credentials: Self.credentials, region: "kafka.us-east-1", clock: .fixed(Self.time))
        }
        #expect(throws: MSKAuthError.self) {
            _ = try MSKOAuthBearerToken(
                credentials: AWSCredentials(accessKeyID: "", secretAccessKey: "x"), region: "us-east-1")
        }
        let token = try Self.token()
        let text = String(describing: token)
        #expect(!text.contains(token.value))
        #expect(!text.contains(Self.credentials.sessionToken!))
    }
}
