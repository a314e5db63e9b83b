import KafkaWire
@testable import KafkaClient

/// Builders shared by the connection tests: broker responses as real frames and
/// a machine driven to `.ready` without sockets.
enum ConnectionFixtures {
    static let start = ContinuousClock.now

    /// The ranges a recent broker advertises for the APIs these tests use.
    static let brokerRanges: [ApiKey: ClosedRange<Int16>] = [
        .apiVersions: 0...4, .produce: 3...11, .fetch: 4...16, .metadata: 0...12,
        .saslHandshake: 0...1, .saslAuthenticate: 0...2,
    ]

    static func apiVersionsResponse(_ ranges: [ApiKey: ClosedRange<Int16>], errorCode: KafkaErrorCode = KafkaErrorCode(0)) -> ApiVersionsResponse {
        var response = ApiVersionsResponse()
        response.errorCode = errorCode.rawValue
        response.apiKeys = ranges.sorted { $0.key < $1.key }.map { key, range in
            var entry = ApiVersionsResponse.ApiVersion()
            entry.apiKey = key.rawValue
            entry.minVersion = range.lowerBound
            entry.maxVersion = range.upperBound
            return entry
        }
        return response
    }

    /// A Metadata response frame standing in for any user response.
    static func metadataFrame(correlationId: Int32, version: Int16) throws -> [UInt8] {
        try MetadataResponse().encodeFrame(version: version, correlationId: correlationId)
    }

    /// A machine that has connected and negotiated (no SASL).
    static func readyMachine(maxInFlight: Int = 5, ranges: [ApiKey: ClosedRange<Int16>] = brokerRanges) throws -> ConnectionStateMachine {
        var machine = ConnectionStateMachine(configuration: .init(brokerId: 1, address: "broker-1:9092", maxInFlight: maxInFlight))
        _ = machine.start()
        let actions = machine.connected(now: start)
        guard case .sendApiVersions(let version, let id)? = actions.first else { throw FixtureError("no ApiVersions sent") }
        let frame = try apiVersionsResponse(ranges).encodeFrame(version: version, correlationId: id)
        _ = machine.frameReceived(frame, now: start)
        guard machine.isReady else { throw FixtureError("machine not ready") }
        return machine
    }

    static func metadataRequest(_ token: UInt64, timeout: Duration = .seconds(30)) -> ConnectionStateMachine.Request {
        .init(MetadataRequest.self, token: token, timeout: timeout)
    }
}

struct FixtureError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Pattern-matching accessors so tests can pick actions out of a list.
extension [ConnectionStateMachine.Action] {
    var sends: [(token: UInt64, correlationId: Int32, version: Int16)] {
        compactMap { if case .send(let token, let id, let version) = $0 { (token, id, version) } else { nil } }
    }

    var delivered: [UInt64] {
        compactMap { if case .deliver(let token, _, _) = $0 { token } else { nil } }
    }

    var failures: [(token: UInt64, error: KafkaError)] {
        compactMap { if case .fail(let token, let error) = $0 { (token, error) } else { nil } }
    }

    var closeError: KafkaError?? {
        for case .closeConnection(let error) in self { return .some(error) }
        return .none
    }
}
