/// The URI encoding and path normalisation rules of SigV4 canonical requests.
enum SigV4Encoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// RFC 3986 unreserved characters, the only bytes SigV4 leaves unescaped.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Percent-encodes every byte that is not unreserved and not kept by `keep`,
    /// with uppercase hex as SigV4 requires.
    static func encode(_ bytes: some Sequence<UInt8>, keeping keep: (UInt8) -> Bool = { _ in false }) -> String {
        var out = [UInt8]()
        for byte in bytes {
            if isUnreserved(byte) || keep(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes a query parameter name or value (everything but unreserved bytes).
    static func encodeComponent(_ text: String) -> String {
        encode(text.utf8)
    }

    /// Decodes `%XX` escapes; anything else is taken literally (`+` stays `+`).
    static func percentDecode(_ text: Substring) throws(MSKAuthError) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "%")) else { return String(text) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte != UInt8(ascii: "%") {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                throw MSKAuthError(.invalidPercentEncoding, detail: "'%' must be followed by two hex digits")
            }
            out.append(high << 4 | low)
            index += 3
        }
        guard let decoded = String(validating: out, as: UTF8.self) else {
            throw MSKAuthError(.invalidPercentEncoding, detail: "percent-decoded bytes are not UTF-8")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The canonical URI of a path as it appears on the wire.
    ///
    /// With `normalize`, empty and `.` segments are dropped and `..` removes the
    /// segment before it (a trailing `/` survives). With `doubleEncode` every
    /// byte but unreserved ones and `/` is escaped again, so an escape already
    /// on the wire (`%20`) is signed as `%2520`, the rule for every service but
    /// S3; without it existing escapes are kept as they are.
    static func canonicalPath(_ path: String, normalize: Bool, doubleEncode: Bool) -> String {
        let shaped = normalize ? normalizedPath(path) : (path.isEmpty ? "/" : path)
        let slash = UInt8(ascii: "/")
        let percent = UInt8(ascii: "%")
        return encode(shaped.utf8) { byte in
            byte == slash || (!doubleEncode && byte == percent)
        }
    }

    static func normalizedPath(_ path: String) -> String {
        var kept: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !kept.isEmpty { kept.removeLast() }
            default: kept.append(segment)
            }
        }
        guard !kept.isEmpty else { return "/" }
        let trailing = path.hasSuffix("/") ? "/" : ""
        return "/" + kept.joined(separator: "/") + trailing
    }
}

extension SigV4Encoding {
    static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
