import KafkaWire
import Testing
@testable import KafkaClient

/// The admin client's checks and response mappings, on values built to the spec:
/// what Kafka returns for operations the embedded broker lacks (ACLs, group
/// members, config synonyms), and the client-side refusals of bad input.
@Suite("Admin client: requests and responses without a broker")
struct AdminResponseTests {
    @Test("topic names follow Kafka's rules")
    func topicNames() {
        #expect(TopicNameRules.violation(in: "orders.prod_v2-eu") == nil)
        #expect(TopicNameRules.violation(in: String(repeating: "a", count: 249)) == nil)
        #expect(TopicNameRules.violation(in: String(repeating: "a", count: 250)) != nil)
        for bad in ["", ".", "..", "has space", "slash/topic", "ümlaut", "star*"] {
            #expect(TopicNameRules.violation(in: bad) != nil, "\(bad)")
        }
    }

    @Test("new topics the broker would refuse are refused before sending, with the broker's error codes")
    func newTopicProblems() {
        #expect(KafkaAdminClient.problem(with: NewTopic(name: "ok", partitions: 3, replicationFactor: 1)) == nil)
        #expect(KafkaAdminClient.problem(with: NewTopic(name: "defaults")) == nil)
        #expect(KafkaAdminClient.problem(with: NewTopic(name: "ok", replicaAssignment: [0: [1, 2], 1: [2, 3]])) == nil)
        #expect(KafkaAdminClient.problem(with: NewTopic(name: "a b", partitions: 1))?.brokerErrorCode == .invalidTopicException)
        #expect(KafkaAdminClient.problem(with: NewTopic(name: "x", partitions: 0))?.brokerErrorCode == .invalidPartitions)
        #expect(KafkaAdminClient.problem(with: NewTopic(name: "x", partitions: -3))?.brokerErrorCode == .invalidPartitions)
        #expect(KafkaAdminClient.problem(with: NewTopic(name: "x", partitions: 1, replicationFactor: -2))?.brokerErrorCode
                == .invalidReplicationFactor)
        #expect(KafkaAdminClient.problem(with: NewTopic(name: "x", partitions: 2, replicaAssignment: [0: [1]]))?.brokerErrorCode
                == .invalidRequest)
    }

    @Test("authorized operations decode from the bit field; INT32_MIN means not reported")
    func authorizedOperations() {
        #expect(AclOperation.set(fromBits: Int32.min) == nil)
        #expect(AclOperation.set(fromBits: (1 << 3) | (1 << 4) | (1 << 8)) == [.read, .write, .describe])
        #expect(AclOperation.set(fromBits: 0) == [])
    }

    @Test("config entries keep value, source, flags and synonyms; unknown sources map to .unknown")
    func configEntries() {
        typealias Entry = DescribeConfigsResponse.DescribeConfigsResult.DescribeConfigsResourceResult
        var retention = Entry()
        retention.name = "retention.ms"
        retention.value = "3600000"
        retention.configSource = 1
        retention.synonyms = [.init(name: "retention.ms", value: "3600000", source: 1),
                              .init(name: "log.retention.hours", value: "168", source: 4)]
        var password = Entry()
        password.name = "ssl.key.password"
        password.value = nil
        password.isSensitive = true
        password.readOnly = true
        password.configSource = 42
        let entries = KafkaAdminClient.entries([retention, password])
        #expect(entries["retention.ms"]?.source == .dynamicTopicConfig)
        #expect(entries["retention.ms"]?.isDefault == false)
        #expect(entries["retention.ms"]?.synonyms.map(\.source) == [.dynamicTopicConfig, .staticBrokerConfig])
        #expect(entries["ssl.key.password"]?.value == nil)
        #expect(entries["ssl.key.password"]?.isSensitive == true)
        #expect(entries["ssl.key.password"]?.source == .unknown)
    }

    @Test("broker configs go to that broker, topic configs to any broker")
    func configRoutes() {
        let routes = KafkaAdminClient.routes(for: [.topic("a"), .broker(2), .topic("b"), .broker(1), ConfigResource(.brokerLogger, "2")])
        #expect(routes.map(\.0) == [.broker(1), .broker(2), .anyBroker])
        #expect(routes[1].1 == [.broker(2), ConfigResource(.brokerLogger, "2")])
        #expect(routes[2].1 == [.topic("a"), .topic("b")])
    }

    @Test("a per-item error code becomes a typed error naming the item; zero is success")
    func itemErrors() {
        #expect(KafkaAdminClient.itemError(0, message: nil, api: .createTopics, item: "t") == nil)
        let error = KafkaAdminClient.itemError(KafkaErrorCode.invalidConfig.rawValue, message: "Unknown topic config name: no.such",
                                                api: .incrementalAlterConfigs, item: "topic t")
        #expect(error?.brokerErrorCode == .invalidConfig)
        #expect(error?.detail.contains("topic t") == true && error?.detail.contains("no.such") == true)
        #expect(KafkaAdminClient.itemError(KafkaErrorCode.unknownTopicOrPartition.rawValue, message: nil, api: .deleteTopics, item: "t")?.code
                == .unknownTopicOrPartition)
    }

    @Test("DescribeGroups members: consumer-protocol assignments decoded; other protocols left undecoded")
    func groupMembers() throws {
        let assignment = try ConsumerProtocolAssignment(assignedPartitions: [
            .init(topic: "orders", partitions: [2, 0]), .init(topic: "audit", partitions: [1]),
        ]).encodeVersioned(version: 1)
        var group = DescribeGroupsResponse.DescribedGroup()
        group.groupId = "billing"
        group.groupState = "Stable"
        group.protocolType = "consumer"
        group.protocolData = "range"
        group.authorizedOperations = 1 << 8
        var member = DescribeGroupsResponse.DescribedGroup.DescribedGroupMember()
        member.memberId = "m-1"
        member.groupInstanceId = "billing-0"
        member.clientId = "svc"
        member.clientHost = "/10.0.0.7"
        member.memberAssignment = assignment
        group.members = [member]
        let description = KafkaAdminClient.description(of: group)
        #expect(description.assignor == "range" && description.state == "Stable")
        #expect(description.authorizedOperations == [.describe])
        #expect(description.members.first?.assignment == [TopicPartition(topic: "audit", partition: 1),
                                                          TopicPartition(topic: "orders", partition: 0),
                                                          TopicPartition(topic: "orders", partition: 2)])
        #expect(description.members.first?.groupInstanceId == "billing-0")
        group.protocolType = "connect"
        #expect(KafkaAdminClient.description(of: group).members.first?.assignment == [])
    }

    @Test("DescribeAcls and DeleteAcls responses map to bindings; unknown codes are a protocol violation")
    func aclResponses() throws {
        var describe = DescribeAclsResponse()
        var resource = DescribeAclsResponse.DescribeAclsResource()
        resource.resourceType = AclResourceType.topic.rawValue
        resource.resourceName = "orders"
        resource.patternType = AclPatternType.prefixed.rawValue
        resource.acls = [.init(principal: "User:alice", host: "*", operation: AclOperation.read.rawValue,
                               permissionType: AclPermissionType.allow.rawValue)]
        describe.resources = [resource]
        #expect(try KafkaAdminClient.bindings(in: describe) == [
            AclBinding(resourceType: .topic, resourceName: "orders", patternType: .prefixed, principal: "User:alice", operation: .read,
                       permission: .allow),
        ])
        describe.resources[0].acls[0].operation = 99
        #expect { try KafkaAdminClient.bindings(in: describe) } throws: { ($0 as? KafkaError)?.code == .protocolViolation }

        var delete = DeleteAclsResponse()
        var matched = DeleteAclsResponse.DeleteAclsFilterResult()
        var acl = DeleteAclsResponse.DeleteAclsFilterResult.DeleteAclsMatchingAcl()
        acl.resourceType = AclResourceType.group.rawValue
        acl.resourceName = "billing"
        acl.patternType = AclPatternType.literal.rawValue
        acl.principal = "User:bob"
        acl.host = "10.0.0.1"
        acl.operation = AclOperation.read.rawValue
        acl.permissionType = AclPermissionType.deny.rawValue
        matched.matchingAcls = [acl]
        var refused = DeleteAclsResponse.DeleteAclsFilterResult()
        refused.errorCode = KafkaErrorCode.securityDisabled.rawValue
        delete.filterResults = [matched, refused]
        let results = try KafkaAdminClient.deleted(in: delete)
        #expect(try results[0].get().map(\.principal) == ["User:bob"])
        #expect(throws: KafkaError.self) { try results[1].get() }
    }

    @Test("offset specs encode as ListOffsets' special timestamps; lag never goes negative")
    func offsetSpecsAndLag() {
        #expect(OffsetSpec.earliest.wireTimestamp == -2)
        #expect(OffsetSpec.latest.wireTimestamp == -1)
        #expect(OffsetSpec.maxTimestamp.wireTimestamp == -3)
        #expect(OffsetSpec.timestamp(1_700_000_000_000).wireTimestamp == 1_700_000_000_000)
        #expect(KafkaAdminClient.lag(end: 100, from: 40) == 60)
        #expect(KafkaAdminClient.lag(end: 10, from: 12) == 0)
        let lag = ConsumerGroupLag(group: "g", partitions: [TopicPartition(topic: "t", partition: 0): PartitionLag(committed: 4, end: 10, lag: 6),
                                                           TopicPartition(topic: "t", partition: 1): PartitionLag(committed: nil, end: 5, lag: 5)])
        #expect(lag.total == 11)
    }
}
