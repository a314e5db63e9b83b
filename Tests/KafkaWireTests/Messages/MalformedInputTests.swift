import KafkaTestSupport
import KafkaWire
import Testing

/// Hostile input: every truncation of valid encodings, random corruptions and absurd
/// counts must give a `KafkaWireError` (or a clean decode), never a crash.
@Suite struct MalformedInputTests {
    static let representative = [
        "ProduceRequest", "ProduceResponse", "FetchRequest", "FetchResponse", "MetadataRequest", "MetadataResponse",
        "ApiVersionsResponse", "JoinGroupRequest", "JoinGroupResponse", "SyncGroupResponse", "OffsetCommitRequest",
        "OffsetFetchResponse", "ConsumerGroupHeartbeatResponse", "DescribeTopicPartitionsResponse",
        "CreateTopicsRequest", "DescribeConfigsResponse", "RequestHeader", "ConsumerProtocolSubscription",
        "ConsumerProtocolAssignment",
    ]

    @Test(arguments: representative)
    func everyTruncationFails(_ name: String) throws {
        var visitor = TruncationSweep()
        #expect(try visitMessageSample(named: name, &visitor))
        #expect(visitor.truncations > 0)
    }

    @Test(arguments: representative)
    func randomCorruptionNeverCrashes(_ name: String) throws {
        var visitor = CorruptionSweep(random: SeededRandom(seed: 0xC0FFEE ^ UInt64(name.utf8.count)))
        #expect(try visitMessageSample(named: name, &visitor))
        // Corrupted inputs mostly fail; some decode to other valid values.
        #expect(visitor.failed > 0)
        #expect(visitor.failed + visitor.decoded == visitor.attempts)
    }

    @Test func hugeArrayCountIsRefusedBeforeAllocating() {
        // ProduceRequest v3: transactionalId null, acks, timeout, then a topic count of Int32.max.
        let bytes: [UInt8] = [0xFF, 0xFF, 0, 1, 0, 0, 0x75, 0x30, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0]
        var reader = WireReader(bytes)
        #expect {
            try ProduceRequest(from: &reader, version: 3)
        } throws: { error in
            let wire = error as? KafkaWireError
            return wire?.code == .invalidLength && wire?.field == "topicData" && wire?.messageName == "ProduceRequest"
        }
        // A compact count of 2^32-2 in FetchResponse v12 (throttle, error, session id, responses).
        let compact: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F]
        var compactReader = WireReader(compact)
        #expect {
            try FetchResponse(from: &compactReader, version: 12)
        } throws: { error in
            (error as? KafkaWireError)?.code == .invalidLength && (error as? KafkaWireError)?.field == "responses"
        }
    }

    @Test func negativeLengthsAreRefused() {
        // MetadataRequest v1 with topic count -2.
        var reader = WireReader([0xFF, 0xFF, 0xFF, 0xFE])
        #expect {
            try MetadataRequest(from: &reader, version: 1)
        } throws: { error in
            (error as? KafkaWireError)?.code == .invalidLength
        }
    }

    @Test func nestedErrorsCarryTheFieldPath() throws {
        var partition = FetchResponse.FetchableTopicResponse.PartitionData()
        partition.records = [1, 2, 3, 4]
        var topic = FetchResponse.FetchableTopicResponse()
        topic.topic = "t"
        topic.partitions = [partition]
        var response = FetchResponse()
        response.responses = [topic]
        var writer = WireWriter()
        try response.encode(into: &writer, version: 11)
        // Cut inside the records bytes (the last field of the only partition).
        var reader = WireReader(Array(writer.bytes.dropLast(2)))
        #expect {
            try FetchResponse(from: &reader, version: 11)
        } throws: { error in
            let wire = error as? KafkaWireError
            return wire?.field == "responses.partitions.records" && wire?.apiKey == 1 && wire?.version == 11
                && wire?.messageName == "FetchResponse"
        }
    }
}

private struct TruncationSweep: MessageSampleVisitor {
    var truncations = 0

    mutating func visit<M: SampleBuildable>(_: M.Type) throws {
        for version in M.validVersions {
            var source = SampleSource(seed: UInt64(version) &+ 17)
            var writer = WireWriter()
            try M.sample(version: version, using: &source).encode(into: &writer, version: version)
            for length in 0..<writer.count {
                var reader = WireReader(Array(writer.bytes.prefix(length)))
                do {
                    _ = try M(from: &reader, version: version)
                    Issue.record("\(M.messageName) v\(version) decoded from \(length) of \(writer.count) bytes")
                } catch {
                    #expect(error.messageName == M.messageName && error.version == version)
                }
                truncations += 1
            }
        }
    }
}

private struct CorruptionSweep: MessageSampleVisitor {
    var random: SeededRandom
    var attempts = 0
    var failed = 0
    var decoded = 0

    mutating func visit<M: SampleBuildable>(_: M.Type) throws {
        for version in M.validVersions {
            var source = SampleSource(seed: UInt64(version) &+ 99)
            var writer = WireWriter()
            try M.sample(version: version, using: &source).encode(into: &writer, version: version)
            guard writer.count > 0 else { continue }
            for _ in 0..<150 {
                var bytes = writer.bytes
                for _ in 0...(random.next() % 3) {
                    let index = Int(random.next() % UInt64(bytes.count))
                    bytes[index] = random.next() & 1 == 0 ? UInt8(truncatingIfNeeded: random.next()) : 0xFF
                }
                attempts += 1
                var reader = WireReader(bytes)
                do {
                    let value = try M(from: &reader, version: version)
                    decoded += 1
                    // Whatever decoded must encode again (or refuse with a typed error).
                    var again = WireWriter()
                    try? value.encode(into: &again, version: version)
                } catch {
                    failed += 1
                }
            }
        }
    }
}
