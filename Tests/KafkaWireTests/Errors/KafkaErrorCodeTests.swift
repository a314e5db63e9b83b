import KafkaWire
import Testing

@Suite("KafkaErrorCode")
struct KafkaErrorCodeTests {
    @Test("named constants carry the protocol's code and name")
    func namedConstants() {
        let expected: [(KafkaErrorCode, Int16, String)] = [
            (.unknownServerError, -1, "UNKNOWN_SERVER_ERROR"),
            (.noError, 0, "NONE"),
            (.offsetOutOfRange, 1, "OFFSET_OUT_OF_RANGE"),
            (.notLeaderOrFollower, 6, "NOT_LEADER_OR_FOLLOWER"),
            (.coordinatorNotAvailable, 15, "COORDINATOR_NOT_AVAILABLE"),
            (.topicAlreadyExists, 36, "TOPIC_ALREADY_EXISTS"),
            (.fencedLeaderEpoch, 74, "FENCED_LEADER_EPOCH"),
            (.memberIdRequired, 79, "MEMBER_ID_REQUIRED"),
            (.unknownTopicId, 100, "UNKNOWN_TOPIC_ID"),
            (.shareSessionLimitReached, 133, "SHARE_SESSION_LIMIT_REACHED"),
        ]
        for (code, raw, name) in expected {
            #expect(code.rawValue == raw)
            #expect(code.name == name)
            #expect(code.isKnown)
            #expect(KafkaErrorCode(raw) == code)
        }
    }

    @Test("the table covers -1 through 133 without gaps, with unique names")
    func tableIsComplete() {
        let all = KafkaErrorCode.allKnown
        #expect(all.map(\.rawValue) == Array(-1...133))
        #expect(Set(all.map(\.name)).count == all.count)
        for code in all {
            #expect(!code.message.isEmpty, "\(code) has no message")
            #expect(KafkaErrorCode(name: code.name) == code)
        }
    }

    @Test("retriable flags follow the Java client's exception hierarchy")
    func retriable() {
        let retriable: [KafkaErrorCode] = [
            .corruptMessage, .unknownTopicOrPartition, .leaderNotAvailable, .notLeaderOrFollower,
            .requestTimedOut, .networkException, .coordinatorLoadInProgress, .coordinatorNotAvailable,
            .notCoordinator, .notEnoughReplicas, .notController, .concurrentTransactions,
            .kafkaStorageError, .fencedLeaderEpoch, .unknownLeaderEpoch, .unstableOffsetCommit,
            .throttlingQuotaExceeded, .unknownTopicId,
        ]
        let fatal: [KafkaErrorCode] = [
            .noError, .unknownServerError, .offsetOutOfRange, .messageTooLarge, .topicAlreadyExists,
            .topicAuthorizationFailed, .saslAuthenticationFailed, .unsupportedVersion,
            .rebalanceInProgress, .unknownMemberId, .illegalGeneration, .memberIdRequired,
            .producerFenced, .invalidProducerEpoch, .outOfOrderSequenceNumber, .transactionAbortable,
        ]
        for code in retriable { #expect(code.isRetriable, "\(code) should be retriable") }
        for code in fatal { #expect(!code.isRetriable, "\(code) should not be retriable") }
    }

    @Test("unknown codes keep their value and describe themselves")
    func unknownCodes() {
        for raw: Int16 in [-2, 134, 999, .max, .min] {
            let code = KafkaErrorCode(raw)
            #expect(code.rawValue == raw)
            #expect(!code.isKnown)
            #expect(!code.isRetriable)
            #expect(code.isError)
            #expect(code.name == "UNKNOWN(\(raw))")
            #expect(code.message.contains("\(raw)"))
        }
        #expect(KafkaErrorCode(name: "NOT_A_KAFKA_ERROR") == nil)
    }

    @Test("isError and description")
    func errorAndDescription() {
        #expect(!KafkaErrorCode.noError.isError)
        #expect(KafkaErrorCode.notCoordinator.isError)
        #expect(KafkaErrorCode.notCoordinator.description == "NOT_COORDINATOR (16)")
        #expect(KafkaErrorCode(rawValue: 36) == .topicAlreadyExists)
    }
}
