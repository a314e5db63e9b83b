import KafkaWire
import Logging

/// Administers a cluster: topics and partitions, configurations, consumer groups
/// and their lag, offsets and record deletion, ACLs, and the cluster itself.
/// Operations are named after the Java `Admin` client's; where Kafka answers per
/// item (topic, group, partition, resource), results are per item too, so one
/// bad item never hides the others' outcomes.
///
/// ```swift
/// let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: ["localhost:9092"]))
/// let created = try await admin.createTopics([NewTopic(name: "orders", partitions: 6, replicationFactor: 3)])
/// let lag = try await admin.consumerGroupLag(group: "billing")
/// print(lag.total)
/// await admin.close()
/// ```
public final class KafkaAdminClient: Sendable {
    /// Admin client settings.
    public struct Configuration: Sendable {
        /// Where the cluster, its connections and their security come from.
        public var cluster: KafkaClusterConfiguration
        /// How long the broker may take on topic operations (`timeoutMs` in the requests).
        public var operationTimeout: Duration = .seconds(30)

        /// Defaults for every setting, with these brokers to bootstrap from (`bootstrap.servers`).
        public init(bootstrapServers: [String]) {
            cluster = KafkaClusterConfiguration(bootstrapServers: bootstrapServers)
            cluster.allowAutoTopicCreation = false
        }
    }

    /// The settings the client was made with.
    public let configuration: Configuration
    /// The cluster client requests go through.
    package let cluster: KafkaCluster

    /// An admin client for `configuration`; it connects on first use.
    ///
    /// - Throws: `.invalidConfiguration` when a bootstrap server is not `host:port`.
    public init(configuration: Configuration, logger: Logger = Logger(label: "swift-kafka-native.admin")) throws(KafkaError) {
        self.configuration = configuration
        cluster = try KafkaCluster(configuration: configuration.cluster, logger: logger)
    }

    /// Closes every connection.
    public func close() async {
        await cluster.close()
    }

    var operationTimeoutMs: Int32 {
        configuration.operationTimeout.int32MillisecondsRoundedUp
    }

    /// The error for a per-item broker error code, or nil for success.
    static func itemError(_ raw: Int16, message: String?, api: ApiKey, item: String) -> KafkaError? {
        let code = KafkaErrorCode(raw)
        guard code.isError else { return nil }
        let text = message.flatMap { $0.isEmpty ? nil : $0 } ?? code.message
        return KafkaError.broker(code, apiKey: api, message: "\(item): \(text)")
    }

    /// An error for input the client refuses before sending anything.
    static func invalid(_ detail: String, code: KafkaErrorCode) -> KafkaError {
        KafkaError(.brokerError, detail: detail, brokerErrorCode: code)
    }
}

extension KafkaError {
    /// True when the failure concerns the request, not the item: the broker lacks the
    /// API or a usable version. Per-item loops rethrow these, as one-request calls do.
    var isWholeRequestFailure: Bool {
        code == .apiNotSupported || code == .unsupportedVersion
    }
}
