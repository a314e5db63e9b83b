import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// A Kafka request through TLS: socat terminates TLS in front of the test broker.
@Suite("TLS to the test broker",
       .enabled(if: TLSTestEnvironment.toolsInstalled, "socat and the openssl CLI are needed for TLS tests"))
struct TLSBrokerTests {
    @Test("ApiVersions over TLS returns the broker's API table")
    func apiVersionsOverTLS() throws {
        let certificates = try TestCertificates.shared()
        let broker = try TestBroker.bootstrap()
        let front = try SocatTLSFront(upstreamHost: broker.host, upstreamPort: broker.port, identity: certificates.server)
        defer { front.stop() }
        let context = try TLSContext(configuration: .trusting(caFile: certificates.caCertificate))
        let client = try TLSTestClient(port: front.port, context: context)

        var request = ApiVersionsRequest()
        request.clientSoftwareName = "swift-kafka-native-tests"
        request.clientSoftwareVersion = "0.0.1"
        try client.sendFrame(try request.encodeFrame(version: 3, correlationId: 41, clientId: "tls-test"))
        let (header, response) = try ApiVersionsResponse.decodeFrame(try client.receiveFrame(), version: 3)
        #expect(header.correlationId == 41)
        #expect(response.errorCode == 0)
        #expect(response.apiKeys.contains { $0.apiKey == ApiVersionsRequest.apiKey.rawValue })
        try client.shutdown()
    }
}
