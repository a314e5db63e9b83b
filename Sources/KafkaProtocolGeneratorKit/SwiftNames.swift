/// Spec names turned into Swift identifiers and literals.
enum SwiftNames {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "switch",
        "where", "while", "as", "catch", "false", "is", "nil", "super", "self", "Self", "throw", "throws",
        "true", "try", "Any", "Type",
    ]

    /// `ThrottleTimeMs` → `throttleTimeMs`; a leading acronym is lowered up to the letter that starts
    /// the next word (`URLPath` → `urlPath`, `KRaftVersion` → `kRaftVersion`).
    static func property(_ specName: String) -> String {
        let chars = Array(specName)
        var leadingUpper = 0
        while leadingUpper < chars.count, chars[leadingUpper].isUppercase { leadingUpper += 1 }
        var lowered = leadingUpper
        if leadingUpper > 1, leadingUpper < chars.count, chars[leadingUpper].isLowercase { lowered -= 1 }
        lowered = max(lowered, 1)
        let head = String(chars.prefix(lowered)).lowercased()
        return head + String(chars.dropFirst(lowered))
    }

    /// The identifier as it must be written in code (backticked when a keyword).
    static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// A Swift string literal.
    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Doc comment lines for spec `about` text.
    static func docLines(_ about: String?, indent: String) -> [String] {
        guard let about, !about.isEmpty else { return [] }
        return about.split(separator: "\n").map { "\(indent)/// \($0.trimmingCharacters(in: .whitespaces))" }
    }
}
