/// Idempotent producer sequence numbers: 32-bit, per partition, wrapping from
/// `Int32.max` to 0 as the broker expects (KIP-98; Java's
/// `DefaultRecordBatch.incrementSequence`). They never go negative, so -1 can
/// keep meaning "not stamped yet" / "nothing acknowledged yet".
enum ProducerSequence {
    /// `sequence` advanced by `increment`, wrapping past `Int32.max` to 0.
    static func increment(_ sequence: Int32, by increment: Int) -> Int32 {
        // Computed in 64 bits: sequence + increment may not fit in Int32.
        let next = Int64(sequence) + Int64(increment)
        let period = Int64(Int32.max) + 1
        return Int32(next >= period ? next % period : next)
    }

    /// How many sequence numbers `sequence` comes after `origin`, counting across
    /// the wrap: orders the batches of one partition, which lie within a few
    /// thousand numbers of each other.
    static func distance(from origin: Int32, to sequence: Int32) -> Int64 {
        let period = Int64(Int32.max) + 1
        return ((Int64(sequence) - Int64(origin)) % period + period) % period
    }

    /// How far apart two sequences of one partition can be and still be told apart
    /// across the wrap: a quarter of the range, far more than five batches in flight.
    static let window = (Int64(Int32.max) + 1) / 4

    /// True when `sequence` comes after `other` (within ``window``).
    static func isAfter(_ sequence: Int32, _ other: Int32) -> Bool {
        let ahead = distance(from: other, to: sequence)
        return ahead > 0 && ahead < window
    }
}
