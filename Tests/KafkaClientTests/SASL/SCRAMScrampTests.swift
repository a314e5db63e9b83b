import Testing
@testable import KafkaClient

/// SCRAM exchanges checked by an independent implementation (Python's scramp as the server).
@Suite("SASL: SCRAM against scramp", .enabled(if: ScrampServer.isAvailable, "python3 with scramp is not installed"))
struct SCRAMScrampTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var algorithm: SCRAMMechanism.Algorithm
        var username: String
        var password: String
        var iterations: Int
        var testDescription: String { "\(algorithm) user \(username) i=\(iterations)" }
    }

    @Test("scramp accepts the proof and the client accepts scramp's signature", arguments: [
        Case(algorithm: .sha512, username: "alice", password: "s3cr3t-Pässwörd", iterations: 4096),
        Case(algorithm: .sha512, username: "we=ird,user", password: "p,w=d", iterations: 8192),
        Case(algorithm: .sha256, username: "bob", password: "hunter2", iterations: 4096),
    ])
    func exchange(_ test: Case) throws {
        let salt = try SASLCrypto.randomBytes(16)
        let serverNonce = Base64.encode(try SASLCrypto.randomBytes(18))
        let mechanism = SCRAMMechanism(test.algorithm, username: test.username, password: test.password)
        var (session, first) = try mechanism.start()
        let clientFirst = String(decoding: first, as: UTF8.self)

        let firstRun = try ScrampServer.respond(mechanism: test.algorithm.description, password: test.password, salt: salt,
                                                serverNonce: serverNonce, iterations: test.iterations, clientFirst: clientFirst)
        #expect(firstRun.first == test.username, "scramp must unescape the user name")
        let serverFirst = try #require(firstRun.last)
        guard case .respond(let clientFinal) = try session.challenge(Array(serverFirst.utf8)) else {
            Issue.record("expected client-final")
            return
        }
        let secondRun = try ScrampServer.respond(mechanism: test.algorithm.description, password: test.password, salt: salt,
                                                 serverNonce: serverNonce, iterations: test.iterations, clientFirst: clientFirst,
                                                 clientFinal: String(decoding: clientFinal, as: UTF8.self))
        #expect(secondRun.count == 3 && secondRun[1] == serverFirst)
        let serverFinal = try #require(secondRun.last)
        #expect(serverFinal.hasPrefix("v="), "scramp rejected the proof: \(serverFinal)")
        #expect(try session.challenge(Array(serverFinal.utf8)) == .done)
    }

    @Test("a wrong password: scramp answers e=invalid-proof and the client reports it")
    func wrongPassword() throws {
        let salt = try SASLCrypto.randomBytes(16)
        let serverNonce = "server-nonce-123"
        var (session, first) = try SCRAMMechanism(.sha512, username: "alice", password: "wrong").start()
        let clientFirst = String(decoding: first, as: UTF8.self)
        let serverFirst = try #require(try ScrampServer.respond(mechanism: "SCRAM-SHA-512", password: "right", salt: salt,
                                                               serverNonce: serverNonce, iterations: 4096,
                                                               clientFirst: clientFirst).last)
        guard case .respond(let clientFinal) = try session.challenge(Array(serverFirst.utf8)) else {
            Issue.record("expected client-final")
            return
        }
        let serverFinal = try #require(try ScrampServer.respond(
            mechanism: "SCRAM-SHA-512", password: "right", salt: salt, serverNonce: serverNonce, iterations: 4096,
            clientFirst: clientFirst, clientFinal: String(decoding: clientFinal, as: UTF8.self)).last)
        #expect(serverFinal == "e=invalid-proof")
        let error = try #require(throws: KafkaError.self) { try session.challenge(Array(serverFinal.utf8)) }
        #expect(error.code == .authenticationFailed)
        #expect(error.detail == "SCRAM-SHA-512: the broker refused: invalid-proof")
        #expect(!error.description.contains("wrong") && !error.description.contains("right"))
    }
}
