import KafkaWire

/// Fetch responses, handled on the connection's thread: decode, filter, advance
/// the fetch position, and hand chunks to the application.
extension ConsumerFetcher {
    func handle(_ result: Result<ResponseFrame?, KafkaError>, entries: [(TopicPartition, Int64, UInt64)], broker: Int32,
                connection: BrokerConnection? = nil) {
        defer {
            release(entries.map(\.0))
            shared.wakeup.signal()
        }
        let response: FetchResponse
        let version: Int16
        do throws(KafkaError) {
            guard let frame = try result.get() else {
                sessions.withLock { $0[broker]?.reset() }
                return
            }
            version = frame.version
            do {
                response = try FetchResponse.decodeFrame(frame.bytes, version: frame.version, allowingTrailingBytes: true).body
            } catch {
                throw KafkaError(.protocolViolation, detail: "undecodable Fetch response: \(error)", apiKey: .fetch, brokerId: broker)
            }
        } catch {
            sessions.withLock { $0[broker]?.reset() }
            // A replica that failed a request gives its partitions back to their leaders.
            readReplicas.withLock { $0.forget(broker: broker) }
            metadataDirty.store(true, ordering: .releasing)
            shared.report(error)
            return
        }
        connection?.holdBack(throttleTimeMs: response.throttleTimeMs, apiKey: .fetch, version: version)
        let requested = Dictionary(entries.map { ($0.0, (offset: $0.1, generation: $0.2)) }, uniquingKeysWith: { first, _ in first })
        let topLevel = KafkaErrorCode(response.errorCode)
        if topLevel.isError { connection?.metrics.recordError(.fetch, topLevel) }
        sessions.withLock { $0[broker]?.received(errorCode: topLevel, sessionId: response.sessionId) }
        if topLevel == .fetchSessionIdNotFound || topLevel == .invalidFetchSessionEpoch {
            // The broker evicted or lost our session; the next fetch starts a new one.
            logger.debug("fetch session reset", metadata: ["broker": "\(broker)", "error": "\(topLevel)"])
            return
        }
        if topLevel.isError {
            shared.report(KafkaError.broker(topLevel, apiKey: .fetch, brokerId: broker))
            return
        }
        for topic in response.responses {
            for data in topic.partitions {
                let key = TopicPartition(topic: topic.topic, partition: data.partitionIndex)
                guard let request = requested[key] else { continue }
                if data.errorCode != 0 { connection?.metrics.recordError(.fetch, KafkaErrorCode(data.errorCode)) }
                handlePartition(data, key: key, fetchedFrom: request.offset, generation: request.generation, broker: broker)
            }
        }
    }

    private func handlePartition(_ data: FetchResponse.FetchableTopicResponse.PartitionData, key: TopicPartition, fetchedFrom offset: Int64,
                                 generation: UInt64, broker: Int32) {
        let code = KafkaErrorCode(data.errorCode)
        if followReadReplica(data.preferredReadReplica, errorCode: code, key: key, broker: broker) { return }
        switch code {
        case .noError:
            break
        case .offsetOutOfRange:
            outOfRange(key, offset: offset, generation: generation)
            return
        default:
            if code.isRetriable { metadataDirty.store(true, ordering: .releasing) }
            shared.report(KafkaError.broker(code, apiKey: .fetch, message: "\(key): \(code.message)", brokerId: broker))
            return
        }
        let batches: [RecordBatch]
        do {
            let options = RecordDecodingOptions(decompressedSizeLimit: configuration.maxDecompressedBatchSize,
                                                verifyChecksums: configuration.checkCRCs)
            batches = try RecordBatchDecoder.decodeAll(data.records ?? [], options: options)
        } catch {
            // A corrupt batch: report it and stop fetching the partition until the application seeks past it.
            shared.report(KafkaError(.protocolViolation, detail: "\(key) at offset \(offset): \(error)", apiKey: .fetch, brokerId: broker))
            shared.state.withLock { state in
                if state.partitions[key]?.generation == generation { state.partitions[key]?.awaitsSeek = true }
            }
            return
        }
        let aborted = (data.abortedTransactions ?? []).map {
            FetchedRecordFilter.AbortedTransaction(producerId: $0.producerId, firstOffset: $0.firstOffset)
        }
        let (selections, nextOffset) = FetchedRecordFilter.select(batches, from: offset, isolation: configuration.isolationLevel,
                                                                  abortedTransactions: aborted)
        let advanced: Bool = shared.state.withLock { state in
            guard state.partitions[key]?.generation == generation else { return false }
            state.partitions[key]?.highWatermark = data.highWatermark
            state.partitions[key]?.lastStableOffset = data.lastStableOffset
            if nextOffset > offset { state.partitions[key]?.fetchOffset = nextOffset }
            if let epoch = batches.last?.partitionLeaderEpoch, epoch >= 0 { state.partitions[key]?.lastFetchedEpoch = epoch }
            return true
        }
        guard advanced else { return }
        if data.highWatermark >= 0 { metrics.recordLag(max(0, data.highWatermark - nextOffset), topic: key.topic, partition: key.partition) }
        // A fetch of only control records (a transaction marker) or aborted ones still
        // moves the position on, through an empty chunk in line with the others, so the
        // position and lag reach the end of the log as the Java consumer's do.
        guard !selections.isEmpty || nextOffset > offset else { return }
        metrics.recordsFetched.increment(by: selections.reduce(0) { $0 + $1.records.count })
        metrics.bytesFetched.increment(by: data.records?.count ?? 0)
        shared.deliver(FetchedChunk(topicPartition: key, generation: generation, selections: selections,
                                    bytes: FetchedChunk.heldBytes(wireBytes: data.records?.count ?? 0, batches: batches), nextOffset: nextOffset))
    }

    /// OFFSET_OUT_OF_RANGE: restart per `auto.offset.reset`, or report and pause.
    private func outOfRange(_ key: TopicPartition, offset: Int64, generation: UInt64) {
        let policy = configuration.autoOffsetReset
        shared.state.withLock { state in
            guard state.partitions[key]?.generation == generation else { return }
            switch policy {
            case .earliest: state.partitions[key]?.pendingStart = .earliest
            case .latest: state.partitions[key]?.pendingStart = .latest
            case .error: state.partitions[key]?.awaitsSeek = true
            }
            state.partitions[key]?.fetchOffset = nil
        }
        let error = KafkaError.broker(.offsetOutOfRange, apiKey: .fetch, message: "\(key): offset \(offset) is out of range; "
                                      + (policy == .error ? "partition paused (auto.offset.reset=error)" : "resetting to \(policy)"))
        if policy == .error { shared.failPartition(key, error) } else { shared.report(error) }
        logger.debug("offset out of range", metadata: ["partition": "\(key)", "offset": "\(offset)"])
    }
}
