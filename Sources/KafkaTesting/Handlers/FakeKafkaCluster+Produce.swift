import KafkaWire

extension FakeKafkaCluster {
    /// Produce: appends to partitions this broker leads, with idempotent producers'
    /// duplicates answered from the log and sequence gaps refused. A transactional
    /// batch is verified with the transaction coordinator first, as Kafka's leaders
    /// do (KIP-890 part 1): its partition must be in the producer's open transaction,
    /// at the current epoch. No answer for acks=0.
    func produce(_ request: ProduceRequest, _ context: RequestContext) -> ProduceResponse? {
        var response = ProduceResponse()
        response.throttleTimeMs = context.throttleMs
        state.withLock { state in
            response.responses = request.topicData.map { topicData in
                var topicResponse = ProduceResponse.TopicProduceResponse()
                topicResponse.name = topicData.name
                topicResponse.partitionResponses = topicData.partitionData.map { data in
                    var result = ProduceResponse.TopicProduceResponse.PartitionProduceResponse()
                    result.index = data.index
                    result.baseOffset = -1
                    let key = PartitionKey(topic: topicData.name, partition: data.index)
                    switch append(data.records ?? [], to: key, transactionalId: request.transactionalId, context, in: &state) {
                    case .success(let baseOffset):
                        result.baseOffset = baseOffset
                        result.logStartOffset = state.topics[key.topic]!.partitions[Int(key.partition)].log.logStartOffset
                    case .failure(let error):
                        result.errorCode = error.rawValue
                    }
                    return result
                }
                return topicResponse
            }
        }
        return request.acks == 0 ? nil : response
    }

    private func append(_ records: [UInt8], to key: PartitionKey, transactionalId: String?, _ context: RequestContext,
                        in state: inout ClusterState) -> Result<Int64, KafkaErrorCode> {
        let partition: ClusterState.Partition
        switch state.serving(key, context) {
        case .success(let led): partition = led
        case .failure(let error): return .failure(error)
        }
        let batches: [StoredBatch]
        switch StoredBatch.split(records) {
        case .success(let split): batches = split
        case .failure(let error): return .failure(error)
        }
        // As Kafka's log validation: the whole request's records for the partition are refused.
        if batches.contains(where: { $0.bytes.count > configuration.maxMessageBytes }) { return .failure(.messageTooLarge) }
        for batch in batches where batch.isTransactional {
            if let error = state.transactions.verify(transactionalId: transactionalId, producerId: batch.producerId,
                                                     epoch: batch.producerEpoch, partition: key) {
                return .failure(error)
            }
        }
        switch state.topics[key.topic]!.partitions[Int(key.partition)].log.append(batches, leaderEpoch: partition.leaderEpoch) {
        case .appended(let baseOffset), .duplicate(let baseOffset): return .success(baseOffset)
        case .rejected(let error): return .failure(error)
        }
    }
}
