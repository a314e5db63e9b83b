import Foundation

// The graph's JSON (`skcat lineage -J`): ids as lowercase strings and latencies in
// milliseconds, like the hop records on the lineage topic.
extension LineageGraph: Encodable {
    enum CodingKeys: String, CodingKey {
        case correlationId, services, events, edges, endToEndMs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.id(correlationId), forKey: .correlationId)
        try container.encode(services, forKey: .services)
        try container.encode(events, forKey: .events)
        try container.encode(edges, forKey: .edges)
        try container.encodeIfPresent(endToEnd.map(Self.wholeMilliseconds), forKey: .endToEndMs)
    }

    /// The graph as one line of JSON.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and arrays of them always encode.
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    static func wholeMilliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}

extension LineageGraph.Event: Encodable {
    enum CodingKeys: String, CodingKey {
        case eventId, causationId, eventType, producer, topic, partition, offset, producedAt, produceRecorded, consumptions, deadLetters
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(LineageGraph.id(eventId), forKey: .eventId)
        try container.encodeIfPresent(causationId.map(LineageGraph.id), forKey: .causationId)
        try container.encodeIfPresent(eventType, forKey: .eventType)
        try container.encode(producer, forKey: .producer)
        try container.encode(topic, forKey: .topic)
        try container.encode(partition, forKey: .partition)
        try container.encodeIfPresent(offset, forKey: .offset)
        try container.encode(producedAt, forKey: .producedAt)
        try container.encode(produceRecorded, forKey: .produceRecorded)
        try container.encode(consumptions, forKey: .consumptions)
        if !deadLetters.isEmpty { try container.encode(deadLetters, forKey: .deadLetters) }
    }
}

extension LineageGraph.Consumption: Encodable {
    enum CodingKeys: String, CodingKey {
        case service, consumerGroup, offset, consumedAt, latencyMs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(service, forKey: .service)
        try container.encodeIfPresent(consumerGroup, forKey: .consumerGroup)
        try container.encodeIfPresent(offset, forKey: .offset)
        try container.encode(consumedAt, forKey: .consumedAt)
        try container.encode(LineageGraph.wholeMilliseconds(latency), forKey: .latencyMs)
    }
}

extension LineageGraph.DeadLetter: Encodable {
    enum CodingKeys: String, CodingKey {
        case service, consumerGroup, topic, errorClass, at
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(service, forKey: .service)
        try container.encodeIfPresent(consumerGroup, forKey: .consumerGroup)
        try container.encode(topic, forKey: .topic)
        try container.encodeIfPresent(errorClass, forKey: .errorClass)
        try container.encode(at, forKey: .at)
    }
}

extension LineageGraph.Edge: Encodable {
    enum CodingKeys: String, CodingKey { case cause, effect }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(LineageGraph.id(cause), forKey: .cause)
        try container.encode(LineageGraph.id(effect), forKey: .effect)
    }
}
