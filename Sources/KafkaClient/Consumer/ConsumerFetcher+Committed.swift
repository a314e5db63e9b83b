import KafkaWire

/// Start offsets from the group's committed offsets (`KafkaConsumerStartOffset.committed`).
///
/// The lookup belongs to the fetcher, as it does to the Java consumer's poll loop:
/// a failed OffsetFetch leaves the partitions waiting and is retried with backoff,
/// the other partitions are fetched meanwhile, and the group member never holds
/// partitions that nothing will ever fetch.
extension ConsumerFetcher {
    /// OffsetFetch for partitions waiting for their committed offsets; returns the
    /// error that left them waiting, if any.
    func resolveCommittedStarts() async -> KafkaError? {
        let waiting = shared.state.withLock { state in
            state.partitions.compactMap { key, value in value.pendingStart == .committed ? (key, value.generation) : nil }
        }
        guard !waiting.isEmpty else { return nil }
        var committed: [TopicPartition: ConsumedPosition] = [:]
        if let group = configuration.groupId, !group.isEmpty {
            do throws(KafkaError) {
                // Unstable offsets (a transaction still open) are asked again after the
                // loop's backoff, not waited for here: the other partitions fetch meanwhile.
                committed = try await KafkaConsumer.committed(waiting.map(\.0), group: group, cluster: cluster,
                                                              configuration: configuration, waitingForStable: false)
            } catch {
                return error
            }
        }
        let policy = configuration.autoOffsetReset
        var withoutOffset: [TopicPartition] = []
        shared.state.withLock { state in
            for (key, generation) in waiting where state.partitions[key]?.generation == generation
                && state.partitions[key]?.pendingStart == .committed {
                if let start = committed[key] {
                    state.partitions[key]?.fetchOffset = start.offset
                    state.partitions[key]?.position = start.offset
                    state.partitions[key]?.pendingStart = nil
                    // KIP-320: a commit with its leader epoch is checked against the
                    // leader's log before fetching, as the Java client validates a
                    // position restored from a commit: after an unclean election
                    // truncated the log below it, reading goes on from the log's end for
                    // that epoch instead of falling to auto.offset.reset.
                    if start.leaderEpoch >= 0 {
                        state.partitions[key]?.positionEpoch = start.leaderEpoch
                        state.partitions[key]?.lastFetchedEpoch = start.leaderEpoch
                        state.partitions[key]?.awaitsValidation = true
                    }
                    continue
                }
                switch policy {
                case .earliest: state.partitions[key]?.pendingStart = .earliest
                case .latest: state.partitions[key]?.pendingStart = .latest
                case .error:
                    // The Java client's NoOffsetForPartitionException: nothing is read until the application seeks.
                    state.partitions[key]?.pendingStart = nil
                    state.partitions[key]?.awaitsSeek = true
                    withoutOffset.append(key)
                }
            }
        }
        for key in withoutOffset {
            shared.failPartition(key, KafkaError.broker(.offsetOutOfRange, apiKey: .offsetFetch,
                                            message: "\(key) has no committed offset and auto.offset.reset is error; "
                                                + "paused until the application seeks it"))
        }
        return nil
    }
}
