import KafkaClient
import KafkaTestSupport
import Testing

/// Mutual TLS against socat requiring client certificates, and configuration errors
/// reported by `TLSContext`.
@Suite("TLS mutual auth and configuration", .serialized,
       .enabled(if: TLSTestEnvironment.toolsInstalled, "socat and the openssl CLI are needed for TLS tests"))
struct TLSMutualAndConfigurationTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates.shared()
    }

    private func mutualFront(upstreamPort: Int) throws -> SocatTLSFront {
        try SocatTLSFront(upstreamPort: upstreamPort, identity: certificates.server, clientCA: certificates.caCertificate)
    }

    @Test("a server requiring client certificates rejects a client without one")
    func mutualRejectsAnonymousClient() throws {
        let upstream = try EchoUpstream()
        let front = try mutualFront(upstreamPort: upstream.port)
        defer { front.stop() }
        let context = try TLSContext(configuration: .trusting(caFile: certificates.caCertificate))
        // In TLS 1.3 the client finishes its side first, so the server's refusal
        // (an alert, then EOF) may arrive during the handshake or at the first read.
        var failure: (any Error)?
        do {
            let client = try TLSTestClient(port: front.port, context: context)
            try client.sendFrame([1])
            _ = try client.receiveFrame()
        } catch {
            failure = error
        }
        let error = try #require(failure, "the server accepted a client without a certificate")
        if let kafkaError = error as? KafkaError {
            #expect(kafkaError.code == .tlsFailed, "\(kafkaError)")
            #expect(kafkaError.underlying?.contains("certificate required") == true, "\(kafkaError)")
        } else {
            #expect(error is TransportError, "\(error)")
        }
    }

    @Test("mutual TLS with a client certificate and an encrypted key, from files and from memory",
          arguments: [false, true])
    func mutualAcceptsClientCertificate(inMemory: Bool) throws {
        let upstream = try EchoUpstream()
        let front = try mutualFront(upstreamPort: upstream.port)
        defer { front.stop() }
        let chain: KafkaTLSConfiguration.PEMSource = inMemory
            ? .pem(try certificates.contents(of: certificates.client.certificate)) : .file(certificates.client.certificate)
        let key: KafkaTLSConfiguration.PEMSource = inMemory
            ? .pem(try certificates.contents(of: certificates.encryptedClientKey)) : .file(certificates.encryptedClientKey)
        let configuration = KafkaTLSConfiguration.mutual(certificateChain: chain, privateKey: key,
                                                    password: certificates.clientKeyPassword,
                                                    trustRoots: .pemFile(certificates.caCertificate))
        let client = try TLSTestClient(port: front.port, context: try TLSContext(configuration: configuration))
        try client.sendFrame(Array("mutual".utf8))
        #expect(try client.receiveFrame() == Array("mutual".utf8))
    }

    @Test("a wrong or missing key password is an invalid configuration", arguments: ["not the password", nil])
    func wrongKeyPassword(password: String?) throws {
        let configuration = KafkaTLSConfiguration.mutual(certificateChain: .file(certificates.client.certificate),
                                                    privateKey: .file(certificates.encryptedClientKey),
                                                    password: password)
        let error = #expect(throws: KafkaError.self) { _ = try TLSContext(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.detail.contains(certificates.encryptedClientKey) == true, "\(String(describing: error))")
        #expect(error?.underlying != nil)
    }

    @Test("a missing CA file is an invalid configuration naming the path")
    func missingCAFile() throws {
        let path = "\(certificates.directory)/no-such-ca.pem"
        let error = #expect(throws: KafkaError.self) {
            _ = try TLSContext(configuration: .trusting(caFile: path))
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.detail.contains(path) == true, "\(String(describing: error))")
        #expect(error?.underlying == "No such file or directory")
    }

    @Test("a key that does not match the certificate is an invalid configuration")
    func mismatchedKey() throws {
        let configuration = KafkaTLSConfiguration.mutual(certificateChain: .file(certificates.client.certificate),
                                                    privateKey: .file(certificates.server.key))
        let error = #expect(throws: KafkaError.self) { _ = try TLSContext(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration, "\(String(describing: error))")
    }

    @Test("invalid settings are rejected up front")
    func invalidSettings() throws {
        var inverted = KafkaTLSConfiguration()
        inverted.minimumVersion = .tls13
        inverted.maximumVersion = .tls12
        var badCiphers = KafkaTLSConfiguration()
        badCiphers.cipherSuites = "NOT-A-CIPHER"
        var certificateOnly = KafkaTLSConfiguration()
        certificateOnly.certificateChain = .file(certificates.client.certificate)
        var notPEM = KafkaTLSConfiguration()
        notPEM.trustRoots = .pem("not a certificate")
        for configuration in [inverted, badCiphers, certificateOnly, notPEM] {
            let error = #expect(throws: KafkaError.self) { _ = try TLSContext(configuration: configuration) }
            #expect(error?.code == .invalidConfiguration, "\(String(describing: error))")
        }
    }
}

@Suite("TLS configuration description")
struct TLSConfigurationDescriptionTests {
    @Test("the description hides the key password and in-memory PEM")
    func hidesSecrets() {
        let configuration = KafkaTLSConfiguration.mutual(certificateChain: .pem("-----BEGIN CERTIFICATE-----"),
                                                    privateKey: .pem("-----BEGIN PRIVATE KEY-----secret"),
                                                    password: "hunter2")
        let text = "\(configuration)"
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("secret"))
        #expect(text.contains("privateKeyPassword: <hidden>"))
    }
}
