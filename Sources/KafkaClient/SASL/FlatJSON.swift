/// Just enough JSON to read one string member of a top-level object, such as
/// the `status` of an OAUTHBEARER error reply; nil for anything malformed.
enum FlatJSON {
    static func stringMember(_ name: String, in text: String) -> String? {
        var parser = Parser(bytes: Array(text.utf8))
        return try? parser.stringMember(name)
    }

    private struct Malformed: Error {}

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func stringMember(_ name: String) throws(Malformed) -> String? {
            try expect(UInt8(ascii: "{"))
            var found: String?
            if peek() == UInt8(ascii: "}") { return nil }
            while true {
                let key = try string()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                if key == name, peek() == UInt8(ascii: "\"") {
                    found = try string()
                } else {
                    try skipValue()
                }
                skipSpace()
                guard index < bytes.count else { throw Malformed() }
                index += 1
                if bytes[index - 1] == UInt8(ascii: "}") { return found }
                guard bytes[index - 1] == UInt8(ascii: ",") else { throw Malformed() }
            }
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func peek() -> UInt8? {
            skipSpace()
            return index < bytes.count ? bytes[index] : nil
        }

        mutating func expect(_ byte: UInt8) throws(Malformed) {
            guard peek() == byte else { throw Malformed() }
            index += 1
        }

        mutating func string() throws(Malformed) -> String {
            try expect(UInt8(ascii: "\""))
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { throw Malformed() }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"), UInt8(ascii: "f"): out.append(0x20)
                    case UInt8(ascii: "u"):
                        // Rare in error replies: keep the escape as text rather than decode surrogates.
                        out += Array("\\u".utf8)
                    default: out.append(escaped)
                    }
                default:
                    out.append(byte)
                }
            }
            throw Malformed()
        }

        /// Skips a number, literal, string, object or array.
        mutating func skipValue() throws(Malformed) {
            guard let first = peek() else { throw Malformed() }
            if first == UInt8(ascii: "\"") { _ = try string(); return }
            var depth = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    _ = try string()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return }
                    depth -= 1
                case UInt8(ascii: ","):
                    if depth == 0 { return }
                default:
                    break
                }
                index += 1
            }
            if depth != 0 { throw Malformed() }
        }
    }
}
