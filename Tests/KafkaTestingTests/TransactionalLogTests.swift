@testable import KafkaTesting
import KafkaWire
import Testing

/// Transactions on the fake cluster's partition logs and cluster state: markers, the
/// last stable offset, the aborted-transaction list, and the offsets a commit makes visible.
@Suite("Fake cluster: transactional log")
struct TransactionalLogTests {
    static func transactional(records: Int, producerId: Int64, epoch: Int16, sequence: Int32) throws -> StoredBatch {
        var encoder = RecordBatchEncoder(attributes: RecordBatchAttributes(isTransactional: true), producerId: producerId,
                                         producerEpoch: epoch, baseSequence: sequence)
        for index in 0..<records { encoder.append(key: nil, value: Array("\(producerId)-\(index)".utf8), timestamp: 1_000) }
        return try #require(try StoredBatch.split(try encoder.finish(compression: .none)).get().first)
    }

    static func marker(commit: Bool, producerId: Int64, epoch: Int16) throws -> StoredBatch {
        try StoredBatch.marker(commit: commit, producerId: producerId, producerEpoch: epoch, coordinatorEpoch: 0, timestamp: 2_000)
    }

    @Test("the marker is a control batch whose record key is version + type and whose value is the 6-byte EndTransactionMarker")
    func markerFormat() throws {
        let bytes = try Self.marker(commit: true, producerId: 9, epoch: 3).bytes
        let batch = try #require(try RecordBatchDecoder.decodeAll(bytes).first)
        #expect(batch.attributes.isControl && batch.attributes.isTransactional)
        #expect(batch.producerId == 9 && batch.producerEpoch == 3 && batch.baseSequence == -1)
        let record = try #require(batch.records.first)
        #expect(record.key.map(Array.init) == [0, 0, 0, 1])
        #expect(record.value.map(Array.init) == [0, 0, 0, 0, 0, 0])
        #expect(try batch.controlRecords().map(\.type) == [.commit])
        let abort = try #require(try RecordBatchDecoder.decodeAll(try Self.marker(commit: false, producerId: 9, epoch: 3).bytes).first)
        #expect(abort.records.first?.key.map(Array.init) == [0, 0, 0, 0])
    }

    @Test("an open transaction holds the last stable offset at its first offset until its marker; aborts are listed for readers")
    func lastStableOffset() throws {
        var log = PartitionLog()
        #expect(log.append([try PartitionLogTests.batch(records: 2)], leaderEpoch: 0) == .appended(baseOffset: 0))
        #expect(log.append([try Self.transactional(records: 3, producerId: 1, epoch: 0, sequence: 0)], leaderEpoch: 0) == .appended(baseOffset: 2))
        #expect(log.append([try Self.transactional(records: 2, producerId: 2, epoch: 0, sequence: 0)], leaderEpoch: 0) == .appended(baseOffset: 5))
        #expect(log.lastStableOffset == 2)
        // A read_committed read stops before the first unstable batch.
        #expect(try RecordBatchDecoder.decodeAll(log.read(from: 0, maxBytes: 1 << 20, limit: log.lastStableOffset)).map(\.baseOffset) == [0])
        #expect(log.readBatches(from: 2, maxBytes: 1 << 20, limit: log.lastStableOffset).bytes.isEmpty)

        #expect(log.appendMarker(try Self.marker(commit: false, producerId: 1, epoch: 0), commit: false, leaderEpoch: 0) == 7)
        #expect(log.lastStableOffset == 5)
        #expect(log.abortedTransactions == [PartitionLog.AbortedTransaction(producerId: 1, firstOffset: 2, markerOffset: 7)])
        #expect(log.appendMarker(try Self.marker(commit: true, producerId: 2, epoch: 0), commit: true, leaderEpoch: 0) == 8)
        #expect(log.lastStableOffset == 9 && log.endOffset == 9)
        #expect(log.abortedTransactions.count == 1)

        // Aborted transactions are listed when a read overlaps them.
        #expect(log.abortedTransactions(from: 0, upTo: 2).isEmpty)
        #expect(log.abortedTransactions(from: 0, upTo: 3).count == 1)
        #expect(log.abortedTransactions(from: 7, upTo: 9).count == 1)
        #expect(log.abortedTransactions(from: 8, upTo: 9).isEmpty)
        let (bytes, end) = log.readBatches(from: 0, maxBytes: 1 << 20, limit: log.lastStableOffset)
        #expect(end == 9)
        #expect(try RecordBatchDecoder.decodeAll(bytes).filter(\.attributes.isControl).count == 2)
    }

    @Test("the same producer's next transaction continues its sequence; a marker under a newer epoch fences the old one")
    func markersAndSequences() throws {
        var log = PartitionLog()
        _ = log.append([try Self.transactional(records: 2, producerId: 1, epoch: 0, sequence: 0)], leaderEpoch: 0)
        log.appendMarker(try Self.marker(commit: true, producerId: 1, epoch: 0), commit: true, leaderEpoch: 0)
        #expect(log.append([try Self.transactional(records: 1, producerId: 1, epoch: 0, sequence: 2)], leaderEpoch: 0) == .appended(baseOffset: 3))
        #expect(log.lastStableOffset == 3)
        // The coordinator fences epoch 0 and aborts under epoch 1.
        log.appendMarker(try Self.marker(commit: false, producerId: 1, epoch: 1), commit: false, leaderEpoch: 0)
        #expect(log.append([try Self.transactional(records: 1, producerId: 1, epoch: 0, sequence: 3)], leaderEpoch: 0) == .rejected(.invalidProducerEpoch))
        #expect(log.append([try Self.transactional(records: 1, producerId: 1, epoch: 2, sequence: 0)], leaderEpoch: 0) == .appended(baseOffset: 5))
    }

    @Test("a client may not write control batches (INVALID_RECORD)")
    func controlBatchFromClient() throws {
        var log = PartitionLog()
        #expect(log.append([try Self.marker(commit: true, producerId: 1, epoch: 0)], leaderEpoch: 0) == .rejected(.invalidRecord))
        #expect(log.endOffset == 0)
    }

    @Test("completing a transaction writes a marker on each partition and commits or drops the group's pending offsets")
    func completion() throws {
        var state = ClusterState(brokers: [ClusterState.Broker(id: 1, port: 0, isRunning: true)])
        state.createTopic("in", partitions: 1, replicationFactor: 1)
        state.createTopic("out", partitions: 2, replicationFactor: 1)
        let first = PartitionKey(topic: "out", partition: 0)
        let second = PartitionKey(topic: "out", partition: 1)
        let input = PartitionKey(topic: "in", partition: 0)
        _ = state.topics["out"]!.partitions[0].log.append([try Self.transactional(records: 2, producerId: 5, epoch: 0, sequence: 0)], leaderEpoch: 0)
        state.pendingOffsets.add([input: ClusterState.CommittedOffset(offset: 10, leaderEpoch: -1, metadata: "")], group: "g", producerId: 5)
        #expect(state.hasPendingOffset(group: "g", partition: input))
        #expect(state.topics["out"]!.partitions[0].log.lastStableOffset == 0)

        try state.complete(TransactionCoordinator.Completion(transactionalId: "t", producerId: 5, epoch: 0, commit: true,
                                                             partitions: [first, second, PartitionKey(topic: "gone", partition: 0)],
                                                             groups: ["g"]), timestamp: 0)
        #expect(state.topics["out"]!.partitions[0].log.endOffset == 3)
        #expect(state.topics["out"]!.partitions[0].log.lastStableOffset == 3)
        #expect(state.topics["out"]!.partitions[1].log.endOffset == 1)
        #expect(state.committed["g"]?[input]?.offset == 10)
        #expect(!state.hasPendingOffset(group: "g", partition: input))

        state.pendingOffsets.add([input: ClusterState.CommittedOffset(offset: 20, leaderEpoch: -1, metadata: "")], group: "g", producerId: 5)
        try state.complete(TransactionCoordinator.Completion(transactionalId: "t", producerId: 5, epoch: 0, commit: false,
                                                             partitions: [], groups: ["g"]), timestamp: 0)
        #expect(state.committed["g"]?[input]?.offset == 10)
    }
}
