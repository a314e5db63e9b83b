import KafkaClient
import Testing
@testable import KafkaTracking

@Suite("Tracking: per-record stamps (partition, sequence, event id) without a broker")
struct LineageStamperTests {
    @Test("keyed records go to the key's murmur2 partition; sequences count per topic and partition; ids differ")
    func keyedSequences() throws {
        var stamper = LineageStamper()
        #expect(stamper.stamp(topic: "orders", partition: nil, key: [1]) == nil, "the partition count must be learned first")
        stamper.learn(partitionCount: 6, of: "orders")
        let keys: [[UInt8]] = [Array("a".utf8), Array("b".utf8), Array("a".utf8), Array("a".utf8)]
        let stamps = keys.compactMap { stamper.stamp(topic: "orders", partition: nil, key: $0) }
        try #require(stamps.count == keys.count)
        let expected = keys.map { key in key.withUnsafeBytes { Murmur2.partition(forKey: $0, partitionCount: 6) } }
        #expect(stamps.map(\.partition) == expected)
        let samePartitionAsA = expected[1] == expected[0]
        #expect(stamps.map(\.sequence) == (samePartitionAsA ? [0, 1, 2, 3] : [0, 0, 1, 2]))
        #expect(Set(stamps.map(\.eventId)).count == 4)
        #expect(stamps.allSatisfy { $0.spanName == "orders publish" })
        // Another topic has sequences of its own; a named partition needs no partition count.
        let other = stamper.stamp(topic: "payments", partition: 9, key: nil)
        #expect(other?.partition == 9 && other?.sequence == 0 && other?.spanName == "payments publish")
        #expect(stamper.stamp(topic: "payments", partition: 9, key: nil)?.sequence == 1)
    }

    @Test("keyless records take the partitions in turn")
    func roundRobin() {
        var stamper = LineageStamper()
        stamper.learn(partitionCount: 3, of: "t")
        let stamps = (0..<7).compactMap { _ in stamper.stamp(topic: "t", partition: nil, key: nil) }
        #expect(stamps.map(\.partition) == [0, 1, 2, 0, 1, 2, 0])
        #expect(stamps.map(\.sequence) == [0, 0, 0, 1, 1, 1, 2])
    }
}
