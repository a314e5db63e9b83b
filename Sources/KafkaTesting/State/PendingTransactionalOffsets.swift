/// Offsets sent with TxnOffsetCommit, held by the group coordinator per group and
/// producer until the transaction ends: a commit makes them the group's committed
/// offsets, an abort drops them. Until then OffsetFetch with `requireStable` (KIP-447)
/// answers UNSTABLE_OFFSET_COMMIT for their partitions.
struct PendingTransactionalOffsets: Sendable {
    private var pending: [String: [Int64: [PartitionKey: ClusterState.CommittedOffset]]] = [:]

    mutating func add(_ offsets: [PartitionKey: ClusterState.CommittedOffset], group: String, producerId: Int64) {
        pending[group, default: [:]][producerId, default: [:]].merge(offsets) { $1 }
    }

    /// Whether an open transaction holds an offset of `group` for `partition`.
    func isPending(group: String, partition: PartitionKey) -> Bool {
        pending[group]?.values.contains { $0[partition] != nil } ?? false
    }

    /// Ends `producerId`'s offsets in `group`: returns them to commit, or nothing when aborted.
    mutating func end(group: String, producerId: Int64, commit: Bool) -> [PartitionKey: ClusterState.CommittedOffset] {
        let offsets = pending[group]?.removeValue(forKey: producerId) ?? [:]
        if pending[group]?.isEmpty == true { pending[group] = nil }
        return commit ? offsets : [:]
    }

    /// Drops pending offsets of a deleted topic.
    mutating func remove(topic: String) {
        for group in pending.keys {
            for producer in pending[group]!.keys { pending[group]![producer] = pending[group]![producer]!.filter { $0.key.topic != topic } }
        }
    }
}
