import KafkaClient
import KafkaWire

/// ListOffsets for one partition: -2 earliest, -1 latest, or a timestamp in
/// milliseconds (the first offset at or after it; -1 when none).
enum OffsetLookup {
    static func offset(_ cluster: KafkaCluster, _ partition: TopicPartition, at timestamp: Int64) async throws(KafkaError) -> (offset: Int64, timestamp: Int64) {
        var request = ListOffsetsRequest()
        request.replicaId = -1
        var entry = ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition()
        entry.partitionIndex = partition.partition
        entry.timestamp = timestamp
        request.topics = [ListOffsetsRequest.ListOffsetsTopic(name: partition.topic, partitions: [entry])]
        let response = try await cluster.send(request, to: .leader(topic: partition.topic, partition: partition.partition))
        guard let answer = response.topics.first(where: { $0.name == partition.topic })?.partitions
            .first(where: { $0.partitionIndex == partition.partition }) else {
            throw KafkaError(.protocolViolation, detail: "ListOffsets answered without \(partition)")
        }
        let code = KafkaErrorCode(answer.errorCode)
        guard !code.isError else { throw KafkaError.broker(code, apiKey: .listOffsets, message: "\(partition): \(code.message)") }
        let offset = answer.offset >= 0 ? answer.offset : (answer.oldStyleOffsets.first ?? -1)
        return (offset, answer.timestamp)
    }

    /// The partitions of `topic` (all, or just `only`); fails for a topic the cluster lacks.
    static func partitions(_ cluster: KafkaCluster, topic: String, only: Int32?) async throws(KafkaError) -> [TopicPartition] {
        let metadata = try await cluster.refreshMetadata(topics: [topic])
        guard let entry = metadata.topics[topic], !entry.error.isError, !entry.partitions.isEmpty else {
            let code = metadata.topics[topic]?.error ?? .unknownTopicOrPartition
            throw KafkaError.broker(code == .noError ? .unknownTopicOrPartition : code, apiKey: .metadata,
                                   message: "topic \"\(topic)\": \(code == .noError ? "no partitions" : code.message)")
        }
        if let only {
            guard entry.partition(only) != nil else {
                throw KafkaError.broker(.unknownTopicOrPartition, apiKey: .metadata, message: "topic \"\(topic)\" has no partition \(only)")
            }
            return [TopicPartition(topic: topic, partition: only)]
        }
        return entry.partitions.map { TopicPartition(topic: topic, partition: $0.partition) }.sorted { $0.partition < $1.partition }
    }
}
