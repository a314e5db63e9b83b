import KafkaWire

/// The topics and partitions a request names, so a fault aimed at one of them
/// knows whether the request matches.
struct RequestTargets: Sendable, Equatable {
    /// The request is about every topic (Metadata with a null topic list).
    var everyTopic = false
    /// Topic -> the partitions named; nil when the request names the topic as a whole.
    var topics: [String: Set<Int32>?] = [:]

    /// Whether the request names `topic`, and `partition` of it when given.
    func names(topic: String, partition: Int32?) -> Bool {
        if everyTopic { return true }
        guard let named = topics[topic] else { return false }
        guard let partition, let partitions = named else { return true }
        return partitions.contains(partition)
    }

    private mutating func add(_ topic: String?, _ partitions: [Int32]?) {
        guard let topic else { return }
        guard let partitions else {
            topics[topic] = .some(nil)
            return
        }
        let known = topics[topic] ?? []
        topics[topic] = known.map { $0.union(partitions) }
    }

    /// What the request in `frame` names, for the APIs that topic-aimed faults apply
    /// to; nil for other APIs or a request that does not decode (it fails later anyway).
    static func of(_ frame: [UInt8], apiKey: ApiKey, topicName: (KafkaUUID) -> String?) -> RequestTargets? {
        var targets = RequestTargets()
        do {
            switch apiKey {
            case .produce:
                for topic in try ProduceRequest.decodeFrame(frame).body.topicData { targets.add(topic.name, topic.partitionData.map(\.index)) }
            case .fetch:
                let (header, request) = try FetchRequest.decodeFrame(frame)
                for topic in request.topics {
                    targets.add(header.requestApiVersion >= 13 ? topicName(topic.topicId) : topic.topic, topic.partitions.map(\.partition))
                }
            case .listOffsets:
                for topic in try ListOffsetsRequest.decodeFrame(frame).body.topics { targets.add(topic.name, topic.partitions.map(\.partitionIndex)) }
            case .offsetForLeaderEpoch:
                for topic in try OffsetForLeaderEpochRequest.decodeFrame(frame).body.topics { targets.add(topic.topic, topic.partitions.map(\.partition)) }
            case .deleteRecords:
                for topic in try DeleteRecordsRequest.decodeFrame(frame).body.topics { targets.add(topic.name, topic.partitions.map(\.partitionIndex)) }
            case .metadata:
                guard let topics = try MetadataRequest.decodeFrame(frame).body.topics else { return RequestTargets(everyTopic: true) }
                for topic in topics { targets.add(topic.name ?? topicName(topic.topicId), nil) }
            case .offsetCommit:
                for topic in try OffsetCommitRequest.decodeFrame(frame).body.topics { targets.add(topic.name, topic.partitions.map(\.partitionIndex)) }
            case .txnOffsetCommit:
                for topic in try TxnOffsetCommitRequest.decodeFrame(frame).body.topics { targets.add(topic.name, topic.partitions.map(\.partitionIndex)) }
            case .addPartitionsToTxn:
                for topic in try AddPartitionsToTxnRequest.decodeFrame(frame).body.v3AndBelowTopics { targets.add(topic.name, topic.partitions) }
            default:
                return nil
            }
        } catch {
            return nil
        }
        return targets
    }
}
