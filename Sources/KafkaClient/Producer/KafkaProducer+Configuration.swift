import KafkaWire

extension KafkaProducer {
    /// Producer settings, named after the Java client's (librdkafka's where it differs).
    public struct Configuration: Sendable {
        /// Where the cluster, its connections and their security come from.
        public var cluster: KafkaClusterConfiguration
        /// Acknowledgements the leader waits for (`acks`): `.all` by default, as idempotence requires.
        public var acks: Acks = .all
        /// How long a batch waits for more records (`linger.ms`, default 5 ms as in Kafka 3.7+).
        public var linger: Duration = .milliseconds(5)
        /// The target size of a batch in bytes before compression (`batch.size`).
        public var batchSize: Int = 16_384
        /// The most records in one batch (librdkafka's `batch.num.messages`); `batchSize`
        /// seals a batch first unless records are tiny. Unlimited by default, as in Java.
        public var maxBatchRecords: Int = .max
        /// Bytes of records held before `send` refuses more (`buffer.memory`).
        public var bufferMemory: Int = 32 * 1024 * 1024
        /// Records held before `send` refuses more (`queue.buffering.max.messages`).
        public var maxBufferedRecords: Int = 1_000_000
        /// The codec batches are compressed with (`compression.type`).
        public var compression: KafkaCompressionCodec = .none
        /// The codec's level (`compression.level`); nil for its default.
        public var compressionLevel: Int?
        /// Produce requests awaiting responses per broker (`max.in.flight.requests.per.connection`, at most 5 with idempotence).
        public var maxInFlightPerConnection: Int = 5
        /// Whether the broker deduplicates retries and keeps order (`enable.idempotence`).
        public var enableIdempotence: Bool = true
        /// How long a record may take from `send` to its report, retries included (`delivery.timeout.ms`).
        public var deliveryTimeout: Duration = .seconds(120)
        /// How long the broker may take to answer a Produce request (`request.timeout.ms`).
        public var requestTimeout: Duration = .seconds(30)
        /// The first delay before retrying a failed batch (`retry.backoff.ms`).
        public var retryBackoff: Duration = .milliseconds(100)
        /// The largest delay between retries (`retry.backoff.max.ms`).
        public var retryBackoffMax: Duration = .seconds(1)
        /// Retries per batch before it fails (`retries`); `delivery.timeout.ms` bounds them anyway.
        public var retries: Int = .max
        /// The largest Produce request, and so the largest record (`max.request.size`).
        public var maxRequestSize: Int = 1_048_576
        /// How partitions are chosen for records that name none (`partitioner`).
        public var partitioner: Partitioner = .default
        /// The default partitioner draws each new sticky partition with weights that fall
        /// as a partition's queue of unsent batches grows, so a slow broker gets fewer
        /// keyless records (`partitioner.adaptive.partitioning.enable`, KIP-794).
        public var adaptivePartitioning = true
        /// When set, a broker that has had batches ready for this long without taking any
        /// (its in-flight requests stay at the limit) has its partitions skipped by the
        /// default partitioner until it catches up (`partitioner.availability.timeout.ms`;
        /// zero, the default, never skips).
        public var partitionerAvailabilityTimeout: Duration = .zero
        /// The default partitioner spreads keyed records like keyless ones, ignoring the
        /// key (`partitioner.ignore.keys`).
        public var partitionerIgnoresKeys = false
        /// Makes the producer transactional (`transactional.id`): records are sent only
        /// inside transactions that commit or abort as a whole. Requires idempotence.
        public var transactionalId: String?
        /// How long the coordinator lets a transaction stay open before aborting it
        /// (`transaction.timeout.ms`, default 60 s; the broker caps it at `transaction.max.timeout.ms`).
        public var transactionTimeout: Duration = .seconds(60)
        /// How long `initTransactions`, `commitTransaction`, `abortTransaction` and
        /// `sendOffsetsToTransaction` keep retrying before they throw `.requestTimedOut` (`max.block.ms`).
        public var maxBlock: Duration = .seconds(60)

        /// Defaults for every setting, with these brokers to bootstrap from (`bootstrap.servers`); producers may create missing topics, as in Java.
        public init(bootstrapServers: [String]) {
            cluster = KafkaClusterConfiguration(bootstrapServers: bootstrapServers)
            cluster.allowAutoTopicCreation = true
        }
    }

    /// The acknowledgement level (`acks`).
    public enum Acks: Int16, Sendable, Hashable {
        /// The broker does not answer; no delivery guarantee, no offsets (`acks=0`).
        case none = 0
        /// The leader wrote the records (`acks=1`).
        case leader = 1
        /// Every in-sync replica has the records (`acks=all`, -1).
        case all = -1
    }
}
