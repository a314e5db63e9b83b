import Foundation
import KafkaClient
import Synchronization
import Testing
@testable import KafkaTracking

@Suite("Tracking: idempotent handling")
struct IdempotentHandlerTests {
    static func message(eventId: UUID?, offset: Int64) -> KafkaConsumerMessage {
        let headers = eventId.map { LineageMetadata(eventId: $0, sourceService: "s", producedAt: 0).headers } ?? []
        return KafkaConsumerMessage(topic: "t", partition: 0, offset: offset, key: nil, value: nil, headers: headers, timestamp: 0,
                                    timestampType: .createTime, leaderEpoch: -1)
    }

    @Test("a redelivered event runs once; a failed run is not remembered; records without lineage always run")
    func skipsRedelivery() async throws {
        struct Failure: Error {}
        let handler = IdempotentHandler()
        let runs = Atomic<Int>(0)
        let event = UUID()
        #expect(try await handler.handle(Self.message(eventId: event, offset: 0)) { _ in runs.add(1, ordering: .relaxed) })
        #expect(try await !handler.handle(Self.message(eventId: event, offset: 7)) { _ in runs.add(1, ordering: .relaxed) })
        let other = UUID()
        await #expect(throws: Failure.self) { try await handler.handle(Self.message(eventId: other, offset: 1)) { _ in throw Failure() } }
        #expect(try await handler.handle(Self.message(eventId: other, offset: 1)) { _ in runs.add(1, ordering: .relaxed) })
        #expect(try await handler.handle(Self.message(eventId: nil, offset: 2)) { _ in runs.add(1, ordering: .relaxed) })
        #expect(try await handler.handle(Self.message(eventId: nil, offset: 2)) { _ in runs.add(1, ordering: .relaxed) })
        #expect(runs.load(ordering: .relaxed) == 4)
    }

    @Test("the LRU store keeps the newest ids up to its capacity")
    func lruEviction() {
        let store = InMemoryLRUEventStore(capacity: 3)
        let ids = (0..<5).map { _ in UUID() }
        for id in ids { store.insert(id) }
        store.insert(ids[4])
        #expect(store.count == 3)
        #expect(ids.map(store.contains) == [false, false, true, true, true])
    }
}
