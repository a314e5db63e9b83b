import Metrics

/// The producer's swift-metrics instruments, labelled with the client id.
/// Updated per batch, never per record, so they cost nothing on the send path.
struct ProducerMetrics: Sendable {
    let recordsSent: Counter
    let bytesSent: Counter
    let recordErrors: Counter
    let retries: Counter
    let batchSize: Recorder
    let inFlightRequests: Gauge
    let bufferedBytes: Gauge
    let bufferedRecords: Gauge

    init(clientId: String) {
        let dimensions = [("client_id", clientId)]
        recordsSent = Counter(label: "kafka_producer_records_sent_total", dimensions: dimensions)
        bytesSent = Counter(label: "kafka_producer_bytes_sent_total", dimensions: dimensions)
        recordErrors = Counter(label: "kafka_producer_record_errors_total", dimensions: dimensions)
        retries = Counter(label: "kafka_producer_retries_total", dimensions: dimensions)
        batchSize = Recorder(label: "kafka_producer_batch_size_bytes", dimensions: dimensions)
        inFlightRequests = Gauge(label: "kafka_producer_in_flight_requests", dimensions: dimensions)
        bufferedBytes = Gauge(label: "kafka_producer_buffered_bytes", dimensions: dimensions)
        bufferedRecords = Gauge(label: "kafka_producer_buffered_records", dimensions: dimensions)
    }
}
