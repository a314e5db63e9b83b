import Foundation
import KafkaClient
import KafkaWire
import Testing
@testable import KafkaTracking

@Suite("Tracking: lineage headers, sequences and retries without a broker")
struct LineageMetadataTests {
    static let event = UUID(uuidString: "6f1c2a4e-8d3b-4f5a-9c7e-1b2d3e4f5a6b")!
    static let flow = UUID(uuidString: "0a0b0c0d-0e0f-4011-8213-141516171819")!
    static let cause = UUID(uuidString: "11111111-2222-4333-8444-555555555555")!

    static let full = LineageMetadata(eventId: event, correlationId: flow, causationId: cause, sourceService: "orders",
                                      eventType: "OrderPlacedEvent", schemaVersion: 2, producedAt: 1_700_000_000_123,
                                      sequence: ProducerSequence(producerId: "p-1", number: 41))

    @Test("lineage round-trips through headers in both forms; other headers are kept; stale lineage headers of either form are replaced")
    func roundTrip() throws {
        let stale = LineageMetadata(sourceService: "old", producedAt: 1)
        let others = [KafkaHeader(key: "trace", value: Array("t".utf8))]
        for format in [LineageMetadata.HeaderFormat.compact, .perField] {
            let headers = Self.full.stamped(onto: others + stale.headers(format: .compact) + stale.headers(format: .perField), format: format)
            #expect(headers.first?.key == "trace")
            #expect(headers.count == 1 + Self.full.headers(format: format).count)
            #expect(try LineageMetadata(headers: headers) == Self.full)
            #expect(try LineageMetadata(headers: Self.full.stamped(onto: [], format: format)) == Self.full)
        }
        #expect(Self.full.headers.map(\.key) == [LineageMetadata.Header.compact])
        #expect(Self.full.headers(format: .perField).count == 9)
        let minimal = LineageMetadata(eventId: Self.event, sourceService: "s", producedAt: -5)
        #expect(try LineageMetadata(headers: minimal.headers) == minimal)
    }

    @Test("the compact form: one header, fields in the documented layout (version 2)")
    func compactLayout() throws {
        let value = try #require(Self.full.headers.first?.value)
        // version, flags, three ids, produced-at (a 6-byte varint), schema and sequence (one byte each),
        // "p-1" (a producer id that is no UUID goes as text), "orders", "OrderPlacedEvent"
        let size: Int = 2 + 3 * 16 + 6 + 1 + 1 + (1 + 3) + (1 + 6) + (1 + 16)
        #expect(value.count == size)
        #expect(Array(value.prefix(2)) == [2, 0x2F], "version 2; correlation, causation, type, schema, text producer id")
        #expect(Array(value.dropFirst(2).prefix(16)) == withUnsafeBytes(of: Self.event.uuid) { Array($0) })
        // A flow's first event carries its id once: the correlation id is the event id.
        let first = LineageMetadata(eventId: Self.event, sourceService: "s", producedAt: 0)
        let firstSize: Int = 2 + 16 + 1 + 2   // version, flags, event id, produced-at, "s"
        #expect(first.headers.first?.value?.count == firstSize)
        // A producer's pre-encoded fields are used when they match, ignored when they do not.
        let own = CompactLineage.ProducerFields(sourceService: "orders", producerId: "p-1")
        let foreign = CompactLineage.ProducerFields(sourceService: "payments", producerId: "p-2")
        #expect(CompactLineage.encode(Self.full, fields: own) == Array(value))
        #expect(try CompactLineage.decode(CompactLineage.encode(Self.full, fields: foreign)[...]) == Self.full)
        // Bytes a later version appends are ignored.
        let extended = KafkaHeader(key: LineageMetadata.Header.compact, value: Array(value) + [9, 9, 9])
        #expect(try LineageMetadata(headers: [extended]) == Self.full)
    }

    @Test("a producer id in a UUID's lowercase text form goes as 16 bytes; any other text as text, read back unchanged")
    func compactProducerId() throws {
        let instance = "0a0b0c0d-0e0f-4011-8213-141516171819"
        var lineage = LineageMetadata(eventId: Self.event, sourceService: "kafka-bench", producedAt: 1_700_000_000_123,
                                      sequence: ProducerSequence(producerId: instance, number: 200_000))
        let value = try #require(lineage.headers.first?.value)
        // version, flags, event id, produced-at, sequence (3-byte varint), producer id, "kafka-bench"
        #expect(value.count == 2 + 16 + 6 + 3 + 16 + (1 + 11))
        #expect(value[value.startIndex + 1] == 0x10)
        #expect(try LineageMetadata(headers: lineage.headers) == lineage)
        for text in [instance.uppercased(), "{\(instance)}", "0a0b0c0d0e0f40118213141516171819", ""] {
            lineage.sequence?.producerId = text
            let encoded = try #require(lineage.headers.first?.value)
            #expect(encoded[encoded.startIndex + 1] == 0x20, "\(text) goes as text")
            #expect(try LineageMetadata(headers: lineage.headers) == lineage)
        }
        // Negative numbers keep their 64-bit pattern (ten varint bytes) and read back.
        let negative = LineageMetadata(eventId: Self.event, sourceService: "s", schemaVersion: -1, producedAt: -5,
                                       sequence: ProducerSequence(producerId: instance, number: -7))
        #expect(try LineageMetadata(headers: negative.headers) == negative)
    }

    @Test("version 1 of the compact form (8-byte integers, producer id as text) is still read")
    func compactVersion1() throws {
        func fixed(_ value: Int64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
        func text(_ value: String) -> [UInt8] { [UInt8(value.utf8.count)] + Array(value.utf8) }
        func raw(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }
        // As the version 1 writer laid `full` out: ids, produced-at, schema, sequence, source, producer id, type.
        let version1: [UInt8] = [1, 0x1F] + raw(Self.event) + raw(Self.flow) + raw(Self.cause) + fixed(1_700_000_000_123)
            + fixed(2) + fixed(41) + text("orders") + text("p-1") + text("OrderPlacedEvent")
        #expect(try LineageMetadata(headers: [KafkaHeader(key: LineageMetadata.Header.compact, value: version1)]) == Self.full)
        let minimal: [UInt8] = [1, 0] + raw(Self.event) + fixed(-5) + text("s")
        #expect(try LineageMetadata(headers: [KafkaHeader(key: LineageMetadata.Header.compact, value: minimal)])
                == LineageMetadata(eventId: Self.event, sourceService: "s", producedAt: -5))
        #expect { try LineageMetadata(headers: [KafkaHeader(key: LineageMetadata.Header.compact, value: Array(version1.prefix(55)))]) }
            throws: { ($0 as? LineageError)?.reason.contains("produced-at") == true }
    }

    @Test("no lineage is nil; malformed lineage of either form is a typed error naming the header")
    func malformed() throws {
        #expect(try LineageMetadata(headers: [KafkaHeader(key: "other", value: nil)]) == nil)
        var headers = LineageMetadata(sourceService: "s", producedAt: 5).headers(format: .perField)
        headers[headers.firstIndex { $0.key == LineageMetadata.Header.correlationId }!].value = Array("not-a-uuid".utf8)[...]
        #expect { try LineageMetadata(headers: headers) } throws: { ($0 as? LineageError)?.header == LineageMetadata.Header.correlationId }
        let missingSource = LineageMetadata(sourceService: "s", producedAt: 5).headers(format: .perField)
            .filter { $0.key != LineageMetadata.Header.sourceService }
        #expect { try LineageMetadata(headers: missingSource) } throws: { ($0 as? LineageError)?.header == LineageMetadata.Header.sourceService }

        let value = Array(try #require(Self.full.headers.first?.value))
        let compact = LineageMetadata.Header.compact
        // The last one: a produced-at varint longer than 64 bits.
        let overlong: [UInt8] = [2, 0] + [UInt8](repeating: 0, count: 16) + [UInt8](repeating: 0xFF, count: 11)
        for broken: [UInt8]? in [nil, [], [3] + value.dropFirst(), Array(value.prefix(value.count - 1)), Array(value.prefix(20)), overlong] {
            #expect { try LineageMetadata(headers: [KafkaHeader(key: compact, value: broken)]) } throws: {
                ($0 as? LineageError)?.header == compact
            }
        }
        var badText = Array(try #require(LineageMetadata(eventId: Self.event, sourceService: "s", producedAt: 0).headers.first?.value))
        badText[badText.count - 1] = 0xFF   // the source service's one byte
        #expect { try LineageMetadata(headers: [KafkaHeader(key: compact, value: badText)]) } throws: {
            ($0 as? LineageError)?.reason.contains("UTF-8") == true
        }
    }

    @Test("a flow's first event is its own correlation id")
    func firstEventCorrelation() {
        let first = LineageMetadata(eventId: Self.event, sourceService: "customers", producedAt: 0)
        #expect(first.correlationId == Self.event)
        #expect(first.causationId == nil)
    }

    @Test("the retry policy waits 1 s, 2 s, 4 s by default")
    func retryDelays() {
        let policy = RetryPolicy()
        #expect(policy.maxRetries == 3)
        #expect((1...3).map(policy.delay(beforeRetry:)) == [.seconds(1), .seconds(2), .seconds(4)])
        #expect(RetryPolicy(initialBackoff: .milliseconds(10), multiplier: 3).delay(beforeRetry: 3) == .milliseconds(90))
    }

    static func message(topic: String = "t", partition: Int32 = 0, offset: Int64, producer: String, number: Int64) -> KafkaConsumerMessage {
        let lineage = LineageMetadata(sourceService: "s", producedAt: 0, sequence: ProducerSequence(producerId: producer, number: number))
        return KafkaConsumerMessage(topic: topic, partition: partition, offset: offset, key: nil, value: nil, headers: lineage.headers,
                                    timestamp: 0, timestampType: .createTime, leaderEpoch: -1)
    }

    @Test("the loss detector reports a gap and a duplicate the moment the next record shows them, per producer and partition")
    func lossDetector() {
        let detector = LossDetector()
        #expect(detector.observe(Self.message(offset: 0, producer: "a", number: 5)).isEmpty)   // baseline mid-stream
        #expect(detector.observe(Self.message(offset: 1, producer: "a", number: 6)).isEmpty)
        #expect(detector.observe(Self.message(offset: 2, producer: "b", number: 0)).isEmpty)   // another producer
        #expect(detector.observe(Self.message(partition: 1, offset: 0, producer: "a", number: 0)).isEmpty)  // another partition
        let gap = detector.observe(Self.message(offset: 3, producer: "a", number: 9))
        #expect(gap.map(\.kind) == [.gap(missing: 7..<9)])
        #expect(gap.first?.offset == 3 && gap.first?.producerId == "a")
        let duplicate = detector.observe(Self.message(offset: 4, producer: "a", number: 9))
        #expect(duplicate.map(\.kind) == [.duplicate(number: 9)])
        #expect(detector.observe(Self.message(offset: 5, producer: "a", number: 10)).isEmpty)
    }
}
