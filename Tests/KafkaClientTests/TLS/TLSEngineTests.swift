import KafkaClient
import KafkaTestSupport
import Testing

/// TLSEngine over real sockets against socat terminating TLS in front of an echo server.
@Suite("TLS engine", .serialized,
       .enabled(if: TLSTestEnvironment.toolsInstalled, "socat and the openssl CLI are needed for TLS tests"))
struct TLSEngineTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates.shared()
    }

    private func trustingTestCA() -> KafkaTLSConfiguration {
        .trusting(caFile: certificates.caCertificate)
    }

    /// Runs one echo round trip of `payload` through a TLS front using `identity`.
    private func roundTrip(_ configuration: KafkaTLSConfiguration, identity: TestCertificates.Identity? = nil,
                           serverName: String = "localhost", payload: [UInt8] = Array("hello over TLS".utf8)) throws
        -> TLSTestClient {
        let upstream = try EchoUpstream()
        let front = try SocatTLSFront(upstreamPort: upstream.port, identity: identity ?? certificates.server)
        defer { front.stop() }
        let client = try TLSTestClient(port: front.port, context: try TLSContext(configuration: configuration),
                                       serverName: serverName)
        try client.sendFrame(payload)
        #expect(try client.receiveFrame() == payload)
        return client
    }

    /// Expects the handshake through a front using `identity` to fail, and returns the error.
    private func handshakeFailure(_ configuration: KafkaTLSConfiguration, identity: TestCertificates.Identity,
                                  options: [String] = [], serverName: String = "localhost") throws -> KafkaError? {
        let front = try SocatTLSFront(upstreamPort: 9, identity: identity, options: options)
        defer { front.stop() }
        let context = try TLSContext(configuration: configuration)
        let error = #expect(throws: KafkaError.self) {
            _ = try TLSTestClient(port: front.port, context: context, serverName: serverName)
        }
        #expect(error?.code == .tlsFailed)
        return error
    }

    @Test("handshake and round trip, verified against the test CA; session details for logs")
    func verifiedRoundTrip() throws {
        let client = try roundTrip(trustingTestCA())
        #expect(client.engine.isHandshakeComplete)
        #expect(client.engine.negotiatedVersion == "TLSv1.3")
        #expect(client.engine.cipherName?.hasPrefix("TLS_") == true)
        #expect(client.engine.peerCertificateSubject == "/CN=localhost")
    }

    @Test("an IP literal is verified against the IP SAN; CAs given as in-memory PEM")
    func ipLiteralAndInMemoryCA() throws {
        var configuration = KafkaTLSConfiguration()
        configuration.trustRoots = .pem(try certificates.contents(of: certificates.caCertificate))
        _ = try roundTrip(configuration, serverName: "127.0.0.1")
    }

    @Test("the system store does not trust the test CA: a clear verification error")
    func systemStoreRejects() throws {
        let error = try handshakeFailure(.default, identity: certificates.server)
        #expect(error?.detail.contains("unable to get local issuer certificate") == true, "\(String(describing: error))")
        #expect(error?.underlying?.contains("certificate verify failed") == true, "\(String(describing: error))")
    }

    @Test("a server signed by an unrelated CA fails verification")
    func wrongCARejects() throws {
        let error = try handshakeFailure(trustingTestCA(), identity: certificates.wrongCAServer)
        #expect(error?.detail.contains("unable to get local issuer certificate") == true, "\(String(describing: error))")
    }

    @Test("a certificate for another host fails with a hostname mismatch")
    func wrongHostRejects() throws {
        let error = try handshakeFailure(trustingTestCA(), identity: certificates.wrongHostServer)
        #expect(error?.detail.lowercased().contains("hostname mismatch") == true, "\(String(describing: error))")
    }

    @Test("an IP literal not in the certificate fails with an IP address mismatch")
    func wrongIPRejects() throws {
        let error = try handshakeFailure(trustingTestCA(), identity: certificates.wrongHostServer, serverName: "127.0.0.1")
        #expect(error?.detail.contains("IP address mismatch") == true, "\(String(describing: error))")
    }

    @Test("noHostnameVerification accepts a certificate for another host but still checks the chain")
    func noHostnameVerification() throws {
        var configuration = trustingTestCA()
        configuration.certificateVerification = .noHostnameVerification
        _ = try roundTrip(configuration, identity: certificates.wrongHostServer)
        let error = try handshakeFailure(configuration, identity: certificates.wrongCAServer)
        #expect(error?.detail.contains("unable to get local issuer certificate") == true, "\(String(describing: error))")
    }

    @Test("serverNameOverride is the name checked against the certificate")
    func serverNameOverride() throws {
        var configuration = trustingTestCA()
        configuration.serverNameOverride = "wrong.example.com"
        _ = try roundTrip(configuration, identity: certificates.wrongHostServer)
    }

    @Test("noVerification connects to a server whose CA is not trusted")
    func noVerification() throws {
        var configuration = trustingTestCA()
        configuration.certificateVerification = .noVerification
        _ = try roundTrip(configuration, identity: certificates.wrongCAServer)
    }

    @Test("TLS 1.3 only fails against a server capped at TLS 1.2; the default range negotiates 1.2")
    func versionRange() throws {
        var tls13Only = trustingTestCA()
        tls13Only.minimumVersion = .tls13
        let capped = ["openssl-max-proto-version=TLS1.2"]
        let error = try handshakeFailure(tls13Only, identity: certificates.server, options: capped)
        #expect(error?.underlying?.contains("protocol version") == true, "\(String(describing: error))")

        let upstream = try EchoUpstream()
        let front = try SocatTLSFront(upstreamPort: upstream.port, identity: certificates.server, options: capped)
        defer { front.stop() }
        let client = try TLSTestClient(port: front.port, context: try TLSContext(configuration: trustingTestCA()))
        #expect(client.engine.negotiatedVersion == "TLSv1.2")
        try client.sendFrame([1, 2, 3])
        #expect(try client.receiveFrame() == [1, 2, 3])
    }

    @Test("a 1 MiB payload round-trips")
    func largePayload() throws {
        var random = SeededRandom(seed: 42)
        let payload = random.bytes(count: 1 << 20)
        _ = try roundTrip(trustingTestCA(), payload: payload)
    }

    @Test("the peer's close_notify surfaces as connectionClosed")
    func closeNotify() throws {
        let upstream = try EchoUpstream()
        let front = try SocatTLSFront(upstreamPort: upstream.port, identity: certificates.server)
        defer { front.stop() }
        let client = try TLSTestClient(port: front.port, context: try TLSContext(configuration: trustingTestCA()))
        try client.sendFrame([7])
        #expect(try client.receiveFrame() == [7])
        // The upstream closes after one frame; socat then ends the TLS session properly.
        let error = #expect(throws: KafkaError.self) {
            while true { try client.receivePlaintext() }
        }
        #expect(error?.code == .connectionClosed, "\(String(describing: error))")
    }
}
