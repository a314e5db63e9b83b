import KafkaWire

/// Committed offsets in the consumer's group (`group.id`), through the group
/// coordinator. Without group membership the commit uses generation -1, as the
/// Java client does for manually assigned consumers.
extension KafkaConsumer {
    /// Commits `offsets` (the next offset to read, per partition), or the
    /// positions of every assigned partition when nil, and waits for the broker.
    ///
    /// Retriable answers (COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR, ...) are
    /// retried, finding the coordinator again when it moved, for up to `request.timeout.ms`,
    /// as the Java client's commitSync does.
    ///
    /// - Throws: `.invalidConfiguration` without `groupId`; the first partition's
    ///   broker error (for example `OFFSET_METADATA_TOO_LARGE`) otherwise.
    public func commit(_ offsets: [TopicPartition: Int64]? = nil) async throws(KafkaError) {
        // Positions the consumer reached go with the leader epoch of the record before
        // them (KIP-320), so a reader after an unclean election can detect truncation.
        try await commit(positions: offsets?.mapValues { ConsumedPosition(offset: $0) }
            ?? Dictionary(uniqueKeysWithValues: assignment.compactMap { key in shared.consumedPosition(key).map { (key, $0) } }))
    }

    /// Commits `positions` and waits for the broker (see `commit(_ offsets:)`).
    func commit(positions toCommit: [TopicPartition: ConsumedPosition]) async throws(KafkaError) {
        let groupId = try requireGroupId()
        guard !toCommit.isEmpty else { return }
        let deadline = ContinuousClock.now.advanced(by: configuration.cluster.connection.requestTimeout)
        while true {
            let generation = groupGeneration
            var request = OffsetCommitRequest(group: groupId, positions: toCommit, generation: generation)
            // A static member names itself (OffsetCommit v7+), so the coordinator can
            // refuse a commit from a process whose group.instance.id was taken over.
            if generation != nil, let instanceId = configuration.groupInstanceId, await offsetCommitVersion(group: groupId) >= 7 {
                request.groupInstanceId = instanceId
            }
            let response: OffsetCommitResponse
            do throws(KafkaError) {
                response = try await cluster.sendToGroupCoordinator(request, group: groupId)
            } catch where error.isRetriable && ContinuousClock.now < deadline {
                // The connection dropped or the coordinator moved: the commit is retried, as commitSync does.
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            let failed = response.topics.lazy.flatMap { topic in
                topic.partitions.lazy.map { (topic.name, $0.partitionIndex, KafkaErrorCode($0.errorCode)) }
            }.first { $0.2.isError }
            guard let (topic, partition, code) = failed else { return }
            guard code.isRetriable, ContinuousClock.now < deadline else {
                throw KafkaError.broker(code, apiKey: .offsetCommit, message: "\(topic)-\(partition): \(code.message)")
            }
            if code == .notCoordinator || code == .coordinatorNotAvailable { await cluster.invalidateCoordinator(group: groupId) }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Commits the offset after `message` (`message.offset + 1`, the next one to read)
    /// for its partition alone, and waits for the broker: what the Java client's
    /// `commitSync` of a record's offset and librdkafka's `commit_message` do.
    ///
    /// - Throws: as `commit(_ offsets:)`.
    public func commit(_ message: KafkaConsumerMessage) async throws(KafkaError) {
        try await commit(positions: [TopicPartition(topic: message.topic, partition: message.partition):
                                        ConsumedPosition(offset: message.offset + 1, leaderEpoch: message.leaderEpoch)])
    }

    /// The group's committed offsets for `partitions` (absent when none is committed).
    ///
    /// Under `read_committed` the request asks for stable offsets (KIP-447): while a
    /// transaction holds offsets for a partition, the broker answers UNSTABLE_OFFSET_COMMIT
    /// and the call waits for it to end (up to `request.timeout.ms`), so a consumer never
    /// starts from offsets whose transaction may still abort.
    public func committed(_ partitions: [TopicPartition]) async throws(KafkaError) -> [TopicPartition: Int64] {
        try await Self.committed(partitions, group: try requireGroupId(), cluster: cluster, configuration: configuration)
            .mapValues(\.offset)
    }

    /// OffsetFetch for `partitions` in `group`, waiting out unstable offsets (see
    /// `committed(_:)`) unless `waitingForStable` is false: then UNSTABLE_OFFSET_COMMIT
    /// is thrown at once, for a caller that retries later and has other work meanwhile.
    static func committed(_ partitions: [TopicPartition], group groupId: String, cluster: KafkaCluster,
                          configuration: Configuration, waitingForStable: Bool = true) async throws(KafkaError) -> [TopicPartition: ConsumedPosition] {
        var request = OffsetFetchRequest()
        request.groupId = groupId
        request.requireStable = configuration.isolationLevel == .readCommitted
        request.topics = Dictionary(grouping: partitions, by: \.topic).map { topic, entries in
            OffsetFetchRequest.OffsetFetchRequestTopic(name: topic, partitionIndexes: entries.map(\.partition))
        }
        let deadline = ContinuousClock.now.advanced(by: configuration.cluster.connection.requestTimeout)
        while true {
            // v8+ batches groups in another shape; one group needs no more than v7.
            let response = try await cluster.sendToGroupCoordinator(request, group: groupId, versionCeiling: 7)
            do throws(KafkaError) {
                return try Self.committedPositions(in: response)
            } catch where error.brokerErrorCode == .unstableOffsetCommit && waitingForStable && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    static func committedOffsets(in response: OffsetFetchResponse) throws(KafkaError) -> [TopicPartition: Int64] {
        try committedPositions(in: response).mapValues(\.offset)
    }

    /// The committed offsets of `response`, each with its leader epoch (-1 when none was committed).
    static func committedPositions(in response: OffsetFetchResponse) throws(KafkaError) -> [TopicPartition: ConsumedPosition] {
        let topLevel = KafkaErrorCode(response.errorCode)
        // A group that does not exist has committed nothing. Kafka answers such a fetch
        // with no offsets; some brokers (kfake, Kafka's new coordinator for a fetch that
        // names a member) answer GROUP_ID_NOT_FOUND, which means the same to a consumer
        // about to choose its start offsets.
        if topLevel == .groupIdNotFound { return [:] }
        guard !topLevel.isError else { throw KafkaError.broker(topLevel, apiKey: .offsetFetch) }
        var result: [TopicPartition: ConsumedPosition] = [:]
        for topic in response.topics {
            for partition in topic.partitions {
                let code = KafkaErrorCode(partition.errorCode)
                if code == .groupIdNotFound { continue }
                guard !code.isError else {
                    throw KafkaError.broker(code, apiKey: .offsetFetch, message: "\(topic.name)-\(partition.partitionIndex): \(code.message)")
                }
                if partition.committedOffset >= 0 {
                    result[TopicPartition(topic: topic.name, partition: partition.partitionIndex)] =
                        ConsumedPosition(offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch)
                }
            }
        }
        return result
    }

    /// Assigns `partitions` starting at the group's committed offsets, or per
    /// `auto.offset.reset` where none is committed; in place of the assignment, or
    /// added to it when `replacing` is false.
    ///
    /// With `auto.offset.reset=error`, a partition with no committed offset is assigned
    /// paused, without a position, and reported as an `OFFSET_OUT_OF_RANGE` error (the
    /// Java client's NoOffsetForPartitionException): nothing is read from it until the
    /// application seeks it.
    public func assignFromCommitted(_ partitions: [TopicPartition], replacing: Bool = true) async throws(KafkaError) {
        let committed = try await committed(partitions)
        let fallback: KafkaConsumerStartOffset = configuration.autoOffsetReset == .earliest ? .earliest : .latest
        let starts = Dictionary(uniqueKeysWithValues: partitions.map { ($0, committed[$0].map { .offset($0) } ?? fallback) })
        if replacing { assign(starts) } else { incrementalAssign(starts) }
        guard configuration.autoOffsetReset == .error else { return }
        let withoutOffset = partitions.filter { committed[$0] == nil }
        guard !withoutOffset.isEmpty else { return }
        holdWithoutPosition(withoutOffset)
        for partition in withoutOffset {
            shared.failPartition(partition, KafkaError.broker(.offsetOutOfRange, apiKey: .offsetFetch,
                                     message: "\(partition) has no committed offset and auto.offset.reset is error; "
                                         + "paused until the application seeks it"))
        }
    }

    /// Auto-commit (`enable.auto.commit`) of `offsets`, or of every finished position when
    /// nil (never past a record the application still holds): a failure is counted and
    /// reported as an event instead of thrown, and the next auto-commit tries again.
    func autoCommit(_ positions: [TopicPartition: ConsumedPosition]? = nil) async {
        guard configuration.enableAutoCommit else { return }
        do {
            try await commit(positions: positions ?? finishedPositions(assignment))
        } catch {
            fetcher.metrics.commitFailures.increment()
            report(error)
        }
    }

    /// Starts an auto-commit of every finished position when `autoCommitInterval` has
    /// passed since `last`, in a task of its own: a slow or retried commit must not hold
    /// up the heartbeats that keep the member in its group (the Java consumer commits
    /// asynchronously while its heartbeat thread goes on). One at a time; a revoke
    /// waits for it (`finishPeriodicCommit`) so no older commit can land after its own.
    func autoCommitIfDue(since last: inout ContinuousClock.Instant) {
        guard configuration.enableAutoCommit, last.duration(to: .now) >= configuration.autoCommitInterval else { return }
        last = .now
        guard !periodicCommitRunning.exchange(true, ordering: .acquiringAndReleasing) else { return }
        periodicCommit.withLock { task in
            task = Task {
                defer { periodicCommitRunning.store(false, ordering: .releasing) }
                await autoCommit()
            }
        }
    }

    /// Waits for a periodic auto-commit in flight, if any.
    func finishPeriodicCommit() async {
        await periodicCommit.withLock { $0 }?.value
    }

    /// What the application has finished with in `partitions` (`ConsumerState.finishedPosition`).
    func finishedPositions(_ partitions: some Sequence<TopicPartition>) -> [TopicPartition: ConsumedPosition] {
        Dictionary(uniqueKeysWithValues: partitions.compactMap { key in shared.finishedPosition(key).map { (key, $0) } })
    }

    /// The OffsetCommit version the group's coordinator takes (0 when it cannot be reached now).
    private func offsetCommitVersion(group: String) async -> Int16 {
        do throws(KafkaError) {
            return try await cluster.connection(for: .groupCoordinator(group)).apiVersions().version(for: OffsetCommitRequest.self)
        } catch {
            return 0
        }
    }

    private func requireGroupId() throws(KafkaError) -> String {
        guard let groupId = configuration.groupId, !groupId.isEmpty else {
            throw KafkaError(.invalidConfiguration, detail: "committing offsets needs group.id")
        }
        return groupId
    }
}
