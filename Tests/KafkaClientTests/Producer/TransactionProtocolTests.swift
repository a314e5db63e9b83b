import KafkaWire
import Testing
@testable import KafkaClient

/// Transactions v1 or v2 (KIP-890), chosen from the cluster's finalized
/// `transaction.version` as the Java client 4.x chooses, and what each changes:
/// no I/O, only the values the producer consults.
@Suite("Producer: transactions v2 (KIP-890) detection and state")
struct TransactionProtocolTests {
    static func table(transactionVersion: Int16?, epoch: Int64 = 1) -> ApiVersionTable {
        var response = ApiVersionsResponse()
        response.apiKeys = [.init(apiKey: ApiKey.produce.rawValue, minVersion: 3, maxVersion: 12)]
        if let transactionVersion {
            response.finalizedFeaturesEpoch = epoch
            response.finalizedFeatures = [.init(name: "group.version", maxVersionLevel: 1, minVersionLevel: 1),
                                          .init(name: "transaction.version", maxVersionLevel: transactionVersion, minVersionLevel: 0)]
        }
        return ApiVersionTable(response)
    }

    @Test("ApiVersionTable reads the finalized features, and none when their epoch is -1")
    func finalizedFeatures() {
        let table = Self.table(transactionVersion: 2, epoch: 7)
        #expect(table.finalizedLevel(of: "transaction.version") == 2)
        #expect(table.finalizedLevel(of: "group.version") == 1)
        #expect(table.finalizedLevel(of: "share.version") == 0)
        #expect(table.finalizedFeaturesEpoch == 7)

        var unknownEpoch = ApiVersionsResponse()
        unknownEpoch.finalizedFeatures = [.init(name: "transaction.version", maxVersionLevel: 2, minVersionLevel: 0)]
        let ignored = ApiVersionTable(unknownEpoch)
        #expect(ignored.finalizedFeatures.isEmpty && ignored.finalizedFeaturesEpoch == -1)
        #expect(Self.table(transactionVersion: nil).finalizedLevel(of: "transaction.version") == 0)
    }

    @Test("transaction.version 2 or more is v2; 0, 1 or none is v1 (Tansu reports none)")
    func levels() {
        for (level, expected) in [(0, TransactionProtocol.v1), (1, .v1), (2, .v2), (3, .v2)] as [(Int16, TransactionProtocol)] {
            var selection = TransactionProtocolSelection()
            _ = selection.observe(Self.table(transactionVersion: level), initializing: true)
            #expect(selection.current == expected, "level \(level)")
        }
        var none = TransactionProtocolSelection()
        do { let bump = none.observe(Self.table(transactionVersion: nil), initializing: true); #expect(!bump) }
        #expect(none.current == .v1)
    }

    @Test("v1 caps Produce at v11 and TxnOffsetCommit and EndTxn at v4; v2 lets the newest through")
    func versionCeilings() throws {
        #expect(TransactionProtocol.v1.produceVersionCeiling == 11)
        #expect(TransactionProtocol.v1.txnOffsetCommitVersionCeiling == 4)
        #expect(TransactionProtocol.v1.endTxnVersionCeiling == 4)
        #expect(TransactionProtocol.v2.produceVersionCeiling == nil)
        let table = Self.table(transactionVersion: 2)
        #expect(try table.version(for: ProduceRequest.self, ceiling: TransactionProtocol.v1.produceVersionCeiling) == 11)
        #expect(try table.version(for: ProduceRequest.self, ceiling: TransactionProtocol.v2.produceVersionCeiling) == 12)
        #expect(ProduceRequest.validVersions.upperBound == 12 && TxnOffsetCommitRequest.validVersions.upperBound == 5)
    }

    @Test("only a newer features epoch changes the protocol; an upgrade after initialization asks for an epoch bump")
    func epochsAndUpgrade() {
        var selection = TransactionProtocolSelection()
        do { let bump = selection.observe(Self.table(transactionVersion: 1, epoch: 3), initializing: true); #expect(!bump) }
        #expect(selection.current == .v1)
        // The same epoch again (another broker, or a lowered level kfake reports at the same epoch): kept.
        do { let bump = selection.observe(Self.table(transactionVersion: 2, epoch: 3), initializing: false); #expect(!bump) }
        #expect(selection.current == .v1)
        // A stale report from a broker that has not caught up: ignored.
        do { let bump = selection.observe(Self.table(transactionVersion: 2, epoch: 2), initializing: false); #expect(!bump) }
        #expect(selection.current == .v1)
        // The cluster finalized v2 after this producer initialized: bump the epoch first.
        do { let bump = selection.observe(Self.table(transactionVersion: 2, epoch: 4), initializing: false); #expect(bump) }
        #expect(selection.current == .v2)
        // A downgrade needs no bump.
        do { let bump = selection.observe(Self.table(transactionVersion: 1, epoch: 5), initializing: false); #expect(!bump) }
        #expect(selection.current == .v1)
        // At initialization an upgrade needs none either: InitProducerId gives a fresh epoch.
        var fresh = TransactionProtocolSelection()
        do { let bump = fresh.observe(Self.table(transactionVersion: 2), initializing: true); #expect(!bump) }
        #expect(fresh.current == .v2)
    }

    @Test("the protocol never changes inside a transaction; it does between them")
    func onlyBetweenTransactions() throws {
        var state = TransactionState()
        try state.initStarted()
        do { let bump = state.featuresReported(Self.table(transactionVersion: 1, epoch: 1)); #expect(!bump) }
        state.initFinished(nil)
        try state.begin()
        do { let bump = state.featuresReported(Self.table(transactionVersion: 2, epoch: 2)); #expect(!bump) }
        #expect(state.transactionProtocol == .v1)
        try state.commitStarted()
        state.completed()
        do { let bump = state.featuresReported(Self.table(transactionVersion: 2, epoch: 2)); #expect(bump) }
        #expect(state.transactionProtocol == .v2)
    }

    @Test("v2 sends offsets without AddOffsetsToTxn; v1 registers each group once per transaction")
    func offsetsRegistration() throws {
        var v1 = TransactionState()
        try v1.initStarted()
        _ = v1.featuresReported(Self.table(transactionVersion: 1))
        v1.initFinished(nil)
        try v1.begin()
        #expect(v1.needsAddOffsets(group: "g"))
        v1.addedOffsets(group: "g")
        #expect(!v1.needsAddOffsets(group: "g"))

        var v2 = TransactionState()
        try v2.initStarted()
        _ = v2.featuresReported(Self.table(transactionVersion: 2))
        v2.initFinished(nil)
        try v2.begin()
        #expect(v2.transactionProtocol == .v2)
        #expect(!v2.needsAddOffsets(group: "g"))
        #expect(!v2.transactionProtocol.registersExplicitly)
    }

    @Test("EndTxn v5's producer id and epoch are installed; v4 and below leave the identity as it was")
    func endTxnIdentity() {
        #expect(TransactionManager.identityAfterEnd(EndTxnResponse()) == nil)  // v0-4: both -1
        var bumped = EndTxnResponse()
        bumped.producerId = 4_000
        bumped.producerEpoch = 8
        #expect(TransactionManager.identityAfterEnd(bumped)! == (4_000, 8))
        var halfEmpty = EndTxnResponse()
        halfEmpty.producerId = 4_000
        #expect(TransactionManager.identityAfterEnd(halfEmpty) == nil)
    }

    @Test("epoch exhaustion: EndTxn hands a new producer id at epoch 0, and every sequence restarts at 0")
    func epochExhaustion() throws {
        let accumulator = AccumulatorTestSupport.accumulator()
        accumulator.installIdentity(producerId: 4_000, epoch: Int16.max - 1)
        try AccumulatorTestSupport.append(accumulator, topic: "t", partition: 0, count: 3)
        var drained = AccumulatorTestSupport.drain(accumulator)
        let sent = try #require(drained.requests[1]?.first)
        #expect(sent.identity?.epoch == Int16.max - 1 && sent.baseSequence == 0)
        drained.requests = [:]
        _ = accumulator.acknowledged(sent) { _ in ProducerSequenceWrapTests.report() }
        accumulator.requestFinished(broker: 1)

        // The coordinator ran out of epochs for 4000 (Kafka and kfake switch at Int16.max - 1).
        var response = EndTxnResponse()
        response.producerId = 5_000
        response.producerEpoch = 0
        let next = try #require(TransactionManager.identityAfterEnd(response))
        accumulator.installIdentity(producerId: next.producerId, epoch: next.epoch)
        #expect(accumulator.identity.producerId == 5_000 && accumulator.identity.epoch == 0)

        try AccumulatorTestSupport.append(accumulator, topic: "t", partition: 0, count: 2)
        let again = try #require(AccumulatorTestSupport.drain(accumulator).requests[1]?.first)
        #expect(again.identity?.producerId == 5_000 && again.identity?.epoch == 0)
        #expect(again.baseSequence == 0)
    }
}

/// The buffer's transaction gating: a partition is put forward for the transaction
/// (AddPartitionsToTxn with v1, a local registration with v2) only once its leader
/// is known, so the coordinator is never asked about a topic the cluster lacks.
@Suite("Producer: transaction gating waits for the leader")
struct TransactionGatingTests {
    @Test("without a leader the topic needs metadata and nothing is added; with one the partition is added, then sent")
    func leaderBeforeRegistration() throws {
        let accumulator = AccumulatorTestSupport.accumulator()
        accumulator.enableTransactionGating()
        accumulator.installIdentity(producerId: 1, epoch: 0)
        try AccumulatorTestSupport.append(accumulator, topic: "new-topic", partition: 0, count: 2)
        accumulator.requestFlush()

        let unknown = accumulator.drain(now: .now, maxInFlightPerBroker: 5) { _ in nil }
        #expect(unknown.needsMetadata == ["new-topic"])
        #expect(unknown.partitionsToAdd.isEmpty && unknown.requests.isEmpty)

        let known = accumulator.drain(now: .now, maxInFlightPerBroker: 5) { _ in 1 }
        let partition = TopicPartition(topic: "new-topic", partition: 0)
        #expect(known.partitionsToAdd == [partition] && known.requests.isEmpty)

        accumulator.registerTransactionPartitions([partition])
        let sent = accumulator.drain(now: .now, maxInFlightPerBroker: 5) { _ in 1 }
        #expect(sent.requests[1]?.map(\.topicPartition) == [partition])
    }
}
