import Foundation
import KafkaClient
import KafkaWire

/// The `AWS_MSK_IAM` SASL mechanism of Amazon MSK (the aws-msk-iam-auth protocol):
/// one client message, the SigV4-signed `MSKIAMAuthPayload` for the broker's
/// host, answered by the broker's JSON (`MSKIAMAuthResponse`).
///
/// Each authentication, including every KIP-368 re-authentication, asks the
/// provider for credentials and signs afresh.
///
///     let mechanism: some SASLMechanism = .awsMSKIAM(region: "eu-west-1")
public struct MSKIAMMechanism: SASLMechanism, CustomStringConvertible {
    /// The region signed for; nil to read it from each broker's host name
    /// (`b-1.x.y.kafka.<region>.amazonaws.com`).
    public let region: String?
    /// Where credentials come from at every authentication.
    public let credentialsProvider: any AWSCredentialsProvider
    /// The `user-agent` field of the payload (informational for the broker).
    public let userAgent: String
    /// The signing time source.
    public let clock: SigV4Clock

    /// - Parameters:
    ///   - region: the cluster's region; nil to derive it from the broker host.
    ///   - credentialsProvider: the default chain unless given (share one
    ///     instance between mechanisms so they share its cache).
    ///   - userAgent: sent in the payload.
    ///   - clock: the signing time (a fixed one for reproducible payloads).
    public init(region: String? = nil,
                credentialsProvider: any AWSCredentialsProvider = DefaultAWSCredentialsProvider(),
                userAgent: String = MSKOAuthBearerToken.defaultUserAgent, clock: SigV4Clock = .system) {
        self.region = region
        self.credentialsProvider = credentialsProvider
        self.userAgent = userAgent
        self.clock = clock
    }

    public var name: String { "AWS_MSK_IAM" }

    public var description: String {
        "MSKIAMMechanism(region: \(region ?? "from broker host"))"
    }

    public func authenticate(with broker: SASLBrokerContext) async throws -> (session: any SASLSession, initialResponse: [UInt8]) {
        let payload = try await payload(for: broker)
        return (MSKIAMSession(), payload.bytes)
    }

    /// The signed payload for `broker`, as ``authenticate(with:)`` sends it (for tools and tests).
    package func payload(for broker: SASLBrokerContext) async throws -> MSKIAMAuthPayload {
        let credentials = try await MSKCredentials.fetch(from: credentialsProvider, mechanism: name)
        do {
            return try MSKIAMAuthPayload(credentials: credentials, brokerHost: broker.host, region: region,
                                         userAgent: userAgent, clock: clock)
        } catch {
            throw MSKCredentials.failure(name, "cannot sign for broker \(broker.host): \(error.detail)")
        }
    }
}

/// The broker answers a valid signature with `{"version":"2020_10_22","request-id":"..."}`.
struct MSKIAMSession: SASLSession {
    private(set) var response: MSKIAMAuthResponse?
    private var finished = false

    mutating func challenge(_ serverMessage: [UInt8]) throws -> SASLStep {
        guard !finished else { throw MSKCredentials.failure("AWS_MSK_IAM", "the broker sent a message after the exchange ended") }
        finished = true
        do {
            response = try MSKIAMAuthResponse(parsing: serverMessage)
            return .done
        } catch {
            let text = String(decoding: serverMessage.prefix(300), as: UTF8.self)
                .unicodeScalars.map { $0.value < 0x20 ? "?" : String($0) }.joined()
            throw MSKCredentials.failure("AWS_MSK_IAM", "\(error.detail): the broker replied \"\(text)\"")
        }
    }
}

extension SASLMechanism where Self == MSKIAMMechanism {
    /// `AWS_MSK_IAM` with credentials from `credentialsProvider` (the default chain unless given).
    public static func awsMSKIAM(region: String? = nil,
                                 credentialsProvider: any AWSCredentialsProvider = DefaultAWSCredentialsProvider()) -> MSKIAMMechanism {
        MSKIAMMechanism(region: region, credentialsProvider: credentialsProvider)
    }
}

/// Credentials for a mechanism, with failures as SASL errors.
enum MSKCredentials {
    static func fetch(from provider: any AWSCredentialsProvider, mechanism: String) async throws -> AWSCredentials {
        let credentials: AWSCredentials
        do {
            credentials = try await provider.credentials()
        } catch let error as KafkaError {
            throw error
        } catch {
            // Provider errors name what is missing and never carry secrets.
            throw failure(mechanism, "cannot get AWS credentials: \(error)")
        }
        if let expiration = credentials.expiration, expiration <= .now {
            throw failure(mechanism, "the AWS credentials of \(credentials.accessKeyID) expired at \(expiration)")
        }
        return credentials
    }

    static func failure(_ mechanism: String, _ detail: String) -> KafkaError {
        KafkaError(.authenticationFailed, detail: "\(mechanism): \(detail)", apiKey: .saslAuthenticate)
    }
}
