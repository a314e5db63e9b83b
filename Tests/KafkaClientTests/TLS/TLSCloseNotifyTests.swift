import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// A broker that answers and then closes its TLS session: the answer, decrypted in
/// the same read as the close_notify behind it, is delivered before the close.
@Suite("TLS close_notify after the last response",
       .enabled(if: TLSTestEnvironment.toolsInstalled, "socat and the openssl CLI are needed for TLS tests"))
struct TLSCloseNotifyTests {
    /// Answers ApiVersions, then the next request with `answer`, then closes (socat
    /// then sends close_notify).
    static func upstream(answer: @escaping @Sendable (_ version: Int16, _ correlationId: Int32) throws -> [UInt8]) throws -> LocalTCPListener {
        let listener = try LocalTCPListener()
        listener.serveOnce { connection in
            let (hello, _) = try ApiVersionsRequest.decodeFrame(try connection.readFrame())
            var versions = ApiVersionsResponse()
            versions.apiKeys = [.init(apiKey: ApiKey.apiVersions.rawValue, minVersion: 0, maxVersion: 3),
                                .init(apiKey: ApiKey.metadata.rawValue, minVersion: 0, maxVersion: 12)]
            let version = min(hello.requestApiVersion, 3)
            try connection.writeFrame(try versions.encodeFrame(version: version, correlationId: hello.correlationId))
            let (request, _) = try MetadataRequest.decodeFrame(try connection.readFrame())
            try connection.writeFrame(try answer(request.requestApiVersion, request.correlationId))
        }
        return listener
    }

    @Test("the response written just before close_notify reaches the caller")
    func responseBeforeCloseNotify() async throws {
        let certificates = try TestCertificates.shared()
        let upstream = try Self.upstream { version, correlationId in
            var response = MetadataResponse()
            response.clusterId = "closing"
            return try response.encodeFrame(version: version, correlationId: correlationId)
        }
        let front = try SocatTLSFront(upstreamPort: upstream.port, identity: certificates.server)
        defer { front.stop() }
        let proxy = try CoalescingProxy(upstreamPort: front.port)
        var configuration = BrokerConnection.Configuration()
        configuration.tls = .trusting(caFile: certificates.caCertificate)
        let connection = try BrokerConnection(host: "127.0.0.1", port: proxy.port, configuration: configuration)
        var request = MetadataRequest()
        request.topics = []
        let response = try await connection.send(request, versionCeiling: 12)
        #expect(response.clusterId == "closing")
        await connection.close()
    }
}
