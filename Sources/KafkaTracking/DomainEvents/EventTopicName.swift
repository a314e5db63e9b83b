import KafkaClient

/// Topic names of the form `{project}.{environment}.{domain}.{event-type}`, e.g.
/// `shop.prod.orders.order-placed`, checked against Kafka's topic name rules.
public struct EventTopicName: Sendable, Hashable, CustomStringConvertible {
    /// The project, first part of the name.
    public var project: String
    /// The environment (`prod`, `staging`, ...).
    public var environment: String
    /// The business domain.
    public var domain: String
    /// Kebab-case, e.g. `order-placed`; `init(eventType:)` derives it from `OrderPlacedEvent`.
    public var eventType: String

    /// Validates each part: non-empty, lowercase letters, digits, '-' and '_' (no dots:
    /// they separate the parts), and the whole name within Kafka's rules.
    public init(project: String, environment: String, domain: String, eventType: String) throws(DomainEventError) {
        for (field, value) in [("project", project), ("environment", environment), ("domain", domain), ("eventType", eventType)] {
            guard !value.isEmpty, value.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F })
            else {
                throw DomainEventError(field: field, reason: "\"\(value)\" must be non-empty lowercase letters, digits, '-' or '_'")
            }
        }
        self.project = project
        self.environment = environment
        self.domain = domain
        self.eventType = eventType
        if let violation = TopicNameRules.violation(in: description) {
            throw DomainEventError(field: "topic", reason: violation)
        }
    }

    /// The name for events of `eventType` (`OrderPlacedEvent` → `order-placed`).
    public init(project: String, environment: String, domain: String, forEventType eventType: String) throws(DomainEventError) {
        guard DomainEvent<[String: String]>.isEventType(eventType) else {
            throw DomainEventError(field: "eventType", reason: "\"\(eventType)\" does not match ^[A-Z][a-zA-Z]*Event$")
        }
        try self.init(project: project, environment: environment, domain: domain, eventType: Self.kebab(String(eventType.dropLast(5))))
    }

    /// Parses a name of four dot-separated parts.
    public init(parsing name: String) throws(DomainEventError) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4 else {
            throw DomainEventError(field: "topic", reason: "\"\(name)\" is not {project}.{environment}.{domain}.{event-type}")
        }
        try self.init(project: parts[0], environment: parts[1], domain: parts[2], eventType: parts[3])
    }

    /// `project.environment.domain.event-type`.
    public var description: String { "\(project).\(environment).\(domain).\(eventType)" }

    static func kebab(_ camel: String) -> String {
        var out = ""
        for character in camel {
            if character.isUppercase, !out.isEmpty { out.append("-") }
            out.append(contentsOf: character.lowercased())
        }
        return out
    }
}
