/// How the producer picks a partition for a record that names none.
public struct Partitioner: Sendable {
    enum Strategy: Sendable {
        case `default`
        case roundRobin
        case custom(@Sendable (_ key: [UInt8]?, _ partitionCount: Int32) -> Int32)
    }

    let strategy: Strategy

    /// Keyed records by murmur2 of the key, as the Java client and librdkafka's
    /// `murmur2_random` do (so a key lands on the same partition whichever client
    /// produced it); keyless records stick to one partition and move to another,
    /// chosen among the partitions with a leader, once `batch.size` bytes went to it
    /// (the uniform sticky partitioner, KIP-794), however often batches were sent.
    public static let `default` = Partitioner(strategy: .default)

    /// Keyed records by murmur2 as `default`; keyless ones to each partition in turn.
    public static let roundRobin = Partitioner(strategy: .roundRobin)

    /// Your own choice: given the key (nil for none) and the partition count,
    /// return a partition in `0..<partitionCount`; anything else fails the record.
    public static func custom(_ choose: @escaping @Sendable (_ key: [UInt8]?, _ partitionCount: Int32) -> Int32) -> Partitioner {
        Partitioner(strategy: .custom(choose))
    }
}

/// The partitioner's per-topic memory: the sticky partition with the bytes sent to
/// it, the partitions that have a leader, the round-robin counter, and how well
/// each broker keeps up (for `partitioner.availability.timeout.ms`).
struct PartitionerState {
    /// Settings of the uniform sticky partitioner (KIP-794).
    struct Options: Sendable {
        /// `partitioner.adaptive.partitioning.enable`: a new sticky partition is drawn
        /// with weights that fall as its queue grows.
        var adaptive = true
        /// `partitioner.availability.timeout.ms`: a broker that had batches ready for
        /// this long without taking one has its partitions skipped; zero: never.
        var availabilityTimeout: Duration = .zero
        /// `partitioner.ignore.keys`: keyed records are spread like keyless ones.
        var ignoreKeys = false
    }

    var options = Options()
    var sticky: [String: Int32] = [:]
    /// Bytes of keyless records sent to the sticky partition since it was chosen.
    var stickyBytes: [String: Int] = [:]
    /// Partitions with a known leader and that leader, from the latest metadata; absent: all count.
    var leaders: [String: [Int32: Int32]] = [:]
    var roundRobin: [String: UInt32] = [:]
    /// Per broker: when it last had a batch ready to take, and when it last took one.
    var brokerReadyAt: [Int32: ContinuousClock.Instant] = [:]
    var brokerDrainedAt: [Int32: ContinuousClock.Instant] = [:]
    var random = SplitMix.seeded()

    /// The partition for a record of `topic` with `key`, or nil when the sticky
    /// partition must be drawn first (`chooseSticky`).
    mutating func partition(for topic: String, key: [UInt8]?, partitionCount: Int32, using partitioner: Partitioner) -> Int32? {
        switch partitioner.strategy {
        case .custom(let choose):
            return choose(key, partitionCount)
        case .default, .roundRobin:
            if let key, !options.ignoreKeys {
                return key.withUnsafeBytes { Murmur2.partition(forKey: $0, partitionCount: partitionCount) }
            }
        }
        if case .roundRobin = partitioner.strategy {
            let next = roundRobin[topic, default: 0]
            roundRobin[topic] = next &+ 1
            return Int32(next % UInt32(partitionCount))
        }
        if let current = sticky[topic], current < partitionCount, isAvailable(current, of: topic) { return current }
        return nil
    }

    /// Whether a record with `key` was placed by the sticky partitioner.
    func isSticky(key: [UInt8]?, using partitioner: Partitioner) -> Bool {
        guard case .default = partitioner.strategy else { return false }
        return key == nil || options.ignoreKeys
    }

    /// Draws the sticky partition of `topic`, other than `avoiding` where there is a
    /// choice. `queueSizes[p]`: batches waiting in partition p's queue.
    mutating func chooseSticky(for topic: String, partitionCount: Int32, avoiding: Int32?, queueSizes: [Int],
                               now: ContinuousClock.Instant) -> Int32 {
        let chosen = choose(for: topic, partitionCount: partitionCount, avoiding: avoiding, queueSizes: queueSizes, now: now)
        sticky[topic] = chosen
        stickyBytes[topic] = 0
        return chosen
    }

    /// `bytes` of a sticky record went to `partition` of `topic`. Returns true when
    /// `batchSize` bytes have gone to the sticky partition and it should move on
    /// (KIP-794), so records spread evenly even when lingering sends batches before they fill.
    mutating func stickyAppended(topic: String, partition: Int32, bytes: Int, batchSize: Int) -> Bool {
        guard sticky[topic] == partition else { return false }
        let sent = stickyBytes[topic, default: 0] + bytes
        stickyBytes[topic] = sent
        return sent >= batchSize
    }

    /// The partitions of `topic` with a leader in the latest metadata, and their leaders.
    mutating func setLeaders(_ partitionLeaders: [Int32: Int32], for topic: String) {
        leaders[topic] = partitionLeaders
    }

    /// The drain saw batches ready for `broker` at `now`, and it took one (`drained`) or
    /// could not (its in-flight requests are at the limit): Java's node latency stats.
    mutating func brokerReady(_ broker: Int32, drained: Bool, now: ContinuousClock.Instant) {
        brokerReadyAt[broker] = now
        if drained || brokerDrainedAt[broker] == nil { brokerDrainedAt[broker] = now }
    }

    private func isAvailable(_ partition: Int32, of topic: String) -> Bool {
        guard let known = leaders[topic], !known.isEmpty else { return true }
        return known[partition] != nil
    }

    /// A broker that had batches ready for longer than the availability timeout without taking any.
    private func isLagging(_ broker: Int32) -> Bool {
        guard options.availabilityTimeout > .zero, let ready = brokerReadyAt[broker], let drained = brokerDrainedAt[broker] else {
            return false
        }
        return drained.duration(to: ready) > options.availabilityTimeout
    }

    /// A partition among those with a leader (all when none has one), skipping lagging
    /// brokers' partitions where others remain; drawn uniformly, or, when adaptive,
    /// with weight `longest queue + 1 - own queue`, as Java's built-in partitioner does.
    private mutating func choose(for topic: String, partitionCount: Int32, avoiding: Int32?, queueSizes: [Int],
                                 now: ContinuousClock.Instant) -> Int32 {
        let known = leaders[topic] ?? [:]
        var candidates = known.keys.filter { $0 < partitionCount }.sorted()
        if candidates.isEmpty { candidates = Array(0..<partitionCount) }
        if options.availabilityTimeout > .zero {
            let keeping = candidates.filter { partition in known[partition].map { !isLagging($0) } ?? true }
            if !keeping.isEmpty { candidates = keeping }
        }
        if candidates.count > 1, let avoiding { candidates.removeAll { $0 == avoiding } }
        guard options.adaptive, candidates.count > 1 else { return candidates.randomElement(using: &random) ?? 0 }
        let sizes = candidates.map { Int($0) < queueSizes.count ? queueSizes[Int($0)] : 0 }
        let ceiling = (sizes.max() ?? 0) + 1
        var cumulative: [Int] = []
        cumulative.reserveCapacity(sizes.count)
        var total = 0
        for size in sizes {
            total += ceiling - size
            cumulative.append(total)
        }
        let draw = Int.random(in: 0..<total, using: &random)
        let index = cumulative.firstIndex { draw < $0 } ?? candidates.count - 1
        return candidates[index]
    }
}
