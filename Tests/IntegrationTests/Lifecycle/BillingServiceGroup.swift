import KafkaClient
import Logging
import ServiceLifecycle
import Synchronization

/// The README's ServiceGroup example ("Running in a ServiceGroup"), line for line
/// but for the bootstrap servers, the topic and group names (the README's by default;
/// unique ones on a shared broker) and the counter the tests read: a producer, a
/// consumer and the application's service that reads orders and sends invoices.
struct BillingServiceGroup {
    /// Reads orders and sends an invoice for each; stops reading at graceful shutdown.
    struct Billing: Service {
        let consumer: KafkaConsumer
        let producer: KafkaProducer
        let invoices: String
        let invoiced: Counter

        func run() async throws {
            for try await order in consumer.messages.cancelOnGracefulShutdown() {
                try producer.send(KafkaProducerRecord(topic: invoices, key: order.key, value: order.value))
                invoiced.add()
            }
        }
    }

    /// How many invoices Billing has sent.
    final class Counter: Sendable {
        private let count = Atomic<Int>(0)
        func add() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    let producer: KafkaProducer
    let consumer: KafkaConsumer
    let group: ServiceGroup
    let invoiced = Counter()

    /// The names the README uses; tests on a shared broker pass unique ones.
    struct Names: Sendable {
        var orders = "orders"
        var invoices = "invoices"
        var group = "billing"
    }

    /// The README's setup. `linger` holds invoices back so only the shutdown's flush sends them.
    init(servers: [String], names: Names = Names(), linger: Duration = .milliseconds(5),
         configureConsumer: (inout KafkaConsumer.Configuration) -> Void = { _ in }) throws {
        var producerConfiguration = KafkaProducer.Configuration(bootstrapServers: servers)
        producerConfiguration.linger = linger
        producer = try KafkaProducer(configuration: producerConfiguration)
        var consumerConfiguration = KafkaConsumer.Configuration(bootstrapServers: servers)
        consumerConfiguration.groupId = names.group
        consumerConfiguration.autoOffsetReset = .earliest
        configureConsumer(&consumerConfiguration)
        consumer = try KafkaConsumer(configuration: consumerConfiguration)
        try consumer.subscribe(topics: [names.orders])

        // Shut down in reverse order: Billing stops reading, the consumer commits and
        // leaves its group, then the producer flushes what Billing sent.
        group = ServiceGroup(services: [producer, consumer, Billing(consumer: consumer, producer: producer, invoices: names.invoices, invoiced: invoiced)],
                             gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "billing"))
    }
}
