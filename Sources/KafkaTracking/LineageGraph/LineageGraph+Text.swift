import Foundation

extension LineageGraph {
    /// The graph as text for a terminal: a summary line, the services in order,
    /// then the events as a causation tree, each with its consumers and latencies.
    ///
    /// ```
    /// correlation 3f2a…: 2 events, 1 consumption, end to end 12 ms
    /// services: orders -> payments
    /// OrderPlacedEvent 3f2a9c1e by orders to shop.orders[0] +0 ms
    ///   consumed by payments (group payments) after 12 ms
    ///   dead-lettered by audit (group audit) to shop.orders.dlq after AuditError
    ///   PaymentRequestedEvent 81d0e4aa by payments to shop.payments[2] +14 ms
    /// ```
    public var text: String {
        let consumptions = events.reduce(0) { $0 + $1.consumptions.count }
        var lines = ["correlation \(Self.id(correlationId)): \(Self.count(events.count, "event")), "
            + "\(Self.count(consumptions, "consumption"))" + (endToEnd.map { ", end to end \(Self.milliseconds($0))" } ?? "")]
        guard !events.isEmpty else { return lines[0] + "\nno hops recorded for this correlation id" }
        lines.append("services: " + services.joined(separator: " -> "))
        let start = events.map(\.producedAt).min() ?? 0
        var visited: Set<UUID> = []
        func describe(_ event: Event, depth: Int) {
            // A causation cycle would be a corrupt log; each event is printed once.
            guard visited.insert(event.eventId).inserted else { return }
            let indent = String(repeating: "  ", count: depth)
            var where_ = "\(event.topic)[\(event.partition)]"
            if let offset = event.offset { where_ += "@\(offset)" }
            lines.append("\(indent)\(event.eventType ?? "event") \(Self.shortId(event.eventId)) by \(event.producer) to \(where_) "
                + "+\(event.producedAt - start) ms" + (event.produceRecorded ? "" : " (produce not recorded)"))
            for consumption in event.consumptions {
                let group = consumption.consumerGroup.map { " (group \($0))" } ?? ""
                lines.append("\(indent)  consumed by \(consumption.service)\(group) after \(Self.milliseconds(consumption.latency))")
            }
            for deadLetter in event.deadLetters {
                let group = deadLetter.consumerGroup.map { " (group \($0))" } ?? ""
                let error = deadLetter.errorClass.map { " after \($0)" } ?? ""
                lines.append("\(indent)  dead-lettered by \(deadLetter.service)\(group) to \(deadLetter.topic)\(error)")
            }
            for effect in effects(of: event.eventId) { describe(effect, depth: depth + 1) }
        }
        for root in roots { describe(root, depth: 0) }
        for event in events where !visited.contains(event.eventId) { describe(event, depth: 0) }
        return lines.joined(separator: "\n")
    }

    static func id(_ uuid: UUID) -> String { uuid.uuidString.lowercased() }

    static func shortId(_ uuid: UUID) -> String { String(id(uuid).prefix(8)) }

    static func milliseconds(_ duration: Duration) -> String { "\(wholeMilliseconds(duration)) ms" }

    private static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
