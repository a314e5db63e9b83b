import Foundation

/// Kafka's spec files are JSON with `//` line comments; this strips them
/// (outside string literals) so Foundation's strict parser accepts the rest.
public enum JSONWithComments {
    /// Returns `text` with every `//` comment removed, keeping line breaks.
    public static func strip(_ text: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        out.reserveCapacity(bytes.count)
        var index = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                out.append(byte)
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    out.append(bytes[index + 1])
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                out.append(byte)
                index += 1
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                // Skip to the end of the line; the newline itself is kept.
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses `text` (with comments) into a JSON object.
    public static func parseObject(_ text: String) throws -> [String: Any] {
        let data = Data(strip(text).utf8)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SpecError("top level is not a JSON object")
        }
        return object
    }
}

/// A problem in a spec file.
public struct SpecError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
