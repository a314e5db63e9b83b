import KafkaClient
import KafkaWire

/// Reads a whole partition back with plain Fetch requests, for tests that check
/// what the broker stored, batch by batch (control batches included).
enum PartitionReader {
    static func readAll(topic: String, partition: Int32, cluster: KafkaCluster) async throws -> [Record] {
        var records: [Record] = []
        for batch in try await readBatches(topic: topic, partition: partition, cluster: cluster) where !batch.attributes.isControl {
            records.append(contentsOf: batch.records)
        }
        return records
    }

    /// Every batch from offset 0 on, until two fetches in a row bring nothing new.
    static func readBatches(topic: String, partition: Int32, cluster: KafkaCluster,
                            options: RecordDecodingOptions = RecordDecodingOptions()) async throws -> [RecordBatch] {
        var batches: [RecordBatch] = []
        var offset: Int64 = 0
        var emptyRounds = 0
        while emptyRounds < 2 {
            var fetchPartition = FetchRequest.FetchTopic.FetchPartition()
            fetchPartition.partition = partition
            fetchPartition.fetchOffset = offset
            fetchPartition.partitionMaxBytes = 4 << 20
            var fetch = FetchRequest()
            fetch.maxWaitMs = 100
            fetch.minBytes = 1
            fetch.topics = [FetchRequest.FetchTopic(topic: topic, partitions: [fetchPartition])]
            let connection = try await cluster.leaderConnection(topic: topic, partition: partition)
            // Topic names are used up to Fetch v12; v13+ uses topic ids.
            let response = try await connection.send(fetch, versionCeiling: 12)
            var fetched = 0
            for partitionResponse in response.responses.flatMap(\.partitions) {
                for var batch in try RecordBatchDecoder.decodeAll(partitionResponse.records ?? [], options: options)
                where batch.lastOffset >= offset {
                    batch.records.removeAll { $0.offset < offset }
                    batches.append(batch)
                    offset = batch.nextOffset
                    fetched += 1
                }
            }
            emptyRounds = fetched == 0 ? emptyRounds + 1 : 0
        }
        return batches
    }
}
