/// The broker's side of OAUTHBEARER: an empty reply is success; an error JSON
/// (RFC 7628 §3.2.2) must be answered with a lone 0x01, after which the broker
/// fails the exchange.
struct OAuthBearerSession: SASLSession {
    enum State: Sendable, Hashable {
        case awaitingResult
        case rejected(reason: String)
        case finished
    }

    private(set) var state: State = .awaitingResult

    mutating func challenge(_ serverMessage: [UInt8]) throws -> SASLStep {
        switch state {
        case .awaitingResult:
            if serverMessage.isEmpty {
                state = .finished
                return .done
            }
            state = .rejected(reason: Self.reason(fromErrorJSON: serverMessage))
            return .respond([OAuthBearerMechanism.separator])
        case .rejected(let reason):
            state = .finished
            throw KafkaError.sasl("OAUTHBEARER", "the broker rejected the token: \(reason)")
        case .finished:
            throw KafkaError.sasl("OAUTHBEARER", "the broker sent a message after the exchange ended")
        }
    }

    /// "status=invalid_token" from `{"status":"invalid_token",...}`, or the reply itself (shortened) when unparseable.
    static func reason(fromErrorJSON bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        if let status = FlatJSON.stringMember("status", in: text) {
            return "status=\(status)"
        }
        let shortened = text.unicodeScalars.prefix(200).map { $0.value < 0x20 ? "?" : String($0) }.joined()
        return "error reply \(shortened)"
    }
}
