/// What a transactional producer needs of the buffer: partitions wait until the
/// transaction has registered them, and an aborted transaction's unsent records
/// are taken back to be failed.
extension RecordAccumulator {
    /// Starts gating partitions on transaction registration (none registered yet).
    func enableTransactionGating() {
        state.withLock { $0.transactionPartitions = [] }
    }

    /// These partitions were added to the transaction and may be sent to.
    func registerTransactionPartitions(_ partitions: some Sequence<TopicPartition>) {
        state.withLock { state in
            state.transactionPartitions?.formUnion(partitions)
        }
    }

    /// A transaction ended: the next one registers its partitions again.
    func clearTransactionPartitions() {
        state.withLock { state in
            if state.transactionPartitions != nil { state.transactionPartitions = [] }
        }
    }

    /// True when a batch with a sequence number failed and the epoch must be bumped
    /// before the partition's sequence can go on.
    var needsEpochBump: Bool { state.withLock { $0.needsEpochBump } }

    /// Takes every batch and record not sent yet (nothing in flight), so an aborted
    /// transaction's records can be failed instead of written later.
    func takeUnsent() -> (batches: [ProducerBatch], records: [PendingRecord]) {
        state.withLock { state in
            var batches: [ProducerBatch] = []
            var table = state.table
            state.table = ProducerTopicTable()
            defer { state.table = table }
            table.forEachQueue { _, queue in
                queue.sealOpenBatch()
                batches.append(contentsOf: queue.sealed)
                queue.sealed = []
            }
            var records: [PendingRecord] = []
            for (_, waiting) in state.unpartitioned {
                for pending in waiting {
                    state.bufferedBytes -= pending.record.estimatedSize
                    state.bufferedRecords -= 1
                    records.append(pending)
                }
            }
            state.unpartitioned = [:]
            return (batches, records)
        }
    }
}
