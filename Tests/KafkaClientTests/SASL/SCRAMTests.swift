import Testing
@testable import KafkaClient

/// SCRAM against RFC 7677's SCRAM-SHA-256 example and hostile server messages.
@Suite("SASL: SCRAM")
struct SCRAMTests {
    static let rfcNonce = "rOprNGfwEbeRWgbNEkqO"
    static let rfcServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    static let rfcClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    static let rfcServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

    static func rfcSession(password: String = "pencil") throws -> (SCRAMSession, String) {
        let mechanism = SCRAMMechanism(.sha256, username: "user", password: password, clientNonce: rfcNonce)
        let (session, first) = try mechanism.start()
        return (session, String(decoding: first, as: UTF8.self))
    }

    /// Runs the session to the client-final message of the RFC exchange.
    static func afterServerFirst(_ serverFirst: String = rfcServerFirst) throws -> SCRAMSession {
        var (session, _) = try rfcSession()
        _ = try session.challenge(Array(serverFirst.utf8))
        return session
    }

    static func expectAuthenticationFailure(containing text: String, _ body: () throws -> Void,
                                            sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("expected an authentication failure mentioning \"\(text)\"", sourceLocation: sourceLocation)
        } catch let error as KafkaError {
            #expect(error.code == .authenticationFailed, sourceLocation: sourceLocation)
            #expect(error.detail.contains(text), "\(error.detail)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("pencil"), sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("RFC 7677 SCRAM-SHA-256 example: client-first, client-final and the server signature")
    func rfc7677() throws {
        var (session, first) = try Self.rfcSession()
        #expect(first == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let step = try session.challenge(Array(Self.rfcServerFirst.utf8))
        #expect(step == .respond(Array(Self.rfcClientFinal.utf8)))
        #expect(try session.challenge(Array(Self.rfcServerFinal.utf8)) == .done)
        Self.expectAuthenticationFailure(containing: "after the exchange ended") {
            _ = try session.challenge(Array(Self.rfcServerFinal.utf8))
        }
    }

    @Test("a tampered server signature fails: the broker does not know the password")
    func tamperedSignature() throws {
        var session = try Self.afterServerFirst()
        Self.expectAuthenticationFailure(containing: "signature is wrong") {
            _ = try session.challenge(Array("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        }
        var other = try Self.afterServerFirst()
        Self.expectAuthenticationFailure(containing: "signature is wrong") {
            _ = try other.challenge(Array("v=AAAA".utf8))
        }
    }

    @Test("a wrong password gives another proof, and the real server signature no longer matches")
    func wrongPassword() throws {
        var (session, _) = try Self.rfcSession(password: "pencil2")
        let step = try session.challenge(Array(Self.rfcServerFirst.utf8))
        #expect(step != .respond(Array(Self.rfcClientFinal.utf8)))
        Self.expectAuthenticationFailure(containing: "signature is wrong") {
            _ = try session.challenge(Array(Self.rfcServerFinal.utf8))
        }
    }

    @Test("the server's e= in server-final is reported with its text")
    func serverError() throws {
        var session = try Self.afterServerFirst()
        Self.expectAuthenticationFailure(containing: "the broker refused: invalid-proof") {
            _ = try session.challenge(Array("e=invalid-proof".utf8))
        }
        var (early, _) = try Self.rfcSession()
        Self.expectAuthenticationFailure(containing: "the broker refused: unknown-user") {
            _ = try early.challenge(Array("e=unknown-user".utf8))
        }
    }

    @Test("server-first messages that must be refused", arguments: [
        ("r=XXXXNGfwEbeRWgbNEkqO%hvYD,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "nonce does not extend"),
        ("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "nonce does not extend"),
        ("r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095", "below the minimum of 4096"),
        ("r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000001", "above the maximum"),
        ("r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999999999999", "invalid iteration count"),
        ("r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-4096", "invalid iteration count"),
        ("r=rOprNGfwEbeRWgbNEkqOabc,s=not base64!,i=4096", "invalid salt"),
        ("r=rOprNGfwEbeRWgbNEkqOabc,s=,i=4096", "invalid salt"),
        ("m=ext,r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "mandatory extension"),
        ("r=rOprNGfwEbeRWgbNEkqOabc,i=4096,s=W22ZaJ0SNY7soEsUEjb6gQ==", "expected r=, s=, i="),
        ("r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==", "expected r=, s=, i="),
        ("garbage", "malformed server-first"),
        ("", "empty server-first"),
    ])
    func badServerFirst(message: String, expected: String) throws {
        var (session, _) = try Self.rfcSession()
        Self.expectAuthenticationFailure(containing: expected) { _ = try session.challenge(Array(message.utf8)) }
        // A failed session stays failed.
        Self.expectAuthenticationFailure(containing: "after the exchange ended") {
            _ = try session.challenge(Array(Self.rfcServerFirst.utf8))
        }
    }

    @Test("server-first extensions after i= are ignored")
    func serverFirstExtensions() throws {
        var (session, _) = try Self.rfcSession()
        let step = try session.challenge(Array((Self.rfcServerFirst + ",x=1,tokenauth=true").utf8))
        guard case .respond = step else { Issue.record("expected client-final"); return }
    }

    @Test("malformed server-final messages", arguments: ["", "x=1", "v=%%%%", "not-an-attribute"])
    func badServerFinal(message: String) throws {
        var session = try Self.afterServerFirst()
        Self.expectAuthenticationFailure(containing: "server-final") { _ = try session.challenge(Array(message.utf8)) }
    }

    @Test("user names escape '=' and ','; delegation tokens add tokenauth=true")
    func clientFirst() throws {
        #expect(SCRAMMessage.escapeUsername("a=b,c") == "a=3Db=2Cc")
        let (_, first) = try SCRAMMechanism(.sha512, username: "a=b,c", password: "p", isTokenAuthentication: true,
                                            clientNonce: "abc").start()
        #expect(String(decoding: first, as: UTF8.self) == "n,,n=a=3Db=2Cc,r=abc,tokenauth=true")
        #expect(throws: KafkaError.self) { try SCRAMMechanism(.sha256, username: "", password: "p").start() }
    }

    @Test("random client nonces: 32 base64 characters, different every exchange")
    func randomNonce() async throws {
        let mechanism: SCRAMMechanism = .scramSHA256(username: "user", password: "pencil")
        #expect(mechanism.name == "SCRAM-SHA-256")
        #expect(SCRAMMechanism.scramSHA512(username: "u", password: "p").name == "SCRAM-SHA-512")
        var nonces: Set<String> = []
        for _ in 0..<20 {
            let (_, first) = try await mechanism.authenticate(with: SASLBrokerContext(host: "localhost", port: 9092))
            let text = String(decoding: first, as: UTF8.self)
            #expect(text.hasPrefix("n,,n=user,r="))
            let nonce = String(text.dropFirst("n,,n=user,r=".count))
            #expect(nonce.count == 32 && !nonce.contains(","))
            nonces.insert(nonce)
        }
        #expect(nonces.count == 20)
    }

    @Test("descriptions never show the password")
    func descriptions() throws {
        let mechanism = SCRAMMechanism(.sha256, username: "user", password: "pencil")
        let (session, _) = try mechanism.start()
        for text in [String(describing: mechanism), String(reflecting: mechanism), String(describing: session),
                     String(reflecting: session)] {
            #expect(!text.contains("pencil"), "\(text)")
        }
        #expect(String(describing: mechanism) == "SCRAMMechanism(SCRAM-SHA-256, username: user)")
        var dumped = ""
        dump(mechanism, to: &dumped)
        dump(session, to: &dumped)
        dump(mechanism as any SASLMechanism, to: &dumped)
        #expect(dumped.contains("user") && !dumped.contains("pencil"), "\(dumped)")
    }

    @Test("base64 round trips and rejects malformed input")
    func base64() {
        for count in 0..<40 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("n,,".utf8)) == "biws")
        for bad in ["a", "abc", "ab=c", "=abc", "ab c", "a===", "ab==cd==", "YR==", "YWJ="] { #expect(Base64.decode(bad) == nil, "\(bad)") }
    }
}
