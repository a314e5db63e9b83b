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
/// it, the partitions that have a leader, and the round-robin counter.
struct PartitionerState {
    var sticky: [String: Int32] = [:]
    /// Bytes of keyless records sent to the sticky partition since it was chosen.
    var stickyBytes: [String: Int] = [:]
    /// Partitions with a known leader, from the latest metadata; absent: all count.
    var available: [String: [Int32]] = [:]
    var roundRobin: [String: UInt32] = [:]
    var random = SplitMix.seeded()

    /// The partition for a record of `topic` with `key`.
    mutating func partition(for topic: String, key: [UInt8]?, partitionCount: Int32, using partitioner: Partitioner) -> Int32 {
        switch partitioner.strategy {
        case .custom(let choose):
            return choose(key, partitionCount)
        case .default, .roundRobin:
            if let key {
                return key.withUnsafeBytes { Murmur2.partition(forKey: $0, partitionCount: partitionCount) }
            }
        }
        if case .roundRobin = partitioner.strategy {
            let next = roundRobin[topic, default: 0]
            roundRobin[topic] = next &+ 1
            return Int32(next % UInt32(partitionCount))
        }
        if let current = sticky[topic], current < partitionCount, isAvailable(current, of: topic) { return current }
        let chosen = choose(for: topic, partitionCount: partitionCount, avoiding: nil)
        sticky[topic] = chosen
        stickyBytes[topic] = 0
        return chosen
    }

    /// `bytes` of a keyless record went to `partition` of `topic`: after `batchSize`
    /// bytes the sticky partition moves to another one (KIP-794), so keyless records
    /// spread evenly even when lingering sends batches before they fill.
    mutating func keylessAppended(topic: String, partition: Int32, bytes: Int, batchSize: Int, partitionCount: Int32) {
        guard sticky[topic] == partition else { return }
        let sent = stickyBytes[topic, default: 0] + bytes
        guard sent >= batchSize else {
            stickyBytes[topic] = sent
            return
        }
        sticky[topic] = choose(for: topic, partitionCount: partitionCount, avoiding: partition)
        stickyBytes[topic] = 0
    }

    /// The partitions of `topic` with a leader in the latest metadata.
    mutating func setAvailable(_ partitions: [Int32], for topic: String) {
        available[topic] = partitions.sorted()
    }

    private func isAvailable(_ partition: Int32, of topic: String) -> Bool {
        guard let known = available[topic], !known.isEmpty else { return true }
        return known.contains(partition)
    }

    /// A partition chosen uniformly among those with a leader (all when none has one),
    /// other than `avoiding` where there is a choice.
    private mutating func choose(for topic: String, partitionCount: Int32, avoiding: Int32?) -> Int32 {
        var candidates = (available[topic] ?? []).filter { $0 < partitionCount }
        if candidates.isEmpty { candidates = Array(0..<partitionCount) }
        if candidates.count > 1, let avoiding { candidates.removeAll { $0 == avoiding } }
        return candidates.randomElement(using: &random) ?? 0
    }
}
