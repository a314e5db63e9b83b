/// Kafka's topic name rules (`Topic.validate` in Kafka): 1 to 249 characters of
/// ASCII letters, digits, '.', '_' and '-', and neither "." nor "..".
public enum TopicNameRules {
    /// The longest legal topic name.
    public static let maximumLength = 249

    /// Why `name` is not a legal topic name, or nil when it is.
    public static func violation(in name: String) -> String? {
        if name.isEmpty { return "a topic name cannot be empty" }
        if name == "." || name == ".." { return "a topic name cannot be \".\" or \"..\"" }
        if name.utf8.count > maximumLength { return "topic name \"\(name)\" is longer than \(maximumLength) characters" }
        let legal = name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        return legal ? nil : "topic name \"\(name)\" may contain only ASCII letters, digits, '.', '_' and '-'"
    }
}
