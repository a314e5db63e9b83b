/// The clients a property configures.
package struct KafkaPropertyScope: OptionSet, Sendable, Hashable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }

    package static let producer = KafkaPropertyScope(rawValue: 1)
    package static let consumer = KafkaPropertyScope(rawValue: 2)
    package static let both: KafkaPropertyScope = [.producer, .consumer]

    /// "producer", "consumer" or "producer and consumer".
    package var label: String {
        switch self {
        case .producer: "producer"
        case .consumer: "consumer"
        default: "producer and consumer"
        }
    }
}

/// One property under its Java or librdkafka name (and the other's, and older
/// aliases), and how its value changes the configurations it applies to.
package struct KafkaPropertyDefinition: Sendable {
    /// The name first, then aliases (librdkafka's where Java's differs, or the reverse).
    package let names: [String]
    package let scope: KafkaPropertyScope
    /// Sets the value on `properties`' producer and/or consumer configuration. Errors
    /// other than `KafkaError` are reported as an invalid value.
    let apply: @Sendable (KafkaPropertyValue, inout KafkaClientProperties) throws -> Void

    init(_ names: String..., scope: KafkaPropertyScope,
         apply: @escaping @Sendable (KafkaPropertyValue, inout KafkaClientProperties) throws -> Void) {
        self.names = names
        self.scope = scope
        self.apply = apply
    }

    /// The name properties are known by (the first of `names`).
    package var name: String { names[0] }
}

extension KafkaPropertyDefinition {
    /// Every property either client takes, by each of its names.
    static let byName: [String: KafkaPropertyDefinition] = {
        var table: [String: KafkaPropertyDefinition] = [:]
        for definition in KafkaClientProperties.definitions {
            for name in definition.names {
                precondition(table[name] == nil, "property \(name) defined twice")
                table[name] = definition
            }
        }
        return table
    }()
}
