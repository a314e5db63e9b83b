import KafkaClient
import Synchronization

/// Partition counts per topic, looked up once from the cluster's metadata, so
/// records can be given a partition before they reach the producer (the lineage
/// sequence is per partition; lineage hops go to their correlation id's partition).
final class PartitionCounts: Sendable {
    private let counts = VisibleLock<[String: Int32]>([:])
    private let roundRobin = Atomic<Int>(0)

    /// The number of partitions of `topic`.
    func count(of topic: String, in cluster: KafkaCluster) async throws(KafkaError) -> Int32 {
        if let known = counts.withLock({ $0[topic] }) { return known }
        var metadata = try await cluster.metadata(topics: [topic])
        if metadata.topics[topic]?.partitions.isEmpty ?? true {
            metadata = try await cluster.refreshMetadata(topics: [topic])
        }
        guard let entry = metadata.topics[topic], !entry.partitions.isEmpty else {
            throw KafkaError(.unknownTopicOrPartition, detail: "topic \(topic) is not in the cluster's metadata")
        }
        let count = Int32(entry.partitions.count)
        counts.withLock { $0[topic] = count }
        return count
    }

    /// The partition for `key` in `topic` when its partition count is known already.
    func knownPartition(for key: [UInt8], topic: String) -> Int32? {
        guard let partitions = counts.withLock({ $0[topic] }) else { return nil }
        return key.withUnsafeBytes { Murmur2.partition(forKey: $0, partitionCount: partitions) }
    }

    /// The partition for `key` in `topic`: murmur2 of the key, as the producer's
    /// default partitioner; keyless records in turn.
    func partition(for key: [UInt8]?, topic: String, in cluster: KafkaCluster) async throws(KafkaError) -> Int32 {
        let partitions = try await count(of: topic, in: cluster)
        if let key {
            return key.withUnsafeBytes { Murmur2.partition(forKey: $0, partitionCount: partitions) }
        }
        return Int32(roundRobin.add(1, ordering: .relaxed).oldValue % Int(partitions))
    }
}
