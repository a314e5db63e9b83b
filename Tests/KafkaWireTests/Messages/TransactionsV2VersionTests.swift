import KafkaWire
import Testing

/// Produce v12 and TxnOffsetCommit v5 (KIP-890 part 2) only tell the broker that the
/// client speaks transactions v2: their bodies are those of Produce v11 and
/// TxnOffsetCommit v4, byte for byte, and they decode back.
@Suite struct TransactionsV2VersionTests {
    static func body(_ encode: (inout WireWriter) throws(KafkaWireError) -> Void) throws -> [UInt8] {
        var writer = WireWriter()
        try encode(&writer)
        return writer.bytes
    }

    @Test func produceV12IsProduceV11() throws {
        var request = ProduceRequest()
        request.transactionalId = "txn-1"
        request.acks = -1
        request.timeoutMs = 30_000
        request.topicData = [.init(name: "t", partitionData: [.init(index: 2, records: [1, 2, 3])])]
        let v11 = try Self.body { (writer) throws(KafkaWireError) in try request.encode(into: &writer, version: 11) }
        let v12 = try Self.body { (writer) throws(KafkaWireError) in try request.encode(into: &writer, version: 12) }
        #expect(v12 == v11)
        var reader = WireReader(v12)
        #expect(try ProduceRequest(from: &reader, version: 12) == request)

        var response = ProduceResponse()
        response.responses = [.init(name: "t", partitionResponses: [.init(index: 2, errorCode: 0, baseOffset: 41)])]
        let answer = try Self.body { (writer) throws(KafkaWireError) in try response.encode(into: &writer, version: 12) }
        #expect(answer == (try Self.body { (writer) throws(KafkaWireError) in try response.encode(into: &writer, version: 11) }))
        var responseReader = WireReader(answer)
        #expect(try ProduceResponse(from: &responseReader, version: 12).responses.first?.partitionResponses.first?.baseOffset == 41)
    }

    @Test func txnOffsetCommitV5IsV4() throws {
        var request = TxnOffsetCommitRequest()
        request.transactionalId = "txn-1"
        request.groupId = "g"
        request.producerId = 7
        request.producerEpoch = 3
        request.generationId = 5
        request.memberId = "m"
        request.topics = [.init(name: "in", partitions: [.init(partitionIndex: 0, committedOffset: 10, committedLeaderEpoch: -1,
                                                               committedMetadata: "")])]
        let v4 = try Self.body { (writer) throws(KafkaWireError) in try request.encode(into: &writer, version: 4) }
        let v5 = try Self.body { (writer) throws(KafkaWireError) in try request.encode(into: &writer, version: 5) }
        #expect(v5 == v4)
        var reader = WireReader(v5)
        #expect(try TxnOffsetCommitRequest(from: &reader, version: 5) == request)
        #expect(TxnOffsetCommitResponse.validVersions.upperBound == 5)
    }
}
