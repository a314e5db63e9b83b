import KafkaWire

extension ClusterState {
    /// Carries out a transaction that ended: a COMMIT or ABORT marker on each of its
    /// partitions (under the partition's current leader epoch; a deleted topic gets
    /// none), and its groups' pending offsets committed or dropped.
    ///
    /// Throws only if the marker batch cannot be encoded, which for one uncompressed
    /// record does not happen; nothing is changed then.
    mutating func complete(_ completion: TransactionCoordinator.Completion, timestamp: Int64) throws(KafkaWireError) {
        let marker = try StoredBatch.marker(commit: completion.commit, producerId: completion.producerId,
                                            producerEpoch: completion.epoch, coordinatorEpoch: 0, timestamp: timestamp)
        for key in completion.partitions.sorted(by: { ($0.topic, $0.partition) < ($1.topic, $1.partition) }) {
            guard let partition = topics[key.topic]?.partitions[safe: Int(key.partition)] else { continue }
            topics[key.topic]!.partitions[Int(key.partition)].log.appendMarker(marker, commit: completion.commit,
                                                                              leaderEpoch: partition.leaderEpoch)
        }
        for group in completion.groups.sorted() {
            let offsets = pendingOffsets.end(group: group, producerId: completion.producerId, commit: completion.commit)
            guard !offsets.isEmpty else { continue }
            committed[group, default: [:]].merge(offsets) { $1 }
        }
    }

    /// Whether `group` has offsets for `partition` waiting in an open transaction.
    func hasPendingOffset(group: String, partition: PartitionKey) -> Bool {
        pendingOffsets.isPending(group: group, partition: partition)
    }
}
