extension KafkaProducer.Configuration {
    /// A producer configuration from properties under their Java or librdkafka names
    /// (`bootstrap.servers`, `acks`, `linger.ms`, `security.protocol`, `sasl.*`, `ssl.*`, ...);
    /// settings not named keep their defaults. The README lists every property taken.
    ///
    /// ```swift
    /// let configuration = try KafkaProducer.Configuration(properties: [
    ///     "bootstrap.servers": "localhost:9092", "acks": "all", "linger.ms": "10",
    /// ])
    /// ```
    ///
    /// - Throws: `.unknownProperty` for a name the producer does not take (a typo, or a
    ///   consumer property such as `group.id`); `.invalidProperty` for a value it cannot
    ///   use, a missing `bootstrap.servers`, or settings that contradict each other
    ///   (`enable.idempotence=true` with `acks=1`). `KafkaError.property` names the property.
    public init(properties: [String: String]) throws(KafkaError) {
        self = try KafkaClientProperties(properties, for: .producer).producer
    }
}

extension KafkaConsumer.Configuration {
    /// A consumer configuration from properties under their Java or librdkafka names
    /// (`bootstrap.servers`, `group.id`, `auto.offset.reset`, `isolation.level`, `sasl.*`, ...);
    /// settings not named keep their defaults. The README lists every property taken.
    ///
    /// - Throws: `.unknownProperty` for a name the consumer does not take (a typo, or a
    ///   producer property such as `acks`); `.invalidProperty` for a value it cannot use
    ///   or a missing `bootstrap.servers`. `KafkaError.property` names the property.
    public init(properties: [String: String]) throws(KafkaError) {
        self = try KafkaClientProperties(properties, for: .consumer).consumer
    }
}
