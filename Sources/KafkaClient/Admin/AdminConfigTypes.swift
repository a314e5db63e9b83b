/// Something with configurations: a topic, a broker, a broker's loggers.
public struct ConfigResource: Sendable, Hashable, CustomStringConvertible {
    /// The kind of resource (Kafka's `ConfigResource.Type` codes).
    public enum Kind: Int8, Sendable, Hashable {
        case topic = 2
        case broker = 4
        case brokerLogger = 8
        case clientMetrics = 16
        case group = 32
    }

    public var kind: Kind
    /// The topic name, or the broker id as text ("" for a cluster-wide broker default).
    public var name: String

    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    /// A topic's configuration.
    public static func topic(_ name: String) -> ConfigResource { ConfigResource(.topic, name) }
    /// A broker's configuration.
    public static func broker(_ id: Int32) -> ConfigResource { ConfigResource(.broker, "\(id)") }

    public var description: String { "\(kind) \(name)" }
}

/// Where a configuration value comes from (Kafka's `ConfigSource`).
public enum ConfigSource: Int8, Sendable, Hashable {
    case unknown = 0
    case dynamicTopicConfig = 1
    case dynamicBrokerConfig = 2
    case dynamicDefaultBrokerConfig = 3
    case staticBrokerConfig = 4
    case defaultConfig = 5
    case dynamicBrokerLoggerConfig = 6
    case clientMetricsConfig = 7
    case groupConfig = 8
}

/// One configuration value, with where it comes from and what it overrides.
public struct ConfigEntry: Sendable, Hashable {
    public var name: String
    /// Nil for sensitive values and unset ones.
    public var value: String?
    public var source: ConfigSource
    public var isReadOnly: Bool
    public var isSensitive: Bool
    /// True when the value is the default (the source is `.defaultConfig`).
    public var isDefault: Bool
    /// The values this one overrides, most specific first (KIP-226), when asked for.
    public var synonyms: [ConfigSynonym]
}

/// A value a configuration entry overrides, and where that one comes from.
public struct ConfigSynonym: Sendable, Hashable {
    public var name: String
    public var value: String?
    public var source: ConfigSource
}

/// One change for `incrementalAlterConfigs` (KIP-339).
public struct AlterConfigOp: Sendable, Hashable {
    public enum Operation: Int8, Sendable, Hashable {
        /// Sets the value.
        case set = 0
        /// Removes the override, back to the default.
        case delete = 1
        /// Adds to a list value.
        case append = 2
        /// Removes from a list value.
        case subtract = 3
    }

    public var name: String
    public var operation: Operation
    public var value: String?

    public init(name: String, operation: Operation, value: String? = nil) {
        self.name = name
        self.operation = operation
        self.value = value
    }

    public static func set(_ name: String, _ value: String) -> AlterConfigOp { AlterConfigOp(name: name, operation: .set, value: value) }
    public static func delete(_ name: String) -> AlterConfigOp { AlterConfigOp(name: name, operation: .delete) }
    public static func append(_ name: String, _ value: String) -> AlterConfigOp { AlterConfigOp(name: name, operation: .append, value: value) }
    public static func subtract(_ name: String, _ value: String) -> AlterConfigOp {
        AlterConfigOp(name: name, operation: .subtract, value: value)
    }
}
