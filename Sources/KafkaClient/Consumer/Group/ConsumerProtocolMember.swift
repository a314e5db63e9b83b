import KafkaWire
import Logging
import Synchronization

/// Group membership with KIP-848's `consumer` protocol (`group.protocol=consumer`):
/// the broker computes the assignment and sends it in ConsumerGroupHeartbeat
/// responses; the member reconciles (revokes what is no longer its own, then takes
/// on what is new) and acknowledges by reporting what it owns. There is no
/// JoinGroup, no SyncGroup and no group-wide stop: each member moves on its own.
final class ConsumerProtocolMember: GroupMembership {
    struct Membership {
        var memberId: String
        var epoch: Int32 = 0
        /// Set when the next heartbeat must carry every field (joining, or after an error).
        var sendsFullRequest = true
        /// What the last sent heartbeat reported owning, so unchanged fields go as null.
        var reportedOwned: [TopicPartition]?
        var reportedTopics: [String]?
        /// A pattern's matching topics and when they were matched (version 0 brokers).
        var patternMatch: (names: [String], at: ContinuousClock.Instant)?
        /// The broker's latest target assignment, kept until every topic in it is named.
        var target: TargetAssignment?
    }

    let groupId: String
    let subscription: GroupSubscription
    let configuration: KafkaConsumer.Configuration
    let cluster: KafkaCluster
    let consumer: KafkaConsumer
    let logger: Logger
    let owned: OwnedPartitions
    let stopping = Atomic<Bool>(false)
    let membership: VisibleLock<Membership>

    init(groupId: String, subscription: GroupSubscription, consumer: KafkaConsumer, logger: Logger) {
        self.groupId = groupId
        self.subscription = subscription
        self.configuration = consumer.configuration
        self.cluster = consumer.cluster
        self.consumer = consumer
        self.logger = logger
        self.owned = OwnedPartitions(consumer: consumer)
        // Version 1 (KIP-1082) has the member choose its id; version 0 brokers replace it.
        let id = KafkaUUID(high: .random(in: .min ... .max), low: .random(in: .min ... .max))
        self.membership = VisibleLock(Membership(memberId: "\(id)"))
    }

    var currentGeneration: ConsumerGroupMember.Generation? {
        membership.withLock { state in
            state.epoch > 0 ? ConsumerGroupMember.Generation(generationId: state.epoch, memberId: state.memberId) : nil
        }
    }

    func run() async {
        var failures = 0
        var random = SplitMix.seeded()
        var lastAutoCommit = ContinuousClock.now
        var interval = configuration.heartbeatInterval
        var pollWatch = PollWatch(now: .now)
        while !stopping.load(ordering: .acquiring) {
            do {
                let response = try await heartbeat(epoch: nil)
                if stopping.load(ordering: .acquiring) { return }
                failures = 0
                if response.heartbeatIntervalMs > 0 { interval = .milliseconds(response.heartbeatIntervalMs) }
                if let assignment = response.assignment, try await reconcile(assignment) {
                    continue  // acknowledge the new ownership at once
                }
                if response.assignment == nil, try await resolvePendingTopics() {
                    continue
                }
            } catch let error as KafkaError where Self.isFatal(error) {
                consumer.report(error)
                logger.error("group membership ended", metadata: ["group": "\(groupId)", "error": "\(error)"])
                stopping.store(true, ordering: .releasing)
                await owned.loseAll()
                return
            } catch let error as KafkaError where Self.isFenced(error) {
                // Our epoch is stale: the partitions are someone else's now; join again at epoch 0.
                membership.withLock { $0.epoch = 0; $0.sendsFullRequest = true; $0.target = nil }
                await owned.loseAll()
                continue
            } catch {
                failures += 1
                consumer.report(error as? KafkaError ?? KafkaError(.protocolViolation, detail: "\(error)"))
                membership.withLock { $0.sendsFullRequest = true }
                await cluster.invalidateCoordinator(group: groupId)
                let delay = ReconnectBackoff(base: .milliseconds(100), maximum: .seconds(2)).delay(afterFailures: failures, using: &random)
                try? await Task.sleep(for: delay)
                continue
            }
            consumer.autoCommitIfDue(since: &lastAutoCommit)
            if pollWatch.isStalled(consumer.shared.pollSignature, now: .now, limit: configuration.rebalanceTimeout) {
                await leaveUntilPollingResumes()
                pollWatch = PollWatch(now: .now)
                continue
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// `max.poll.interval.ms` passed without the application taking a message: as the
    /// Java client's KIP-848 member does, leave the group (the partitions are lost: their
    /// offsets can no longer be committed) so others take them over, and join again at
    /// epoch 0 once the application reads again.
    func leaveUntilPollingResumes() async {
        let stuck = consumer.shared.pollSignature
        logger.warning("the application took no message within the rebalance timeout (max.poll.interval.ms); leaving the group",
                       metadata: ["group": "\(groupId)"])
        consumer.report(KafkaError(.pollIntervalExceeded, detail: "group \(groupId): no message was taken within "
                                   + "\(configuration.rebalanceTimeout); the member left the group and rejoins when reading resumes"))
        do {
            _ = try await heartbeat(epoch: -1)
        } catch {
            logger.debug("leaving the group failed", metadata: ["group": "\(groupId)", "error": "\(error)"])
        }
        membership.withLock { $0.epoch = 0; $0.sendsFullRequest = true; $0.target = nil }
        await owned.loseAll()
        while !stopping.load(ordering: .acquiring), consumer.shared.pollSignature == stuck {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Commits and gives every partition up, then leaves with epoch -1 (-2 for a
    /// static member, which the broker keeps its place for until the session times out).
    func leave() async {
        stopping.store(true, ordering: .releasing)
        await owned.revokeAll()
        guard membership.withLock({ $0.epoch }) > 0 else { return }
        do {
            _ = try await heartbeat(epoch: configuration.groupInstanceId == nil ? -1 : -2)
        } catch {
            logger.debug("leaving the group failed", metadata: ["group": "\(groupId)", "error": "\(error)"])
        }
    }

    /// Sends one ConsumerGroupHeartbeat (at `epoch` when given, to leave) and keeps the member id and epoch it returns.
    /// Subscription and owned partitions go only on a join or when they changed since the last one sent.
    func heartbeat(epoch leavingEpoch: Int32?) async throws -> ConsumerGroupHeartbeatResponse {
        let connection = try await cluster.connection(for: .groupCoordinator(groupId))
        let version = try await connection.apiVersions().version(for: ConsumerGroupHeartbeatRequest.self)
        let topics = try await subscribedTopics(version: version)
        let current = owned.current.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        let state = membership.withLock { $0 }
        // Epoch 0 is a join, which must carry everything (a broker may still answer 0 while it assigns).
        let full = state.sendsFullRequest || state.epoch == 0
        var request = ConsumerGroupHeartbeatRequest()
        request.groupId = groupId
        request.memberId = version == 0 && state.epoch == 0 ? "" : state.memberId
        request.memberEpoch = leavingEpoch ?? state.epoch
        request.instanceId = configuration.groupInstanceId
        if full { request.rebalanceTimeoutMs = configuration.rebalanceTimeout.int32MillisecondsRoundedUp }
        if full || state.reportedTopics != topics.names {
            // Names, or (v1) a regex with no names. The regex stays null for a list of
            // names, as the Java client sends it: a broker reads an empty regex as one that
            // matches every topic.
            request.subscribedTopicNames = topics.names ?? []
            if version >= 1 { request.subscribedTopicRegex = topics.regex }
        }
        if full || state.reportedOwned != current { request.topicPartitions = try await topicPartitions(current) }

        let response = try await connection.send(request, versionCeiling: version)
        let code = KafkaErrorCode(response.errorCode)
        guard !code.isError else {
            throw KafkaError.broker(code, apiKey: .consumerGroupHeartbeat,
                                    message: "group \(groupId): \(response.errorMessage ?? code.message)")
        }
        membership.withLock { state in
            state.memberId = response.memberId ?? state.memberId
            state.epoch = response.memberEpoch
            state.sendsFullRequest = false
            state.reportedOwned = current
            state.reportedTopics = topics.names
        }
        return response
    }

    /// The subscription as the request carries it: a regex goes to the broker
    /// (version 1); otherwise topic names, a pattern matched here against every
    /// topic at most once per `metadataMaxAge`.
    func subscribedTopics(version: Int16) async throws -> (names: [String]?, regex: String?) {
        switch subscription {
        case .topics(let names): return (names.sorted(), nil)
        case .pattern(let pattern) where version >= 1: return (nil, pattern)
        case .pattern:
            if let match = membership.withLock({ $0.patternMatch }), match.at.duration(to: .now) < configuration.cluster.metadataMaxAge {
                return (match.names, nil)
            }
            let names = try subscription.matchingTopics(in: try await cluster.refreshMetadata(topics: nil))
            membership.withLock { $0.patternMatch = (names, .now) }
            return (names, nil)
        }
    }

    /// `partitions` by topic id, as the request names them (from cached metadata: the consumer fetches these topics).
    private func topicPartitions(_ partitions: [TopicPartition]) async throws -> [ConsumerGroupHeartbeatRequest.TopicPartitions] {
        guard !partitions.isEmpty else { return [] }
        let byTopic = Dictionary(grouping: partitions, by: \.topic)
        let metadata = try await cluster.metadata(topics: Array(byTopic.keys))
        return byTopic.sorted { $0.key < $1.key }.compactMap { topic, entries in
            metadata.topics[topic].map { .init(topicId: $0.topicId, partitions: entries.map(\.partition)) }
        }
    }

    /// Moves to the broker's target assignment. Returns true when ownership changed
    /// (and the next heartbeat should report it straight away).
    func reconcile(_ assignment: ConsumerGroupHeartbeatResponse.Assignment) async throws -> Bool {
        var target = TargetAssignment(assignment, previous: membership.withLock { $0.target })
        target.learn(names(in: await cluster.metadata, for: target.unresolved))
        if !target.unresolved.isEmpty {
            target.learn(names(in: try await cluster.refreshMetadata(topics: nil), for: target.unresolved))
        }
        return await take(target)
    }

    /// Asks metadata again for topics of the target assignment that had no name,
    /// once per heartbeat. Returns true when ownership changed.
    func resolvePendingTopics() async throws -> Bool {
        guard var target = membership.withLock({ $0.target }), !target.unresolved.isEmpty else { return false }
        let before = target.unresolved
        target.learn(names(in: try await cluster.refreshMetadata(topics: nil), for: before))
        guard target.unresolved != before else { return false }
        return await take(target)
    }

    private func take(_ target: TargetAssignment) async -> Bool {
        membership.withLock { $0.target = target }
        if !target.unresolved.isEmpty {
            logger.info("assigned topics not in metadata yet; their partitions wait for a metadata refresh",
                        metadata: ["group": "\(groupId)", "topicIds": "\(target.unresolved.map { "\($0)" }.sorted())"])
        }
        let (revoked, added) = await owned.adopt(target.resolvedPartitions)
        consumer.fetcher.metrics.rebalances.increment()
        logger.debug("reconciled assignment", metadata: ["group": "\(groupId)", "revoked": "\(revoked.count)", "added": "\(added.count)"])
        return !revoked.isEmpty || !added.isEmpty
    }

    /// Names `metadata` gives for `ids`.
    private func names(in metadata: ClusterMetadata?, for ids: Set<KafkaUUID>) -> [KafkaUUID: String] {
        guard let metadata, !ids.isEmpty else { return [:] }
        return Dictionary(metadata.topics.values.filter { ids.contains($0.topicId) }.map { ($0.topicId, $0.name) },
                          uniquingKeysWith: { first, _ in first })
    }

    static func isFenced(_ error: KafkaError) -> Bool {
        error.brokerErrorCode == .fencedMemberEpoch || error.brokerErrorCode == .unknownMemberId
    }

    /// Errors retrying cannot mend: the broker cannot speak this protocol, or another
    /// process holds our `group.instance.id`.
    static func isFatal(_ error: KafkaError) -> Bool {
        if error.code == .apiNotSupported || error.code == .unsupportedVersion { return true }
        guard let code = error.brokerErrorCode else { return false }
        return [.unsupportedVersion, .unsupportedAssignor, .invalidRequest, .fencedInstanceId, .unreleasedInstanceId,
                .groupMaxSizeReached, .groupAuthorizationFailed, .invalidRegularExpression].contains(code)
    }
}
