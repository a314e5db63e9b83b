import Testing
@testable import KafkaClient

@Suite("Consumer: preferred read replicas (KIP-392)")
struct PreferredReadReplicasTests {
    let orders = TopicPartition(topic: "orders", partition: 0)
    let payments = TopicPartition(topic: "payments", partition: 0)

    @Test("a preference holds for its lease, then the leader is asked again")
    func lease() {
        let start = ContinuousClock.now
        var replicas = PreferredReadReplicas()
        #expect(replicas.broker(for: orders, leader: 1, now: start) == 1)
        replicas.prefer(3, for: orders, lease: .seconds(300), now: start)
        #expect(replicas.broker(for: orders, leader: 1, now: start + .seconds(299)) == 3)
        #expect(replicas.broker(for: payments, leader: 2, now: start) == 2)
        #expect(replicas.broker(for: orders, leader: 1, now: start + .seconds(300)) == 1)
    }

    @Test("forgetting one partition, or every partition of a broker, goes back to the leader")
    func forget() {
        let now = ContinuousClock.now
        var replicas = PreferredReadReplicas()
        replicas.prefer(3, for: orders, lease: .seconds(60), now: now)
        replicas.prefer(3, for: payments, lease: .seconds(60), now: now)
        replicas.forget(orders)
        #expect(replicas.broker(for: orders, leader: 1, now: now) == 1)
        #expect(replicas.broker(for: payments, leader: 1, now: now) == 3)
        replicas.forget(broker: 3)
        #expect(replicas.broker(for: payments, leader: 1, now: now) == 1)
    }
}
