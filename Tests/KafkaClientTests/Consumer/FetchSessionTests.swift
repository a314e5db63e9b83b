import KafkaWire
import Testing
@testable import KafkaClient

@Suite("Incremental fetch sessions (KIP-227)")
struct FetchSessionTests {
    let a = TopicPartition(topic: "t", partition: 0)
    let b = TopicPartition(topic: "t", partition: 1)
    let c = TopicPartition(topic: "u", partition: 0)

    @Test("a full fetch opens the session; later fetches name only what changed and forget what is gone")
    func incremental() {
        var session = FetchSession()
        let first = session.plan([a: 0, b: 0])
        #expect(first == .init(sessionId: 0, epoch: 0, partitions: [a: 0, b: 0], forgotten: []))
        #expect(session.isInFlight)
        session.received(errorCode: .noError, sessionId: 77)

        // a got records (its offset moved); b had none.
        let second = session.plan([a: 10, b: 0])
        #expect(second == .init(sessionId: 77, epoch: 1, partitions: [a: 10], forgotten: []))
        session.received(errorCode: .noError, sessionId: 77)

        // b was paused or revoked, c newly assigned.
        let third = session.plan([a: 10, c: 5])
        #expect(third == .init(sessionId: 77, epoch: 2, partitions: [c: 5], forgotten: [b]))
        session.received(errorCode: .noError, sessionId: 77)
        #expect(session.plan([a: 10, c: 5]) == .init(sessionId: 77, epoch: 3, partitions: [:], forgotten: []))
    }

    @Test("a session error, or a failed request, starts over with a full fetch naming the old session, which the broker closes")
    func reset() {
        var session = FetchSession()
        _ = session.plan([a: 0])
        session.received(errorCode: .noError, sessionId: 5)
        _ = session.plan([a: 3])
        session.received(errorCode: .invalidFetchSessionEpoch, sessionId: 0)
        // Session 5 at epoch 0: "close it and open a new one" (KIP-227), so the broker does not keep it until it expires.
        #expect(session.plan([a: 3]) == .init(sessionId: 5, epoch: 0, partitions: [a: 3], forgotten: []))
        session.received(errorCode: .noError, sessionId: 6)
        _ = session.plan([a: 4])
        session.reset()  // the connection dropped
        #expect(!session.isInFlight)
        #expect(session.plan([a: 4]).isFull)
    }

    @Test("a broker that gives no session id gets full fetches throughout")
    func noSessions() {
        var session = FetchSession()
        for offset in [0, 10, 20] as [Int64] {
            let plan = session.plan([a: offset, b: 0])
            #expect(plan.isFull && plan.partitions == [a: offset, b: 0])
            session.received(errorCode: .noError, sessionId: 0)
        }
    }

    @Test("epochs count up from 1 once the session is open")
    func epochsCountUp() {
        var session = FetchSession()
        _ = session.plan([a: 0])
        session.received(errorCode: .noError, sessionId: 9)
        var epochs: [Int32] = []
        for _ in 0..<3 {
            epochs.append(session.plan([a: 0]).epoch)
            session.received(errorCode: .noError, sessionId: 9)
        }
        #expect(epochs == [1, 2, 3])
    }

    @Test("FETCH_SESSION_ID_NOT_FOUND asks for a new session (the broker no longer knows the old id)")
    func unknownSession() {
        var session = FetchSession()
        _ = session.plan([a: 0])
        session.received(errorCode: .noError, sessionId: 9)
        _ = session.plan([a: 1])
        session.received(errorCode: .fetchSessionIdNotFound, sessionId: 0)
        #expect(session.plan([a: 1]) == .init(sessionId: 0, epoch: 0, partitions: [a: 1], forgotten: []))
    }

    @Test("a partition whose leader epoch changed is named again, with the new epoch, though its offset did not move (KIP-320)")
    func epochChangeResends() {
        var session = FetchSession()
        _ = session.plan([a: 7, b: 3], leaderEpochs: [a: 1, b: 1])
        session.received(errorCode: .noError, sessionId: 4)
        #expect(session.plan([a: 7, b: 3], leaderEpochs: [a: 1, b: 1]).partitions.isEmpty)
        session.received(errorCode: .noError, sessionId: 4)
        let moved = session.plan([a: 7, b: 3], leaderEpochs: [a: 2, b: 1])
        #expect(moved == .init(sessionId: 4, epoch: 2, partitions: [a: 7], forgotten: [], leaderEpochs: [a: 2]))
        session.received(errorCode: .noError, sessionId: 4)
        #expect(session.plan([a: 7, b: 3], leaderEpochs: [a: 2, b: 1]).partitions.isEmpty)
    }
}
