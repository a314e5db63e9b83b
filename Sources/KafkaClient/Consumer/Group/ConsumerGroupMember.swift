import KafkaWire
import Logging
import Synchronization

/// The consumer's membership in its group, classic protocol: JoinGroup, the
/// leader's assignment, SyncGroup, then heartbeats on their own schedule until
/// the coordinator asks for a rejoin.
///
/// Eager groups give up every partition before rejoining; cooperative ones
/// (KIP-429, when every configured assignor is cooperative) keep reading through
/// the rebalance and give up only what the new assignment moves.
final class ConsumerGroupMember: GroupMembership {
    struct Generation: Sendable, Hashable {
        var generationId: Int32
        var memberId: String
    }

    enum RejoinReason: Error {
        case rebalance
        /// UNKNOWN_MEMBER_ID: the coordinator no longer knows this member.
        case unknownMember
        /// ILLEGAL_GENERATION: the member is known, its generation is over.
        case illegalGeneration
        case coordinatorMoved
        /// The application stopped taking messages for longer than `rebalanceTimeout`.
        case pollTimeout
    }

    let groupId: String
    let subscription: GroupSubscription
    let configuration: KafkaConsumer.Configuration
    let cluster: KafkaCluster
    let consumer: KafkaConsumer
    let logger: Logger
    let rebalanceProtocol: KafkaRebalanceProtocol
    let stopping = Atomic<Bool>(false)
    let memberId = VisibleLock("")
    let generation = VisibleLock<Generation?>(nil)
    let owned: OwnedPartitions
    /// The topics subscribed now (for a pattern, the matching topics last seen).
    let topics = VisibleLock<[String]>([])
    /// As the leader: each subscribed topic's partition count the assignment was made
    /// for; nil when another member assigned. A change means a new assignment.
    let assignedPartitionCounts = VisibleLock<[String: Int32]?>(nil)

    init(groupId: String, subscription: GroupSubscription, consumer: KafkaConsumer, logger: Logger) {
        self.groupId = groupId
        self.subscription = subscription
        self.configuration = consumer.configuration
        self.cluster = consumer.cluster
        self.consumer = consumer
        self.logger = logger
        self.owned = OwnedPartitions(consumer: consumer)
        let cooperative = configuration.partitionAssignors.allSatisfy { $0.rebalanceProtocol == .cooperative }
        self.rebalanceProtocol = cooperative && !configuration.partitionAssignors.isEmpty ? .cooperative : .eager
        if case .topics(let names) = subscription { topics.withLock { $0 = names.sorted() } }
    }

    var assignors: [any KafkaPartitionAssignor] { configuration.partitionAssignors }
    var currentGeneration: Generation? { generation.withLock { $0 } }

    func run() async {
        var failures = 0
        var random = SplitMix.seeded()
        var lastContact = ContinuousClock.now
        while !stopping.load(ordering: .acquiring) {
            do {
                _ = try await refreshSubscribedTopics()
                let partitions = try await joinAndSync()
                failures = 0
                lastContact = .now
                // A cooperative member that gave partitions up rejoins at once, so they reach their new owners.
                let (revoked, _) = await owned.adopt(partitions)
                if rebalanceProtocol == .cooperative, !revoked.isEmpty { continue }
                try await heartbeatUntilRejoin(lastContact: &lastContact)
            } catch let reason as RejoinReason {
                if reason == .unknownMember {
                    await loseMembership()
                }
                if reason == .illegalGeneration {
                    await loseGeneration()
                }
                if reason == .coordinatorMoved { await cluster.invalidateCoordinator(group: groupId) }
                if reason == .pollTimeout { await leaveUntilPollingResumes() }
            } catch let error as KafkaError where error.brokerErrorCode == .fencedInstanceId {
                // KIP-345: another process runs with our group.instance.id; this one must stop.
                consumer.report(error)
                logger.error("fenced by another member with the same group.instance.id", metadata: ["group": "\(groupId)"])
                stopping.store(true, ordering: .releasing)
                await loseMembership()
                return
            } catch {
                failures += 1
                consumer.report(error as? KafkaError ?? KafkaError(.protocolViolation, detail: "\(error)"))
                logger.debug("group membership setback", metadata: ["group": "\(groupId)", "error": "\(error)"])
                await cluster.invalidateCoordinator(group: groupId)
                // A cooperative member keeps its partitions until the coordinator must have evicted it.
                if rebalanceProtocol == .cooperative, lastContact.duration(to: .now) > configuration.sessionTimeout {
                    await loseMembership()
                }
                let delay = ReconnectBackoff(base: .milliseconds(100), maximum: .seconds(2)).delay(afterFailures: failures, using: &random)
                try? await Task.sleep(for: delay)
            }
            if rebalanceProtocol == .eager, !stopping.load(ordering: .acquiring) { await owned.revokeAll() }
        }
    }

    /// Commits (with auto-commit), tells the application, and leaves the group.
    /// A static member (`group.instance.id`) does not send LeaveGroup, as in the Java
    /// client and librdkafka: restarting within the session timeout keeps its partitions
    /// without a rebalance.
    func leave() async {
        stopping.store(true, ordering: .releasing)
        await owned.revokeAll()
        guard configuration.groupInstanceId == nil else { return }
        await sendLeaveGroup()
    }
}

extension ConsumerGroupMember {
    /// The coordinator no longer counts this member: its partitions are lost, and it joins afresh.
    func loseMembership() async {
        memberId.withLock { $0 = "" }
        await loseGeneration()
    }

    /// The member's generation is over (ILLEGAL_GENERATION): its partitions are lost
    /// (others may own them by now, so nothing is committed), but it rejoins under the
    /// same member id, as the Java client does. A new id would leave the old one in
    /// the group, holding the next rebalance up until its session times out.
    func loseGeneration() async {
        generation.withLock { $0 = nil }
        await owned.loseAll()
    }
}

extension ConsumerGroupMember {
    /// LeaveGroup for this member, if it has an id; failures are only logged.
    func sendLeaveGroup() async {
        let member = memberId.withLock { $0 }
        guard !member.isEmpty else { return }
        do {
            let connection = try await cluster.connection(for: .groupCoordinator(groupId))
            let version = try await connection.apiVersions().version(for: LeaveGroupRequest.self)
            var request = LeaveGroupRequest()
            request.groupId = groupId
            if version >= 3 {
                var identity = LeaveGroupRequest.MemberIdentity()
                identity.memberId = member
                identity.groupInstanceId = configuration.groupInstanceId
                request.members = [identity]
            } else {
                request.memberId = member
            }
            _ = try await connection.send(request, versionCeiling: version)
        } catch {
            logger.debug("LeaveGroup failed", metadata: ["group": "\(groupId)", "error": "\(error)"])
        }
    }

    /// The application is stuck: leave, so others take the partitions, and join
    /// again once it asks for messages (its offsets can no longer be committed).
    func leaveUntilPollingResumes() async {
        let stuck = consumer.shared.pollSignature
        logger.warning("the application took no message within the rebalance timeout (max.poll.interval.ms); leaving the group",
                       metadata: ["group": "\(groupId)"])
        consumer.report(KafkaError(.pollIntervalExceeded, detail: "group \(groupId): no message was taken within "
                                   + "\(configuration.rebalanceTimeout); the member left the group and rejoins when reading resumes"))
        await sendLeaveGroup()
        await loseMembership()
        while !stopping.load(ordering: .acquiring), consumer.shared.pollSignature == stuck {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
