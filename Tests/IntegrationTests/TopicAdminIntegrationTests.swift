import KafkaTestSupport
import KafkaWire
import Testing

/// ApiVersions, CreateTopics and Metadata built with the generated messages,
/// sent to the real broker over the frame transport.
@Suite("Generated messages on the broker")
struct TopicAdminIntegrationTests {
    @Test("ApiVersions v3 (flexible body, v0 response header) lists Produce and Fetch")
    func apiVersionsV3() throws {
        let session = try BrokerSession()
        var request = ApiVersionsRequest()
        request.clientSoftwareName = "swift-kafka-native"
        request.clientSoftwareVersion = "0.1.0"
        let response = try session.send(request, version: 3)
        #expect(KafkaErrorCode(response.errorCode) == .noError)
        let keys = Dictionary(response.apiKeys.map { ($0.apiKey, $0) }, uniquingKeysWith: { first, _ in first })
        let produce = try #require(keys[ApiKey.produce.rawValue])
        let fetch = try #require(keys[ApiKey.fetch.rawValue])
        #expect(produce.minVersion <= 3 && produce.maxVersion >= 9)
        #expect(fetch.minVersion <= 4 && fetch.maxVersion >= 12)
        #expect(keys[ApiKey.createTopics.rawValue] != nil)
    }

    @Test("a created topic appears in Metadata with its partitions; creating it again is TOPIC_ALREADY_EXISTS",
          arguments: [(create: Int16(2), metadata: Int16(4)), (create: Int16(7), metadata: Int16(12))])
    func createAndDescribe(versions: (create: Int16, metadata: Int16)) throws {
        let session = try BrokerSession.toController()
        let topic = TestBroker.uniqueTopicName("it-create-v\(versions.create)")

        var create = CreateTopicsRequest()
        create.topics = [CreateTopicsRequest.CreatableTopic(name: topic, numPartitions: 3, replicationFactor: 1)]
        create.timeoutMs = 10_000
        let created = try session.send(create, version: versions.create)
        let result = try #require(created.topics.first)
        #expect(created.topics.count == 1)
        #expect(result.name == topic)
        #expect(KafkaErrorCode(result.errorCode) == .noError, "\(KafkaErrorCode(result.errorCode)): \(result.errorMessage ?? "")")

        var metadata = MetadataRequest()
        metadata.topics = [MetadataRequest.MetadataRequestTopic(name: topic)]
        // The flag exists from v4; older versions never auto-create on Metadata.
        if versions.metadata >= 4 { metadata.allowAutoTopicCreation = false }
        let described = try session.send(metadata, version: versions.metadata)
        #expect(!described.brokers.isEmpty)
        let entry = try #require(described.topics.first { $0.name == topic }, "topic missing from \(described.topics.map(\.name))")
        #expect(KafkaErrorCode(entry.errorCode) == .noError)
        #expect(entry.partitions.count == 3)
        #expect(entry.partitions.map(\.partitionIndex).sorted() == [0, 1, 2])
        let brokerIds = Set(described.brokers.map(\.nodeId))
        for partition in entry.partitions {
            #expect(brokerIds.contains(partition.leaderId), "leader \(partition.leaderId) is not a listed broker")
        }
        if versions.metadata >= 10 {
            #expect(entry.topicId != .zero)
            if versions.create >= 7 { #expect(entry.topicId == result.topicId) }
        }

        let again = try session.send(create, version: versions.create)
        let duplicate = try #require(again.topics.first)
        #expect(duplicate.name == topic)
        #expect(KafkaErrorCode(duplicate.errorCode) == .topicAlreadyExists)
        #expect(duplicate.errorCode == 36)
    }

    @Test("Metadata for an unknown topic without auto-creation reports UNKNOWN_TOPIC_OR_PARTITION")
    func unknownTopic() throws {
        let session = try BrokerSession()
        var metadata = MetadataRequest()
        metadata.topics = [MetadataRequest.MetadataRequestTopic(name: TestBroker.uniqueTopicName("it-missing"))]
        metadata.allowAutoTopicCreation = false
        let described = try session.send(metadata, version: 9)
        let entry = try #require(described.topics.first)
        #expect(KafkaErrorCode(entry.errorCode) == .unknownTopicOrPartition)
    }
}
