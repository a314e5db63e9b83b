import KafkaWire

/// One partition's log in the fake cluster: batches in offset order, the leader
/// epoch each began under, the idempotent producers' sequence state, and the
/// transactions open on it (which hold back the last stable offset) or aborted
/// (which read_committed readers skip, as Kafka's transaction index lists them).
///
/// Every broker of the fake cluster serves the same log (replication is perfect
/// and instant), so a leader change loses nothing unless a test truncates.
struct PartitionLog: Sendable {
    private(set) var batches: [StoredBatch] = []
    private(set) var logStartOffset: Int64 = 0
    private(set) var endOffset: Int64 = 0
    /// (epoch, first offset written under it), ascending.
    private(set) var epochStarts: [(epoch: Int32, offset: Int64)] = []
    private var producers: [Int64: ProducerSequenceState] = [:]
    /// The first offset of each producer's transaction still open here.
    private(set) var openTransactions: [Int64: Int64] = [:]
    /// Ended-by-abort transactions, in marker order.
    private(set) var abortedTransactions: [AbortedTransaction] = []

    /// An aborted transaction on this partition: its producer, its first offset and
    /// the offset of its ABORT marker (Kafka's transaction index entry).
    struct AbortedTransaction: Sendable, Equatable {
        let producerId: Int64
        let firstOffset: Int64
        let markerOffset: Int64
    }

    /// The last stable offset: the first offset of the oldest open transaction, or
    /// the log end (the high watermark: replication is instant) when none is open.
    var lastStableOffset: Int64 { openTransactions.values.min() ?? endOffset }

    enum AppendOutcome: Equatable {
        case appended(baseOffset: Int64)
        /// A retry of a batch already in the log: answered with its offset, not written again.
        case duplicate(baseOffset: Int64)
        case rejected(KafkaErrorCode)
    }

    /// Appends `incoming` (one produce request's data for the partition) under
    /// `leaderEpoch`, all or nothing, checking idempotent producers' epochs and
    /// sequences first.
    mutating func append(_ incoming: [StoredBatch], leaderEpoch: Int32) -> AppendOutcome {
        var states: [Int64: ProducerSequenceState] = [:]
        var accepted: [StoredBatch] = []
        var nextOffset = endOffset
        var firstOffset: Int64?
        var opened: [Int64: Int64] = [:]
        for var batch in incoming {
            // Only a transaction coordinator writes markers; Kafka refuses them from clients.
            guard !batch.isControl else { return .rejected(.invalidRecord) }
            batch.assign(baseOffset: nextOffset, leaderEpoch: leaderEpoch)
            if batch.producerId >= 0 {
                var state = states[batch.producerId] ?? producers[batch.producerId] ?? ProducerSequenceState()
                switch state.check(batch) {
                case .duplicate(let offset):
                    firstOffset = firstOffset ?? offset
                    continue
                case .rejected(let error):
                    return .rejected(error)
                case .accepted:
                    state.record(batch)
                    states[batch.producerId] = state
                }
            }
            if batch.isTransactional, openTransactions[batch.producerId] == nil, opened[batch.producerId] == nil {
                opened[batch.producerId] = batch.baseOffset
            }
            firstOffset = firstOffset ?? nextOffset
            nextOffset = batch.lastOffset + 1
            accepted.append(batch)
        }
        guard !accepted.isEmpty else { return .duplicate(baseOffset: firstOffset ?? endOffset) }
        if epochStarts.last?.epoch != leaderEpoch { epochStarts.append((leaderEpoch, endOffset)) }
        producers.merge(states) { $1 }
        openTransactions.merge(opened) { old, _ in old }
        batches += accepted
        endOffset = nextOffset
        return .appended(baseOffset: firstOffset ?? accepted[0].baseOffset)
    }

    /// Writes a transaction's COMMIT or ABORT marker for `producerId`, closing its
    /// transaction here: an abort is remembered for read_committed readers, and a
    /// marker under a newer epoch fences the producer's older epochs on this partition.
    /// Returns the marker's offset.
    @discardableResult
    mutating func appendMarker(_ marker: StoredBatch, commit: Bool, leaderEpoch: Int32) -> Int64 {
        var batch = marker
        let offset = endOffset
        batch.assign(baseOffset: offset, leaderEpoch: leaderEpoch)
        if epochStarts.last?.epoch != leaderEpoch { epochStarts.append((leaderEpoch, offset)) }
        batches.append(batch)
        endOffset = offset + 1
        var state = producers[batch.producerId] ?? ProducerSequenceState()
        state.recordMarker(epoch: batch.producerEpoch)
        producers[batch.producerId] = state
        if let first = openTransactions.removeValue(forKey: batch.producerId), !commit {
            abortedTransactions.append(AbortedTransaction(producerId: batch.producerId, firstOffset: first, markerOffset: offset))
        }
        return offset
    }

    /// Whole batches from the one holding `offset`, at least one, then up to `maxBytes`;
    /// none that begins at or past `limit` (the last stable offset for read_committed).
    func read(from offset: Int64, maxBytes: Int, limit: Int64? = nil) -> [UInt8] {
        readBatches(from: offset, maxBytes: maxBytes, limit: limit).bytes
    }

    /// ``read(from:maxBytes:limit:)`` with the offset after the last batch returned (`offset` when none is).
    func readBatches(from offset: Int64, maxBytes: Int, limit: Int64? = nil) -> (bytes: [UInt8], end: Int64) {
        var index = batchIndex(holding: offset)
        var bytes: [UInt8] = []
        var end = offset
        while index < batches.count, bytes.isEmpty || bytes.count + batches[index].bytes.count <= maxBytes {
            if let limit, batches[index].baseOffset >= limit { break }
            bytes += batches[index].bytes
            end = batches[index].lastOffset + 1
            index += 1
        }
        return (bytes, end)
    }

    /// The aborted transactions a read of `[from, upTo)` overlaps, as a Fetch answer
    /// lists them for a read_committed reader (which filters the records itself).
    func abortedTransactions(from offset: Int64, upTo end: Int64) -> [AbortedTransaction] {
        abortedTransactions.filter { $0.markerOffset >= offset && $0.firstOffset < end }
    }

    /// The offset after the last one written under `epoch` (KIP-320's end offset for
    /// an epoch): where the next epoch began, or the log end for the newest. Returns
    /// the largest epoch at or below the asked one with it, or nil when none is known.
    func endOffset(forEpoch epoch: Int32) -> (epoch: Int32, endOffset: Int64)? {
        guard let index = epochStarts.lastIndex(where: { $0.epoch <= epoch }) else { return nil }
        let end = index + 1 < epochStarts.count ? epochStarts[index + 1].offset : endOffset
        return (epochStarts[index].epoch, end)
    }

    /// ListOffsets' answer for `timestamp`: -1 is the log end, -2 the log start, -3 the
    /// batch with the largest timestamp; otherwise the first batch whose max timestamp
    /// is at or after it (the fake answers per batch, not per record), or the end.
    func offset(forTimestamp timestamp: Int64) -> (offset: Int64, timestamp: Int64) {
        switch timestamp {
        case -1: return (endOffset, -1)
        case -2: return (logStartOffset, -1)
        case -3:
            guard let newest = batches.max(by: { $0.maxTimestamp < $1.maxTimestamp }) else { return (-1, -1) }
            return (newest.lastOffset, newest.maxTimestamp)
        default:
            guard let batch = batches.first(where: { $0.maxTimestamp >= timestamp }) else { return (-1, -1) }
            return (batch.baseOffset, batch.maxTimestamp)
        }
    }

    /// Drops everything from `offset` on, as an unclean leader election would.
    mutating func truncate(to offset: Int64) {
        let keep = batchIndex(holding: offset)
        batches.removeSubrange(keep...)
        endOffset = batches.last.map { $0.lastOffset + 1 } ?? logStartOffset
        epochStarts.removeAll { $0.offset >= endOffset && $0.offset > logStartOffset }
        producers = [:]
        // Markers and transactions past the new end are gone with their records.
        abortedTransactions.removeAll { $0.markerOffset >= endOffset }
        openTransactions = openTransactions.filter { $0.value < endOffset }
    }

    /// Moves the log start forward (DeleteRecords), dropping whole batches before it.
    mutating func deleteRecords(before offset: Int64) {
        let target = min(max(offset, logStartOffset), endOffset)
        batches.removeAll { $0.lastOffset < target }
        logStartOffset = target
    }

    private func batchIndex(holding offset: Int64) -> Int {
        var low = 0, high = batches.count
        while low < high {
            let middle = (low + high) / 2
            if batches[middle].lastOffset < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
