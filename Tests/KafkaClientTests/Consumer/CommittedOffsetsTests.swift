import KafkaWire
import Testing
@testable import KafkaClient

/// Reading an OffsetFetch answer into committed offsets, without a broker.
@Suite("Consumer: committed offsets from an OffsetFetch response")
struct CommittedOffsetsTests {
    typealias Topic = OffsetFetchResponse.OffsetFetchResponseTopic
    typealias Partition = Topic.OffsetFetchResponsePartition

    static func response(errorCode: KafkaErrorCode = .noError, partitions: [(Int32, Int64, KafkaErrorCode)]) -> OffsetFetchResponse {
        var response = OffsetFetchResponse()
        response.errorCode = errorCode.rawValue
        var topic = Topic()
        topic.name = "orders"
        topic.partitions = partitions.map { index, offset, code in
            var partition = Partition()
            partition.partitionIndex = index
            partition.committedOffset = offset
            partition.errorCode = code.rawValue
            return partition
        }
        response.topics = [topic]
        return response
    }

    @Test("offsets at or above zero are committed; -1 means none")
    func offsets() throws {
        let offsets = try KafkaConsumer.committedOffsets(in: Self.response(partitions: [(0, 12, .noError), (1, -1, .noError)]))
        #expect(offsets == [TopicPartition(topic: "orders", partition: 0): 12])
    }

    @Test("GROUP_ID_NOT_FOUND (a group that never committed, as kfake answers) means no committed offsets")
    func unknownGroup() throws {
        #expect(try KafkaConsumer.committedOffsets(in: Self.response(errorCode: .groupIdNotFound, partitions: [])).isEmpty)
        #expect(try KafkaConsumer.committedOffsets(in: Self.response(partitions: [(0, -1, .groupIdNotFound)])).isEmpty)
    }

    @Test("other errors are thrown with their code")
    func errors() {
        #expect(throws: KafkaError.self) {
            try KafkaConsumer.committedOffsets(in: Self.response(errorCode: .groupAuthorizationFailed, partitions: []))
        }
        do {
            _ = try KafkaConsumer.committedOffsets(in: Self.response(partitions: [(0, -1, .unstableOffsetCommit)]))
            Issue.record("no error thrown")
        } catch {
            #expect(error.brokerErrorCode == .unstableOffsetCommit)
        }
    }
}
