/// How a client finds and talks to the cluster: `cluster` of every client's
/// configuration. Names follow the Java client.
public struct KafkaClusterConfiguration: Sendable {
    /// `host:port` pairs to bootstrap from (`bootstrap.servers`); IPv6 hosts in brackets.
    public var bootstrapServers: [String]
    /// Settings for every broker connection: client id, TLS, SASL, timeouts.
    public var connection: KafkaConnectionConfiguration = KafkaConnectionConfiguration()
    /// Delays between attempts to reach an unreachable broker.
    public var reconnectBackoff: ReconnectBackoff = ReconnectBackoff()
    /// Metadata older than this is refreshed on next use (`metadata.max.age.ms`, default 5 minutes).
    public var metadataMaxAge: Duration = .seconds(300)
    /// Whether Metadata requests for producers may create missing topics (`allow.auto.create.topics`).
    public var allowAutoTopicCreation: Bool = false

    /// Defaults for every setting, with these `host:port` pairs to bootstrap from.
    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }
}

extension KafkaCluster {
    /// The cluster settings under the name the cluster layer uses.
    package typealias Configuration = KafkaClusterConfiguration

    /// Parses `host:port` (or `[v6]:port`).
    static func parseServer(_ text: String) throws(KafkaError) -> (host: String, port: Int) {
        let trimmed = String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        guard let colon = trimmed.lastIndex(of: ":"), let port = Int(trimmed[trimmed.index(after: colon)...]),
              (1...65535).contains(port) else {
            throw KafkaError(.invalidConfiguration, detail: "bootstrap server \"\(text)\" is not host:port")
        }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw KafkaError(.invalidConfiguration, detail: "bootstrap server \"\(text)\" has no host") }
        return (host, port)
    }
}

/// Where a request must go.
package enum RequestRoute: Sendable, Hashable {
    /// Any broker (Metadata, ApiVersions, ListGroups on one broker, ...).
    case anyBroker
    /// The broker with this node id.
    case broker(Int32)
    /// The leader of a topic partition (Produce, Fetch, ListOffsets).
    case leader(topic: String, partition: Int32)
    /// The active controller (CreateTopics, DeleteTopics, ...).
    case controller
    /// The coordinator of a consumer group.
    case groupCoordinator(String)
    /// The coordinator of a transactional id.
    case transactionCoordinator(String)
}
