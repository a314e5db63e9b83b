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

    @Test("a session error, or a failed request, starts over with a full fetch")
    func reset() {
        var session = FetchSession()
        _ = session.plan([a: 0])
        session.received(errorCode: .noError, sessionId: 5)
        _ = session.plan([a: 3])
        session.received(errorCode: .invalidFetchSessionEpoch, sessionId: 0)
        #expect(session.plan([a: 3]) == .init(sessionId: 0, epoch: 0, partitions: [a: 3], forgotten: []))
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
}
