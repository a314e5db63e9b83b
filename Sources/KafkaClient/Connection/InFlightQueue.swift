/// Requests written to the socket and awaiting their responses, oldest first.
///
/// Kafka answers the requests of one connection in the order they were sent, so
/// only the oldest entry may match an incoming frame; a FIFO with a moving head
/// makes that check and the removal O(1) even with many thousands in flight.
struct InFlightQueue: Sendable {
    /// What an in-flight entry is waiting for.
    enum Kind: Sendable, Equatable {
        /// A caller's request, identified by the caller's token.
        case user(token: UInt64)
        /// ApiVersions, SaslHandshake or SaslAuthenticate sent by the machine itself.
        case control
    }

    struct Entry: Sendable {
        var correlationId: Int32
        var kind: Kind
        var apiKeyRaw: Int16
        var version: Int16
        var deadline: ContinuousClock.Instant
    }

    private var storage: [Entry] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }
    var first: Entry? { isEmpty ? nil : storage[head] }

    mutating func append(_ entry: Entry) {
        storage.append(entry)
    }

    mutating func removeFirst() -> Entry? {
        guard !isEmpty else { return nil }
        let entry = storage[head]
        head += 1
        // Compact once the consumed prefix dominates, keeping memory bounded.
        if head >= 1024 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return entry
    }

    /// Removes the entry with `correlationId` (a request that could not be written).
    mutating func remove(correlationId: Int32) -> Entry? {
        guard let index = storage[head...].lastIndex(where: { $0.correlationId == correlationId }) else { return nil }
        return storage.remove(at: index)
    }

    /// The earliest deadline among the entries.
    var earliestDeadline: ContinuousClock.Instant? {
        storage[head...].lazy.map(\.deadline).min()
    }

    /// Removes and returns every entry, oldest first.
    mutating func removeAll() -> [Entry] {
        let all = Array(storage[head...])
        storage = []
        head = 0
        return all
    }
}
