import KafkaWire
import Testing
@testable import KafkaClient

/// KIP-320 position checks, on OffsetForLeaderEpoch responses encoded to the spec and
/// decoded back (neither Tansu nor librdkafka's mock can be made to elect a new leader).
@Suite("Leader epoch validation after a leader change")
struct LeaderEpochValidationTests {
    typealias Answer = OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult.EpochEndOffset

    /// One partition's answer as a broker would send it at `version`, through the wire.
    static func answer(error: KafkaErrorCode = .noError, epoch: Int32, endOffset: Int64, version: Int16) throws -> Answer {
        var response = OffsetForLeaderEpochResponse()
        response.topics = [.init(topic: "t", partitions: [.init(errorCode: error.rawValue, partition: 0, leaderEpoch: epoch, endOffset: endOffset)])]
        let frame = try response.encodeFrame(version: version, correlationId: 7)
        let decoded = try OffsetForLeaderEpochResponse.decodeFrame(frame, version: version).body
        return try #require(decoded.topics.first?.partitions.first)
    }

    @Test("a position inside the epoch's log is valid; past its end is truncation", arguments: [Int16(2), 3, 4])
    func truncation(version: Int16) throws {
        let answer = try Self.answer(epoch: 5, endOffset: 120, version: version)
        #expect(LeaderEpochValidation.outcome(answer, fetchOffset: 100) == .valid)
        #expect(LeaderEpochValidation.outcome(answer, fetchOffset: 120) == .valid)
        #expect(LeaderEpochValidation.outcome(answer, fetchOffset: 150) == .truncated(endOffset: 120))
    }

    @Test("an epoch the broker does not know (-1) gives nothing to compare")
    func unknownEpoch() throws {
        let answer = try Self.answer(epoch: -1, endOffset: -1, version: 4)
        #expect(LeaderEpochValidation.outcome(answer, fetchOffset: 10) == .valid)
    }

    @Test("stale metadata retries; other errors are reported and fetching goes on")
    func errors() throws {
        for code in [KafkaErrorCode.fencedLeaderEpoch, .unknownLeaderEpoch, .notLeaderOrFollower] {
            #expect(LeaderEpochValidation.outcome(try Self.answer(error: code, epoch: -1, endOffset: -1, version: 4), fetchOffset: 1) == .retry)
        }
        let denied = try Self.answer(error: .topicAuthorizationFailed, epoch: -1, endOffset: -1, version: 4)
        #expect(LeaderEpochValidation.outcome(denied, fetchOffset: 1) == .failed(.topicAuthorizationFailed))
    }
}
