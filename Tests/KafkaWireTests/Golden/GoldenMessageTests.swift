import Foundation
import KafkaTestSupport
import KafkaWire
import Testing

/// Messages encoded by kafka-python, an independent implementation: our generated
/// types must decode each body to the same field values, consume every byte, and
/// encode the frame (header and body) back to the very same bytes.
@Suite("Golden messages from kafka-python")
struct GoldenMessageTests {
    static let requests: [String: any KafkaRequest.Type] = [
        "ApiVersionsRequest": ApiVersionsRequest.self, "MetadataRequest": MetadataRequest.self,
        "ProduceRequest": ProduceRequest.self, "FetchRequest": FetchRequest.self,
        "JoinGroupRequest": JoinGroupRequest.self, "SyncGroupRequest": SyncGroupRequest.self,
        "OffsetCommitRequest": OffsetCommitRequest.self,
    ]
    static let responses: [String: any KafkaResponse.Type] = [
        "ApiVersionsResponse": ApiVersionsResponse.self, "MetadataResponse": MetadataResponse.self,
        "ProduceResponse": ProduceResponse.self, "FetchResponse": FetchResponse.self,
        "JoinGroupResponse": JoinGroupResponse.self, "SyncGroupResponse": SyncGroupResponse.self,
        "OffsetCommitResponse": OffsetCommitResponse.self,
    ]

    @Test("the fixture set covers every API in both directions, old and flexible")
    func coverage() throws {
        let fixtures = try GoldenFixture.allFiles.map(GoldenFixture.load)
        #expect(fixtures.count >= 33)
        for name in Self.requests.keys.sorted() + Self.responses.keys.sorted() {
            let versions = fixtures.filter { $0.name == name }
            #expect(versions.contains { !$0.flexible }, "\(name): no non-flexible fixture")
            #expect(versions.contains { $0.flexible }, "\(name): no flexible fixture")
        }
    }

    @Test("decode, compare fields, re-encode byte for byte", arguments: GoldenFixture.allFiles)
    func roundTrip(file: String) throws {
        let fixture = try GoldenFixture.load(file)
        if let type = Self.requests[fixture.name] {
            try checkRequest(type, fixture)
        } else if let type = Self.responses[fixture.name] {
            try checkResponse(type, fixture)
        } else {
            Issue.record("\(file): no message type for \(fixture.name)")
        }
    }

    private func checkRequest<Request: KafkaRequest>(_ type: Request.Type, _ fixture: GoldenFixture) throws {
        #expect(Request.apiKey.rawValue == fixture.apiKey)
        #expect(Request.isFlexible(version: fixture.version) == fixture.flexible)
        let body = try checkBody(type, fixture)
        let frame = fixture.header + fixture.body
        let decoded = try Request.decodeFrame(frame)
        #expect(decoded.body == body)
        #expect(decoded.header.requestApiKey == fixture.apiKey)
        #expect(decoded.header.requestApiVersion == fixture.version)
        #expect(decoded.header.correlationId == fixture.correlationId)
        #expect(decoded.header.clientId == fixture.clientId)
        let encoded = try body.encodeFrame(version: fixture.version, correlationId: fixture.correlationId,
                                           clientId: fixture.clientId)
        #expect(encoded.hexString == frame.hexString, "\(fixture): request frame differs")
    }

    private func checkResponse<Response: KafkaResponse>(_ type: Response.Type, _ fixture: GoldenFixture) throws {
        #expect(Response.apiKey.rawValue == fixture.apiKey)
        #expect(Response.isFlexible(version: fixture.version) == fixture.flexible)
        let body = try checkBody(type, fixture)
        let frame = fixture.header + fixture.body
        let decoded = try Response.decodeFrame(frame, version: fixture.version)
        #expect(decoded.body == body)
        #expect(decoded.header.correlationId == fixture.correlationId)
        let encoded = try body.encodeFrame(version: fixture.version, correlationId: fixture.correlationId)
        #expect(encoded.hexString == frame.hexString, "\(fixture): response frame differs")
    }

    /// Decodes the body alone, compares every listed field, and re-encodes it.
    private func checkBody<Message: KafkaMessage>(_ type: Message.Type, _ fixture: GoldenFixture) throws -> Message {
        var reader = WireReader(fixture.body)
        let message = try Message(from: &reader, version: fixture.version)
        #expect(reader.isAtEnd, "\(fixture): \(reader.readableBytes) body bytes left unread")

        let expected = try fixture.fields()
        var fields = ReflectedFields()
        fields.compare(expected: expected, actual: message, path: fixture.name)
        #expect(fields.mismatches.isEmpty, "\(fixture):\n\(fields.mismatches.joined(separator: "\n"))")
        #expect(expected.isEmpty || fields.comparedValues > 0, "\(fixture): no field compared")
        // Only FetchResponse's tagged structs may be absent; their defaults are checked below.
        let absentNames = Set(fields.absentStructs.compactMap { $0.split(separator: ".").last.map(String.init) })
        #expect(absentNames.isSubset(of: ["CurrentLeader", "DivergingEpoch", "SnapshotId"]), "\(fixture): \(absentNames)")

        var writer = WireWriter()
        try message.encode(into: &writer, version: fixture.version)
        #expect(writer.bytes.hexString == fixture.body.hexString, "\(fixture): body re-encodes differently")
        return message
    }

    @Test("FetchResponse v12: absent tagged structs decode to their spec defaults")
    func fetchTaggedStructDefaults() throws {
        let fixture = try GoldenFixture.load("FetchResponse-v12")
        var reader = WireReader(fixture.body)
        let response = try FetchResponse(from: &reader, version: fixture.version)
        let partitions = response.responses.flatMap(\.partitions)
        #expect(partitions.count == 2)
        for partition in partitions {
            #expect(partition.currentLeader.leaderId == -1 && partition.currentLeader.leaderEpoch == -1)
            #expect(partition.divergingEpoch.epoch == -1 && partition.divergingEpoch.endOffset == -1)
            #expect(partition.snapshotId.endOffset == -1 && partition.snapshotId.epoch == -1)
        }
    }

    @Test("ProduceRequest v9: transactional id, acks and a null records field for the second partition")
    func produceSpotCheck() throws {
        let fixture = try GoldenFixture.load("ProduceRequest-v9")
        var reader = WireReader(fixture.body)
        let request = try ProduceRequest(from: &reader, version: fixture.version)
        #expect(request.transactionalId == "txn-1")
        #expect(request.acks == -1 && request.timeoutMs == 30_000)
        let partitions = try #require(request.topicData.first { $0.name == "orders" }).partitionData
        #expect(partitions.map(\.index) == [0, 3])
        #expect(partitions[0].records?.count == 89)
        #expect(partitions[1].records == nil)
    }
}
