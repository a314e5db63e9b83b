/// Hex conversions for test vectors and failure messages.
public enum Hex {
    /// Lower-case hex, two digits per byte, no separators.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses hex digits (either case), ignoring whitespace; nil for any other character or an odd count.
    public static func decode(_ text: String) -> [UInt8]? {
        var nibbles: [UInt8] = []
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9": nibbles.append(UInt8(scalar.value - 48))
            case "a"..."f": nibbles.append(UInt8(scalar.value - 87))
            case "A"..."F": nibbles.append(UInt8(scalar.value - 55))
            case " ", "\n", "\t", "\r": continue
            default: return nil
            }
        }
        guard nibbles.count.isMultiple(of: 2) else { return nil }
        return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
    }
}

/// Malformed hex text in a test vector.
public struct MalformedHex: Error, CustomStringConvertible {
    public let text: String
    public var description: String { "malformed hex: \(text.prefix(80))" }
}

extension Hex {
    /// Parses hex like `decode(_:)`, throwing for malformed text so a bad vector fails its test.
    public static func bytes(_ text: String) throws -> [UInt8] {
        guard let bytes = decode(text) else { throw MalformedHex(text: text) }
        return bytes
    }
}

extension Array where Element == UInt8 {
    /// The bytes as lower-case hex.
    public var hexString: String { Hex.encode(self) }
}
