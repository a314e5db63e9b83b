import KafkaWire

/// A topic partition.
public struct TopicPartition: Sendable, Hashable, CustomStringConvertible {
    /// The topic.
    public var topic: String
    /// The partition number, from 0.
    public var partition: Int32
    /// Partition `partition` of `topic`.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
    /// `topic-partition`, as the Java client prints it.
    public var description: String { "\(topic)-\(partition)" }
}

/// The producer id and epoch an idempotent producer stamps on its batches;
/// `generation` counts epoch bumps so batches stamped before one are recognised.
struct ProducerIdentity: Sendable, Hashable {
    var producerId: Int64
    var epoch: Int16
    var generation: Int
    static let none = ProducerIdentity(producerId: -1, epoch: -1, generation: 0)
}

/// One partition's batch: records are encoded into it as they are sent; it is
/// sealed when full or lingered long enough, then stamped, sent, and re-sent
/// unchanged on retriable errors.
struct ProducerBatch: Sendable {
    let topicPartition: TopicPartition
    /// Records go here until the batch is sealed.
    var encoder: RecordBatchEncoder
    /// The finished batch, once sent the first time.
    var bytes: [UInt8]?
    /// Per record: the id `send` returned and the create timestamp.
    var ids: [UInt64] = []
    var timestamps: [Int64] = []
    /// Buffer space this batch holds (`buffer.memory` accounting).
    var bufferedBytes = 0
    let createdAt: ContinuousClock.Instant
    var attempts = 0
    /// The identity and first sequence it was stamped with (idempotence), if stamped.
    var identity: ProducerIdentity?
    var baseSequence: Int32 = -1
    var notBefore: ContinuousClock.Instant?

    init(topicPartition: TopicPartition, estimatedSize: Int, createdAt: ContinuousClock.Instant, reusing buffer: consuming [UInt8] = []) {
        self.topicPartition = topicPartition
        self.encoder = RecordBatchEncoder(estimatedSize: estimatedSize, reusing: buffer)
        self.createdAt = createdAt
        ids.reserveCapacity(64)
        timestamps.reserveCapacity(64)
    }

    var recordCount: Int { ids.count }

    /// Encodes one record into the batch.
    mutating func append(_ record: KafkaProducerRecord, trailingHeader: BorrowedRecordHeader? = nil, id: UInt64, timestamp: Int64,
                         size: Int) {
        encoder.append(key: record.key, value: record.value, headers: record.headers, trailingHeader: trailingHeader, timestamp: timestamp)
        ids.append(id)
        timestamps.append(timestamp)
        bufferedBytes += size
    }
    var sizeInBytes: Int { bytes?.count ?? encoder.sizeInBytes }
}

/// A batch on its way: what the sender needs to build a request and report back.
struct DrainedBatch: Sendable {
    var batch: ProducerBatch
    var leader: Int32
}
