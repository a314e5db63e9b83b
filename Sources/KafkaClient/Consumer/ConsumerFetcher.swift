import KafkaWire
import Logging
import Synchronization

/// The consumer's background loop: resolves start offsets, keeps one Fetch
/// request in flight per leader broker while the prefetch buffer has room, and
/// decodes responses on the connection's thread into chunks for the application.
final class ConsumerFetcher: Sendable {
    let configuration: KafkaConsumer.Configuration
    let cluster: KafkaCluster
    let shared: ConsumerState
    let logger: Logger
    let leaders = VisibleLock<[TopicPartition: Int32]>([:])
    /// Each partition's leader epoch from the latest metadata.
    let leaderEpochs = VisibleLock<[TopicPartition: Int32]>([:])
    /// Replicas the leaders pointed us to (KIP-392, with `clientRack`).
    let readReplicas = VisibleLock(PreferredReadReplicas())
    /// Each broker's incremental fetch session (KIP-227).
    let sessions = VisibleLock<[Int32: FetchSession]>([:])
    let metadataDirty = Atomic<Bool>(true)
    let stopping = Atomic<Bool>(false)
    let metrics: ConsumerMetrics

    init(configuration: KafkaConsumer.Configuration, cluster: KafkaCluster, shared: ConsumerState, logger: Logger) {
        self.configuration = configuration
        self.cluster = cluster
        self.shared = shared
        self.logger = logger
        metrics = ConsumerMetrics(clientId: configuration.cluster.connection.clientId)
    }

    func run() async {
        var random = SplitMix.seeded()
        var failures = 0
        var retryAt = ContinuousClock.now
        while !stopping.load(ordering: .acquiring) {
            if ContinuousClock.now >= retryAt {
                if let setback = await prepareFetching() {
                    failures += 1
                    metadataDirty.store(true, ordering: .releasing)
                    shared.report(setback)
                    logger.debug("consumer fetcher setback", metadata: ["error": "\(setback)"])
                    retryAt = .now + ReconnectBackoff(base: .milliseconds(100), maximum: .seconds(2)).delay(afterFailures: failures, using: &random)
                } else {
                    failures = 0
                }
            }
            // Partitions that are ready are fetched whatever went wrong for others: one
            // partition's failing offset lookup must not stop every partition (Java's
            // fetcher, too, fetches what it can while others reset or validate).
            await sendFetches()
            var deadline = ContinuousClock.now.advanced(by: .milliseconds(200))
            if retryAt > .now { deadline = min(deadline, retryAt) }
            await shared.wakeup.wait(until: deadline)
        }
    }

    /// Refreshes leaders when needed, then resolves start offsets and validates
    /// positions for every partition it can; returns the first setback, if any.
    func prepareFetching() async -> KafkaError? {
        var setback: KafkaError?
        if metadataDirty.exchange(false, ordering: .acquiringAndReleasing) {
            do throws(KafkaError) { try await refreshLeaders() } catch { setback = error }
        }
        if let error = await resolveCommittedStarts() { setback = setback ?? error }
        if let error = await resolveStartOffsets() { setback = setback ?? error }
        if let error = await validatePositions() { setback = setback ?? error }
        return setback
    }

    // MARK: Metadata and start offsets

    func refreshLeaders() async throws(KafkaError) {
        let topics = Array(Set(shared.state.withLock { $0.partitions.keys.map(\.topic) }))
        guard !topics.isEmpty else { return }
        let metadata = try await cluster.refreshMetadata(topics: topics)
        var map: [TopicPartition: Int32] = [:]
        var epochs: [TopicPartition: Int32] = [:]
        for name in topics {
            guard let topic = metadata.topics[name] else { continue }
            switch topic.error {
            case .unknownTopicOrPartition:
                shared.report(KafkaError.broker(.unknownTopicOrPartition, apiKey: .metadata, message: "topic \(name) does not exist"))
            case .topicAuthorizationFailed, .invalidTopicException:
                // Without this the partitions just never had a leader: a denied topic read as silence.
                shared.report(KafkaError.broker(topic.error, apiKey: .metadata, message: "topic \(name): \(topic.error.message)"))
            default:
                break
            }
            for partition in topic.partitions {
                let key = TopicPartition(topic: name, partition: partition.partition)
                if partition.leaderId >= 0 { map[key] = partition.leaderId }
                // Kept while the leader is unknown (-1) too: the next leader's epoch is
                // compared with it, so the position is validated after the election.
                if partition.leaderEpoch >= 0 { epochs[key] = partition.leaderEpoch }
            }
        }
        leaders.withLock { $0 = map }
        let previous = leaderEpochs.withLock { known in
            defer { known.merge(epochs) { _, new in new } }
            return known
        }
        // A newer leader epoch: positions reached under the old leader are checked first.
        shared.state.withLock { state in
            for (key, epoch) in epochs where epoch > (previous[key] ?? epoch) {
                if state.partitions[key]?.lastFetchedEpoch ?? -1 >= 0 { state.partitions[key]?.awaitsValidation = true }
            }
        }
    }

    /// ListOffsets for partitions assigned at earliest, latest or a timestamp. A
    /// partition's error leaves that partition pending and the others resolved;
    /// returns the first error.
    func resolveStartOffsets() async -> KafkaError? {
        let pending = shared.state.withLock { state in
            state.partitions.compactMap { key, value in
                value.pendingStart.flatMap { $0 == .committed ? nil : (key, $0, value.generation) }
            }
        }
        guard !pending.isEmpty else { return nil }
        var setback: KafkaError?
        let leaderMap = leaders.withLock { $0 }
        var byBroker: [Int32: [(TopicPartition, KafkaConsumerStartOffset, UInt64)]] = [:]
        for entry in pending {
            guard let leader = leaderMap[entry.0] else {
                metadataDirty.store(true, ordering: .releasing)
                continue
            }
            byBroker[leader, default: []].append(entry)
        }
        for (broker, entries) in byBroker {
            var request = ListOffsetsRequest()
            request.replicaId = -1
            request.isolationLevel = configuration.isolationLevel.rawValue
            request.topics = Dictionary(grouping: entries, by: { $0.0.topic }).map { topic, items in
                ListOffsetsRequest.ListOffsetsTopic(name: topic, partitions: items.map { item in
                    var partition = ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition()
                    partition.partitionIndex = item.0.partition
                    switch item.1 {
                    case .earliest: partition.timestamp = -2
                    case .latest: partition.timestamp = -1
                    case .timestamp(let milliseconds): partition.timestamp = milliseconds
                    case .offset(let offset): partition.timestamp = offset  // not reached: exact offsets need no lookup
                    case .committed: partition.timestamp = -1  // not reached: resolved by OffsetFetch
                    }
                    return partition
                })
            }
            let response: ListOffsetsResponse
            do throws(KafkaError) {
                response = try await cluster.send(request, to: .broker(broker))
            } catch {
                setback = setback ?? error
                continue
            }
            var resolved: [TopicPartition: Int64] = [:]
            for topic in response.topics {
                for partition in topic.partitions {
                    let key = TopicPartition(topic: topic.name, partition: partition.partitionIndex)
                    let code = KafkaErrorCode(partition.errorCode)
                    guard !code.isError else {
                        if code.isRetriable { metadataDirty.store(true, ordering: .releasing) }
                        setback = setback ?? KafkaError.broker(code, apiKey: .listOffsets, message: "\(key): \(code.message)", brokerId: broker)
                        continue
                    }
                    // -1 for a timestamp past the last record: start at the end.
                    resolved[key] = partition.offset
                }
            }
            let needEnd = resolved.filter { $0.value < 0 }.map(\.key)
            shared.state.withLock { state in
                for (key, _, generation) in entries {
                    guard let offset = resolved[key], offset >= 0, state.partitions[key]?.generation == generation else { continue }
                    state.partitions[key]?.fetchOffset = offset
                    state.partitions[key]?.position = offset
                    state.partitions[key]?.pendingStart = nil
                }
                for key in needEnd where state.partitions[key]?.pendingStart != nil {
                    state.partitions[key]?.pendingStart = .latest
                }
            }
        }
        return setback
    }

    // MARK: Fetching

    /// One Fetch per broker for its fetchable partitions: the leader's, or the replica it pointed to.
    func sendFetches() async {
        guard shared.hasRoom else { return }
        let leaderMap = leaders.withLock { $0 }
        let replicas = readReplicas.withLock { $0 }
        let now = ContinuousClock.now
        let ready: [Int32: [(TopicPartition, Int64, UInt64)]] = shared.state.withLock { state in
            var byBroker: [Int32: [(TopicPartition, Int64, UInt64)]] = [:]
            for (key, partition) in state.partitions where !partition.isPaused && !partition.awaitsSeek && !partition.isFetching && !partition.awaitsValidation {
                guard let offset = partition.fetchOffset, let leader = leaderMap[key] else { continue }
                byBroker[replicas.broker(for: key, leader: leader, now: now), default: []].append((key, offset, partition.generation))
            }
            for entries in byBroker.values { for entry in entries { state.partitions[entry.0]?.isFetching = true } }
            return byBroker
        }
        let epochs = leaderEpochs.withLock { $0 }
        for (broker, entries) in ready {
            // One request per session at a time: partitions that turn up meanwhile wait for the next round.
            let plan = sessions.withLock { sessions -> FetchSession.Plan? in
                guard sessions[broker]?.isInFlight != true else { return nil }
                return sessions[broker, default: FetchSession()].plan(Dictionary(entries.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first }),
                                                                      leaderEpochs: epochs)
            }
            guard let plan else {
                release(entries.map(\.0))
                continue
            }
            let connection: BrokerConnection
            do {
                connection = try await cluster.connection(toBroker: broker)
            } catch {
                sessions.withLock { $0[broker]?.reset() }
                readReplicas.withLock { $0.forget(broker: broker) }
                release(entries.map(\.0))
                metadataDirty.store(true, ordering: .releasing)
                shared.report(error)
                continue
            }
            let request = fetchRequest(for: plan)
            let timeout = configuration.fetchMaxWait + configuration.cluster.connection.requestTimeout
            let sentAt = ContinuousClock.now
            connection.submit(request, timeout: timeout, versionCeiling: 12) { [self] result in
                let elapsed = sentAt.duration(to: .now)
                metrics.fetchLatency.recordNanoseconds(elapsed.wholeNanoseconds)
                handle(result, entries: entries, broker: broker, connection: connection)
            }
        }
    }

    func fetchRequest(for plan: FetchSession.Plan) -> FetchRequest {
        var request = FetchRequest()
        request.replicaId = -1
        request.maxWaitMs = configuration.fetchMaxWait.int32MillisecondsRoundedUp
        request.minBytes = configuration.fetchMinBytes
        request.maxBytes = configuration.fetchMaxBytes
        request.isolationLevel = configuration.isolationLevel.rawValue
        request.rackId = configuration.clientRack ?? ""
        request.sessionId = plan.sessionId
        request.sessionEpoch = plan.epoch
        request.topics = Dictionary(grouping: plan.partitions, by: \.key.topic).sorted { $0.key < $1.key }.map { topic, items in
            FetchRequest.FetchTopic(topic: topic, partitions: items.map { item in
                var partition = FetchRequest.FetchTopic.FetchPartition()
                partition.partition = item.key.partition
                partition.fetchOffset = item.value
                // Fetch v9+: a stale epoch gets FENCED_LEADER_EPOCH instead of records from a deposed leader.
                partition.currentLeaderEpoch = plan.leaderEpochs[item.key] ?? -1
                partition.partitionMaxBytes = configuration.maxPartitionFetchBytes
                return partition
            })
        }
        request.forgottenTopicsData = Dictionary(grouping: plan.forgotten, by: \.topic).sorted { $0.key < $1.key }.map { topic, items in
            FetchRequest.ForgottenTopic(topic: topic, partitions: items.map(\.partition))
        }
        return request
    }

    /// Marks partitions as no longer being fetched.
    func release(_ partitions: [TopicPartition]) {
        shared.state.withLock { state in
            for key in partitions { state.partitions[key]?.isFetching = false }
        }
    }
}
