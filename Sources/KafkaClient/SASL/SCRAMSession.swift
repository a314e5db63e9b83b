/// One SCRAM exchange: answers server-first with client-final (the proof), then
/// checks the server's signature in server-final, so a broker that does not know
/// the password cannot pretend to.
struct SCRAMSession: SASLSession, CustomStringConvertible, CustomReflectable {
    enum State: Sendable {
        case awaitingServerFirst
        case awaitingServerFinal(serverSignature: [UInt8])
        case finished
    }

    let algorithm: SCRAMMechanism.Algorithm
    /// The password's bytes; never printed.
    let password: [UInt8]
    let clientNonce: String
    let clientFirstBare: String
    private(set) var state: State = .awaitingServerFirst

    init(algorithm: SCRAMMechanism.Algorithm, password: [UInt8], clientNonce: String, clientFirstBare: String) {
        self.algorithm = algorithm
        self.password = password
        self.clientNonce = clientNonce
        self.clientFirstBare = clientFirstBare
    }

    var description: String { "SCRAMSession(\(algorithm))" }

    var customMirror: Mirror { Mirror(self, children: ["algorithm": algorithm]) }

    private var name: String { algorithm.description }

    mutating func challenge(_ serverMessage: [UInt8]) throws -> SASLStep {
        switch state {
        case .awaitingServerFirst:
            // Any failure ends the exchange: a session never recovers.
            state = .finished
            let (clientFinal, serverSignature) = try clientFinal(serverFirst: serverMessage)
            state = .awaitingServerFinal(serverSignature: serverSignature)
            return .respond(clientFinal)
        case .awaitingServerFinal(let expected):
            state = .finished
            try verify(serverFinal: serverMessage, expected: expected)
            return .done
        case .finished:
            throw KafkaError.sasl(name, "the broker sent a message after the exchange ended")
        }
    }

    /// Checks server-first (RFC 5802 §5.1) and computes the proof and the signature the server must send.
    private func clientFinal(serverFirst bytes: [UInt8]) throws(KafkaError) -> (message: [UInt8], serverSignature: [UInt8]) {
        let attributes = try SCRAMMessage.attributes(bytes, mechanism: name, message: "server-first")
        if let error = attributes.first(where: { $0.key == "e" }) {
            throw KafkaError.sasl(name, "the broker refused: \(error.value)")
        }
        guard attributes[0].key != "m" else {
            throw KafkaError.sasl(name, "the broker requires an unsupported mandatory extension (m=)")
        }
        guard attributes.count >= 3, attributes[0].key == "r", attributes[1].key == "s", attributes[2].key == "i" else {
            throw KafkaError.sasl(name, "malformed server-first message: expected r=, s=, i=")
        }
        let nonce = attributes[0].value
        guard SCRAMMessage.isValidNonce(nonce), nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw KafkaError.sasl(name, "the broker's nonce does not extend the client nonce")
        }
        guard let salt = Base64.decode(attributes[1].value), !salt.isEmpty else {
            throw KafkaError.sasl(name, "malformed server-first message: invalid salt")
        }
        let iterationText = attributes[2].value
        guard iterationText.utf8.count <= 10, iterationText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let iterations = Int(iterationText) else {
            throw KafkaError.sasl(name, "malformed server-first message: invalid iteration count")
        }
        guard iterations >= SCRAMMechanism.minimumIterations else {
            throw KafkaError.sasl(name, "iteration count \(iterations) is below the minimum of \(SCRAMMechanism.minimumIterations)")
        }
        guard iterations <= SCRAMMechanism.maximumIterations else {
            throw KafkaError.sasl(name, "iteration count \(iterations) is above the maximum of \(SCRAMMechanism.maximumIterations)")
        }

        let withoutProof = "c=\(SCRAMMessage.channelBinding),r=\(nonce)"
        let authMessage = Array("\(clientFirstBare),\(String(decoding: bytes, as: UTF8.self)),\(withoutProof)".utf8)
        let digest = algorithm.digest
        do {
            let saltedPassword = try SASLCrypto.pbkdf2(digest, password: password, salt: salt, iterations: iterations)
            let clientKey = try SASLCrypto.hmac(digest, key: saltedPassword, Array("Client Key".utf8))
            let storedKey = try SASLCrypto.hash(digest, clientKey)
            let clientSignature = try SASLCrypto.hmac(digest, key: storedKey, authMessage)
            let proof = SASLCrypto.xor(clientKey, clientSignature)
            let serverKey = try SASLCrypto.hmac(digest, key: saltedPassword, Array("Server Key".utf8))
            let serverSignature = try SASLCrypto.hmac(digest, key: serverKey, authMessage)
            return (Array("\(withoutProof),p=\(Base64.encode(proof))".utf8), serverSignature)
        } catch {
            throw KafkaError.sasl(name, "OpenSSL \(error.function) failed")
        }
    }

    /// Checks server-final: `v=` must carry the expected signature, `e=` is the broker's refusal.
    private func verify(serverFinal bytes: [UInt8], expected: [UInt8]) throws(KafkaError) {
        let attributes = try SCRAMMessage.attributes(bytes, mechanism: name, message: "server-final")
        switch attributes[0].key {
        case "e":
            throw KafkaError.sasl(name, "the broker refused: \(attributes[0].value)")
        case "v":
            guard let signature = Base64.decode(attributes[0].value) else {
                throw KafkaError.sasl(name, "malformed server-final message: invalid signature encoding")
            }
            guard SASLCrypto.constantTimeEquals(signature, expected) else {
                throw KafkaError.sasl(name, "the broker's signature is wrong: it does not know the credentials")
            }
        default:
            throw KafkaError.sasl(name, "malformed server-final message: expected v= or e=")
        }
    }
}
