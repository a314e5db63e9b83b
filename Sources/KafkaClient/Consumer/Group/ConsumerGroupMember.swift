import KafkaWire
import Logging
import Synchronization

/// The consumer's membership in its group, classic protocol (KIP-62 style,
/// eager rebalancing): JoinGroup, the leader's assignment, SyncGroup, then
/// heartbeats on their own schedule until the coordinator asks for a rejoin.
final class ConsumerGroupMember: Sendable {
    struct Generation: Sendable, Hashable {
        var generationId: Int32
        var memberId: String
    }

    enum RejoinReason: Error {
        case rebalance
        case unknownMember
        case coordinatorMoved
    }

    let groupId: String
    let topics: [String]
    let configuration: KafkaConsumer.Configuration
    let cluster: KafkaCluster
    let consumer: KafkaConsumer
    let logger: Logger
    let stopping = Atomic<Bool>(false)
    let memberId = Mutex("")
    let generation = Mutex<Generation?>(nil)
    let assigned = Mutex<[TopicPartition]>([])

    init(groupId: String, topics: [String], consumer: KafkaConsumer, logger: Logger) {
        self.groupId = groupId
        self.topics = topics.sorted()
        self.configuration = consumer.configuration
        self.cluster = consumer.cluster
        self.consumer = consumer
        self.logger = logger
    }

    var assignors: [any KafkaPartitionAssignor] { configuration.partitionAssignors }

    func run() async {
        var failures = 0
        var random = SystemRandomNumberGenerator()
        while !stopping.load(ordering: .acquiring) {
            do {
                try await joinAndSync()
                failures = 0
                try await heartbeatUntilRejoin()
            } catch let reason as RejoinReason {
                if reason == .unknownMember { memberId.withLock { $0 = "" } }
                if reason == .coordinatorMoved { await cluster.invalidateCoordinator(group: groupId) }
            } catch {
                failures += 1
                consumer.shared.report(error as? KafkaError ?? KafkaError(.protocolViolation, detail: "\(error)"))
                logger.debug("group membership setback", metadata: ["group": "\(groupId)", "error": "\(error)"])
                await cluster.invalidateCoordinator(group: groupId)
                let delay = ReconnectBackoff(base: .milliseconds(100), maximum: .seconds(2)).delay(afterFailures: failures, using: &random)
                try? await Task.sleep(for: delay)
            }
            if !stopping.load(ordering: .acquiring) { await revokeAll() }
        }
    }

    /// Commits (with auto-commit), tells the application, and leaves the group.
    func leave() async {
        stopping.store(true, ordering: .releasing)
        await revokeAll()
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

    /// Eager rebalance: before rejoining, every partition is given up; the
    /// application hears of it first and auto-commit commits what was consumed.
    func revokeAll() async {
        let revoked = assigned.withLock { partitions in
            defer { partitions = [] }
            return partitions
        }
        guard !revoked.isEmpty else { return }
        if configuration.enableAutoCommit {
            do {
                try await consumer.commit()
            } catch {
                consumer.fetcher.metrics.commitFailures.increment()
                consumer.shared.report(error)
            }
        }
        await configuration.onRebalance?(.revoked(revoked))
        consumer.emit(.partitionsRevoked(revoked))
        consumer.assign([:])
        generation.withLock { $0 = nil }
    }

    // MARK: Heartbeats

    func heartbeatUntilRejoin() async throws {
        var lastAutoCommit = ContinuousClock.now
        while !stopping.load(ordering: .acquiring) {
            try? await Task.sleep(for: configuration.heartbeatInterval)
            if stopping.load(ordering: .acquiring) { return }
            guard let current = generation.withLock({ $0 }) else { throw RejoinReason.rebalance }
            var request = HeartbeatRequest()
            request.groupId = groupId
            request.generationId = current.generationId
            request.memberId = current.memberId
            let connection = try await cluster.connection(for: .groupCoordinator(groupId))
            let version = try await connection.apiVersions().version(for: HeartbeatRequest.self)
            if version >= 3 { request.groupInstanceId = configuration.groupInstanceId }
            let response = try await connection.send(request, versionCeiling: version)
            switch KafkaErrorCode(response.errorCode) {
            case .noError: break
            case .rebalanceInProgress: throw RejoinReason.rebalance
            case .unknownMemberId, .illegalGeneration: throw RejoinReason.unknownMember
            case .notCoordinator, .coordinatorNotAvailable: throw RejoinReason.coordinatorMoved
            case let code: throw KafkaError.broker(code, apiKey: .heartbeat, message: "group \(groupId): \(code.message)")
            }
            if configuration.enableAutoCommit, lastAutoCommit.duration(to: .now) >= configuration.autoCommitInterval {
                lastAutoCommit = .now
                do {
                    try await consumer.commit()
                } catch {
                    consumer.fetcher.metrics.commitFailures.increment()
                    consumer.shared.report(error)
                }
            }
        }
    }
}
