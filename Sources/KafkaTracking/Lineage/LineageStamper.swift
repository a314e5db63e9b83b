import Foundation
import KafkaClient

/// What a `TrackedProducer` decides for each record under its one lock: the
/// partition (when the record names none), the next number of the producer's
/// sequence for that partition, and a new event id. Partition counts come from
/// the cluster; the stamper only keeps them.
struct LineageStamper {
    /// One record's stamp.
    struct Stamp {
        var partition: Int32
        var sequence: Int64
        var eventId: UUID
        /// `<topic> publish`, built once per topic.
        var spanName: String
    }

    private struct Topic {
        var partitionCount: Int32?
        /// The next sequence number per partition, indexed by partition.
        var sequences: [Int64] = []
        var roundRobin = 0
        let spanName: String
    }

    private var topics: [String: Topic] = [:]
    /// The last topic stamped and where it sits: most producers send to one topic at a
    /// time, and comparing a string with itself is cheaper than hashing it.
    private var recent: (name: String, index: Dictionary<String, Topic>.Index)?
    private var ids = EventIds.Generator()

    /// The stamp of the next record to `topic`, or nil when the partition must be
    /// chosen and `topic`'s partition count is not known yet (`learn` it, then ask again).
    mutating func stamp(topic name: String, partition: Int32?, key: [UInt8]?) -> Stamp? {
        let index: Dictionary<String, Topic>.Index
        if let recent, recent.name == name {
            index = recent.index
        } else if let found = topics.index(forKey: name) {
            index = found
            recent = (name, found)
        } else {
            topics[name] = Topic(spanName: "\(name) publish")
            recent = nil   // an insertion may move every entry
            return stamp(topic: name, partition: partition, key: key)
        }
        return Self.stamp(&topics.values[index], partition: partition, key: key, ids: &ids)
    }

    private static func stamp(_ topic: inout Topic, partition: Int32?, key: [UInt8]?, ids: inout EventIds.Generator) -> Stamp? {
        let chosen: Int32
        if let partition {
            chosen = partition
        } else if let count = topic.partitionCount {
            if let key {
                chosen = key.withUnsafeBytes { Murmur2.partition(forKey: $0, partitionCount: count) }
            } else {
                chosen = Int32(topic.roundRobin % Int(count))
                topic.roundRobin &+= 1
            }
        } else {
            return nil
        }
        // A negative partition is refused by the producer; its number does not matter.
        let index = Int(max(0, chosen))
        if index >= topic.sequences.count { topic.sequences.append(contentsOf: repeatElement(0, count: index + 1 - topic.sequences.count)) }
        let sequence = topic.sequences[index]
        topic.sequences[index] = sequence + 1
        return Stamp(partition: chosen, sequence: sequence, eventId: EventIds.next(using: &ids), spanName: topic.spanName)
    }

    /// Keeps `topic`'s partition count.
    mutating func learn(partitionCount: Int32, of topic: String) {
        if topics[topic] == nil { recent = nil }
        topics[topic, default: Topic(spanName: "\(topic) publish")].partitionCount = partitionCount
    }
}
