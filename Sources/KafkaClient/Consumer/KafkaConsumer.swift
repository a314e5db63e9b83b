import KafkaWire
import Logging
import ServiceLifecycle
import Synchronization

/// Consumes records from assigned partitions.
///
/// ```swift
/// let consumer = try KafkaConsumer(configuration: .init(bootstrapServers: ["localhost:9092"]))
/// consumer.assign([TopicPartition(topic: "orders", partition: 0): .earliest])
/// for try await message in consumer.messages { print(message.offset, message.valueString ?? "") }
/// ```
///
/// Fetching runs ahead of the application up to `maxPrefetchBytes`, one Fetch
/// request in flight per leader broker.
///
/// As a swift-service-lifecycle `Service`, `run()` returns after a graceful shutdown
/// (or the cancellation of its task, or `close()`) has committed (with auto-commit),
/// left the group and closed the consumer, and throws the error that ended
/// consumption, if one did. Calls that wait honour task cancellation: the messages
/// iterator, `commit` and the offset calls throw `KafkaError` with code `.cancelled`.
public final class KafkaConsumer: Sendable, Service {
    /// The settings the consumer was created with.
    public let configuration: Configuration
    /// The cluster client the consumer fetches through.
    package let cluster: KafkaCluster
    let shared: ConsumerState
    let fetcher: ConsumerFetcher
    private let fetcherTask = VisibleLock<Task<Void, Never>?>(nil)
    /// The periodic auto-commit in flight (`autoCommitIfDue`), and whether one runs.
    let periodicCommit = VisibleLock<Task<Void, Never>?>(nil)
    let periodicCommitRunning = Atomic<Bool>(false)
    private let group = VisibleLock<(member: any GroupMembership, task: Task<Void, Never>)?>(nil)
    private let eventStream: AsyncStream<KafkaConsumerEvent>
    private let eventContinuation: AsyncStream<KafkaConsumerEvent>.Continuation
    private let logger: Logger

    /// A consumer for `configuration`; it connects when first used (`subscribe`, `assign` or `run()`).
    ///
    /// - Throws: `.invalidConfiguration` when the settings contradict each other or a bootstrap server is not `host:port`.
    public init(configuration: Configuration, logger: Logger = Logger(label: "swift-kafka-native.consumer")) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        // Rebalances are rare; the newest are kept if nobody reads them.
        (eventStream, eventContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1000))
        cluster = try KafkaCluster(configuration: configuration.cluster, logger: logger)
        shared = ConsumerState(maxPrefetchBytes: max(1, configuration.maxPrefetchBytes), events: eventContinuation)
        fetcher = ConsumerFetcher(configuration: configuration, cluster: cluster, shared: shared, logger: logger)
        let fetcher = self.fetcher
        fetcherTask.withLock { $0 = Task { await fetcher.run() } }
    }

    /// The records of the assigned partitions, in offset order per partition.
    /// Iterate from one task; the sequence ends after `close()`.
    ///
    /// Errors the consumer cannot work through end the sequence with a `KafkaError`:
    /// authentication or authorization failed (`.authenticationFailed`, or a
    /// `brokerErrorCode` such as `TOPIC_AUTHORIZATION_FAILED`), an invalid
    /// configuration, another member holding this one's `group.instance.id`. Every
    /// later iteration throws the same error: close the consumer (`run()` throws it). A partition's error
    /// under `auto.offset.reset=error` (`OFFSET_OUT_OF_RANGE`, also when the group has
    /// no committed offset, or `.logTruncated`) ends one loop with that error: the
    /// partition waits for `seek` while a new loop reads the others, as the Java
    /// consumer's `poll()` throws and goes on. Errors the consumer works through (a
    /// broker down, a leader moving, a commit failing) go to `events` and
    /// `takeErrors()` instead.
    ///
    /// An iteration whose task is cancelled throws `.cancelled` at once; records that
    /// arrive meanwhile stay buffered for the next loop.
    public var messages: KafkaConsumerMessages { KafkaConsumerMessages(shared: shared) }

    /// Rebalances (partitions assigned and revoked) of a group subscription, and
    /// the errors the consumer reports (the newest 1,000 when nobody reads them).
    public var events: AsyncStream<KafkaConsumerEvent> { eventStream }

    func emit(_ event: KafkaConsumerEvent) { eventContinuation.yield(event) }

    /// A group membership or commit error: for `takeErrors()` and the events
    /// sequence; one that ends consumption ends the messages sequence too.
    func report(_ error: KafkaError) {
        shared.report(error)
    }

    /// Joins the consumer group (`groupId`) subscribed to `topics`; the group's
    /// coordinator and leader decide which partitions this consumer reads, and
    /// each starts at the group's committed offset (or `auto.offset.reset`).
    public func subscribe(topics: [String]) throws(KafkaError) {
        guard !topics.isEmpty else { throw KafkaError(.invalidConfiguration, detail: "subscribe needs at least one topic") }
        try join(.topics(topics))
    }

    /// Joins the consumer group subscribed to every topic whose whole name matches
    /// `pattern` (a regular expression, as the Java client's `subscribe(Pattern)`),
    /// internal topics excluded. Topics created or deleted later are noticed within
    /// `metadataMaxAge` (`metadata.max.age.ms`) and rebalance the group.
    public func subscribe(pattern: String) throws(KafkaError) {
        _ = try GroupSubscription.compile(pattern)
        try join(.pattern(pattern))
    }

    private func join(_ subscription: GroupSubscription) throws(KafkaError) {
        guard let groupId = configuration.groupId, !groupId.isEmpty else {
            throw KafkaError(.invalidConfiguration, detail: "subscribing needs group.id")
        }
        let member: any GroupMembership = switch configuration.groupProtocol {
        case .classic: ConsumerGroupMember(groupId: groupId, subscription: subscription, consumer: self, logger: logger)
        case .consumer: ConsumerProtocolMember(groupId: groupId, subscription: subscription, consumer: self, logger: logger)
        }
        try group.withLock { (current) throws(KafkaError) in
            guard current == nil else { throw KafkaError(.invalidConfiguration, detail: "already subscribed") }
            current = (member, Task { await member.run() })
        }
    }

    /// The group generation and member id commits must carry, while subscribed.
    var groupGeneration: ConsumerGroupMember.Generation? {
        group.withLock { $0?.member }?.currentGeneration
    }

    /// Replaces the assignment: these partitions, each starting where given.
    public func assign(_ partitions: [TopicPartition: KafkaConsumerStartOffset]) {
        changeAssignment(adding: partitions) { state in
            let removed = Set(state.partitions.keys)
            state.partitions = [:]
            return removed
        }
    }

    /// Adds `partitions` to the assignment, each starting where given; the other
    /// partitions keep their positions (librdkafka's `incremental_assign`).
    public func incrementalAssign(_ partitions: [TopicPartition: KafkaConsumerStartOffset]) {
        changeAssignment(adding: partitions) { _ in [] }
    }

    /// Removes `partitions` from the assignment; records fetched for them and not
    /// yet delivered are dropped (librdkafka's `incremental_unassign`).
    public func incrementalUnassign(_ partitions: [TopicPartition]) {
        changeAssignment(adding: [:]) { state in
            for key in partitions { state.partitions[key] = nil }
            return Set(partitions)
        }
    }

    /// Removes what `remove` takes out (returning it), then adds `partitions`.
    private func changeAssignment(adding partitions: [TopicPartition: KafkaConsumerStartOffset],
                                  removing remove: (inout ConsumerState.State) -> Set<TopicPartition>) {
        shared.state.withLock { state in
            let removed = remove(&state)
            for (key, start) in partitions {
                var partition = ConsumerPartitionState()
                partition.generation = state.nextGeneration
                state.nextGeneration += 1
                Self.apply(start, to: &partition)
                state.partitions[key] = partition
            }
            shared.invalidateCurrentChunk(ifIn: removed.union(partitions.keys))
            shared.dropPartitionFailures(removed.union(partitions.keys), in: &state)
        }
        fetcher.metadataDirty.store(true, ordering: .releasing)
        shared.wakeup.signal()
    }

    /// Moves `partition`'s position; records fetched before are dropped.
    public func seek(_ partition: TopicPartition, to start: KafkaConsumerStartOffset) throws(KafkaError) {
        try shared.state.withLock { (state) throws(KafkaError) in
            guard state.partitions[partition] != nil else {
                throw KafkaError(.invalidConfiguration, detail: "\(partition) is not assigned")
            }
            state.partitions[partition]!.generation = state.nextGeneration
            state.nextGeneration += 1
            // A seek gives a held partition a position; a paused one stays paused, as in the Java client.
            state.partitions[partition]!.awaitsSeek = false
            Self.apply(start, to: &state.partitions[partition]!)
            shared.invalidateCurrentChunk(ifIn: [partition])
            shared.dropPartitionFailures([partition], in: &state)
        }
        shared.wakeup.signal()
    }

    /// Keeps `partitions` assigned but with no start and no position, held: nothing is
    /// fetched for them until a seek gives them one.
    func holdWithoutPosition(_ partitions: [TopicPartition]) {
        shared.state.withLock { state in
            for key in partitions where state.partitions[key] != nil {
                state.partitions[key]!.generation = state.nextGeneration
                state.nextGeneration += 1
                state.partitions[key]!.awaitsSeek = true
                state.partitions[key]!.pendingStart = nil
                state.partitions[key]!.fetchOffset = nil
                state.partitions[key]!.position = nil
            }
            shared.invalidateCurrentChunk(ifIn: Set(partitions))
        }
    }

    /// Stops fetching `partitions` (records already fetched are still delivered).
    public func pause(_ partitions: [TopicPartition]) {
        shared.state.withLock { state in for key in partitions { state.partitions[key]?.isPaused = true } }
    }

    /// Fetches `partitions` again.
    public func resume(_ partitions: [TopicPartition]) {
        shared.state.withLock { state in for key in partitions { state.partitions[key]?.isPaused = false } }
        shared.wakeup.signal()
    }

    /// The offset of the next record the application will receive from `partition`.
    public func position(_ partition: TopicPartition) -> Int64? {
        shared.position(partition)
    }

    /// The partitions assigned now.
    public var assignment: Set<TopicPartition> { shared.state.withLock { Set($0.partitions.keys) } }

    /// Records between the position and the high watermark of `partition`
    /// (the last stable offset under `read_committed`), from the latest fetch.
    public func lag(_ partition: TopicPartition) -> Int64? {
        shared.state.withLock { state in
            guard let entry = state.partitions[partition], let position = entry.position, entry.highWatermark >= 0 else { return nil }
            let end = configuration.isolationLevel == .readCommitted && entry.lastStableOffset >= 0 ? entry.lastStableOffset : entry.highWatermark
            return max(0, end - position)
        }
    }

    /// Errors since the last call (fetch failures, corrupt batches, out-of-range
    /// resets), the newest 100 when more came.
    public func takeErrors() -> [KafkaError] {
        shared.state.withLock { state in
            defer { state.errors = [] }
            return state.errors
        }
    }

    /// Leaves the consumer group: commits what was consumed (with auto-commit), tells
    /// `onRebalance` and the events sequence that every partition is revoked, sends
    /// LeaveGroup so the group rebalances at once rather than after `session.timeout.ms`,
    /// and stops fetching. Partitions assigned by hand are dropped too, as in the Java client.
    ///
    /// The consumer stays open: `subscribe` or `assign` start reading again, and the
    /// messages sequence waits for them instead of ending. A static member
    /// (`group.instance.id`) keeps its place in the group, as on `close()`.
    public func unsubscribe() async {
        await leaveGroup()
        assign([:])
    }

    /// Revokes, commits and leaves, then forgets the membership (nothing without one).
    private func leaveGroup() async {
        guard let current = group.withLock({ $0 }) else { return }
        // Still a member while leaving, so the final commit carries the generation.
        await current.member.leave()
        current.task.cancel()  // ends a heartbeat wait early
        await current.task.value
        group.withLock { $0 = nil }
    }

    /// Leaves the group (committing first with auto-commit) and stops fetching; the
    /// messages sequence ends and connections close.
    ///
    /// Every call waits for the same close, which runs to its end even when the
    /// calling task is cancelled. A `run()` in progress returns once it is done.
    public func close() async {
        await shared.lifecycle.close { [self] in await finishClosing() }
    }

    private func finishClosing() async {
        await leaveGroup()
        eventContinuation.finish()
        fetcher.stopping.store(true, ordering: .releasing)
        shared.close()
        await fetcherTask.withLock { $0 }?.value
        await cluster.close()
    }

    /// Runs the consumer as a swift-service-lifecycle `Service`: returns after a
    /// graceful shutdown, a `close()` from elsewhere or the cancellation of the task,
    /// once the consumer has committed (with auto-commit), left its group and closed.
    ///
    /// - Throws: the error that ended consumption (see `messages`), after closing the
    ///   consumer, so a `ServiceGroup` shuts the other services down; `.illegalState`
    ///   when `run()` is called a second time.
    public func run() async throws {
        let lifecycle = shared.lifecycle
        try lifecycle.startRun(client: "KafkaConsumer")
        await withGracefulShutdownHandler {
            await lifecycle.waitForEnd()
        } onGracefulShutdown: {
            lifecycle.requestStop()
        }
        await close()
        if let error = lifecycle.fatalError { throw error }
    }

    private static func apply(_ start: KafkaConsumerStartOffset, to partition: inout ConsumerPartitionState) {
        partition.isFetching = false
        partition.positionEpoch = -1
        switch start {
        case .offset(let offset):
            partition.fetchOffset = offset
            partition.position = offset
            partition.pendingStart = nil
        default:
            partition.fetchOffset = nil
            partition.position = nil
            partition.pendingStart = start
        }
    }
}

/// The consumer's records as an `AsyncSequence`.
///
/// Use one loop at a time. A loop left with `break` (or a throw) keeps the rest
/// of the records it had fetched: the next loop starts with them.
public struct KafkaConsumerMessages: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerMessage
    let shared: ConsumerState

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(shared: shared) }

    /// Iterates the consumer's messages; one iterator at a time.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let shared: ConsumerState
        var chunk: FetchedChunk?
        var selection = 0
        var index: Int = 0
        var checkedUnfinished = false
        /// The current selection's records and what its messages share, kept apart from
        /// `chunk` so that a message is built from them without copying a `Record` or a
        /// selection first (each copy retains the key, value and headers).
        var records: ArraySlice<Record> = []
        var timestampType: TimestampType = .createTime
        var leaderEpoch: Int32 = -1
        var topicPartition = TopicPartition(topic: "", partition: -1)

        init(shared: ConsumerState) { self.shared = shared }

        /// The next message, waiting for one to be fetched; nil once the consumer is closed.
        ///
        /// - Throws: a fatal consumer error, such as a fenced static member or `.pollIntervalExceeded`.
        public mutating func next() async throws -> KafkaConsumerMessage? {
            try await next(isolation: nil)
        }

        /// The next message, run in the caller's isolation (what `for try await` calls):
        /// a message already fetched is returned without a hop to another executor.
        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> KafkaConsumerMessage? {
            // Inlined into the caller's loop, so a message already fetched costs a plain call.
            // As an async call every message allocated an async frame and switched executors
            // (about a fifth of the instructions per consumed message).
            if let message = nextFetched() { return message }
            return try await nextWaiting(isolation: actor)
        }

        /// The next message of the chunk in hand, if it has one; never waits.
        @usableFromInline
        mutating func nextFetched() -> KafkaConsumerMessage? {
            if !checkedUnfinished {
                checkedUnfinished = true
                if let unfinished = shared.unfinishedChunk() { resume(unfinished.chunk, after: unfinished.nextOffset) }
            }
            guard hasRecordInChunk() else { return nil }
            let at = index
            index += 1
            let offset = records[at].offset
            shared.currentNextOffset.store(offset + 1, ordering: .relaxed)
            return KafkaConsumerMessage(topic: topicPartition.topic, partition: topicPartition.partition,
                                        offset: offset, key: records[at].key, value: records[at].value,
                                        // Header values stay slices of the fetched buffer; only the array
                                        // is rebuilt (and an empty one allocates nothing).
                                        headers: records[at].headers.map(KafkaHeader.init), timestamp: records[at].timestamp,
                                        timestampType: KafkaTimestampType(timestampType), leaderEpoch: leaderEpoch)
        }

        /// Hands the finished chunk back and waits for the next one, until a message is
        /// there (nil once the consumer is closed).
        @usableFromInline
        mutating func nextWaiting(isolation actor: isolated (any Actor)?) async throws -> KafkaConsumerMessage? {
            while true {
                if let message = nextFetched() { return message }
                let finished = chunk
                chunk = nil
                records = []
                if let finished { shared.iterating(nil, finished: finished) }
                guard let fresh = try await shared.nextChunk() else { return nil }
                shared.iterating(fresh, finished: nil)
                chunk = fresh
                enterSelection(0)
            }
        }

        /// Goes on with a chunk an earlier iterator left, at the first record after `nextOffset` handed out.
        private mutating func resume(_ unfinished: FetchedChunk, after nextOffset: Int64) {
            chunk = unfinished
            enterSelection(0)
            guard nextOffset >= 0 else { return }
            while selection < unfinished.selections.count {
                if let found = records.firstIndex(where: { $0.offset >= nextOffset }) {
                    index = found
                    return
                }
                enterSelection(selection + 1)
            }
        }

        /// Makes selection `number` of the chunk the current one (none past the last).
        private mutating func enterSelection(_ number: Int) {
            selection = number
            guard let chunk, number < chunk.selections.count else {
                records = []
                index = 0
                return
            }
            let current = chunk.selections[number]
            topicPartition = chunk.topicPartition
            records = current.records
            index = records.startIndex
            timestampType = current.timestampType
            leaderEpoch = current.leaderEpoch
        }

        /// True when the current chunk has a record to hand out at `index`, moving on to
        /// its next selection when need be.
        private mutating func hasRecordInChunk() -> Bool {
            // The rest of a chunk is dropped once its partition is seeked or unassigned.
            guard chunk != nil, shared.currentChunkIsValid.load(ordering: .relaxed) else { return false }
            while index >= records.endIndex {
                guard selection + 1 < chunk?.selections.count ?? 0 else { return false }
                enterSelection(selection + 1)
            }
            return true
        }

    }
}
