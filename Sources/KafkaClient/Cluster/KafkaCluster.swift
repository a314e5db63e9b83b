import KafkaWire
import Logging

/// The client's view of a Kafka cluster: its metadata, and one connection per
/// broker shared by every producer, consumer and admin client built on it.
///
/// It bootstraps from `bootstrapServers`, refreshes metadata when asked, when
/// it is older than `metadataMaxAge`, and after errors that mean it is stale
/// (`invalidateMetadata`), routes requests to partition leaders, coordinators,
/// the controller or any broker, and reconnects to failed brokers with
/// exponential backoff and jitter.
package actor KafkaCluster {
    package nonisolated let configuration: Configuration
    let logger: Logger
    let tlsContext: TLSContext?
    let bootstrap: [(host: String, port: Int)]

    var metadata: ClusterMetadata?
    var metadataFetchedAt: ContinuousClock.Instant?
    var metadataIsStale = false
    /// The refresh in progress, shared by every caller that needs one.
    var refreshTask: Task<ClusterMetadata, any Error>?
    /// Topics any caller asked about; refreshes include them all.
    var knownTopics: Set<String> = []
    var connections: [String: BrokerConnection] = [:]
    var reconnects: [String: ReconnectState] = [:]
    var coordinators: [CoordinatorKey: BrokerAddress] = [:]
    var random = SplitMix.seeded()
    var isClosed = false

    struct ReconnectState {
        var failures = 0
        var notBefore: ContinuousClock.Instant = .now
    }

    struct CoordinatorKey: Hashable {
        var key: String
        var type: Int8
    }

    /// Prepares a cluster client; nothing connects until the first request.
    ///
    /// - Throws: `.invalidConfiguration` for an empty or malformed bootstrap list or unusable TLS settings.
    package init(configuration: Configuration, logger: Logger = Logger(label: "swift-kafka-native.cluster")) throws(KafkaError) {
        guard !configuration.bootstrapServers.isEmpty else {
            throw KafkaError(.invalidConfiguration, detail: "bootstrap.servers is empty")
        }
        var servers: [(host: String, port: Int)] = []
        for server in configuration.bootstrapServers { servers.append(try Self.parseServer(server)) }
        self.configuration = configuration
        self.bootstrap = servers
        self.logger = logger
        self.tlsContext = try configuration.connection.tls.map { (tls) throws(KafkaError) in try TLSContext(configuration: tls) }
    }

    // MARK: Metadata

    /// The cluster's metadata covering `topics` (nil: every topic), refreshed
    /// first when missing, stale, older than `metadataMaxAge`, or lacking a topic.
    package func metadata(topics: [String]? = nil) async throws(KafkaError) -> ClusterMetadata {
        if let metadata, !metadataIsStale, let fetchedAt = metadataFetchedAt,
           fetchedAt.duration(to: .now) < configuration.metadataMaxAge,
           let topics, topics.allSatisfy({ metadata.topics[$0] != nil }) {
            return metadata
        }
        return try await refreshMetadata(topics: topics)
    }

    /// Fetches metadata now for `topics` plus every topic asked about before
    /// (nil: all topics). Concurrent callers share one request.
    @discardableResult
    package func refreshMetadata(topics: [String]? = nil) async throws(KafkaError) -> ClusterMetadata {
        let wanted: [String]?
        if let topics {
            knownTopics.formUnion(topics)
            wanted = knownTopics.sorted()
        } else {
            wanted = nil
        }
        if let running = refreshTask, wanted != nil {
            // A refresh already under way may cover these topics; one more after it otherwise.
            if let result = try? await running.value, let wanted, wanted.allSatisfy({ result.topics[$0] != nil }) {
                return result
            }
        }
        let task = Task { try await self.fetchMetadata(topics: wanted) }
        refreshTask = task
        defer { if refreshTask == task { refreshTask = nil } }
        do {
            return try await task.value
        } catch let error as KafkaError {
            throw error
        } catch {
            throw KafkaError(.notConnected, detail: "metadata refresh failed: \(error)")
        }
    }

    /// Marks the metadata stale so the next lookup refreshes it; call after
    /// NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, FENCED_LEADER_EPOCH or a disconnect.
    package func invalidateMetadata() {
        metadataIsStale = true
    }

    /// Invalidates what `error` shows to be out of date: metadata for leadership
    /// and topic errors and disconnects, the coordinator cache for coordinator errors.
    package func noteError(_ error: KafkaErrorCode) {
        switch error {
        case .notLeaderOrFollower, .unknownTopicOrPartition, .fencedLeaderEpoch, .leaderNotAvailable, .unknownLeaderEpoch,
             .kafkaStorageError, .notController, .unknownTopicId, .inconsistentTopicId:
            metadataIsStale = true
        case .notCoordinator, .coordinatorNotAvailable:
            coordinators.removeAll()
        default:
            break
        }
    }

    private func fetchMetadata(topics: [String]?) async throws(KafkaError) -> ClusterMetadata {
        var request = MetadataRequest()
        request.topics = topics.map { $0.map { MetadataRequest.MetadataRequestTopic(name: $0) } }
        request.allowAutoTopicCreation = configuration.allowAutoTopicCreation
        var lastError: KafkaError?
        for _ in 0..<max(2, bootstrap.count + 1) {
            let connection: BrokerConnection
            do {
                connection = try await metadataConnection()
            } catch {
                lastError = error
                continue
            }
            do {
                let response = try await connection.send(request)
                let fresh = ClusterMetadata(response)
                let merged = topics == nil ? fresh : (metadata?.merging(fresh) ?? fresh)
                metadata = merged
                metadataFetchedAt = .now
                metadataIsStale = false
                logger.debug("metadata refreshed", metadata: ["brokers": "\(fresh.brokers.count)", "topics": "\(fresh.topics.count)"])
                return merged
            } catch {
                lastError = error
            }
        }
        throw lastError ?? KafkaError(.notConnected, detail: "no broker answered Metadata")
    }
}
