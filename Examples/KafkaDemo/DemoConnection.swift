import KafkaClient
import KafkaWire

/// One broker connection for the demo: it negotiates versions with ApiVersions
/// and then sends typed requests one at a time.
///
/// The real client (pipelining, TLS, SASL, metadata-driven routing) lives in
/// `KafkaClient`; this shows what the protocol layer alone gives you.
struct DemoConnection {
    let transport: KafkaFrameTransport
    let clientId = "kafka-demo"
    private var nextCorrelationId: Int32 = 1
    /// The broker's supported version range per API key.
    private(set) var brokerVersions: [ApiKey: ClosedRange<Int16>] = [:]

    init(host: String, port: Int) throws {
        transport = try KafkaFrameTransport.connect(host: host, port: port)
        try negotiate()
    }

    /// Asks the broker which versions it supports, falling back to ApiVersions v0
    /// when it rejects our newer version (as the protocol guide prescribes).
    private mutating func negotiate() throws {
        var request = ApiVersionsRequest()
        request.clientSoftwareName = "swift-kafka-native"
        request.clientSoftwareVersion = "0.1.0"
        var response = try send(request, version: 3)
        if KafkaErrorCode(response.errorCode) == .unsupportedVersion {
            response = try send(request, version: 0)
        }
        guard response.errorCode == 0 else { throw DemoError("ApiVersions failed: \(KafkaErrorCode(response.errorCode))") }
        for api in response.apiKeys {
            brokerVersions[ApiKey(rawValue: api.apiKey)] = api.minVersion...api.maxVersion
        }
    }

    /// The highest version both sides support, capped at `ceiling` when given.
    func version<R: KafkaRequest>(for _: R.Type, ceiling: Int16? = nil) throws -> Int16 {
        guard let broker = brokerVersions[R.apiKey] else { throw DemoError("broker does not support \(R.apiKey)") }
        var best = min(broker.upperBound, R.validVersions.upperBound)
        if let ceiling { best = min(best, ceiling) }
        guard best >= max(broker.lowerBound, R.validVersions.lowerBound) else {
            throw DemoError("no common version for \(R.apiKey)")
        }
        return best
    }

    /// Sends `request` at the negotiated version (or `version`) and decodes the matching response.
    mutating func send<R: KafkaRequest>(_ request: R, version: Int16? = nil, ceiling: Int16? = nil) throws -> R.Response {
        let chosen = try version ?? self.version(for: R.self, ceiling: ceiling)
        let correlationId = nextCorrelationId
        nextCorrelationId += 1
        try transport.sendFrame(request.encodeFrame(version: chosen, correlationId: correlationId, clientId: clientId))
        let (header, body) = try R.Response.decodeFrame(transport.receiveFrame(), version: chosen)
        guard header.correlationId == correlationId else {
            throw DemoError("response correlation id \(header.correlationId), expected \(correlationId)")
        }
        return body
    }
}

struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
