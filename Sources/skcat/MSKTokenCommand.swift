import ArgumentParser
import Foundation
import MSKAuth

/// `skcat msk-token --region R [--host H] [--time T]`: signs with the default
/// AWS credential chain and prints, one per line, the AWS_MSK_IAM payload
/// (JSON), the MSK OAUTHBEARER token, and the URL the token encodes, so other
/// implementations can be checked against the same credentials and time.
struct MSKTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skcat msk-token",
        abstract: "Print an AWS_MSK_IAM payload and an MSK OAUTHBEARER token from the default credential chain.")

    @Option(help: "The cluster's AWS region, e.g. us-east-1.")
    var region: String

    @Option(help: "The broker host the AWS_MSK_IAM payload is signed for (default: kafka.REGION.amazonaws.com).")
    var host: String?

    @Option(help: "The signing time: seconds since the epoch or ISO 8601 (default: now).")
    var time: String?

    @Option(help: "The user agent put in both.")
    var userAgent: String = MSKOAuthBearerToken.defaultUserAgent

    func run() async throws {
        let clock: SigV4Clock
        if let time {
            guard let date = Self.parseTime(time) else { throw ValidationError("--time needs epoch seconds or ISO 8601, not \"\(time)\"") }
            clock = .fixed(date)
        } else {
            clock = .system
        }
        let credentials: AWSCredentials
        do {
            credentials = try await DefaultAWSCredentialsProvider().credentials()
        } catch {
            throw SkcatFailure.runtime("no AWS credentials from the default chain: \(error)")
        }
        let payload: MSKIAMAuthPayload
        let token: MSKOAuthBearerToken
        do throws(MSKAuthError) {
            payload = try MSKIAMAuthPayload(credentials: credentials, brokerHost: host ?? "kafka.\(region).amazonaws.com",
                                            region: region, userAgent: userAgent, clock: clock)
            token = try MSKOAuthBearerToken(credentials: credentials, region: region, userAgent: userAgent, clock: clock)
        } catch {
            throw SkcatFailure.runtime("cannot sign: \(error.detail)")
        }
        let out = OutputStream(descriptor: 1)
        out.write(payload.bytes)
        out.write("\n\(token.value)\n\(token.signedURL)\n")
        out.flush()
    }

    static func parseTime(_ text: String) -> Date? {
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)
    }
}
