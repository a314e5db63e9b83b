// lineage-example: two services wired with KafkaTracking. "orders" places an
// order; "payments" consumes it and, inside its lineage, requests a payment.
// Both record their hops to the lineage topic; at the end the flow's lineage is
// read back and printed (the same as `skcat lineage <correlation id>`).
//
//   lineage-example [host:port]   (else KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092)
import Foundation
import KafkaClient
import KafkaTracking

let brokers = (CommandLine.arguments.dropFirst().first ?? ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"]
    ?? "127.0.0.1:9092").split(separator: ",").map(String.init)
let orderTopic = "shop.dev.orders.order-placed", paymentTopic = "shop.dev.payments.payment-requested"

do {
    // The topics, once (TOPIC_ALREADY_EXISTS on a re-run is fine).
    let admin = try KafkaAdminClient(configuration: .init(bootstrapServers: brokers))
    _ = try await admin.createTopics([orderTopic, paymentTopic, LineageRecorder.defaultTopic].map {
        NewTopic(name: $0, partitions: 3, replicationFactor: 1)
    })
    await admin.close()
    let producer = try KafkaProducer(configuration: .init(bootstrapServers: brokers))

    // Service "orders": a new flow starts with this event.
    let orders = TrackedProducer(producer, sourceService: "orders", recorder: LineageRecorder(producer: producer, service: "orders"))
    let placed = try await orders.send(KafkaProducerRecord(topic: orderTopic, key: "order-1", value: #"{"orderId":"order-1","total":42}"#),
                                       eventType: "OrderPlacedEvent").lineage
    print("orders: placed order-1, correlation id \(placed.correlationId.uuidString.lowercased())")

    // Service "payments": consumes the order; what it produces inside the record's lineage names the order as cause.
    let paymentsRecorder = LineageRecorder(producer: producer, service: "payments")
    let payments = TrackedProducer(producer, sourceService: "payments", recorder: paymentsRecorder)
    var settings = KafkaConsumer.Configuration(bootstrapServers: brokers)
    settings.fetchMaxWait = .milliseconds(100)
    let consumer = try KafkaConsumer(configuration: settings)
    consumer.assign([0, 1, 2].reduce(into: [:]) { $0[TopicPartition(topic: orderTopic, partition: $1)] = .earliest })
    let watchdog = Task { try await Task.sleep(for: .seconds(30)); await consumer.close() }  // never hang
    for try await message in consumer.messages where (try? LineageMetadata(headers: message.headers))?.eventId == placed.eventId {
        try await message.withProcessingSpan(consumerGroup: "payments", recorder: paymentsRecorder) { _ in
            _ = try await payments.send(KafkaProducerRecord(topic: paymentTopic, key: "order-1", value: #"{"orderId":"order-1","amount":42}"#),
                                    eventType: "PaymentRequestedEvent")
        }
        print("payments: requested payment for order-1")
        break
    }
    watchdog.cancel()
    await consumer.close()
    await producer.close()

    // The flow's lineage, read back from the lineage topic.
    let graph = try await LineageQuery(configuration: settings).graph(correlationId: placed.correlationId)
    print(graph.text)
} catch {
    FileHandle.standardError.write(Data("lineage-example: \(error)\n".utf8))
    exit(1)
}
