import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// The SASL mechanisms in a real exchange with `sasl_front.py` (scramp on the
/// server side), then a Metadata request forwarded to the test broker.
@Suite("SASL through the test front", .enabled(if: SASLFront.isAvailable, "python3 with scramp is not installed"))
struct SASLFrontTests {
    static let users = ["alice": "alice-secret", "bob": "b0b,p=ss"]
    static let token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9."

    /// A started front; stopped by the caller.
    static func startFront(sessionLifetimeMs: Int64? = nil) throws -> SASLFront {
        let front = SASLFront()
        try front.start(users: users, token: token, sessionLifetimeMs: sessionLifetimeMs)
        return front
    }

    /// Authenticates with `mechanism`, then checks a Metadata request reaches the broker.
    static func expectAuthenticated(_ mechanism: some SASLMechanism, version: Int16 = 2,
                                    sessionLifetimeMs: Int64? = nil) async throws -> (SASLFront, SASLFrontDriver) {
        let front = try startFront(sessionLifetimeMs: sessionLifetimeMs)
        let driver = try SASLFrontDriver(port: try #require(front.port))
        let apis = try driver.apiVersions()
        #expect(apis[17] == 0...1 && apis[36] == 0...2, "SaslHandshake and SaslAuthenticate must be advertised")
        try await driver.authenticate(mechanism, version: version)
        let metadata = try driver.metadata()
        #expect(!metadata.brokers.isEmpty)
        #expect(metadata.brokers.allSatisfy { $0.port == Int32(driver.port) }, "the front names itself as the broker")
        return (front, driver)
    }

    /// Authentication must fail with the broker's SASL_AUTHENTICATION_FAILED (or `detail`), and the front then closes.
    static func expectRejected(_ mechanism: some SASLMechanism, detail: String, version: Int16 = 2,
                               sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let front = try startFront()
        defer { front.stop() }
        let driver = try SASLFrontDriver(port: try #require(front.port))
        do {
            try await driver.authenticate(mechanism, version: version)
            Issue.record("authentication succeeded", sourceLocation: sourceLocation)
        } catch let error as KafkaError {
            #expect(error.code == .authenticationFailed, sourceLocation: sourceLocation)
            #expect(error.description.contains(detail), "\(error)", sourceLocation: sourceLocation)
            for secret in users.values { #expect(!error.description.contains(secret), sourceLocation: sourceLocation) }
        }
        #expect(throws: (any Error).self, "the front closes after a failed authentication", sourceLocation: sourceLocation) {
            _ = try driver.metadata()
        }
        #expect(front.logLines().contains { $0.hasPrefix("auth failed ") }, sourceLocation: sourceLocation)
    }

    @Test("SCRAM-SHA-256 and SCRAM-SHA-512 with the right password, SaslAuthenticate v0, v1 and v2",
          arguments: [(SCRAMMechanism.Algorithm.sha256, Int16(2)), (.sha512, 1), (.sha512, 0), (.sha256, 1)])
    func scram(algorithm: SCRAMMechanism.Algorithm, version: Int16) async throws {
        let (front, _) = try await Self.expectAuthenticated(
            SCRAMMechanism(algorithm, username: "bob", password: Self.users["bob"]!), version: version)
        defer { front.stop() }
        #expect(front.authenticationCount(user: "bob") == 1)
    }

    @Test("SCRAM with a wrong password: SASL_AUTHENTICATION_FAILED, then the connection closes",
          arguments: [SCRAMMechanism.Algorithm.sha256, .sha512])
    func scramWrongPassword(algorithm: SCRAMMechanism.Algorithm) async throws {
        try await Self.expectRejected(SCRAMMechanism(algorithm, username: "alice", password: "not-it"),
                                      detail: "SASL_AUTHENTICATION_FAILED")
        try await Self.expectRejected(SCRAMMechanism(algorithm, username: "mallory", password: "x"),
                                      detail: "invalid credentials")
    }

    @Test("PLAIN with right and wrong passwords")
    func plain() async throws {
        let (front, _) = try await Self.expectAuthenticated(.plain(username: "alice", password: Self.users["alice"]!),
                                                            version: 1)
        defer { front.stop() }
        #expect(front.authenticationCount(user: "alice") == 1)
        try await Self.expectRejected(.plain(username: "alice", password: "wrong"), detail: "SASL_AUTHENTICATION_FAILED")
    }

    @Test("OAUTHBEARER: the right token with extensions; a wrong token gets the error JSON, 0x01, then failure")
    func oauthBearer() async throws {
        let token = OAuthBearerToken(value: Self.token, lifetime: .seconds(300), extensions: ["traceId": "t-1"])
        let (front, _) = try await Self.expectAuthenticated(OAuthBearerMechanism { token })
        defer { front.stop() }
        #expect(front.authenticationCount(user: "token traceId=t-1") == 1)
        try await Self.expectRejected(OAuthBearerMechanism { OAuthBearerToken(value: "wrong-token") }, detail: "invalid_token")
    }

    @Test("a mechanism the broker does not offer is refused in the handshake")
    func unsupportedMechanism() async throws {
        let front = SASLFront()
        try front.start(users: Self.users, mechanisms: ["SCRAM-SHA-512"])
        defer { front.stop() }
        let driver = try SASLFrontDriver(port: try #require(front.port))
        let error = await #expect(throws: KafkaError.self) {
            try await driver.authenticate(.scramSHA256(username: "alice", password: Self.users["alice"]!))
        }
        #expect(error?.brokerErrorCode == .unsupportedSaslMechanism)
    }

    @Test("requests before authentication close the connection, like Kafka")
    func unauthenticatedRequest() throws {
        let front = try Self.startFront()
        defer { front.stop() }
        let driver = try SASLFrontDriver(port: try #require(front.port))
        #expect(throws: (any Error).self) { _ = try driver.metadata() }
    }

    @Test("re-authentication (KIP-368) on the same connection, with responses kept in request order")
    func reauthentication() async throws {
        let alice = SCRAMMechanism(.sha512, username: "alice", password: Self.users["alice"]!)
        let (front, driver) = try await Self.expectAuthenticated(alice, sessionLifetimeMs: 60_000)
        defer { front.stop() }
        #expect(driver.sessionLifetimeMs == 60_000)

        // A Metadata request is in flight when the re-authentication handshake goes out:
        // the forwarded answer must still come first.
        let metadataId = try driver.send(MetadataRequest(topics: nil), version: 12)
        let handshakeId = try driver.send(SaslHandshakeRequest(mechanism: alice.name), version: 1)
        _ = try driver.receive(MetadataResponse.self, version: 12, correlationId: metadataId)
        #expect(try driver.receive(SaslHandshakeResponse.self, version: 1, correlationId: handshakeId).errorCode == 0)
        var (session, message) = try await alice.authenticate(with: SASLBrokerContext(host: "127.0.0.1", port: driver.port))
        while true {
            let response = try driver.roundTrip(SaslAuthenticateRequest(authBytes: message), version: 2)
            try #require(response.errorCode == 0, "\(response.errorMessage ?? "")")
            guard case .respond(let next) = try session.challenge(response.authBytes) else { break }
            message = next
        }
        _ = try driver.metadata()
        #expect(front.logLines().contains { $0.contains("user=alice count=2") })

        // A full re-authentication through the driver, then the session still works.
        try await driver.authenticate(alice)
        #expect(front.authenticationCount(user: "alice") == 3)
        _ = try driver.metadata()
    }

    @Test("after session_lifetime_ms without re-authentication the front closes the connection (KIP-368)")
    func sessionExpiry() async throws {
        let (front, driver) = try await Self.expectAuthenticated(.plain(username: "alice", password: Self.users["alice"]!),
                                                                 sessionLifetimeMs: 300)
        defer { front.stop() }
        #expect(driver.sessionLifetimeMs == 300)
        try await Task.sleep(for: .milliseconds(500))
        #expect(throws: (any Error).self) { _ = try driver.metadata() }
        #expect(front.logLines().contains { $0.contains("session expired") })
    }

    @Test("ApiVersions v0 through the front lists the SASL APIs too")
    func apiVersionsV0() throws {
        let front = try Self.startFront()
        defer { front.stop() }
        let driver = try SASLFrontDriver(port: try #require(front.port))
        let response = try driver.roundTrip(ApiVersionsRequest(), version: 0)
        let keys = Dictionary(response.apiKeys.map { ($0.apiKey, $0.minVersion...$0.maxVersion) }, uniquingKeysWith: { a, _ in a })
        #expect(keys[17] == 0...1 && keys[36] == 0...2 && keys[3] != nil)
    }

    @Test("FindCoordinator answers name the front too", arguments: [Int16(0), 2, 3, 4])
    func findCoordinator(version: Int16) async throws {
        let (front, driver) = try await Self.expectAuthenticated(.plain(username: "alice", password: Self.users["alice"]!))
        defer { front.stop() }
        let group = TestBroker.uniqueTopicName("sasl-group")
        let request = version >= 4 ? FindCoordinatorRequest(keyType: 0, coordinatorKeys: [group]) : FindCoordinatorRequest(key: group)
        let response = try driver.roundTrip(request, version: version)
        let ports = version >= 4 ? response.coordinators.map(\.port) : [response.port]
        #expect(ports == [Int32(driver.port)], "\(response)")
    }

    @Test("re-authenticating as another user is refused")
    func reauthenticationAsAnotherUser() async throws {
        let (front, driver) = try await Self.expectAuthenticated(.scramSHA256(username: "alice", password: Self.users["alice"]!))
        defer { front.stop() }
        let error = await #expect(throws: KafkaError.self) {
            try await driver.authenticate(.scramSHA256(username: "bob", password: Self.users["bob"]!))
        }
        #expect(error?.detail.contains("Cannot change principals") == true)
    }

    @Test("skcat with a wrong SCRAM password: exit 1, one error line naming the authentication failure, no secret")
    func skcatAuthenticationFailure() async throws {
        let front = try Self.startFront()
        defer { front.stop() }
        let port = try #require(front.port)
        let result = try await SkcatRunner.run([
            "-L", "-b", "127.0.0.1:\(port)", "-X", "security.protocol=sasl_plaintext", "-X", "sasl.mechanism=SCRAM-SHA-256",
            "-X", "sasl.username=alice", "-X", "sasl.password=not-the-secret",
        ])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("% ERROR: ") == true && result.stderr.lowercased().contains("authentication"), "\(result.stderr)")
        #expect(!result.stderr.contains("not-the-secret"))
    }
}
