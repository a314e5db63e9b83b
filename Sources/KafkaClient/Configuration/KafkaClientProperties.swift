/// Configuration properties under their Java and librdkafka names, turned into a
/// producer and a consumer configuration: the one mapping behind
/// `KafkaProducer.Configuration(properties:)`, `KafkaConsumer.Configuration(properties:)`
/// and skcat's `-X key=value`.
///
/// A name neither client knows is an `.unknownProperty` error, as in librdkafka
/// (and so kcat), rather than a warning, so a typo never passes unnoticed. The same
/// goes for a property of the other client when only one is being configured.
package struct KafkaClientProperties: Sendable {
    /// The producer the properties describe (its defaults where none was given).
    package var producer: KafkaProducer.Configuration
    /// The consumer the properties describe.
    package var consumer: KafkaConsumer.Configuration
    /// The canonical names of the properties given.
    package private(set) var given: Set<String> = []
    /// The security settings, applied to both clusters once every property is read.
    var security = KafkaSecurityProperties()

    /// Reads `properties` for the clients in `clients`.
    ///
    /// - Parameter saslMechanisms: mechanisms a module above this one offers for
    ///   `sasl.mechanism` (MSKAuth's), with the extra properties they read.
    /// - Throws: `.unknownProperty` for a name neither client (or no client in
    ///   `clients`) knows; `.invalidProperty` for a value out of place, a missing
    ///   `bootstrap.servers`, or settings that contradict each other.
    package init(_ properties: [String: String], for clients: KafkaPropertyScope,
                 saslMechanisms: [KafkaPropertySASLMechanism] = []) throws(KafkaError) {
        producer = KafkaProducer.Configuration(bootstrapServers: [])
        consumer = KafkaConsumer.Configuration(bootstrapServers: [])
        let extensionNames = Set(saslMechanisms.flatMap(\.properties))
        // Sorted so that the outcome never depends on a dictionary's order.
        for name in properties.keys.sorted() {
            let value = KafkaPropertyValue(name: name, text: properties[name] ?? "")
            if extensionNames.contains(name) {
                security.sasl[name] = value.text
                continue
            }
            guard let definition = KafkaPropertyDefinition.byName[name] else {
                throw KafkaError(.unknownProperty, detail: "\(name): no such configuration property", property: name)
            }
            guard !definition.scope.isDisjoint(with: clients) else {
                throw KafkaError(.unknownProperty, detail: "\(name) is a \(definition.scope.label) property, "
                                 + "not one of a \(clients.label)", property: name)
            }
            do {
                try definition.apply(value, &self)
            } catch let error as KafkaError {
                throw error
            } catch {
                throw value.invalid("\(error)")
            }
            given.insert(definition.name)
        }
        try finish(clients: clients, saslMechanisms: saslMechanisms)
    }

    /// Whether the property called `name` (or one of its aliases) was given.
    package func isGiven(_ name: String) -> Bool {
        guard let definition = KafkaPropertyDefinition.byName[name] else { return false }
        return given.contains(definition.name)
    }

    /// Whether `name` holds a password or a private key, whose value must never be shown.
    package static func isSecret(_ name: String) -> Bool {
        name.contains("password") || name.contains("secret") || name == "ssl.key.pem"
    }

    /// Every property either client takes.
    package static var supported: [KafkaPropertyDefinition] { definitions }

    static let definitions: [KafkaPropertyDefinition] = connectionDefinitions + securityDefinitions
        + producerDefinitions + consumerDefinitions

    /// Applies `body` to the cluster settings of both clients.
    mutating func clusters(_ body: (inout KafkaCluster.Configuration) throws -> Void) rethrows {
        try body(&producer.cluster)
        try body(&consumer.cluster)
    }

    /// The checks and settings that depend on several properties together.
    private mutating func finish(clients: KafkaPropertyScope, saslMechanisms: [KafkaPropertySASLMechanism]) throws(KafkaError) {
        guard !producer.cluster.bootstrapServers.isEmpty else {
            throw KafkaError(.invalidProperty, detail: "bootstrap.servers: no brokers given", property: "bootstrap.servers")
        }
        let security = try self.security.resolve(saslMechanisms: saslMechanisms)
        clusters {
            $0.connection.tls = security.tls
            $0.connection.sasl = security.sasl
        }
        if clients.contains(.producer) { try finishProducer() }
        if clients.contains(.consumer) { finishConsumer() }
    }
}

/// A SASL mechanism that a module above KafkaClient offers for `sasl.mechanism`
/// (MSKAuth's `AWS_MSK_IAM`), and the properties it reads besides the standard ones.
package struct KafkaPropertySASLMechanism: Sendable {
    /// The `sasl.mechanism` value that selects it, upper case.
    package var name: String
    /// Extra property names it reads (such as `sasl.aws.region`); accepted only when it is offered.
    package var properties: [String]
    /// Builds the mechanism from the `sasl.*` values given (standard and extra ones).
    package var make: @Sendable (_ values: [String: String]) throws(KafkaError) -> any SASLMechanism

    package init(name: String, properties: [String],
                 make: @escaping @Sendable (_ values: [String: String]) throws(KafkaError) -> any SASLMechanism) {
        self.name = name
        self.properties = properties
        self.make = make
    }
}
