import Foundation
import KafkaClient
import Synchronization

/// Where `IdempotentHandler` remembers the event ids it has handled. Implement
/// it over a database to remember across restarts and instances.
public protocol ProcessedEventStore: Sendable {
    func contains(_ eventId: UUID) async throws -> Bool
    func insert(_ eventId: UUID) async throws
}

/// The default store: the most recent `capacity` event ids, in memory.
public final class InMemoryLRUEventStore: ProcessedEventStore {
    private struct State {
        var slots: [UUID: Int] = [:]
        var order: [UUID?]
        var next = 0
    }

    /// The most event ids remembered.
    public let capacity: Int
    private let state: VisibleLock<State>

    /// A store remembering the last `capacity` event ids.
    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
        state = VisibleLock(State(order: Array(repeating: nil, count: max(1, capacity))))
    }

    public func contains(_ eventId: UUID) -> Bool {
        state.withLock { $0.slots[eventId] != nil }
    }

    public func insert(_ eventId: UUID) {
        state.withLock { state in
            guard state.slots[eventId] == nil else { return }
            // A ring of slots: the oldest id leaves when a new one comes in.
            if let evicted = state.order[state.next] { state.slots[evicted] = nil }
            state.order[state.next] = eventId
            state.slots[eventId] = state.next
            state.next = (state.next + 1) % capacity
        }
    }

    /// How many ids are remembered.
    public var count: Int { state.withLock { $0.slots.count } }
}

/// Runs a handler at most once per lineage event id: a redelivered record (after a
/// rebalance, a retry, a producer retry without idempotence) is skipped. Records
/// without lineage are always handled.
public struct IdempotentHandler: Sendable {
    /// Where processed event ids are kept.
    public let store: any ProcessedEventStore

    /// A handler that remembers processed events in `store`.
    public init(store: any ProcessedEventStore = InMemoryLRUEventStore()) {
        self.store = store
    }

    /// Handles `message` unless its event id was handled before; returns whether it ran.
    /// The id is remembered only after `handler` succeeds.
    @discardableResult
    public func handle(_ message: KafkaConsumerMessage, _ handler: (KafkaConsumerMessage) async throws -> Void) async throws -> Bool {
        guard let eventId = (try? LineageMetadata(headers: message.headers))?.eventId else {
            try await handler(message)
            return true
        }
        if try await store.contains(eventId) { return false }
        try await handler(message)
        try await store.insert(eventId)
        return true
    }
}
