import KafkaWire

/// Chooses the records of a fetched partition to deliver: none before the
/// fetch position, no control records, and under `read_committed` none from
/// aborted transactions: a transactional batch is skipped when its producer
/// has an aborted transaction starting at or before the batch's last offset
/// and the matching ABORT marker has not been seen yet (KIP-98).
struct FetchedRecordFilter {
    struct AbortedTransaction: Sendable, Hashable {
        var producerId: Int64
        var firstOffset: Int64
    }

    /// A batch's records to deliver, with what the message needs from the batch.
    struct Selection: Sendable {
        var records: ArraySlice<Record>
        var timestampType: TimestampType
        var leaderEpoch: Int32
    }

    /// The deliverable records of `batches`, and the offset to fetch next.
    static func select(_ batches: [RecordBatch], from position: Int64, isolation: KafkaIsolationLevel,
                       abortedTransactions: [AbortedTransaction]) -> (selections: [Selection], nextOffset: Int64) {
        var selections: [Selection] = []
        selections.reserveCapacity(batches.count)
        var next = position
        // Aborted transactions by first offset; they join the active set as batches pass them.
        var pending = abortedTransactions.sorted { $0.firstOffset < $1.firstOffset }[...]
        var abortedProducers: Set<Int64> = []
        for batch in batches {
            guard batch.nextOffset > position else { continue }
            next = max(next, batch.nextOffset)
            if isolation == .readCommitted {
                while let first = pending.first, first.firstOffset <= batch.lastOffset {
                    abortedProducers.insert(first.producerId)
                    pending = pending.dropFirst()
                }
            }
            if batch.attributes.isControl {
                // The marker's type is in its key; an abort marker ends the producer's aborted run.
                if isolation == .readCommitted, batch.records.first.flatMap(ControlRecordType.init(controlKeyOf:)) == .abort {
                    abortedProducers.remove(batch.producerId)
                }
                continue
            }
            if isolation == .readCommitted, batch.attributes.isTransactional, abortedProducers.contains(batch.producerId) {
                continue
            }
            var records = batch.records[...]
            if let first = records.first, first.offset < position {
                records = records.drop { $0.offset < position }
            }
            guard !records.isEmpty else { continue }
            selections.append(Selection(records: records, timestampType: batch.attributes.timestampType,
                                        leaderEpoch: batch.partitionLeaderEpoch))
        }
        return (selections, next)
    }
}
