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
    /// produced it); keyless records stick to one partition per batch, moving on
    /// when a batch fills up (the uniform sticky partitioner, KIP-794).
    public static let `default` = Partitioner(strategy: .default)

    /// Keyed records by murmur2 as `default`; keyless ones to each partition in turn.
    public static let roundRobin = Partitioner(strategy: .roundRobin)

    /// Your own choice: given the key (nil for none) and the partition count,
    /// return a partition in `0..<partitionCount`; anything else fails the record.
    public static func custom(_ choose: @escaping @Sendable (_ key: [UInt8]?, _ partitionCount: Int32) -> Int32) -> Partitioner {
        Partitioner(strategy: .custom(choose))
    }
}

/// The partitioner's per-topic memory: the sticky partition and the round-robin counter.
struct PartitionerState {
    var sticky: [String: Int32] = [:]
    var roundRobin: [String: UInt32] = [:]
    var random = SystemRandomNumberGenerator()

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
        if let current = sticky[topic], current < partitionCount { return current }
        let chosen = Int32.random(in: 0..<partitionCount, using: &random)
        sticky[topic] = chosen
        return chosen
    }

    /// A batch of `topic` filled (or was sent): keyless records move to another partition.
    mutating func batchCompleted(topic: String, partition: Int32, partitionCount: Int32) {
        guard sticky[topic] == partition else { return }
        if partitionCount <= 1 {
            sticky[topic] = 0
            return
        }
        // Any partition but the current one, uniformly.
        let offset = Int32.random(in: 1..<partitionCount, using: &random)
        sticky[topic] = (partition + offset) % partitionCount
    }
}
