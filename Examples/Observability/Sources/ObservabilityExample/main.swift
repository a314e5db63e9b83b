// observability-example: one trace from a producer through Kafka to a consumer,
// exported with swift-otel over OTLP/HTTP, and the client's metrics in the
// Prometheus text format (swift-prometheus), printed when the run ends.
//
//   observability-example [host:port]   (else KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092)
//
// Spans go to OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318) as
// OTLP/HTTP JSON; any OpenTelemetry collector, Jaeger or `otlp-sink.py` (next to
// this package) receives them. OTEL_* variables override the settings below.
import Foundation
import KafkaClient
import KafkaTracking
import Logging
import Metrics
import OTel
import Prometheus
import ServiceLifecycle
import Tracing

let brokers = (CommandLine.arguments.dropFirst().first ?? ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"]
    ?? "127.0.0.1:9092").split(separator: ",").map(String.init)
let topic = "observability-example.orders"

// Metrics: every swift-metrics instrument (the client's included) lands in this registry.
let registry = PrometheusCollectorRegistry()
MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

// Traces: swift-otel's tracer; KafkaTracking finds it through InstrumentationSystem.
var otel = OTel.Configuration.default
otel.serviceName = "observability-example"
otel.logs.enabled = false
otel.metrics.enabled = false
otel.traces.otlpExporter.protocol = .httpJSON
otel.traces.batchSpanProcessor.scheduleDelay = .milliseconds(200)
let tracing = try OTel.makeTracingBackend(configuration: otel)
InstrumentationSystem.bootstrap(tracing.factory)

/// The W3C `traceparent` of the current span, for printing.
func currentTraceParent() -> String {
    var carrier: [String: String] = [:]
    if let context = ServiceContext.current {
        InstrumentationSystem.tracer.inject(context, into: &carrier, using: DictionaryInjector())
    }
    return carrier["traceparent"] ?? "none"
}

struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

/// The example proper: produce one order inside a span, consume it, and handle it
/// in a `process` span that continues the producer's trace.
struct OrderFlow: Service {
    func run() async throws {
        let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: brokers))
        _ = try await admin.createTopics([NewTopic(name: topic, partitions: 1, replicationFactor: 1)])  // TOPIC_ALREADY_EXISTS on a re-run is fine
        await admin.close()

        var producerConfiguration = KafkaProducer.Configuration(bootstrapServers: brokers)
        producerConfiguration.cluster.connection.clientId = "checkout"
        let producer = try KafkaProducer(configuration: producerConfiguration)
        let checkout = TrackedProducer(producer, sourceService: "checkout")
        // The root span; TrackedProducer adds `<topic> publish` under it and puts its context in the record's headers.
        let eventId = try await withSpan("place order", ofKind: .server) { _ in
            let sent = try await checkout.send(KafkaProducerRecord(topic: topic, key: "order-1", value: #"{"orderId":"order-1","total":42}"#),
                                               eventType: "OrderPlaced")
            print("checkout: sent order-1 in trace \(currentTraceParent())")
            return sent.lineage.eventId
        }
        await producer.flush()

        var consumerConfiguration = KafkaConsumer.Configuration(bootstrapServers: brokers)
        consumerConfiguration.cluster.connection.clientId = "billing"
        consumerConfiguration.fetchMaxWait = .milliseconds(100)
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        consumer.assign([TopicPartition(topic: topic, partition: 0): .earliest])
        let watchdog = Task { try await Task.sleep(for: .seconds(30)); await consumer.close() }  // never hang
        var handled = false
        for try await message in consumer.messages where (try? LineageMetadata(headers: message.headers))?.eventId == eventId {
            let header = RecordHeadersExtractor().extract(key: "traceparent", from: message.headers) ?? "none"
            // The `process` span is a child of the `publish` span named in the headers: one trace end to end.
            await message.withProcessingSpan(consumerGroup: "billing") { _ in
                print("billing: received order-1 with traceparent \(header)")
                print("billing: processing it in trace \(currentTraceParent())")
            }
            handled = true
            break
        }
        watchdog.cancel()
        await consumer.close()
        await producer.close()
        guard handled else { throw KafkaError(.requestTimedOut, detail: "order-1 did not come back within 30 s") }
    }
}

var logger = Logger(label: "observability-example")
logger.logLevel = .warning
// When the flow returns, the group shuts down gracefully: the span processor exports what it holds.
let group = ServiceGroup(configuration: .init(
    services: [.init(service: tracing.service),
               .init(service: OrderFlow(), successTerminationBehavior: .gracefullyShutdownGroup)],
    logger: logger))
do {
    try await group.run()
} catch {
    FileHandle.standardError.write(Data("observability-example: \(error)\n".utf8))
    exit(1)
}

// The Prometheus text a scrape of /metrics would return.
print("\n# Prometheus metrics")
print(registry.emitToString())
