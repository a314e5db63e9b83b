import Synchronization

/// The partitions a group member owns, and the hand-overs around them that both
/// group protocols share: commit before giving up, tell the application, then
/// change the consumer's assignment.
final class OwnedPartitions: Sendable {
    let consumer: KafkaConsumer
    private let owned = VisibleLock<[TopicPartition]>([])

    init(consumer: KafkaConsumer) {
        self.consumer = consumer
    }

    var current: [TopicPartition] { owned.withLock { $0 } }

    /// Takes on `target`: revokes what it no longer holds, then adds what is new,
    /// each from its committed offset. Returns what was revoked and added.
    ///
    /// The committed offsets are looked up by the fetcher, not here: a failing
    /// OffsetFetch is retried there with backoff while the member keeps
    /// heartbeating, instead of leaving partitions owned but never fetched.
    @discardableResult
    func adopt(_ target: [TopicPartition]) async -> (revoked: [TopicPartition], added: [TopicPartition]) {
        let wanted = Set(target)
        let before = current
        let revoked = before.filter { !wanted.contains($0) }
        await revoke(revoked)
        let kept = Set(before)
        let added = target.filter { !kept.contains($0) }
        owned.withLock { $0 = target }
        if !added.isEmpty { consumer.incrementalAssign(Dictionary(uniqueKeysWithValues: added.map { ($0, .committed) })) }
        await consumer.configuration.onRebalance?(.assigned(added))
        consumer.emit(.partitionsAssigned(added))
        return (revoked, added)
    }

    /// Gives `partitions` up: delivery of their records stops, auto-commit commits
    /// what was consumed, and the application hears of it before they go. Records
    /// handed out after the commit would be read again by the next owner, so none are.
    func revoke(_ partitions: [TopicPartition]) async {
        guard !partitions.isEmpty else { return }
        let finished = consumer.shared.stopDelivering(partitions)
        // A periodic commit still in flight carries older offsets: it lands first.
        await consumer.finishPeriodicCommit()
        await consumer.autoCommit(finished)
        await consumer.configuration.onRebalance?(.revoked(partitions))
        consumer.emit(.partitionsRevoked(partitions))
        let gone = Set(partitions)
        owned.withLock { $0.removeAll { gone.contains($0) } }
        consumer.incrementalUnassign(partitions)
    }

    /// Gives every partition up in a rebalance.
    func revokeAll() async {
        await revoke(current)
    }

    /// Drops every partition without committing: the coordinator no longer counts
    /// this member, so others may own them already.
    func loseAll() async {
        let lost = owned.withLock { partitions in
            defer { partitions = [] }
            return partitions
        }
        guard !lost.isEmpty else { return }
        consumer.incrementalUnassign(lost)
        await consumer.configuration.onRebalance?(.lost(lost))
        consumer.emit(.partitionsLost(lost))
    }
}

/// A consumer's membership in its group, whichever protocol it speaks.
protocol GroupMembership: Sendable {
    /// The generation (member epoch in KIP-848) and member id commits carry; nil between generations.
    var currentGeneration: ConsumerGroupMember.Generation? { get }
    /// Runs the membership until `leave()`.
    func run() async
    /// Revokes everything (committing first) and leaves the group.
    func leave() async
}
