import KafkaWire

/// How a transactional request's error is handled, following the Java client:
/// retried (after finding the coordinator again where it moved), abortable
/// (this transaction is lost, the producer is not), or fatal (close the producer).
enum TransactionErrorKind: Equatable {
    case retriable(findCoordinator: Bool)
    case abortable
    case fatal
    case fenced
}

extension TransactionErrorKind {
    /// The kind of `code` in a response to one of the transactional APIs.
    static func of(_ code: KafkaErrorCode) -> TransactionErrorKind {
        switch code {
        case .notCoordinator, .coordinatorNotAvailable:
            return .retriable(findCoordinator: true)
        case .coordinatorLoadInProgress, .concurrentTransactions, .requestTimedOut, .unknownTopicOrPartition,
             .notEnoughReplicas, .notEnoughReplicasAfterAppend, .networkException, .unstableOffsetCommit:
            return .retriable(findCoordinator: false)
        case .producerFenced, .transactionCoordinatorFenced:
            return .fenced
        case .invalidProducerEpoch:
            // From the transaction coordinator an old epoch means a newer producer took over.
            return .fenced
        case .transactionalIdAuthorizationFailed, .clusterAuthorizationFailed, .unsupportedVersion, .unsupportedForMessageFormat,
             .invalidTransactionTimeout, .invalidTxnState, .transactionalIdNotFound:
            return .fatal
        case .unknownMemberId, .illegalGeneration, .fencedInstanceId, .rebalanceInProgress:
            // TxnOffsetCommit from a member the group moved on from: the offsets would be wrong.
            return .abortable
        default:
            if code.isRetriable { return .retriable(findCoordinator: false) }
            return .abortable
        }
    }

    /// The error the caller sees for `code` of this kind.
    func error(_ code: KafkaErrorCode, api: ApiKey, message: String?, transactionalId: String) -> KafkaError {
        let what = message.flatMap { $0.isEmpty ? nil : $0 } ?? code.message
        switch self {
        case .fenced:
            return KafkaError(.producerFenced, detail: "transactional.id \(transactionalId) was fenced by a newer producer "
                              + "or the transaction timed out: \(what); close this producer", apiKey: api, brokerErrorCode: code)
        case .fatal:
            return KafkaError(.transactionFatal, detail: "transactional.id \(transactionalId): \(what)", apiKey: api, brokerErrorCode: code)
        case .abortable, .retriable:
            return KafkaError(.transactionAbortable, detail: "transactional.id \(transactionalId): \(what)", apiKey: api,
                              brokerErrorCode: code)
        }
    }
}
