import KafkaWire

/// An idempotent producer's state on one partition, as a broker keeps it: the
/// current epoch and the last five batches' sequence ranges, enough to answer a
/// retried batch with its first offset and to refuse a gap.
struct ProducerSequenceState: Sendable {
    private var epoch: Int16?
    private var recent: [(first: Int32, last: Int32, baseOffset: Int64)] = []
    /// Matches the producer-side limit of five requests in flight per connection.
    private static let remembered = 5

    enum Verdict: Equatable {
        case accepted
        case duplicate(baseOffset: Int64)
        case rejected(KafkaErrorCode)
    }

    func check(_ batch: StoredBatch) -> Verdict {
        guard let epoch, batch.producerEpoch == epoch else {
            if let epoch, batch.producerEpoch < epoch { return .rejected(.invalidProducerEpoch) }
            // A new producer, or a new epoch of one: its sequence starts over.
            return batch.baseSequence == 0 ? .accepted : .rejected(.outOfOrderSequenceNumber)
        }
        if let known = recent.first(where: { $0.first == batch.baseSequence && $0.last == batch.lastSequence }) {
            return .duplicate(baseOffset: known.baseOffset)
        }
        let expected = recent.last.map { $0.last == Int32.max ? 0 : $0.last + 1 } ?? 0
        return batch.baseSequence == expected ? .accepted : .rejected(.outOfOrderSequenceNumber)
    }

    mutating func record(_ batch: StoredBatch) {
        if epoch != batch.producerEpoch { recent = [] }
        epoch = batch.producerEpoch
        recent.append((batch.baseSequence, batch.lastSequence, batch.baseOffset))
        if recent.count > Self.remembered { recent.removeFirst() }
    }

    /// A transaction marker for this producer: a marker under a newer epoch (the
    /// coordinator fenced the producer) makes that epoch current, so batches of older
    /// epochs are refused and the next producer starts its sequence at 0.
    mutating func recordMarker(epoch markerEpoch: Int16) {
        guard epoch.map({ markerEpoch > $0 }) ?? true else { return }
        epoch = markerEpoch
        recent = []
    }
}
