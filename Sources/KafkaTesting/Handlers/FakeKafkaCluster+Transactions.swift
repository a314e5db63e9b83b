import KafkaWire

extension FakeKafkaCluster {
    /// InitProducerId. Without a transactional id: a new idempotent producer id at epoch
    /// 0, or the next epoch of the id the request names (KIP-360). With one: the
    /// transaction coordinator's answer (``TransactionCoordinator/initProducerId(transactionalId:timeoutMs:expected:now:)``);
    /// an open transaction of the id is aborted first and CONCURRENT_TRANSACTIONS
    /// answered, so the new producer retries, as Kafka does.
    func initProducerId(_ request: InitProducerIdRequest, _ context: RequestContext) -> InitProducerIdResponse {
        var response = InitProducerIdResponse()
        response.throttleTimeMs = context.throttleMs
        response.producerId = -1
        response.producerEpoch = -1
        let error: KafkaErrorCode? = state.withLock { state in
            if let forced = context.forcedError { return forced }
            guard let transactionalId = request.transactionalId else {
                if request.producerId >= 0 {
                    (response.producerId, response.producerEpoch) = (request.producerId, request.producerEpoch &+ 1)
                } else {
                    (response.producerId, response.producerEpoch) = (state.transactions.newProducerId(), 0)
                }
                return nil
            }
            if let error = transactionCoordinatorError(transactionalId, context, state) { return error }
            let expected = request.producerId >= 0 ? (request.producerId, request.producerEpoch) : nil
            switch state.transactions.initProducerId(transactionalId: transactionalId, timeoutMs: request.transactionTimeoutMs,
                                                     expected: expected, now: Self.now()) {
            case .ready(let producerId, let epoch):
                (response.producerId, response.producerEpoch) = (producerId, epoch)
                return nil
            case .abortedOpenTransaction(let completion):
                do { try state.complete(completion, timestamp: Self.timestamp()) } catch { return .unknownServerError }
                return .concurrentTransactions
            case .refused(let error):
                return error
            }
        }
        // PRODUCER_FENCED exists from v4 (KIP-588); older versions get INVALID_PRODUCER_EPOCH.
        response.errorCode = Self.fenced(error, supported: context.version >= 4)?.rawValue ?? 0
        return response
    }

    /// AddPartitionsToTxn (v0-3, the client form): the partitions join the open
    /// transaction (starting one). An unknown partition fails the request: it gets
    /// UNKNOWN_TOPIC_OR_PARTITION and the others OPERATION_NOT_ATTEMPTED, as in Kafka.
    func addPartitionsToTxn(_ request: AddPartitionsToTxnRequest, _ context: RequestContext) -> AddPartitionsToTxnResponse {
        state.withLock { state in
            var response = AddPartitionsToTxnResponse()
            response.throttleTimeMs = context.throttleMs
            let asked = request.v3AndBelowTopics.flatMap { topic in topic.partitions.map { PartitionKey(topic: topic.name, partition: $0) } }
            var errors: [PartitionKey: KafkaErrorCode] = [:]
            if let error = transactionCoordinatorError(request.v3AndBelowTransactionalId, context, state) {
                for key in asked { errors[key] = error }
            } else {
                for key in asked {
                    let exists = state.topics[key.topic].map { key.partition >= 0 && Int(key.partition) < $0.partitions.count } ?? false
                    if let error = context.injectedError(topic: key.topic, partition: key.partition) ?? (exists ? nil : .unknownTopicOrPartition) {
                        errors[key] = error
                    }
                }
                if !errors.isEmpty {
                    for key in asked where errors[key] == nil { errors[key] = .operationNotAttempted }
                } else if let error = state.transactions.addPartitions(asked, transactionalId: request.v3AndBelowTransactionalId,
                                                                       producerId: request.v3AndBelowProducerId,
                                                                       epoch: request.v3AndBelowProducerEpoch, now: Self.now()) {
                    for key in asked { errors[key] = Self.fenced(error, supported: context.version >= 2) }
                }
            }
            response.resultsByTopicV3AndBelow = request.v3AndBelowTopics.map { topic in
                var result = AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult()
                result.name = topic.name
                result.resultsByPartition = topic.partitions.map { index in
                    var partition = AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult()
                    partition.partitionIndex = index
                    partition.partitionErrorCode = errors[PartitionKey(topic: topic.name, partition: index)]?.rawValue ?? 0
                    return partition
                }
                return result
            }
            return response
        }
    }

    /// AddOffsetsToTxn: the group's offsets join the open transaction (starting one).
    func addOffsetsToTxn(_ request: AddOffsetsToTxnRequest, _ context: RequestContext) -> AddOffsetsToTxnResponse {
        state.withLock { state in
            var response = AddOffsetsToTxnResponse()
            response.throttleTimeMs = context.throttleMs
            let error = transactionCoordinatorError(request.transactionalId, context, state)
                ?? state.transactions.addOffsets(group: request.groupId, transactionalId: request.transactionalId,
                                                 producerId: request.producerId, epoch: request.producerEpoch, now: Self.now())
            response.errorCode = Self.fenced(error, supported: context.version >= 2)?.rawValue ?? 0
            return response
        }
    }

    /// EndTxn: commits or aborts, writing a marker to every partition of the
    /// transaction and committing or dropping its offsets before answering.
    func endTxn(_ request: EndTxnRequest, _ context: RequestContext) -> EndTxnResponse {
        state.withLock { state in
            var response = EndTxnResponse()
            response.throttleTimeMs = context.throttleMs
            let error: KafkaErrorCode? = {
                if let error = transactionCoordinatorError(request.transactionalId, context, state) { return error }
                switch state.transactions.endTransaction(transactionalId: request.transactionalId, producerId: request.producerId,
                                                         epoch: request.producerEpoch, commit: request.committed) {
                case .completed(let completion):
                    do { try state.complete(completion, timestamp: Self.timestamp()) } catch { return .unknownServerError }
                    return nil
                case .alreadyCompleted:
                    return nil
                case .refused(let error):
                    return error
                }
            }()
            response.errorCode = Self.fenced(error, supported: context.version >= 2)?.rawValue ?? 0
            return response
        }
    }

    /// TxnOffsetCommit, on the group coordinator: the offsets wait for the transaction
    /// to end. The producer's transaction must hold the group (AddOffsetsToTxn) at the
    /// current epoch, and a member (v3+) must be the group's current one.
    func txnOffsetCommit(_ request: TxnOffsetCommitRequest, _ context: RequestContext) -> TxnOffsetCommitResponse {
        state.withLock { state in
            var response = TxnOffsetCommitResponse()
            response.throttleTimeMs = context.throttleMs
            let requestError: KafkaErrorCode? = {
                if let error = coordinatorError(group: request.groupId, context, state) { return error }
                if let error = state.transactions.verify(transactionalId: request.transactionalId, producerId: request.producerId,
                                                         epoch: request.producerEpoch, group: request.groupId) { return error }
                let group = state.groups[request.groupId]
                if !request.memberId.isEmpty, group?.members[request.memberId] == nil { return .unknownMemberId }
                if request.generationId >= 0, request.generationId != (group?.generation ?? -1) { return .illegalGeneration }
                return nil
            }()
            var accepted: [PartitionKey: ClusterState.CommittedOffset] = [:]
            response.topics = request.topics.map { topic in
                var topicResponse = TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic()
                topicResponse.name = topic.name
                topicResponse.partitions = topic.partitions.map { partition in
                    var result = TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic.TxnOffsetCommitResponsePartition()
                    result.partitionIndex = partition.partitionIndex
                    let known = state.topics[topic.name].map { partition.partitionIndex >= 0 && Int(partition.partitionIndex) < $0.partitions.count } ?? false
                    if let error = requestError ?? context.injectedError(topic: topic.name, partition: partition.partitionIndex)
                        ?? (known ? nil : .unknownTopicOrPartition) {
                        result.errorCode = error.rawValue
                    } else {
                        accepted[PartitionKey(topic: topic.name, partition: partition.partitionIndex)] = ClusterState.CommittedOffset(
                            offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch, metadata: partition.committedMetadata)
                    }
                    return result
                }
                return topicResponse
            }
            if !accepted.isEmpty { state.pendingOffsets.add(accepted, group: request.groupId, producerId: request.producerId) }
            return response
        }
    }

    /// The error for a transactional request sent to `broker`: an injected one,
    /// INVALID_REQUEST for an empty transactional id, or NOT_COORDINATOR.
    func transactionCoordinatorError(_ transactionalId: String, _ context: RequestContext, _ state: ClusterState) -> KafkaErrorCode? {
        if let forced = context.forcedError { return forced }
        if transactionalId.isEmpty { return .invalidRequest }
        return state.coordinator(for: .transaction(transactionalId)) == context.broker ? nil : .notCoordinator
    }

    /// PRODUCER_FENCED as a request version can carry it: versions before KIP-588
    /// get INVALID_PRODUCER_EPOCH, as Kafka answers them.
    static func fenced(_ error: KafkaErrorCode?, supported: Bool) -> KafkaErrorCode? {
        error == .producerFenced && !supported ? .invalidProducerEpoch : error
    }
}
