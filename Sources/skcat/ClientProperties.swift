import KafkaClient
import MSKAuth

/// The `-X key=value` client properties (librdkafka's names, or Java's), with `-b`
/// and `-z`, turned into the library's configurations through its own mapping
/// (`KafkaClientProperties`, the one behind `Configuration(properties:)`), plus the
/// MSK mechanisms. Unknown keys are a usage error, as in kcat, so typos show.
struct ClientProperties: Sendable {
    let parsed: KafkaClientProperties
    /// The properties as given (with -b and -z), for `-X dump`.
    let values: [String: String]

    init(arguments: KcatArguments) throws(UsageError) {
        // Later -X values win, as in kcat; -b and -z win over -X.
        var values: [String: String] = [:]
        for (key, value) in arguments.properties { values[Self.withoutTopicPrefix(key)] = value }
        if let brokers = arguments.brokers {
            values["metadata.broker.list"] = nil
            values["bootstrap.servers"] = brokers
        }
        if let codec = arguments.compression {
            values["compression.type"] = nil
            values["compression.codec"] = codec
        }
        if values["bootstrap.servers"] == nil, values["metadata.broker.list"] == nil {
            throw UsageError("no brokers: give -b host:port or -X bootstrap.servers=host:port")
        }
        self.values = values
        do throws(KafkaError) {
            parsed = try KafkaClientProperties(values, for: .both, saslMechanisms: MSKProperties.mechanisms)
        } catch {
            throw UsageError(error.detail)
        }
    }

    /// kcat sends `-X topic.NAME=...` to librdkafka's topic configuration as NAME
    /// (`topic.acks`, `topic.auto.offset.reset`); the topic settings are the clients' here.
    static func withoutTopicPrefix(_ key: String) -> String {
        guard key.hasPrefix("topic.") else { return key }
        let name = String(key.dropFirst("topic.".count))
        return KafkaClientProperties.supported.contains { $0.names.contains(name) } ? name : key
    }

    /// `-X dump`: each property given and its value (passwords and keys hidden), sorted.
    var dump: String {
        let lines = values.keys.sorted().map { name in
            "\(name) = \(KafkaClientProperties.isSecret(name) ? "[redacted]" : values[name] ?? "")"
        }
        return (["# Client properties"] + lines).joined(separator: "\n")
    }

    /// `-X list`: every property taken, its aliases and the clients it configures.
    static var list: String {
        let rows = KafkaClientProperties.supported.map { definition in
            let aliases = definition.names.dropFirst()
            return "\(definition.name)\(aliases.isEmpty ? "" : " (\(aliases.joined(separator: ", ")))")\t\(definition.scope.label)"
        }
        let extra = MSKProperties.regionNames.map { "\($0)\tproducer and consumer (sasl.mechanism AWS_MSK_IAM or OAUTHBEARER)" }
        return (rows + extra).joined(separator: "\n")
    }

    /// For metadata, offset queries and admin: never creates topics unless asked.
    var cluster: KafkaCluster.Configuration { parsed.consumer.cluster }

    var producer: KafkaProducer.Configuration {
        var configuration = parsed.producer
        // kcat reports an unknown topic rather than creating it, unless asked to.
        if !parsed.isGiven("allow.auto.create.topics") { configuration.cluster.allowAutoTopicCreation = false }
        return configuration
    }

    /// The consumer, in `-G`'s group when given.
    func consumer(groupId overriding: String?) -> KafkaConsumer.Configuration {
        var configuration = parsed.consumer
        if let overriding { configuration.groupId = overriding }
        return configuration
    }

    /// `auto.offset.reset` when given.
    var autoOffsetReset: KafkaAutoOffsetReset? {
        parsed.isGiven("auto.offset.reset") ? parsed.consumer.autoOffsetReset : nil
    }
}
