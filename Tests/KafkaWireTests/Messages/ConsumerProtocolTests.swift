import KafkaWire
import Testing

/// The versioned consumer-protocol payloads carried inside JoinGroup/SyncGroup.
@Suite struct ConsumerProtocolTests {
    @Test func subscriptionV0Layout() throws {
        let subscription = ConsumerProtocolSubscription(topics: ["ab"], userData: nil)
        let bytes = try subscription.encodeVersioned(version: 0)
        // version 0, one topic "ab", null user data.
        #expect(bytes == [0, 0, 0, 0, 0, 1, 0, 2, 0x61, 0x62, 0xFF, 0xFF, 0xFF, 0xFF])
        let (decoded, version) = try ConsumerProtocolSubscription.decodeVersioned(bytes)
        #expect(decoded == subscription && version == 0)
    }

    @Test func assignmentRoundTripsAtEveryVersion() throws {
        let assignment = ConsumerProtocolAssignment(
            assignedPartitions: [ConsumerProtocolAssignment.TopicPartition(topic: "t", partitions: [0, 2, 5])],
            userData: [9, 8]
        )
        for version in ConsumerProtocolAssignment.validVersions {
            let (decoded, decodedVersion) = try ConsumerProtocolAssignment.decodeVersioned(try assignment.encodeVersioned(version: version))
            #expect(decoded == assignment && decodedVersion == version)
        }
    }

    @Test func newerVersionsAreReadAtTheNewestKnownOne() throws {
        let newest = ConsumerProtocolSubscription.validVersions.upperBound
        let subscription = ConsumerProtocolSubscription(topics: ["a"], generationId: 4, rackId: "r")
        var bytes = try subscription.encodeVersioned(version: newest)
        bytes[1] &+= 1                     // claim a future version
        bytes += [0xAA, 0xBB]             // with fields this library does not know
        let (decoded, version) = try ConsumerProtocolSubscription.decodeVersioned(bytes)
        #expect(decoded == subscription && version == newest + 1)
    }

    @Test func malformedPayloadsThrow() throws {
        #expect(throws: KafkaWireError.self) { try ConsumerProtocolAssignment.decodeVersioned([0]) }
        #expect(throws: KafkaWireError.self) { try ConsumerProtocolAssignment.decodeVersioned([0xFF, 0xFF]) }
        let valid = try ConsumerProtocolAssignment().encodeVersioned(version: 1)
        #expect(throws: KafkaWireError.self) { try ConsumerProtocolAssignment.decodeVersioned(valid + [0]) }
    }
}
