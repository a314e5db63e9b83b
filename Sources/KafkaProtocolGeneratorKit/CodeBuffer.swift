/// Collects generated lines with indentation.
struct CodeBuffer {
    private(set) var lines: [String] = []
    private var depth = 0

    mutating func line(_ text: String = "") {
        lines.append(text.isEmpty ? "" : String(repeating: "    ", count: depth) + text)
    }

    mutating func lines(_ texts: [String]) {
        for text in texts { line(text) }
    }

    /// Writes `header {`, the body one level deeper, then `}`.
    mutating func block(_ header: String, _ body: (inout CodeBuffer) -> Void) {
        let indent = String(repeating: "    ", count: depth)
        // `catch` and `else` continue the block just closed: `} else {`.
        if header.hasPrefix("catch") || header.hasPrefix("else"), let last = lines.last, last == indent + "}" {
            lines[lines.count - 1] = "\(indent)} \(header) {"
        } else {
            line("\(header) {")
        }
        depth += 1
        body(&self)
        depth -= 1
        line("}")
    }

    /// Writes the body one level deeper (for `case` bodies).
    mutating func indented(_ body: (inout CodeBuffer) -> Void) {
        depth += 1
        body(&self)
        depth -= 1
    }

    /// Writes the body under `if condition`, unless the condition is statically true
    /// (body written plainly) or false (nothing written).
    mutating func when(_ condition: String, _ body: (inout CodeBuffer) -> Void) {
        switch condition {
        case "true": body(&self)
        case "false": break
        default: block("if \(condition)", body)
        }
    }

    var text: String { lines.joined(separator: "\n") + "\n" }
}
