import Foundation
import Testing
@testable import MSKAuth

/// Random credentials, times, regions and hosts, signed by us and by the
/// official Python code, compared exactly.
@Suite("MSK: cross-check with the official Python signers", .enabled(if: PythonReference.isAvailable, Comment(rawValue: PythonReference.missingMessage)))
struct MSKPythonCrossCheckTests {
    static let regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "il-central-1"]

    static func randomString(_ alphabet: String, count: Int, using rng: inout some RandomNumberGenerator) -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { _ in characters.randomElement(using: &rng)! })
    }

    /// Cases shaped like real ones: AKIA/ASIA keys, 40-character secrets with
    /// `/` and `+`, long session tokens (sometimes none), provisioned and
    /// serverless broker names, times from 2000 to 2035.
    static func makeCases(count: Int) -> [PythonReference.Case] {
        var rng = SystemRandomNumberGenerator()
        let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        let base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        return (0..<count).map { index in
            let region = regions[index % regions.count]
            let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
            let cluster = randomString("abcdefghijklmnopqrstuvwxyz0123456789-", count: 12, using: &rng)
            let host = index.isMultiple(of: 2)
                ? "b-\(index % 3 + 1).\(cluster).\(randomString("abcdef0123456789", count: 6, using: &rng)).c2.kafka.\(region).\(suffix)"
                : "boot-\(randomString("abcdefghijklmnopqrstuvwxyz0123456789", count: 8, using: &rng)).c1.kafka-serverless.\(region).\(suffix)"
            let hasToken = index % 3 != 2
            return PythonReference.Case(
                access: (hasToken ? "ASIA" : "AKIA") + randomString(upper, count: 16, using: &rng),
                secret: randomString(base64, count: 40, using: &rng),
                token: hasToken ? randomString(base64, count: Int.random(in: 100...600, using: &rng), using: &rng) + "==" : nil,
                region: region,
                host: host,
                epoch: Int.random(in: 946_684_800...2_082_758_399, using: &rng),
                userAgent: "swift-kafka-native/0.\(index).\(Int.random(in: 0...99, using: &rng))")
        }
    }

    @Test("OAUTHBEARER tokens and AWS_MSK_IAM signatures match Python exactly")
    func crossCheck() throws {
        let cases = Self.makeCases(count: 24)
        let references = try PythonReference.evaluate(cases)
        try #require(references.count == cases.count)
        for (input, reference) in zip(cases, references) {
            let credentials = AWSCredentials(accessKeyID: input.access, secretAccessKey: input.secret, sessionToken: input.token)
            let clock = SigV4Clock.fixed(Date(timeIntervalSince1970: TimeInterval(input.epoch)))

            let token = try MSKOAuthBearerToken(
                credentials: credentials, region: input.region, userAgent: input.userAgent, clock: clock)
            #expect(token.value == reference.token, "OAUTHBEARER token differs for \(input.host) at \(input.epoch)")
            #expect(token.expirationMilliseconds == reference.expiryMs)

            // Region read from the host (with a port, as brokers are listed), not given.
            let payload = try MSKIAMAuthPayload(
                credentials: credentials, brokerHost: input.host + ":9098", userAgent: input.userAgent, clock: clock)
            #expect(payload.region == input.region)
            var expected = Dictionary(uniqueKeysWithValues: reference.iam.map { ($0.key.lowercased(), $0.value) })
            #expect(expected.removeValue(forKey: "action") == MSKIAMAuthPayload.action)
            let ours = Dictionary(uniqueKeysWithValues: payload.fields.filter { $0.name.hasPrefix("x-amz-") }.map { ($0.name, $0.value) })
            #expect(ours == expected, "AWS_MSK_IAM signing parameters differ for \(input.host) at \(input.epoch)")
        }
    }
}
