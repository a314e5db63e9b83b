/// A 128-bit UUID as Kafka encodes it (topic ids, directory ids): 16 bytes, big-endian.
///
/// `KafkaWire` avoids Foundation, so this is a small value type of its own.
public struct KafkaUUID: Hashable, Sendable, CustomStringConvertible {
    /// The most significant 64 bits.
    public var high: UInt64
    /// The least significant 64 bits.
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The all-zero UUID, Kafka's "no id" value.
    public static let zero = KafkaUUID(high: 0, low: 0)

    /// Parses the canonical `8-4-4-4-12` hex form; returns nil for anything else.
    public init?(_ string: String) {
        let hex = string.utf8.filter { $0 != UInt8(ascii: "-") }
        guard string.utf8.count == 36, hex.count == 32 else { return nil }
        var value: (UInt64, UInt64) = (0, 0)
        for (index, char) in hex.enumerated() {
            let nibble: UInt64
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt64(char - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt64(char - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt64(char - UInt8(ascii: "A") + 10)
            default: return nil
            }
            if index < 16 { value.0 = value.0 << 4 | nibble } else { value.1 = value.1 << 4 | nibble }
        }
        self.init(high: value.0, low: value.1)
    }

    public var description: String {
        func hex(_ v: UInt64, digits: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: digits - s.count) + s
        }
        let h = hex(high, digits: 16), l = hex(low, digits: 16)
        return "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.dropFirst(4))"
    }
}
