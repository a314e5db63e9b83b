import Foundation

/// One business flow (one correlation id) rebuilt from its hops: which events
/// there were, which event caused which, who produced and who consumed each, and
/// how long each took to arrive.
public struct LineageGraph: Sendable, Hashable {
    /// A service's reading of an event.
    public struct Consumption: Sendable, Hashable {
        /// The consuming service.
        public var service: String
        /// Its consumer group, when known.
        public var consumerGroup: String?
        /// The offset it consumed, when known.
        public var offset: Int64?
        /// When it was consumed, milliseconds since the epoch.
        public var consumedAt: Int64
        /// From production to this consumption; never negative (hosts' clocks differ a little).
        public var latency: Duration
    }

    /// A service's giving up on an event: its handler failed for good and the record went to a dead-letter topic.
    public struct DeadLetter: Sendable, Hashable {
        /// The service that dead-lettered the event.
        public var service: String
        /// Its consumer group, when known.
        public var consumerGroup: String?
        /// The dead-letter topic.
        public var topic: String
        /// The handler's last error's type.
        public var errorClass: String?
        /// When it was dead-lettered, milliseconds since the epoch.
        public var at: Int64
    }

    /// An event of the flow.
    public struct Event: Sendable, Hashable {
        /// The event's id.
        public var eventId: UUID
        /// The event whose handling produced this one.
        public var causationId: UUID?
        /// The event's type, when known.
        public var eventType: String?
        /// The producing service.
        public var producer: String
        /// The topic it was produced to.
        public var topic: String
        /// Its partition.
        public var partition: Int32
        /// Its offset, when the producer recorded one.
        public var offset: Int64?
        /// When it was produced, milliseconds since the epoch.
        public var producedAt: Int64
        /// Whether the produce hop itself was recorded (otherwise the event is known from its consumption only).
        public var produceRecorded: Bool
        /// Every consumption of the event.
        public var consumptions: [Consumption]
        /// Where the event ended when a consumer gave up on it.
        public var deadLetters: [DeadLetter] = []
    }

    /// "`cause` was handled, and that produced `effect`".
    public struct Edge: Sendable, Hashable {
        /// The event that caused `effect`.
        public var cause: UUID
        /// The event produced while handling `cause`.
        public var effect: UUID
    }

    /// The flow's correlation id.
    public var correlationId: UUID
    /// The hops as recorded, in order.
    public var hops: [LineageHop]
    /// The events in the order they were produced.
    public var events: [Event]
    /// Causation between events of this flow.
    public var edges: [Edge]

    /// Builds the graph of `correlationId` from `hops` (hops of other flows are ignored).
    public init(correlationId: UUID, hops: [LineageHop]) {
        self.correlationId = correlationId
        self.hops = hops.filter { $0.correlationId == correlationId }
        var order: [UUID] = []
        var byId: [UUID: Event] = [:]
        for hop in self.hops {
            if byId[hop.eventId] == nil {
                order.append(hop.eventId)
                byId[hop.eventId] = Event(eventId: hop.eventId, causationId: hop.causationId, eventType: hop.eventType,
                                          producer: hop.sourceService, topic: hop.topic, partition: hop.partition,
                                          offset: hop.offset, producedAt: hop.producedAt, produceRecorded: false, consumptions: [])
            }
            switch hop.kind {
            case .produce:
                byId[hop.eventId]?.produceRecorded = true
                if let offset = hop.offset { byId[hop.eventId]?.offset = offset }
            case .consume:
                if byId[hop.eventId]?.offset == nil { byId[hop.eventId]?.offset = hop.offset }
                let latency = Duration.milliseconds(max(0, hop.timestamp - hop.producedAt))
                byId[hop.eventId]?.consumptions.append(Consumption(service: hop.service, consumerGroup: hop.consumerGroup,
                                                                   offset: hop.offset, consumedAt: hop.timestamp, latency: latency))
            case .deadLetter:
                if byId[hop.eventId]?.offset == nil { byId[hop.eventId]?.offset = hop.offset }
                byId[hop.eventId]?.deadLetters.append(DeadLetter(service: hop.service, consumerGroup: hop.consumerGroup,
                                                                 topic: hop.deadLetterTopic ?? "", errorClass: hop.errorClass,
                                                                 at: hop.timestamp))
            }
        }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        events = order.compactMap { byId[$0] }.sorted {
            ($0.producedAt, position[$0.eventId] ?? 0) < ($1.producedAt, position[$1.eventId] ?? 0)
        }
        edges = events.compactMap { event in
            guard let cause = event.causationId, byId[cause] != nil else { return nil }
            return Edge(cause: cause, effect: event.eventId)
        }
    }

    /// The services in the order they took part: each event's producer, then its consumers
    /// (those that dead-lettered it last).
    public var services: [String] {
        var seen: [String] = []
        for event in events {
            for service in [event.producer] + event.consumptions.map(\.service) + event.deadLetters.map(\.service) where !seen.contains(service) {
                seen.append(service)
            }
        }
        return seen
    }

    /// The events with no cause in this flow (normally one: the flow's first event).
    public var roots: [Event] {
        let ids = Set(events.map(\.eventId))
        return events.filter { event in event.causationId.map { !ids.contains($0) } ?? true }
    }

    /// The events `eventId`'s handling produced.
    public func effects(of eventId: UUID) -> [Event] {
        events.filter { $0.causationId == eventId }
    }

    /// From the first event's production to the last consumption; nil before anything was consumed.
    public var endToEnd: Duration? {
        guard let first = events.map(\.producedAt).min(),
              let last = events.flatMap(\.consumptions).map(\.consumedAt).max() else { return nil }
        return .milliseconds(max(0, last - first))
    }
}
