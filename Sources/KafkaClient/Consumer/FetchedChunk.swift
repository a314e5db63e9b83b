import KafkaWire

/// Records of one partition from one fetch response, waiting for the application.
struct FetchedChunk: Sendable {
    var topicPartition: TopicPartition
    /// The partition's generation when fetched; a seek or re-assignment makes it stale.
    var generation: UInt64
    var selections: [FetchedRecordFilter.Selection]
    /// Bytes held, for the prefetch limit.
    var bytes: Int
    /// The position once every record of the chunk is consumed.
    var nextOffset: Int64
}

/// A consumer's per-partition state.
struct ConsumerPartitionState: Sendable {
    /// The next offset to fetch; nil until the start offset is resolved.
    var fetchOffset: Int64?
    /// A start offset still to resolve with ListOffsets.
    var pendingStart: KafkaConsumerStartOffset?
    /// Bumped by every seek, so fetches in flight from before are discarded.
    var generation: UInt64 = 0
    /// Paused by the application (`pause`, undone only by `resume`).
    var isPaused = false
    /// Held by the consumer until the application seeks: no position to fetch from
    /// (`auto.offset.reset=error`), or a corrupt batch at the position.
    var awaitsSeek = false
    var isFetching = false
    /// The next offset the application will receive.
    var position: Int64?
    /// The leader epoch of the record before `position` (-1: unknown), committed with
    /// it so a later reader can check the commit against the log (KIP-320).
    var positionEpoch: Int32 = -1
    /// From the latest fetch response, for lag.
    var highWatermark: Int64 = -1
    var lastStableOffset: Int64 = -1
    /// The leader epoch of the last batch fetched (-1: none yet), to check the
    /// position against the log after a leader change (KIP-320).
    var lastFetchedEpoch: Int32 = -1
    /// Set when the leader changed: no fetching until OffsetForLeaderEpoch has
    /// confirmed the position is still in the new leader's log.
    var awaitsValidation = false
}

/// A position with the leader epoch of the record before it: what a commit carries
/// (the Java client's `OffsetAndMetadata` offset and leader epoch).
struct ConsumedPosition: Sendable, Hashable {
    var offset: Int64
    /// -1 when unknown.
    var leaderEpoch: Int32 = -1
}

extension FetchedChunk {
    /// The leader epoch of the batch holding `offset`, if the chunk holds it.
    func leaderEpoch(of offset: Int64) -> Int32? {
        for selection in selections {
            guard let first = selection.records.first, let last = selection.records.last else { continue }
            if first.offset <= offset, offset <= last.offset { return selection.leaderEpoch }
        }
        return nil
    }

    /// What a fetched partition holds in memory until the application has taken it,
    /// for the prefetch limit: the response bytes, each decoded record, and for
    /// compressed batches the decompressed keys and values.
    static func heldBytes(wireBytes: Int, batches: [RecordBatch]) -> Int {
        var total = wireBytes
        for batch in batches {
            total += batch.records.count * MemoryLayout<Record>.stride
            guard batch.attributes.compressionBits != 0 else { continue }
            for record in batch.records { total += (record.key?.count ?? 0) + (record.value?.count ?? 0) }
        }
        return total
    }
}
