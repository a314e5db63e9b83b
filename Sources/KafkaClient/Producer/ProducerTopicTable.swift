/// The accumulator's per-topic, per-partition queues, indexed so that a record
/// costs at most one string hash, and none when it has the previous record's
/// topic (the common case of a loop producing to one topic).
struct ProducerTopicTable {
    /// Where a partition's queue sits: topics keep their slot for the table's
    /// life, so positions give every partition a fixed place in one order.
    struct Position: Hashable, Comparable {
        let slot: Int
        let partition: Int32
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.slot, lhs.partition) < (rhs.slot, rhs.partition) }
    }

    struct Topic {
        let name: String
        var partitionCount: Int32?
        /// Indexed by partition number.
        var partitions: [RecordAccumulator.PartitionQueue] = []
    }

    private var slots: [String: Int] = [:]
    private(set) var topics: [Topic] = []
    private var lastName: String?
    private var lastSlot = -1

    /// The slot of `name`, creating it when new.
    mutating func slot(for name: String) -> Int {
        if let lastName, lastName == name { return lastSlot }
        let slot: Int
        if let existing = slots[name] {
            slot = existing
        } else {
            slot = topics.count
            topics.append(Topic(name: name))
            slots[name] = slot
        }
        lastName = name
        lastSlot = slot
        return slot
    }

    /// The slot of `name`, if the table has it.
    func existingSlot(for name: String) -> Int? {
        if let lastName, lastName == name { return lastSlot }
        return slots[name]
    }

    func partitionCount(slot: Int) -> Int32? { topics[slot].partitionCount }

    /// Batches waiting (sealed, and the open one) in each partition's queue of the
    /// topic at `slot`, by partition: the adaptive partitioner's measure of a slow broker.
    func queueSizes(slot: Int, partitionCount: Int32) -> [Int] {
        var sizes = [Int](repeating: 0, count: Int(partitionCount))
        for (partition, queue) in topics[slot].partitions.enumerated() where partition < sizes.count {
            sizes[partition] = queue.sealed.count + (queue.openRecords > 0 ? 1 : 0)
        }
        return sizes
    }

    mutating func setPartitionCount(_ count: Int32, slot: Int) {
        topics[slot].partitionCount = count
    }

    /// Runs `body` on the queue of `partition` in topic `slot`, in place, creating it if needed.
    mutating func withQueue<R>(slot: Int, partition: Int32, _ body: (inout RecordAccumulator.PartitionQueue) -> R) -> R {
        let index = Int(partition)
        if topics[slot].partitions.count <= index {
            topics[slot].partitions.append(contentsOf: repeatElement(RecordAccumulator.PartitionQueue(),
                                                                    count: index + 1 - topics[slot].partitions.count))
        }
        return body(&topics[slot].partitions[index])
    }

    /// Runs `body` on the queue of `topicPartition`, creating it if needed.
    mutating func withQueue<R>(_ topicPartition: TopicPartition, _ body: (inout RecordAccumulator.PartitionQueue) -> R) -> R {
        withQueue(slot: slot(for: topicPartition.topic), partition: topicPartition.partition, body)
    }

    /// The queue of `topicPartition`, if any.
    func queue(_ topicPartition: TopicPartition) -> RecordAccumulator.PartitionQueue? {
        guard let slot = existingSlot(for: topicPartition.topic), topicPartition.partition >= 0,
              Int(topicPartition.partition) < topics[slot].partitions.count else { return nil }
        return topics[slot].partitions[Int(topicPartition.partition)]
    }

    /// Runs `body` on every queue, in place.
    mutating func forEachQueue(_ body: (TopicPartition, inout RecordAccumulator.PartitionQueue) -> Void) {
        forEachQueue { _, key, queue in body(key, &queue) }
    }

    /// Runs `body` on every queue, in place and in position order.
    mutating func forEachQueue(_ body: (Position, TopicPartition, inout RecordAccumulator.PartitionQueue) -> Void) {
        for slot in topics.indices {
            let name = topics[slot].name
            for index in topics[slot].partitions.indices {
                body(Position(slot: slot, partition: Int32(index)), TopicPartition(topic: name, partition: Int32(index)),
                     &topics[slot].partitions[index])
            }
        }
    }

    /// Runs `body` on the queue at `position`, in place.
    mutating func withQueue<R>(at position: Position, _ body: (inout RecordAccumulator.PartitionQueue) -> R) -> R {
        withQueue(slot: position.slot, partition: position.partition, body)
    }
}
