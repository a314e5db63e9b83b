// A small HDR-style histogram for kafka-bench latency: log-linear buckets of
// nanoseconds with 128 sub-buckets per power of two (under 1% error per value),
// fixed memory, O(1) recording, so it can sit on the hot path of a benchmark.

struct LatencyHistogram {
    /// Sub-buckets per power of two: values below this are counted exactly.
    private static let subBucketBits = 7
    private static let subBucketCount = 1 << subBucketBits
    /// Enough powers of two for any UInt64.
    private var counts = [UInt64](repeating: 0, count: (64 - subBucketBits + 1) * (1 << subBucketBits))
    private(set) var total: UInt64 = 0
    private(set) var maximum: UInt64 = 0

    /// Counts one value (nanoseconds).
    mutating func record(_ value: UInt64) {
        counts[Self.index(of: value)] += 1
        total += 1
        maximum = max(maximum, value)
    }

    /// Adds `other`'s counts to this one.
    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        total += other.total
        maximum = max(maximum, other.maximum)
    }

    /// The smallest recorded bucket's upper value at or above `percentile` (0...100) of the counts; 0 when empty.
    func value(atPercentile percentile: Double) -> UInt64 {
        guard total > 0 else { return 0 }
        let wanted = max(1, UInt64((percentile / 100 * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, count) in counts.enumerated() where count > 0 {
            seen += count
            if seen >= wanted { return min(Self.highestValue(in: index), maximum) }
        }
        return maximum
    }

    /// Bucket of `value`: exact below 128, else its top 7 significant bits and its power of two.
    static func index(of value: UInt64) -> Int {
        guard value >= UInt64(subBucketCount) else { return Int(value) }
        let shift = (63 - value.leadingZeroBitCount) - (subBucketBits - 1) - 1
        // (value >> shift) is in 128..<256: one of 128 sub-buckets of the power of two `shift + 1`.
        return (shift + 1) * subBucketCount + Int(value >> UInt64(shift)) - subBucketCount
    }

    /// The largest value that falls into bucket `index`.
    static func highestValue(in index: Int) -> UInt64 {
        guard index >= subBucketCount else { return UInt64(index) }
        let shift = index / subBucketCount - 1
        let sub = UInt64(index % subBucketCount + subBucketCount)
        return ((sub + 1) << UInt64(shift)) - 1
    }
}
