import KafkaClient
import KafkaTestSupport
import KafkaWire
import Testing

/// Transactions while every connection is cut again and again: the producer
/// finds the coordinator anew after each loss, retries what is safe to retry,
/// and an application that aborts and redoes a transaction on an abortable
/// error ends with each transaction's records committed exactly once.
@Suite("Transactions under connection cuts")
struct TransactionFailoverTests {
    @Test("20 transactions through a proxy that cuts every connection every 150 ms: each committed exactly once")
    func cutsDuringTransactions() async throws {
        let reserved = try LocalTCPListener(backlog: 128)
        let broker = try TestBroker.startDedicated(advertisedPort: reserved.port)
        defer { TestBroker.stopDedicated(port: broker.port) }
        let proxy = ChaosProxy(listener: reserved, upstreamPort: broker.port)
        defer { proxy.stop() }

        let topic = TestBroker.uniqueTopicName("txn-cut")
        var configuration = KafkaProducer.Configuration(bootstrapServers: ["127.0.0.1:\(proxy.port)"])
        configuration.transactionalId = "txn-\(topic)"
        configuration.retryBackoff = .milliseconds(20)
        configuration.retryBackoffMax = .milliseconds(200)
        configuration.maxBlock = .seconds(30)
        configuration.cluster.reconnectBackoff = ReconnectBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
        let producer = try KafkaProducer(configuration: configuration)
        try await producer.initTransactions()
        _ = try await producer.withTransaction {
            try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "warm-up"))
        }

        let cutter = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(150))
                proxy.cutAll()
            }
        }
        var redone = 0
        for transaction in 0..<20 {
            // Paced so the run spans several cuts even when transactions are quick.
            if transaction % 5 == 4 { try await Task.sleep(for: .milliseconds(200)) }
            while true {
                do {
                    try await producer.withTransaction {
                        for index in 0..<50 {
                            try producer.send(KafkaProducerRecord(topic: topic, partition: 0, key: nil, value: "t\(transaction)-\(index)"))
                        }
                    }
                    break
                } catch let error as KafkaError where error.code == .transactionAbortable || error.code == .requestTimedOut {
                    redone += 1
                    #expect(redone < 40, "too many redone transactions; last error: \(error)")
                    if redone >= 40 { break }
                }
            }
        }
        cutter.cancel()
        await producer.close()
        print("transactions redone after abortable errors: \(redone); connections accepted by the proxy: \(proxy.acceptedCount)")

        let cluster = try KafkaCluster(configuration: .init(bootstrapServers: ["127.0.0.1:\(proxy.port)"]))
        let log = try await TransactionLog.read(topic: topic, partition: 0, cluster: cluster)
        await cluster.close()
        let expected = ["warm-up"] + (0..<20).flatMap { transaction in (0..<50).map { "t\(transaction)-\($0)" } }
        #expect(log.committed.map(\.text) == expected)
        #expect(log.undecided.isEmpty)
        #expect(proxy.acceptedCount > 2)
    }
}
