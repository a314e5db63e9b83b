/// Parsing and formatting of SCRAM's `k=value,k=value` messages (RFC 5802 §7).
enum SCRAMMessage {
    /// No channel binding and no authorization id.
    static let gs2Header = "n,,"
    /// base64 of the gs2 header, the `c=` of the client-final message.
    static let channelBinding = "biws"

    struct Attribute {
        var key: Character
        var value: Substring
    }

    /// `=` and `,` in a user name become `=3D` and `=2C` (saslname, RFC 5802 §5.1).
    static func escapeUsername(_ username: String) -> String {
        var out = ""
        for character in username {
            switch character {
            case "=": out += "=3D"
            case ",": out += "=2C"
            default: out.append(character)
            }
        }
        return out
    }

    /// Splits a message into single-letter attributes; extensions with longer
    /// names are kept with key "*" so callers can skip them.
    static func attributes(_ bytes: [UInt8], mechanism: String, message: String) throws(KafkaError) -> [Attribute] {
        guard !bytes.isEmpty else { throw KafkaError.sasl(mechanism, "empty \(message) message") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw KafkaError.sasl(mechanism, "\(message) message is not UTF-8")
        }
        var attributes: [Attribute] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = part.firstIndex(of: "="), equals != part.startIndex else {
                throw KafkaError.sasl(mechanism, "malformed \(message) message: an attribute without a name")
            }
            let name = part[..<equals]
            guard name.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw KafkaError.sasl(mechanism, "malformed \(message) message: attribute names must be letters")
            }
            attributes.append(Attribute(key: name.count == 1 ? name.first! : "*", value: part[part.index(after: equals)...]))
        }
        return attributes
    }

    /// A nonce is printable ASCII other than ',' (RFC 5802 §7).
    static func isValidNonce(_ nonce: Substring) -> Bool {
        !nonce.isEmpty && nonce.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ",") }
    }
}
