import Foundation
import KafkaTestSupport
import KafkaWire

/// Sessions to the broker a request must reach on a cluster of several brokers:
/// CreateTopics goes to the controller, Produce and Fetch to the partition's
/// leader. On a one-broker cluster (Tansu) every one of them is the bootstrap broker.
extension BrokerSession {
    /// Where a routed session could not go.
    struct RoutingFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// A session to the cluster's controller.
    static func toController() throws -> BrokerSession {
        let metadata = try BrokerSession().send(Self.metadataRequest(topics: []), version: 9)
        return try session(to: metadata.controllerId, in: metadata)
    }

    /// A session to the leader of `topic`-`partition`, waiting up to `timeout` for the
    /// partition to have one (a topic just created may not have a leader yet).
    static func toLeader(of topic: String, partition: Int32, timeout: Duration = .seconds(10)) throws -> BrokerSession {
        let bootstrap = try BrokerSession()
        let deadline = ContinuousClock.now + timeout
        while true {
            let metadata = try bootstrap.send(Self.metadataRequest(topics: [topic]), version: 9)
            let leader = metadata.topics.first { $0.name == topic }?.partitions.first { $0.partitionIndex == partition }?.leaderId
            if let leader, leader >= 0 { return try session(to: leader, in: metadata) }
            guard ContinuousClock.now < deadline else {
                throw RoutingFailed(description: "\(topic)-\(partition) has no leader after \(timeout)")
            }
            usleep(100_000)
        }
    }

    private static func metadataRequest(topics: [String]) -> MetadataRequest {
        var request = MetadataRequest()
        request.topics = topics.map { MetadataRequest.MetadataRequestTopic(name: $0) }
        request.allowAutoTopicCreation = false
        return request
    }

    private static func session(to nodeId: Int32, in metadata: MetadataResponse) throws -> BrokerSession {
        guard let broker = metadata.brokers.first(where: { $0.nodeId == nodeId }) else {
            throw RoutingFailed(description: "broker \(nodeId) is not in metadata (\(metadata.brokers.map(\.nodeId)))")
        }
        return try BrokerSession(host: broker.host, port: Int(broker.port))
    }
}
