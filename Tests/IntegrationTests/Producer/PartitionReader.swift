import KafkaClient
import KafkaWire

/// Reads a whole partition back with plain Fetch requests, for tests that check
/// what the broker stored (before the library has a consumer of its own).
enum PartitionReader {
    static func readAll(topic: String, partition: Int32, cluster: KafkaCluster) async throws -> [Record] {
        var records: [Record] = []
        var offset: Int64 = 0
        var emptyRounds = 0
        while emptyRounds < 2 {
            var fetchPartition = FetchRequest.FetchTopic.FetchPartition()
            fetchPartition.partition = partition
            fetchPartition.fetchOffset = offset
            fetchPartition.partitionMaxBytes = 4 << 20
            var fetchTopic = FetchRequest.FetchTopic()
            fetchTopic.topic = topic
            fetchTopic.partitions = [fetchPartition]
            var fetch = FetchRequest()
            fetch.maxWaitMs = 100
            fetch.minBytes = 1
            fetch.topics = [fetchTopic]
            let connection = try await cluster.leaderConnection(topic: topic, partition: partition)
            // Topic names are used up to Fetch v12; v13+ uses topic ids.
            let response = try await connection.send(fetch, versionCeiling: 12)
            var fetched = 0
            for topicResponse in response.responses {
                for partitionResponse in topicResponse.partitions {
                    for batch in try RecordBatchDecoder.decodeAll(partitionResponse.records ?? []) {
                        for record in batch.records where record.offset >= offset {
                            records.append(record)
                            offset = record.offset + 1
                            fetched += 1
                        }
                    }
                }
            }
            emptyRounds = fetched == 0 ? emptyRounds + 1 : 0
        }
        return records
    }
}
