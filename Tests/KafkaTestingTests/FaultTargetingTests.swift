@testable import KafkaTesting
import KafkaWire
import Testing

/// Which injected faults a request takes, without sockets: faults aimed at a whole
/// API, a topic or one partition.
@Suite("Fake cluster: fault targeting")
struct FaultTargetingTests {
    static func produceFrame(_ partitions: [String: [Int32]]) throws -> [UInt8] {
        var request = ProduceRequest()
        request.acks = -1
        request.topicData = partitions.sorted { $0.key < $1.key }.map { topic, indexes in
            var data = ProduceRequest.TopicProduceData()
            data.name = topic
            data.partitionData = indexes.map { index in
                var partition = ProduceRequest.TopicProduceData.PartitionProduceData()
                partition.index = index
                partition.records = []
                return partition
            }
            return data
        }
        return try request.encodeFrame(version: 9, correlationId: 1, clientId: "test")
    }

    static func state(_ faults: [FakeClusterFault]) -> ClusterState {
        var state = ClusterState(brokers: [ClusterState.Broker(id: 1, port: 0, isRunning: true)])
        state.faults = faults
        return state
    }

    @Test("a request names its topics and partitions; Metadata without a topic list names every topic")
    func requestTargets() throws {
        let targets = try #require(RequestTargets.of(try Self.produceFrame(["t": [0, 2], "u": [1]]), apiKey: .produce, topicName: { _ in nil }))
        #expect(targets.names(topic: "t", partition: 2))
        #expect(targets.names(topic: "t", partition: nil))
        #expect(!targets.names(topic: "t", partition: 1))
        #expect(!targets.names(topic: "v", partition: nil))
        var metadata = MetadataRequest()
        metadata.topics = nil
        let everything = try #require(RequestTargets.of(try metadata.encodeFrame(version: 12, correlationId: 1, clientId: nil),
                                                        apiKey: .metadata, topicName: { _ in nil }))
        #expect(everything.names(topic: "anything", partition: 3))
        #expect(RequestTargets.of([0, 1, 2], apiKey: .produce, topicName: { _ in nil }) == nil)
        #expect(RequestTargets.of(try Self.produceFrame(["t": [0]]), apiKey: .heartbeat, topicName: { _ in nil }) == nil)
    }

    @Test("a partition-aimed error is taken only by requests naming that partition, as often as asked")
    func partitionError() throws {
        var state = Self.state([FakeClusterFault(.error(.notLeaderOrFollower), on: .produce, topic: "t", partition: 2, times: 2)])
        #expect(state.takeFaults(apiKey: .produce, broker: 1, frame: try Self.produceFrame(["t": [0, 1]])) == .init())
        let hit = ClusterState.InjectedFaults(action: nil, targetedErrors: [FaultTarget(topic: "t", partition: 2): .notLeaderOrFollower])
        #expect(state.takeFaults(apiKey: .produce, broker: 1, frame: try Self.produceFrame(["t": [1, 2]])) == hit)
        #expect(state.takeFaults(apiKey: .fetch, broker: 1, frame: try Self.produceFrame(["t": [2]])) == .init())
        #expect(state.takeFaults(apiKey: .produce, broker: 1, frame: try Self.produceFrame(["t": [2]])) == hit)
        #expect(state.faults.isEmpty)
    }

    @Test("every aimed error a request matches applies together; a whole-API fault first in line takes the request alone")
    func combinations() throws {
        var state = Self.state([
            FakeClusterFault(.error(.notLeaderOrFollower), on: .produce, topic: "t", partition: 0),
            FakeClusterFault(.error(.kafkaStorageError), on: .produce, topic: "u"),
            FakeClusterFault(.throttle(milliseconds: 50), on: .produce),
        ])
        #expect(state.takeFaults(apiKey: .produce, broker: 1, frame: try Self.produceFrame(["t": [0], "u": [1]])) == ClusterState.InjectedFaults(
            action: nil, targetedErrors: [FaultTarget(topic: "t", partition: 0): .notLeaderOrFollower, FaultTarget(topic: "u", partition: nil): .kafkaStorageError]))
        #expect(state.faults.count == 1)
        #expect(state.takeFaults(apiKey: .produce, broker: 1, frame: try Self.produceFrame(["t": [0]])).action == .throttle(milliseconds: 50))

        var aimedDelay = Self.state([FakeClusterFault(.delay(.milliseconds(5)), on: .produce, topic: "t", broker: 2)])
        #expect(aimedDelay.takeFaults(apiKey: .produce, broker: 1, frame: try Self.produceFrame(["t": [0]])) == .init())
        #expect(aimedDelay.takeFaults(apiKey: .produce, broker: 2, frame: try Self.produceFrame(["t": [0]])).action == .delay(.milliseconds(5)))
    }

    @Test("a handler sees an aimed error for its target only; a whole-request error everywhere")
    func context() {
        let aimed = RequestContext(broker: 1, version: 9, forcedError: nil, throttleMs: 0,
                                   targetedErrors: [FaultTarget(topic: "t", partition: 2): .notLeaderOrFollower,
                                                    FaultTarget(topic: "u", partition: nil): .unknownTopicOrPartition])
        #expect(aimed.injectedError(topic: "t", partition: 2) == .notLeaderOrFollower)
        #expect(aimed.injectedError(topic: "t", partition: 1) == nil)
        #expect(aimed.injectedError(topic: "t") == nil)
        #expect(aimed.injectedError(topic: "u", partition: 7) == .unknownTopicOrPartition)
        let whole = RequestContext(broker: 1, version: 9, forcedError: .requestTimedOut, throttleMs: 0)
        #expect(whole.injectedError(topic: "t", partition: 1) == .requestTimedOut)
    }
}
