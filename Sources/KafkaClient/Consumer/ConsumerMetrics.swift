import Metrics

/// The consumer's swift-metrics instruments, labelled with the client id.
/// Updated per fetch response and per rebalance, never per record.
struct ConsumerMetrics: Sendable {
    let recordsFetched: Counter
    let bytesFetched: Counter
    let fetchLatency: Timer
    let rebalances: Counter
    let commitFailures: Counter
    let clientId: String

    init(clientId: String) {
        self.clientId = clientId
        let dimensions = [("client_id", clientId)]
        recordsFetched = Counter(label: "kafka_consumer_records_fetched_total", dimensions: dimensions)
        bytesFetched = Counter(label: "kafka_consumer_bytes_fetched_total", dimensions: dimensions)
        fetchLatency = Timer(label: "kafka_consumer_fetch_latency", dimensions: dimensions)
        rebalances = Counter(label: "kafka_consumer_rebalances_total", dimensions: dimensions)
        commitFailures = Counter(label: "kafka_consumer_commit_failures_total", dimensions: dimensions)
    }

    /// Records behind the high watermark for one partition.
    func recordLag(_ lag: Int64, topic: String, partition: Int32) {
        Gauge(label: "kafka_consumer_lag", dimensions: [("client_id", clientId), ("topic", topic), ("partition", "\(partition)")])
            .record(lag)
    }
}
