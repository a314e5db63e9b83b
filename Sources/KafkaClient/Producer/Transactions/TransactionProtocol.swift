import KafkaWire

/// The transaction protocol a transactional producer speaks, chosen from the
/// cluster's finalized `transaction.version` feature as the Java client 4.x does.
enum TransactionProtocol: Sendable, Equatable, CustomStringConvertible {
    /// KIP-98: partitions join a transaction through AddPartitionsToTxn and a group's
    /// offsets through AddOffsetsToTxn; the epoch stays the same from one transaction to
    /// the next. Produce is capped at v11, TxnOffsetCommit and EndTxn at v4, because the
    /// newer versions tell the broker that the client speaks transactions v2.
    case v1
    /// KIP-890 part 2 (`transaction.version` >= 2): Produce v12 and TxnOffsetCommit v5
    /// add the partition or the group to the transaction implicitly, and EndTxn v5 bumps
    /// the epoch at the end of every transaction and answers with the id and epoch to use
    /// next (a new producer id at epoch 0 once the epoch is used up).
    case v2

    /// The feature the cluster finalizes (KIP-584).
    static let featureName = "transaction.version"

    /// The protocol for a cluster whose `transaction.version` is finalized at `level`.
    init(featureLevel level: Int16) {
        self = level >= 2 ? .v2 : .v1
    }

    /// The highest Produce version a transactional producer may send (nil: any).
    var produceVersionCeiling: Int16? { self == .v1 ? 11 : nil }
    /// The highest TxnOffsetCommit version (nil: any).
    var txnOffsetCommitVersionCeiling: Int16? { self == .v1 ? 4 : nil }
    /// The highest EndTxn version (nil: any).
    var endTxnVersionCeiling: Int16? { self == .v1 ? 4 : nil }
    /// Whether partitions and groups must be registered with the coordinator before use.
    var registersExplicitly: Bool { self == .v1 }

    var description: String { self == .v1 ? "transactions v1" : "transactions v2 (KIP-890)" }
}

/// Follows the finalized features brokers report in ApiVersions. Like the Java
/// client it only takes a report whose features epoch is newer than the last one
/// taken, and the producer consults it only at `initTransactions()` and when a
/// transaction ends, so one transaction never mixes the two protocols.
struct TransactionProtocolSelection: Sendable, Equatable {
    private(set) var current: TransactionProtocol = .v1
    /// The features epoch of the report `current` comes from (-1: none yet).
    private(set) var featuresEpoch: Int64 = -1

    /// Takes in a broker's ApiVersions table. Returns true when this moves a producer
    /// that already has a producer id (`initializing` false) from v1 to v2: the Java
    /// client then bumps the epoch before the first v2 transaction, so nothing of the
    /// v1 transactions is mistaken for part of a v2 one.
    mutating func observe(_ table: ApiVersionTable, initializing: Bool) -> Bool {
        guard table.finalizedFeaturesEpoch > featuresEpoch else { return false }
        featuresEpoch = table.finalizedFeaturesEpoch
        let previous = current
        current = TransactionProtocol(featureLevel: table.finalizedLevel(of: TransactionProtocol.featureName))
        return !initializing && previous == .v1 && current == .v2
    }
}
