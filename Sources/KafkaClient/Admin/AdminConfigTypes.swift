/// Something with configurations: a topic, a broker, a broker's loggers.
public struct ConfigResource: Sendable, Hashable, CustomStringConvertible {
    /// The kind of resource (Kafka's `ConfigResource.Type` codes).
    public enum Kind: Int8, Sendable, Hashable {
        /// A topic.
        case topic = 2
        /// A broker, or the cluster-wide broker default (name "").
        case broker = 4
        /// A broker's log4j loggers.
        case brokerLogger = 8
        /// Client metrics subscriptions (KIP-714).
        case clientMetrics = 16
        /// A consumer or share group (KIP-848).
        case group = 32
    }

    /// The kind of resource.
    public var kind: Kind
    /// The topic name, or the broker id as text ("" for a cluster-wide broker default).
    public var name: String

    /// The resource of `kind` named `name`.
    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    /// A topic's configuration.
    public static func topic(_ name: String) -> ConfigResource { ConfigResource(.topic, name) }
    /// A broker's configuration.
    public static func broker(_ id: Int32) -> ConfigResource { ConfigResource(.broker, "\(id)") }

    /// The kind and the name, as in `topic orders`.
    public var description: String { "\(kind) \(name)" }
}

/// Where a configuration value comes from (Kafka's `ConfigSource`).
public enum ConfigSource: Int8, Sendable, Hashable {
    /// The broker did not say.
    case unknown = 0
    /// Set on the topic.
    case dynamicTopicConfig = 1
    /// Set dynamically on this broker.
    case dynamicBrokerConfig = 2
    /// Set dynamically as the default of every broker.
    case dynamicDefaultBrokerConfig = 3
    /// From the broker's `server.properties`.
    case staticBrokerConfig = 4
    /// Kafka's default.
    case defaultConfig = 5
    /// Set dynamically on a broker's logger.
    case dynamicBrokerLoggerConfig = 6
    /// A client metrics subscription's.
    case clientMetricsConfig = 7
    /// Set on the group.
    case groupConfig = 8
}

/// One configuration value, with where it comes from and what it overrides.
public struct ConfigEntry: Sendable, Hashable {
    /// The configuration's name, such as `retention.ms`.
    public var name: String
    /// Nil for sensitive values and unset ones.
    public var value: String?
    /// Where the value comes from.
    public var source: ConfigSource
    /// True when the value cannot be altered.
    public var isReadOnly: Bool
    /// True for passwords and keys, whose values are never returned.
    public var isSensitive: Bool
    /// True when the value is the default (the source is `.defaultConfig`).
    public var isDefault: Bool
    /// The values this one overrides, most specific first (KIP-226), when asked for.
    public var synonyms: [ConfigSynonym]
}

/// A value a configuration entry overrides, and where that one comes from.
public struct ConfigSynonym: Sendable, Hashable {
    /// The overridden configuration's name (often a broker default's, such as `log.retention.ms`).
    public var name: String
    /// The overridden value; nil when sensitive.
    public var value: String?
    /// Where the overridden value comes from.
    public var source: ConfigSource
}

/// One change for `incrementalAlterConfigs` (KIP-339).
public struct AlterConfigOp: Sendable, Hashable {
    /// What an operation does to the value.
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

    /// The configuration to change.
    public var name: String
    /// How it changes.
    public var operation: Operation
    /// The value set, appended or subtracted; nil for `.delete`.
    public var value: String?

    /// A change of configuration `name`.
    public init(name: String, operation: Operation, value: String? = nil) {
        self.name = name
        self.operation = operation
        self.value = value
    }

    /// Sets `name` to `value`.
    public static func set(_ name: String, _ value: String) -> AlterConfigOp { AlterConfigOp(name: name, operation: .set, value: value) }
    /// Removes the override of `name`, back to its default.
    public static func delete(_ name: String) -> AlterConfigOp { AlterConfigOp(name: name, operation: .delete) }
    /// Adds `value` to the list configuration `name`.
    public static func append(_ name: String, _ value: String) -> AlterConfigOp { AlterConfigOp(name: name, operation: .append, value: value) }
    /// Removes `value` from the list configuration `name`.
    public static func subtract(_ name: String, _ value: String) -> AlterConfigOp {
        AlterConfigOp(name: name, operation: .subtract, value: value)
    }
}
