import KafkaClient
import KafkaWire

/// A small blocking SASL client for tests: ApiVersions, SaslHandshake, then
/// SaslAuthenticate rounds driven by a mechanism's session, over a
/// `KafkaFrameTransport` (what the real connection does, without its state machine).
final class SASLFrontDriver {
    let transport: KafkaFrameTransport
    let port: Int
    private var nextCorrelationId: Int32 = 1
    /// `session_lifetime_ms` of the last SaslAuthenticate response.
    private(set) var sessionLifetimeMs: Int64 = 0

    init(port: Int) throws {
        self.port = port
        var options = TCPSocketOptions()
        options.connectTimeout = .seconds(5)
        options.readTimeout = .seconds(20)
        transport = try KafkaFrameTransport.connect(host: "127.0.0.1", port: port, options: options)
    }

    deinit { transport.close() }

    func takeCorrelationId() -> Int32 {
        defer { nextCorrelationId += 1 }
        return nextCorrelationId
    }

    func send<Request: KafkaRequest>(_ request: Request, version: Int16) throws -> Int32 {
        let correlationId = takeCorrelationId()
        try transport.sendFrame(try request.encodeFrame(version: version, correlationId: correlationId, clientId: "sasl-tests"))
        return correlationId
    }

    func receive<Response: KafkaResponse>(_: Response.Type, version: Int16, correlationId: Int32) throws -> Response {
        let (header, body) = try Response.decodeFrame(try transport.receiveFrame(), version: version)
        guard header.correlationId == correlationId else {
            throw KafkaWireError(.invalidValue, field: "header.correlationId",
                                 detail: "expected \(correlationId), got \(header.correlationId)")
        }
        return body
    }

    func roundTrip<Request: KafkaRequest>(_ request: Request, version: Int16) throws -> Request.Response {
        try receive(Request.Response.self, version: version, correlationId: try send(request, version: version))
    }

    /// ApiVersions v3: the advertised range of every API.
    func apiVersions() throws -> [Int16: ClosedRange<Int16>] {
        let response = try roundTrip(ApiVersionsRequest(clientSoftwareName: "sasl-tests", clientSoftwareVersion: "1"), version: 3)
        return Dictionary(response.apiKeys.map { ($0.apiKey, $0.minVersion...$0.maxVersion) }, uniquingKeysWith: { a, _ in a })
    }

    /// One full exchange: SaslHandshake v1, then SaslAuthenticate at `version` until the session is done.
    /// Broker refusals come back as `KafkaError(.authenticationFailed)` with the broker's message.
    func authenticate(_ mechanism: some SASLMechanism, version: Int16 = 2) async throws {
        let handshake = try roundTrip(SaslHandshakeRequest(mechanism: mechanism.name), version: 1)
        guard handshake.errorCode == 0 else {
            throw KafkaError(.authenticationFailed, detail: "handshake refused; offered \(handshake.mechanisms)",
                             apiKey: .saslHandshake, brokerErrorCode: KafkaErrorCode(handshake.errorCode))
        }
        var (session, message) = try await mechanism.authenticate(with: SASLBrokerContext(host: "127.0.0.1", port: port))
        while true {
            let response = try roundTrip(SaslAuthenticateRequest(authBytes: message), version: version)
            guard response.errorCode == 0 else {
                throw KafkaError(.authenticationFailed, detail: response.errorMessage ?? "", apiKey: .saslAuthenticate,
                                 brokerErrorCode: KafkaErrorCode(response.errorCode))
            }
            sessionLifetimeMs = response.sessionLifetimeMs
            switch try session.challenge(response.authBytes) {
            case .respond(let next): message = next
            case .done: return
            }
        }
    }

    /// Metadata v12 for all topics: the broker list, answered by the upstream broker.
    func metadata(version: Int16 = 12) throws -> MetadataResponse {
        try roundTrip(MetadataRequest(topics: nil), version: version)
    }
}
