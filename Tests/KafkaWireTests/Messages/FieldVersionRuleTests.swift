import KafkaWire
import Testing

/// Version rules on encode: fields a version lacks, nulls, ignorable fields, bad versions.
@Suite struct FieldVersionRuleTests {
    @Test func nonIgnorableFieldAbsentFromVersionIsRefused() {
        var request = ProduceRequest()
        request.transactionalId = "txn-1"
        var writer = WireWriter()
        #expect {
            try request.encode(into: &writer, version: 2)
        } throws: { error in
            let wire = error as? KafkaWireError
            return wire?.code == .unsupportedField && wire?.field == "transactionalId"
                && wire?.messageName == "ProduceRequest" && wire?.apiKey == 0 && wire?.version == 2
        }
        // The default (null) is fine in that version, and the field encodes from v3 on.
        request.transactionalId = nil
        #expect(throws: Never.self) { try request.encode(into: &writer, version: 2) }
        request.transactionalId = "txn-1"
        #expect(throws: Never.self) { try request.encode(into: &writer, version: 3) }
    }

    @Test func nestedNonIgnorableFieldNamesItsPath() {
        var partition = FetchRequest.FetchTopic.FetchPartition()
        partition.lastFetchedEpoch = 7
        var topic = FetchRequest.FetchTopic()
        topic.topic = "t"
        topic.partitions = [partition]
        var request = FetchRequest()
        request.topics = [topic]
        var writer = WireWriter()
        #expect {
            try request.encode(into: &writer, version: 11)
        } throws: { error in
            let wire = error as? KafkaWireError
            return wire?.code == .unsupportedField && wire?.field == "topics.partitions.lastFetchedEpoch" && wire?.version == 11
        }
    }

    @Test func ignorableFieldIsDroppedSilently() throws {
        var request = FetchRequest()
        request.rackId = "rack-a"        // ignorable, versions 11+
        request.isolationLevel = 1       // ignorable, versions 4+
        var writer = WireWriter()
        try request.encode(into: &writer, version: 3)
        var reader = WireReader(writer.bytes)
        let decoded = try FetchRequest(from: &reader, version: 3)
        #expect(decoded.rackId == "" && decoded.isolationLevel == 0)
        #expect(reader.isAtEnd)

        var subscription = ConsumerProtocolSubscription()
        subscription.topics = ["a"]
        subscription.ownedPartitions = [ConsumerProtocolSubscription.TopicPartition(topic: "a", partitions: [0])]
        subscription.rackId = "r1"
        var data = WireWriter()
        try subscription.encode(into: &data, version: 0)
        var dataReader = WireReader(data.bytes)
        #expect(try ConsumerProtocolSubscription(from: &dataReader, version: 0) == ConsumerProtocolSubscription(topics: ["a"]))
    }

    @Test func nullWhereTheVersionForbidsItIsMissingValue() throws {
        var request = MetadataRequest()
        request.topics = nil             // nullable from v1 only
        var writer = WireWriter()
        #expect {
            try request.encode(into: &writer, version: 0)
        } throws: { error in
            (error as? KafkaWireError)?.code == .missingValue && (error as? KafkaWireError)?.field == "topics"
        }
        writer = WireWriter()
        try request.encode(into: &writer, version: 1)
        #expect(writer.bytes == [0xFF, 0xFF, 0xFF, 0xFF])   // v1 is just the (null) topics array
    }

    @Test func versionsOutsideTheValidRangeAreRefused() {
        var writer = WireWriter()
        #expect {
            try ProduceRequest().encode(into: &writer, version: ProduceRequest.validVersions.upperBound + 1)
        } throws: { error in
            (error as? KafkaWireError)?.code == .unsupportedVersion
        }
        var reader = WireReader([0, 0, 0, 0])
        #expect(throws: KafkaWireError.self) { try MetadataResponse(from: &reader, version: -1) }
    }

    @Test func specDefaultsApply() {
        // From the spec: "default": "0x7fffffff", "-1", "true", "null".
        #expect(FetchRequest().maxBytes == Int32.max)
        #expect(FetchRequest().replicaId == -1)
        #expect(MetadataRequest().allowAutoTopicCreation == true)
        #expect(ProduceRequest().transactionalId == nil)
        #expect(RequestHeader().clientId == "")
    }
}
