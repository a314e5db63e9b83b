/// One property's value as given (text, as in a `.properties` file or on kcat's
/// command line), read as the type its setting needs.
///
/// Every reader fails with `.invalidProperty` naming the property and the value,
/// except for secrets, whose value never appears in an error.
struct KafkaPropertyValue: Sendable {
    let name: String
    let text: String

    /// Passwords and private keys: shown as `<hidden>` in errors.
    var isSecret: Bool { KafkaClientProperties.isSecret(name) }

    /// An `.invalidProperty` error for this value.
    func invalid(_ expectation: String) -> KafkaError {
        let shown = isSecret ? "<hidden>" : "\"\(text)\""
        return KafkaError(.invalidProperty, detail: "\(name)=\(shown): \(expectation)", property: name)
    }

    /// `true`/`false`, as librdkafka reads them, plus `1`/`0`, `yes`/`no` and `on`/`off`.
    func bool() throws(KafkaError) -> Bool {
        switch text.lowercased() {
        case "true", "t", "1", "yes", "on": return true
        case "false", "f", "0", "no", "off": return false
        default: throw invalid("expected true or false")
        }
    }

    /// A whole number within `range`.
    func int(in range: ClosedRange<Int>) throws(KafkaError) -> Int {
        guard let number = Int(text.trimmed) else { throw invalid("expected a number in \(range.lowerBound)...\(range.upperBound)") }
        guard range.contains(number) else { throw invalid("out of range \(range.lowerBound)...\(range.upperBound)") }
        return number
    }

    /// A whole number within `range`, for the protocol's 32-bit fields.
    func int32(in range: ClosedRange<Int32>) throws(KafkaError) -> Int32 {
        Int32(try int(in: Int(range.lowerBound)...Int(range.upperBound)))
    }

    /// Milliseconds (every `*.ms` property) within `range`.
    func milliseconds(in range: ClosedRange<Int> = 0...Int(Int32.max)) throws(KafkaError) -> Duration {
        .milliseconds(try int(in: range))
    }

    /// One of `choices`, matched without regard to case.
    func choice<T>(_ choices: KeyValuePairs<String, T>) throws(KafkaError) -> T {
        let wanted = text.trimmed.lowercased()
        guard let match = choices.first(where: { $0.key.lowercased() == wanted }) else {
            throw invalid("expected one of \(choices.map(\.key).joined(separator: ", "))")
        }
        return match.value
    }

    /// A comma-separated list, items trimmed, empty ones dropped.
    var list: [String] {
        text.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
    }
}

extension String {
    /// Without leading and trailing whitespace (Foundation-free).
    var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
