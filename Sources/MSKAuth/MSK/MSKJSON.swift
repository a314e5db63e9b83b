/// The little JSON writing the payload needs: an object of string fields in a fixed order.
enum MSKJSON {
    static func object(_ fields: [(name: String, value: String)]) -> String {
        "{" + fields.map { string($0.name) + ":" + string($0.value) }.joined(separator: ",") + "}"
    }

    /// A JSON string literal; `/` is left as is, control characters are escaped.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
