import KafkaTestSupport
import KafkaWire

/// A generated message type that can build a sample of itself for any version.
protocol SampleBuildable: KafkaMessage {
    /// A value whose every field present in `version` differs from its default.
    static func sample(version: Int16, using source: inout SampleSource) -> Self
}

/// Receives generated message types one at a time (see `visitMessageSample`).
protocol MessageSampleVisitor {
    mutating func visit<M: SampleBuildable>(_ type: M.Type) throws
}

/// Receives a generated request type, whose `Response` is the matching response.
protocol ApiVisitor {
    mutating func visit<R: KafkaRequest>(_ type: R.Type) throws
}

/// Deterministic values for generated samples; each call gives a fresh one.
struct SampleSource {
    var random: SeededRandom

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    /// A value of `type` other than `avoided` (and other than zero, which is often a default too).
    mutating func next<T: FixedWidthInteger>(_ type: T.Type, avoiding avoided: T) -> T {
        while true {
            let value = T(truncatingIfNeeded: random.next())
            if value != avoided && value != 0 { return value }
        }
    }

    mutating func bool() -> Bool { random.next() & 1 == 1 }

    mutating func double() -> Double { Double(random.next() % 1_000_000) / 8 + 0.5 }

    mutating func string() -> String { random.alphanumeric(count: 1 + Int(random.next() % 12)) }

    mutating func bytes() -> [UInt8] { random.bytes(count: 1 + Int(random.next() % 24)) }

    mutating func uuid() -> KafkaUUID { KafkaUUID(high: random.next() | 1, low: random.next()) }

    /// One or two unknown tagged fields with tags from `firstTag` up, in tag order.
    mutating func unknownTaggedFields(firstTag: Int) -> [KafkaTaggedField] {
        let base = UInt32(firstTag) + UInt32(random.next() % 3)
        var fields = [KafkaTaggedField(tag: base, data: random.bytes(count: Int(random.next() % 4)))]
        if random.next() & 1 == 1 {
            fields.append(KafkaTaggedField(tag: base + 200, data: random.bytes(count: 130)))
        }
        return fields
    }
}
