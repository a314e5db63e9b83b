import KafkaWire

/// After a partition's leader changes, its position is checked against the new
/// leader's log (KIP-320): OffsetForLeaderEpoch gives the end offset of the epoch
/// of the last fetched batch; a position past it means the log was truncated
/// (an unclean leader election lost records the consumer had read).
enum LeaderEpochValidation {
    enum Outcome: Equatable {
        /// The position is in the log: fetching goes on.
        case valid
        /// The log ends before the position: restart at `endOffset`.
        case truncated(endOffset: Int64)
        /// Stale metadata or a leader in transition: refresh and ask again.
        case retry
        /// The broker could not answer; carry on unvalidated (the error is reported).
        case failed(KafkaErrorCode)
    }

    /// What one partition's answer means for a consumer positioned at `fetchOffset`.
    static func outcome(_ answer: OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult.EpochEndOffset, fetchOffset: Int64) -> Outcome {
        let code = KafkaErrorCode(answer.errorCode)
        switch code {
        case .noError:
            // -1: the broker knows no such epoch (the log before it was deleted); nothing to compare.
            guard answer.endOffset >= 0, answer.leaderEpoch >= 0 else { return .valid }
            return answer.endOffset < fetchOffset ? .truncated(endOffset: answer.endOffset) : .valid
        case .fencedLeaderEpoch, .unknownLeaderEpoch, .notLeaderOrFollower, .leaderNotAvailable, .unknownTopicOrPartition:
            return .retry
        default:
            return .failed(code)
        }
    }
}

extension ConsumerFetcher {
    /// Sends OffsetForLeaderEpoch for partitions whose leader changed, per leader,
    /// and applies the outcomes. A broker without the API leaves positions as they
    /// are; a broker that cannot be reached leaves its partitions waiting, and the
    /// first such error is returned.
    func validatePositions() async -> KafkaError? {
        let leaderMap = leaders.withLock { $0 }
        let epochs = leaderEpochs.withLock { $0 }
        let waiting = shared.state.withLock { state in
            state.partitions.compactMap { key, value -> (TopicPartition, Int64, Int32, UInt64)? in
                guard value.awaitsValidation, let offset = value.fetchOffset else { return nil }
                return (key, offset, value.lastFetchedEpoch, value.generation)
            }
        }
        guard !waiting.isEmpty else { return nil }
        var setback: KafkaError?
        for (broker, entries) in Dictionary(grouping: waiting, by: { leaderMap[$0.0] ?? -1 }) where broker >= 0 {
            var request = OffsetForLeaderEpochRequest()
            request.replicaId = -1
            request.topics = Dictionary(grouping: entries, by: \.0.topic).sorted { $0.key < $1.key }.map { topic, items in
                OffsetForLeaderEpochRequest.OffsetForLeaderTopic(topic: topic, partitions: items.map { item in
                    OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition(
                        partition: item.0.partition, currentLeaderEpoch: epochs[item.0] ?? -1, leaderEpoch: item.2)
                })
            }
            let response: OffsetForLeaderEpochResponse
            do {
                response = try await cluster.send(request, to: .broker(broker))
            } catch where error.code == .apiNotSupported || error.code == .unsupportedVersion {
                logger.debug("broker cannot validate positions (no OffsetForLeaderEpoch)", metadata: ["broker": "\(broker)"])
                finishValidation(entries.map { ($0.0, $0.3) })
                continue
            } catch {
                setback = setback ?? error
                continue
            }
            let asked = Dictionary(entries.map { ($0.0, $0) }, uniquingKeysWith: { first, _ in first })
            for topic in response.topics {
                for answer in topic.partitions {
                    let key = TopicPartition(topic: topic.topic, partition: answer.partition)
                    guard let entry = asked[key] else { continue }
                    apply(LeaderEpochValidation.outcome(answer, fetchOffset: entry.1), to: key, generation: entry.3, broker: broker)
                }
            }
        }
        return setback
    }

    private func apply(_ outcome: LeaderEpochValidation.Outcome, to key: TopicPartition, generation: UInt64, broker: Int32) {
        switch outcome {
        case .valid:
            finishValidation([(key, generation)])
        case .retry:
            metadataDirty.store(true, ordering: .releasing)
        case .failed(let code):
            shared.report(KafkaError.broker(code, apiKey: .offsetForLeaderEpoch, message: "\(key): \(code.message)", brokerId: broker))
            finishValidation([(key, generation)])
        case .truncated(let endOffset):
            let resets = configuration.autoOffsetReset != .error
            shared.state.withLock { state in
                guard state.partitions[key]?.generation == generation else { return }
                state.partitions[key]?.awaitsValidation = false
                // Records fetched from past the truncation are no longer in the log: a new
                // generation drops those buffered and stops the chunk in hand, as a seek does.
                state.partitions[key]?.generation = state.nextGeneration
                state.nextGeneration += 1
                shared.invalidateCurrentChunk(ifIn: [key])
                if resets {
                    state.partitions[key]?.fetchOffset = endOffset
                    state.partitions[key]?.position = endOffset
                } else {
                    state.partitions[key]?.awaitsSeek = true
                }
            }
            let truncated = KafkaError(.logTruncated, detail: "\(key): the new leader's log ends at \(endOffset), before the position; "
                                     + (resets ? "restarting there" : "partition paused (auto.offset.reset=error)"),
                                     apiKey: .offsetForLeaderEpoch, brokerId: broker)
            if resets { shared.report(truncated) } else { shared.failPartition(key, truncated) }
        }
    }

    private func finishValidation(_ partitions: [(TopicPartition, UInt64)]) {
        shared.state.withLock { state in
            for (key, generation) in partitions where state.partitions[key]?.generation == generation {
                state.partitions[key]?.awaitsValidation = false
            }
        }
    }
}
