import KafkaWire

/// Produce responses, handled on the connection's thread: every record ends in
/// exactly one report, success or a typed error; retriable failures go back to
/// the accumulator in sequence order.
extension ProducerSender {
    func handleResponse(_ result: Result<ResponseFrame?, KafkaError>, batches: [ProducerBatch], broker: Int32, connection: BrokerConnection) {
        accumulator.requestFinished(broker: broker)
        var random = SplitMix.seeded()
        defer {
            // After the batches are back in their queues, so the new connection sees them first.
            handover.finished(broker: broker, on: connection)
            wakeup.signal()
        }
        let frame: ResponseFrame
        switch result {
        case .failure(let error):
            // Resending is safe: the broker drops duplicates of an idempotent batch.
            metadataDirty.store(true, ordering: .releasing)
            for batch in batches { retryOrFail(batch, error: error, bumpEpoch: false, random: &random) }
            return
        case .success(nil):
            for batch in batches { succeed(batch, baseOffset: -1, logAppendTime: -1) }
            return
        case .success(let received?):
            frame = received
        }
        let response: ProduceResponse
        do {
            response = try ProduceResponse.decodeFrame(frame.bytes, version: frame.version, allowingTrailingBytes: true).body
        } catch {
            let failure = KafkaError(.protocolViolation, detail: "undecodable Produce response: \(error)", apiKey: .produce, brokerId: broker)
            for batch in batches { retryOrFail(batch, error: failure, bumpEpoch: false, random: &random) }
            return
        }
        connection.holdBack(throttleTimeMs: response.throttleTimeMs, apiKey: .produce, version: frame.version)
        var results: [TopicPartition: ProduceResponse.TopicProduceResponse.PartitionProduceResponse] = [:]
        for topic in response.responses {
            for partition in topic.partitionResponses {
                results[TopicPartition(topic: topic.name, partition: partition.index)] = partition
            }
        }
        for batch in batches {
            guard let partition = results[batch.topicPartition] else {
                let failure = KafkaError(.protocolViolation, detail: "the Produce response has no result for \(batch.topicPartition)",
                                         apiKey: .produce, brokerId: broker)
                retryOrFail(batch, error: failure, bumpEpoch: false, random: &random)
                continue
            }
            let code = KafkaErrorCode(partition.errorCode)
            switch code {
            case .noError:
                succeed(batch, baseOffset: partition.baseOffset, logAppendTime: partition.logAppendTimeMs)
            case .duplicateSequenceNumber:
                // Already written by an earlier attempt whose response was lost.
                succeed(batch, baseOffset: -1, logAppendTime: -1)
            default:
                connection.metrics.recordError(.produce, code)
                let failure = KafkaError.broker(code, apiKey: .produce, message: partition.errorMessage ?? code.message, brokerId: broker)
                handleBatchError(batch, code: code, error: failure, random: &random)
            }
        }
    }

    private func handleBatchError(_ batch: ProducerBatch, code: KafkaErrorCode, error: KafkaError, random: inout some RandomNumberGenerator) {
        if transactions != nil, handledAsTransactional(batch, code: code, error: error) { return }
        switch code {
        case .messageTooLarge:
            splitOrFail(batch, error: error)
        case .outOfOrderSequenceNumber where accumulator.isAcknowledgedPast(batch):
            // The broker took later sequences of this epoch, which it does only in order:
            // this batch is in the log, and its retry came after the broker forgot it
            // (it remembers five batches). Written, at an offset we can't learn, as
            // Java resolves a batch whose sequence the last acknowledged one passed.
            logger.debug("batch acknowledged past its sequence; reported written", metadata: [
                "partition": "\(batch.topicPartition)", "sequence": "\(batch.baseSequence)"])
            succeed(batch, baseOffset: -1, logAppendTime: -1)
        case .outOfOrderSequenceNumber:
            // Expected while an earlier batch is being re-sent; otherwise the
            // broker lost our sequence state and a new epoch restarts it.
            retryOrFail(batch, error: error, bumpEpoch: !accumulator.isAwaitingEarlierBatch(batch), random: &random, forceRetriable: true)
        case .unknownProducerId, .invalidProducerEpoch:
            retryOrFail(batch, error: error, bumpEpoch: true, random: &random, forceRetriable: true)
        case .notLeaderOrFollower, .unknownTopicOrPartition, .leaderNotAvailable, .fencedLeaderEpoch, .notEnoughReplicas,
             .notEnoughReplicasAfterAppend, .kafkaStorageError, .requestTimedOut, .networkException:
            metadataDirty.store(true, ordering: .releasing)
            retryOrFail(batch, error: error, bumpEpoch: false, random: &random)
        default:
            retryOrFail(batch, error: error, bumpEpoch: false, random: &random)
        }
    }

    /// A batch over the broker's `message.max.bytes`: several records are split in
    /// two and sent again (the Java producer splits too); one record alone fails.
    private func splitOrFail(_ batch: ProducerBatch, error: KafkaError) {
        if let halves = batch.splitInHalves() {
            logger.debug("batch too large for the broker; sending it in two", metadata: [
                "partition": "\(batch.topicPartition)", "records": "\(batch.recordCount)", "bytes": "\(batch.bytes?.count ?? 0)"])
            accumulator.replace(batch, bySplit: halves)
            return
        }
        fail(batch, wasInFlight: true, error: KafkaError(.messageTooLarge, detail: "the record is larger than the broker accepts: \(error.detail)",
                                                          apiKey: .produce, brokerId: error.brokerId, brokerErrorCode: .messageTooLarge))
    }

    /// Errors a transactional producer does not retry, classed as the Java client does
    /// (KIP-588): PRODUCER_FENCED, authorization of the cluster or the transactional
    /// id, an unsupported version and a lost producer id mapping are fatal; an
    /// INVALID_PRODUCER_EPOCH from a partition leader, or a lost sequence, only makes
    /// the transaction abortable: the abort bumps the epoch, and the coordinator
    /// decides whether this producer is still the current one. Returns false when the
    /// ordinary handling applies.
    private func handledAsTransactional(_ batch: ProducerBatch, code: KafkaErrorCode, error: KafkaError) -> Bool {
        switch code {
        case .producerFenced:
            let fenced = KafkaError(.producerFenced, detail: "a newer producer with transactional.id \(configuration.transactionalId ?? "") "
                                    + "fenced this one: \(error.detail)", apiKey: .produce, brokerId: error.brokerId, brokerErrorCode: code)
            fail(batch, wasInFlight: true, error: fenced)
            return true
        case .clusterAuthorizationFailed, .transactionalIdAuthorizationFailed, .unsupportedVersion, .unsupportedForMessageFormat,
             .invalidProducerIdMapping:
            let fatal = KafkaError(.transactionFatal, detail: "transactional.id \(configuration.transactionalId ?? ""): \(error.detail)",
                                   apiKey: .produce, brokerId: error.brokerId, brokerErrorCode: code)
            fail(batch, wasInFlight: true, error: fatal)
            return true
        case .outOfOrderSequenceNumber where !accumulator.isAwaitingEarlierBatch(batch):
            fail(batch, wasInFlight: true, error: error)
            return true
        case .invalidProducerEpoch, .unknownProducerId:
            fail(batch, wasInFlight: true, error: error)
            return true
        default:
            return false
        }
    }

    /// Retries `batch` when the error allows and time and retries remain; else fails it.
    func retryOrFail(_ batch: ProducerBatch, error: KafkaError, bumpEpoch: Bool, random: inout some RandomNumberGenerator,
                     forceRetriable: Bool = false) {
        let now = ContinuousClock.now
        let expired = batch.createdAt.advanced(by: configuration.deliveryTimeout) <= now
        guard error.isRetriable || forceRetriable, !expired, batch.attempts <= configuration.retries else {
            var failure = error
            if expired {
                failure = KafkaError(.deliveryTimedOut, detail: "not acknowledged within delivery.timeout.ms (\(configuration.deliveryTimeout)); "
                                     + "last error: \(error)", apiKey: .produce, brokerId: error.brokerId)
            }
            fail(batch, wasInFlight: true, error: failure)
            return
        }
        metrics.retries.increment()
        logger.debug("retrying batch", metadata: ["partition": "\(batch.topicPartition)", "attempt": "\(batch.attempts)",
                                                  "sequence": "\(batch.baseSequence)", "epoch": "\(batch.identity?.epoch ?? -1)",
                                                  "error": "\(error.brokerErrorCode.map { "\($0)" } ?? "\(error.code)")"])
        accumulator.retry(batch, now: now, bumpEpoch: bumpEpoch, random: &random)
    }

    /// Reports every record of `batch` as written.
    func succeed(_ batch: ProducerBatch, baseOffset: Int64, logAppendTime: Int64) {
        let topic = batch.topicPartition.topic
        let partition = batch.topicPartition.partition
        let report = { (index: Int) -> KafkaDeliveryReport in
            KafkaDeliveryReport(id: KafkaProducerMessageID(rawValue: batch.ids[index]), topic: topic, partition: partition,
                                offset: baseOffset >= 0 ? baseOffset + Int64(index) : -1,
                                timestamp: logAppendTime >= 0 ? logAppendTime : batch.timestamps[index], error: nil)
        }
        metrics.recordsSent.increment(by: batch.recordCount)
        if let bytes = batch.bytes {
            metrics.bytesSent.increment(by: bytes.count)
            metrics.batchSize.record(bytes.count)
        }
        accumulator.resume(accumulator.acknowledged(batch, report: report))
        if let events { events.yield(.deliveryReports((0..<batch.recordCount).map(report))) }
    }

    /// Reports every record of `batch` as failed with `error`.
    func fail(_ batch: ProducerBatch, wasInFlight: Bool, error: KafkaError) {
        let report = { (index: Int) -> KafkaDeliveryReport in
            KafkaDeliveryReport(id: KafkaProducerMessageID(rawValue: batch.ids[index]), topic: batch.topicPartition.topic,
                                partition: batch.topicPartition.partition, offset: nil, timestamp: batch.timestamps[index], error: error)
        }
        logger.debug("batch failed", metadata: ["partition": "\(batch.topicPartition)", "records": "\(batch.recordCount)",
                                                "error": "\(error)"])
        metrics.recordErrors.increment(by: batch.recordCount)
        transactions?.noteFailure(error)
        noteIfFatal(error)
        accumulator.resume(accumulator.failed(batch, wasInFlight: wasInFlight, report: report))
        if let events { events.yield(.deliveryReports((0..<batch.recordCount).map(report))) }
    }

    /// A batch that outlived `delivery.timeout.ms` before it could be sent.
    func expire(_ batch: ProducerBatch) {
        fail(batch, wasInFlight: false, error: KafkaError(.deliveryTimedOut,
                                                          detail: "not sent within delivery.timeout.ms (\(configuration.deliveryTimeout))",
                                                          apiKey: .produce))
    }

    /// Reports records that never reached a batch (unknown topic, invalid partition).
    func failRecords(_ records: [RecordAccumulator.PendingRecord], error: KafkaError) {
        guard !records.isEmpty else { return }
        let reports = records.map { pending in
            KafkaDeliveryReport(id: KafkaProducerMessageID(rawValue: pending.id), topic: pending.record.topic,
                                partition: pending.record.partition ?? -1, offset: nil, timestamp: pending.timestamp, error: error)
        }
        metrics.recordErrors.increment(by: records.count)
        noteIfFatal(error)
        let waiters = accumulator.takeWaiters(for: records.map(\.id))
        accumulator.resume(reports.compactMap { report in waiters[report.id.rawValue].map { ($0, report) } })
        events?.yield(.deliveryReports(reports))
        accumulator.wakeWaitersAfterRemoval()
    }
}
