import KafkaWire
import Testing
import KafkaTestSupport
@testable import KafkaClient

@Suite("Connection: negotiation fallback, SASL and re-authentication")
struct ConnectionNegotiationSASLTests {
    typealias F = ConnectionFixtures
    typealias Machine = ConnectionStateMachine

    @Test("a v0 UNSUPPORTED_VERSION answer with a KIP-511 range retries at that range's top")
    func apiVersionsFallback() throws {
        var machine = Machine(configuration: .init())
        _ = machine.start()
        #expect(machine.connected(now: F.start) == [.sendApiVersions(version: 4, correlationId: 0)])
        // Brokers answer an unknown ApiVersions version in v0 format.
        let rejection = try F.apiVersionsResponse([.apiVersions: 0...2], errorCode: .unsupportedVersion)
            .encodeFrame(version: 0, correlationId: 0)
        #expect(machine.frameReceived(rejection, now: F.start) == [.sendApiVersions(version: 2, correlationId: 1)])
        let accepted = try F.apiVersionsResponse(F.brokerRanges).encodeFrame(version: 2, correlationId: 1)
        #expect(machine.frameReceived(accepted, now: F.start) == [.connectionReady(ApiVersionTable(ranges: F.brokerRanges))])
    }

    @Test("an UNSUPPORTED_VERSION answer in no decodable shape (librdkafka's mock cluster, recorded) retries at v0")
    func apiVersionsUndecodableRejection() throws {
        var machine = Machine(configuration: .init())
        _ = machine.start()
        _ = machine.connected(now: F.start)
        // Recorded from rdk_mock for ApiVersions v4: error 35, a one-entry list {18: 0...2}
        // counted as a compact array of zero, a tag byte and the throttle time.
        let recorded: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x00, 0x23, 0x01, 0x00, 0x12, 0x00, 0x00, 0x00, 0x02, 0x00,
                                 0x00, 0x00, 0x00, 0x00]
        #expect(machine.frameReceived(recorded, now: F.start) == [.sendApiVersions(version: 0, correlationId: 1)])
        let accepted = try F.apiVersionsResponse(F.brokerRanges).encodeFrame(version: 0, correlationId: 1)
        #expect(machine.frameReceived(accepted, now: F.start) == [.connectionReady(ApiVersionTable(ranges: F.brokerRanges))])
    }

    @Test("a broker rejecting ApiVersions v0 closes the connection with unsupportedVersion")
    func apiVersionsExhausted() throws {
        var machine = Machine(configuration: .init())
        _ = machine.start()
        _ = machine.connected(now: F.start)
        _ = machine.frameReceived(try F.apiVersionsResponse([:], errorCode: .unsupportedVersion).encodeFrame(version: 0, correlationId: 0), now: F.start)
        let actions = machine.frameReceived(try F.apiVersionsResponse([:], errorCode: .unsupportedVersion).encodeFrame(version: 0, correlationId: 1), now: F.start)
        #expect(actions.closeError??.code == .unsupportedVersion)
        #expect(machine.isClosed)
    }

    @Test("SASL: handshake, two authenticate rounds, then ready with queued requests released")
    func saslHappyPath() throws {
        var machine = try saslMachine(seed: 1)
        _ = machine.enqueue(F.metadataRequest(1), now: F.start)
        let started = try authenticate(&machine, lifetimeMs: 0)
        #expect(started.contains(.connectionReady(ApiVersionTable(ranges: F.brokerRanges))))
        #expect(started.sends.map(\.token) == [1])
        #expect(machine.reauthenticationDeadline == nil)
    }

    @Test("a broker that closes the connection mid-SASL (kfake on a wrong password) fails pending requests as authenticationFailed")
    func saslConnectionClosed() throws {
        var machine = try saslMachine(seed: 1)
        _ = machine.enqueue(F.metadataRequest(7), now: F.start)
        _ = machine.frameReceived(try SaslHandshakeResponse().encodeFrame(version: 1, correlationId: 1), now: F.start)
        _ = machine.saslMessageReady([1, 2, 3], now: F.start)
        let actions = machine.ioError("connection reset by peer")
        #expect(actions.closeError??.code == .authenticationFailed)
        #expect(actions.contains { if case .fail(7, let error) = $0 { error.code == .authenticationFailed } else { false } })
        #expect(machine.isClosed)

        // Outside SASL the same loss stays an I/O error, which callers retry.
        var plain = Machine(configuration: .init())
        _ = plain.start()
        _ = plain.connected(now: F.start)
        #expect(plain.ioError("connection reset by peer").closeError??.code == .ioError)
    }

    @Test("a rejected mechanism or failed authentication closes with the broker's message")
    func saslFailures() throws {
        var rejected = try saslMachine(seed: 1)
        var handshake = SaslHandshakeResponse()
        handshake.errorCode = KafkaErrorCode.unsupportedSaslMechanism.rawValue
        handshake.mechanisms = ["PLAIN", "SCRAM-SHA-512"]
        let rejection = rejected.frameReceived(try handshake.encodeFrame(version: 1, correlationId: 1), now: F.start)
        #expect(rejection.closeError??.code == .authenticationFailed)
        #expect(rejection.closeError??.detail.contains("SCRAM-SHA-512") == true)

        var failed = try saslMachine(seed: 1)
        _ = failed.frameReceived(try SaslHandshakeResponse().encodeFrame(version: 1, correlationId: 1), now: F.start)
        _ = failed.saslMessageReady([1, 2, 3], now: F.start)
        var reply = SaslAuthenticateResponse()
        reply.errorCode = KafkaErrorCode.saslAuthenticationFailed.rawValue
        reply.errorMessage = "Invalid username or password"
        let actions = failed.frameReceived(try reply.encodeFrame(version: 2, correlationId: 2), now: F.start)
        #expect(actions.closeError??.code == .authenticationFailed)
        #expect(actions.closeError??.detail == "Invalid username or password")
        #expect(actions.closeError??.brokerErrorCode == .saslAuthenticationFailed)
    }

    @Test("the re-authentication deadline falls within 85-95% of the session lifetime", arguments: 0..<200)
    func reauthJitter(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let lifetime = Int64(1_000 + random.next() % 86_400_000)
        var machine = try saslMachine(seed: seed)
        let actions = try authenticate(&machine, lifetimeMs: lifetime)
        let deadline = try #require(machine.reauthenticationDeadline)
        #expect(actions.contains(.scheduleReauthentication(at: deadline)))
        let delay = F.start.duration(to: deadline)
        #expect(delay >= .milliseconds(lifetime * 85 / 100) && delay <= .milliseconds(lifetime * 95 / 100 + 1))
    }

    @Test("re-authentication lets in-flight requests finish and queues new ones until it completes")
    func reauthentication() throws {
        var machine = try saslMachine(seed: 7)
        _ = try authenticate(&machine, lifetimeMs: 60_000)
        let due = try #require(machine.reauthenticationDeadline)
        #expect(machine.tick(now: due.advanced(by: .milliseconds(-1))).isEmpty)
        let inFlight = machine.enqueue(F.metadataRequest(1), now: due).sends[0]
        let start = machine.tick(now: due)
        guard case .sendSaslHandshake(_, let handshakeId, "PLAIN")? = start.first else {
            Issue.record("re-authentication did not start: \(start)")
            return
        }
        // New requests wait; the one already written still gets its response.
        #expect(machine.enqueue(F.metadataRequest(2), now: due).isEmpty)
        let old = machine.frameReceived(try F.metadataFrame(correlationId: inFlight.correlationId, version: 12), now: due)
        #expect(old.delivered == [1])
        #expect(old.sends.isEmpty)
        #expect(machine.frameReceived(try SaslHandshakeResponse().encodeFrame(version: 1, correlationId: handshakeId), now: due)
            == [.startSaslMechanism(brokerMechanisms: [])])
        guard case .sendSaslAuthenticate(_, let authId, _)? = machine.saslMessageReady([0], now: due).first else {
            Issue.record("no SaslAuthenticate sent")
            return
        }
        _ = machine.frameReceived(try SaslAuthenticateResponse().encodeFrame(version: 2, correlationId: authId), now: due)
        let done = machine.saslMechanismCompleted(now: due)
        #expect(done.sends.map(\.token) == [2])
        #expect(machine.isReady)
    }

    // MARK: Helpers

    /// A SASL/PLAIN machine that has negotiated and sent SaslHandshake (correlation id 1).
    private func saslMachine(seed: UInt64) throws -> Machine {
        var configuration = Machine.Configuration(brokerId: 2, address: "b2:9096", saslMechanism: "PLAIN")
        configuration.reauthenticationSeed = seed
        var machine = Machine(configuration: configuration)
        _ = machine.start()
        _ = machine.connected(now: F.start)
        let actions = machine.frameReceived(try F.apiVersionsResponse(F.brokerRanges).encodeFrame(version: 4, correlationId: 0), now: F.start)
        #expect(actions == [.sendSaslHandshake(version: 1, correlationId: 1, mechanism: "PLAIN")])
        return machine
    }

    /// Completes the exchange started by `saslMachine` in two SaslAuthenticate rounds.
    private func authenticate(_ machine: inout Machine, lifetimeMs: Int64) throws -> [Machine.Action] {
        var handshake = SaslHandshakeResponse()
        handshake.mechanisms = ["PLAIN", "OAUTHBEARER"]
        #expect(machine.frameReceived(try handshake.encodeFrame(version: 1, correlationId: 1), now: F.start)
            == [.startSaslMechanism(brokerMechanisms: ["PLAIN", "OAUTHBEARER"])])
        var nextId: Int32 = 2
        for round in 0..<2 {
            #expect(machine.saslMessageReady([UInt8(round)], now: F.start)
                == [.sendSaslAuthenticate(version: 2, correlationId: nextId, authBytes: [UInt8(round)])])
            var reply = SaslAuthenticateResponse()
            reply.authBytes = [0xAA, UInt8(round)]
            reply.sessionLifetimeMs = lifetimeMs
            #expect(machine.frameReceived(try reply.encodeFrame(version: 2, correlationId: nextId), now: F.start)
                == [.continueSaslMechanism(authBytes: [0xAA, UInt8(round)])])
            nextId += 1
        }
        return machine.saslMechanismCompleted(now: F.start)
    }
}
