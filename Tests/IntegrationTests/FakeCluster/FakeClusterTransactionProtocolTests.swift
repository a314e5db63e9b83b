import KafkaClient
import KafkaTesting
import KafkaWire
import Testing

/// The fake transaction coordinator at the protocol level, with requests at chosen
/// versions: the error codes Kafka answers, which our client never provokes on purpose.
@Suite("Transaction protocol on the fake cluster")
struct FakeClusterTransactionProtocolTests {
    /// One connection to one broker of the fake cluster.
    final class Connection {
        let transport: KafkaFrameTransport
        private var correlationId: Int32 = 0

        init(_ address: String) throws {
            let parts = address.split(separator: ":")
            var options = TCPSocketOptions()
            options.readTimeout = .seconds(10)
            transport = try KafkaFrameTransport.connect(host: String(parts[0]), port: Int(parts[1])!, options: options)
        }

        deinit { transport.close() }

        func send<R: KafkaRequest>(_ request: R, version: Int16) throws -> R.Response {
            correlationId += 1
            try transport.sendFrame(try request.encodeFrame(version: version, correlationId: correlationId, clientId: "raw"))
            let (header, body) = try R.Response.decodeFrame(try transport.receiveFrame(), version: version)
            try #require(header.correlationId == correlationId)
            return body
        }
    }

    static func endTxn(_ id: Int64, epoch: Int16, commit: Bool = true) -> EndTxnRequest {
        EndTxnRequest(transactionalId: "raw", producerId: id, producerEpoch: epoch, committed: commit)
    }

    static func addPartitions(_ id: Int64, epoch: Int16, _ topics: [String: [Int32]]) -> AddPartitionsToTxnRequest {
        var request = AddPartitionsToTxnRequest()
        request.v3AndBelowTransactionalId = "raw"
        request.v3AndBelowProducerId = id
        request.v3AndBelowProducerEpoch = epoch
        request.v3AndBelowTopics = topics.sorted { $0.key < $1.key }.map { .init(name: $0.key, partitions: $0.value) }
        return request
    }

    static func errors(_ response: AddPartitionsToTxnResponse) -> [String: KafkaErrorCode] {
        var errors: [String: KafkaErrorCode] = [:]
        for topic in response.resultsByTopicV3AndBelow {
            for partition in topic.resultsByPartition { errors["\(topic.name)-\(partition.partitionIndex)"] = KafkaErrorCode(partition.partitionErrorCode) }
        }
        return errors
    }

    @Test("fenced epochs get PRODUCER_FENCED from the versions that know it and INVALID_PRODUCER_EPOCH before; coordinator and state errors as Kafka answers them")
    func errorCodes() throws {
        let cluster = try FakeKafkaCluster(brokers: 2)
        defer { cluster.close() }
        try cluster.createTopic("raw-topic", partitions: 2)
        let coordinatorId = try #require(cluster.transactionCoordinator(transactionalId: "raw"))
        let addresses = Dictionary(uniqueKeysWithValues: zip(cluster.brokerIds, cluster.bootstrapServers))
        let coordinator = try Connection(addresses[coordinatorId]!)
        let other = try Connection(addresses[coordinatorId % 2 + 1]!)

        // FindCoordinator: key type 1 names transactional ids; unknown key types are refused.
        let found = try other.send(FindCoordinatorRequest(keyType: 1, coordinatorKeys: ["raw"]), version: 4)
        #expect(found.coordinators.first?.nodeId == coordinatorId)
        let unknownType = try other.send(FindCoordinatorRequest(keyType: 7, coordinatorKeys: ["raw"]), version: 4)
        #expect(unknownType.coordinators.first.map { KafkaErrorCode($0.errorCode) } == .invalidRequest)

        let init0 = InitProducerIdRequest(transactionalId: "raw", transactionTimeoutMs: 60_000)
        #expect(KafkaErrorCode(try other.send(init0, version: 3).errorCode) == .notCoordinator)
        let first = try coordinator.send(init0, version: 3)
        #expect(first.errorCode == 0 && first.producerEpoch == 0)
        let id = first.producerId
        #expect(try coordinator.send(init0, version: 3).producerEpoch == 1)

        // Epoch 0 is stale now.
        #expect(KafkaErrorCode(try coordinator.send(Self.endTxn(id, epoch: 0), version: 1).errorCode) == .invalidProducerEpoch)
        #expect(KafkaErrorCode(try coordinator.send(Self.endTxn(id, epoch: 0), version: 3).errorCode) == .producerFenced)
        #expect(Self.errors(try coordinator.send(Self.addPartitions(id, epoch: 0, ["raw-topic": [0]]), version: 1)) == ["raw-topic-0": .invalidProducerEpoch])
        #expect(Self.errors(try coordinator.send(Self.addPartitions(id, epoch: 0, ["raw-topic": [0]]), version: 3)) == ["raw-topic-0": .producerFenced])
        let staleInit = InitProducerIdRequest(transactionalId: "raw", transactionTimeoutMs: 60_000, producerId: id, producerEpoch: 0)
        #expect(KafkaErrorCode(try coordinator.send(staleInit, version: 3).errorCode) == .invalidProducerEpoch)
        #expect(KafkaErrorCode(try coordinator.send(staleInit, version: 4).errorCode) == .producerFenced)
        #expect(KafkaErrorCode(try coordinator.send(InitProducerIdRequest(transactionalId: "raw", transactionTimeoutMs: 0), version: 4).errorCode)
            == .invalidTransactionTimeout)

        // Nothing is open: ending is INVALID_TXN_STATE; another producer id is unknown.
        #expect(KafkaErrorCode(try coordinator.send(Self.endTxn(id, epoch: 1), version: 3).errorCode) == .invalidTxnState)
        #expect(KafkaErrorCode(try coordinator.send(Self.endTxn(id + 99, epoch: 1), version: 3).errorCode) == .invalidProducerIdMapping)

        // An unknown partition fails the request: the rest are not attempted, and nothing is added.
        #expect(Self.errors(try coordinator.send(Self.addPartitions(id, epoch: 1, ["raw-topic": [0, 7]]), version: 3))
            == ["raw-topic-0": .operationNotAttempted, "raw-topic-7": .unknownTopicOrPartition])
        #expect(cluster.transactionState(transactionalId: "raw") == "Empty")

        // A transactional write to a partition the transaction does not hold is refused.
        #expect(Self.errors(try coordinator.send(Self.addPartitions(id, epoch: 1, ["raw-topic": [0]]), version: 3)) == ["raw-topic-0": .noError])
        #expect(cluster.transactionState(transactionalId: "raw") == "Ongoing")
        var encoder = RecordBatchEncoder(attributes: RecordBatchAttributes(isTransactional: true), producerId: id, producerEpoch: 1, baseSequence: 0)
        encoder.append(key: nil, value: [1], timestamp: 0)
        let batch = try encoder.finish(compression: .none)
        for (partition, expected) in [(Int32(1), KafkaErrorCode.invalidTxnState), (0, .noError)] {
            let leader = try #require(cluster.leader(topic: "raw-topic", partition: partition))
            let connection = try Connection(addresses[leader]!)
            var produce = ProduceRequest()
            produce.transactionalId = "raw"
            produce.acks = -1
            produce.timeoutMs = 5_000
            produce.topicData = [.init(name: "raw-topic", partitionData: [.init(index: partition, records: batch)])]
            let answer = try connection.send(produce, version: 9)
            #expect(answer.responses.first?.partitionResponses.first.map { KafkaErrorCode($0.errorCode) } == expected)
        }
        #expect(cluster.lastStableOffset(topic: "raw-topic", partition: 0) == 0)

        // Commit, and a retried commit, succeed; an abort after it does not.
        #expect(try coordinator.send(Self.endTxn(id, epoch: 1), version: 3).errorCode == 0)
        #expect(try coordinator.send(Self.endTxn(id, epoch: 1), version: 3).errorCode == 0)
        #expect(KafkaErrorCode(try coordinator.send(Self.endTxn(id, epoch: 1, commit: false), version: 3).errorCode) == .invalidTxnState)
        #expect(cluster.lastStableOffset(topic: "raw-topic", partition: 0) == 2)
        #expect(cluster.transactionState(transactionalId: "raw") == "CompleteCommit")
    }
}
