import Foundation
import KafkaClient
import KafkaWire
import Synchronization

/// An in-process Kafka cluster for tests: several brokers on loopback ports,
/// speaking the real protocol, with topics, produce and fetch, classic consumer
/// groups (with DescribeGroups and ListGroups), committed offsets, idempotent
/// producers and transactions (v1: markers, last stable offset, read_committed).
///
/// It is a **test double, not a broker**: logs live in memory, replication is
/// perfect and instant, there are no ACLs, configs, fetch sessions, KIP-848
/// groups or transactions v2. What it adds over a real broker is control: inject
/// errors, throttling, delays and disconnects per request, for a whole API or one
/// topic or partition inside it (``inject(_:)``), see and answer each request
/// yourself (``setRequestHook(_:)``), move partition leaders
/// (``moveLeader(topic:partition:to:)``) and coordinators, stop and restart
/// brokers, truncate logs.
///
/// ```swift
/// let cluster = try FakeKafkaCluster(brokers: 3)
/// try cluster.createTopic("orders", partitions: 6)
/// var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
/// cluster.inject(FakeClusterFault(.error(.notLeaderOrFollower), on: .produce, times: 3))
/// ```
public final class FakeKafkaCluster: Sendable {
    /// How the cluster behaves where Kafka has a broker setting for it.
    public struct Configuration: Sendable {
        /// Brokers, with ids 1...brokerCount.
        public var brokerCount = 3
        /// Metadata requests create unknown topics (auto.create.topics.enable).
        public var autoCreateTopics = true
        /// Partitions of an auto-created topic (num.partitions).
        public var defaultPartitions = 1
        /// How long a new group waits for more members (group.initial.rebalance.delay.ms).
        public var initialRebalanceDelay = Duration.milliseconds(100)
        /// The id in metadata responses.
        public var clusterId = "fake-kafka-cluster"
        /// The longest transaction.timeout.ms a transactional producer may ask for
        /// (transaction.max.timeout.ms); longer gets INVALID_TRANSACTION_TIMEOUT.
        public var maxTransactionTimeout = Duration.seconds(900)
        /// The largest record batch a partition accepts, in bytes with its log overhead
        /// (message.max.bytes, Kafka's default); a larger one is refused with MESSAGE_TOO_LARGE.
        public var maxMessageBytes = 1_048_588
        /// Each broker's rack (broker.rack), by id, for Metadata and for fetching from the
        /// nearest replica (KIP-392): a Fetch that names a rack is answered by the leader
        /// with a running replica in that rack as the preferred read replica (a rack-aware
        /// replica.selector.class), and such a Fetch is served by followers too.
        public var brokerRacks: [Int32: String] = [:]

        /// The defaults: three brokers, auto-created single-partition topics.
        public init() {}
    }

    let configuration: Configuration
    let state: VisibleLock<ClusterState>
    private let servers = VisibleLock<[Int32: LoopbackServer]>([:])
    let requestHook = VisibleLock<FakeClusterRequestHook?>(nil)
    private let closed = Atomic<Bool>(false)

    /// Starts `configuration.brokerCount` brokers on free loopback ports.
    public init(configuration: Configuration = Configuration()) throws(FakeClusterError) {
        guard configuration.brokerCount > 0 else { throw FakeClusterError("a cluster needs at least one broker") }
        self.configuration = configuration
        let ids = (1 ... configuration.brokerCount).map { Int32($0) }
        var initial = ClusterState(brokers: ids.map { ClusterState.Broker(id: $0, port: 0, isRunning: true) })
        initial.transactions = TransactionCoordinator(maxTimeout: configuration.maxTransactionTimeout.inSeconds)
        state = VisibleLock(initial)
        for id in ids { try startServer(broker: id, port: 0) }
        // Weakly held, so a cluster nobody closes still goes away with its last reference.
        Thread.detachNewThread { [weak self] in
            while let cluster = self, !cluster.closed.load(ordering: .relaxed) {
                cluster.tick()
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    /// A cluster of `brokers` brokers, other settings at their defaults.
    public convenience init(brokers: Int) throws(FakeClusterError) {
        var configuration = Configuration()
        configuration.brokerCount = brokers
        try self.init(configuration: configuration)
    }

    deinit { close() }

    /// Stops every broker; the cluster can't be used afterwards.
    public func close() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        let all = servers.withLock { servers in
            defer { servers = [:] }
            return Array(servers.values)
        }
        for server in all { server.close() }
    }

    /// `host:port` of every running broker, for a client's bootstrap servers.
    public var bootstrapServers: [String] {
        state.withLock { $0.runningBrokers.map { "127.0.0.1:\($0.port)" } }
    }

    /// The broker ids, running or not.
    public var brokerIds: [Int32] { state.withLock { $0.brokers.map(\.id) } }

    // MARK: Topics

    /// Creates a topic with leaders spread over the running brokers.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 3) throws(FakeClusterError) {
        if let violation = TopicNameRules.violation(in: name) { throw FakeClusterError(violation) }
        guard partitions > 0 else { throw FakeClusterError("a topic needs at least one partition") }
        let created = state.withLock { state in
            guard state.topics[name] == nil else { return false }
            state.createTopic(name, partitions: partitions, replicationFactor: replicationFactor)
            return true
        }
        guard created else { throw FakeClusterError("topic \(name) already exists") }
    }

    /// The records of a partition, decoded, in offset order (transaction markers
    /// included: ``batches(topic:partition:)`` tells them apart).
    public func records(topic: String, partition: Int32) throws -> [Record] {
        try batches(topic: topic, partition: partition).flatMap(\.records)
    }

    /// The record batches of a partition, decoded, in offset order: with their producer
    /// ids and epochs, transactional flags, and the control batches holding COMMIT and
    /// ABORT markers.
    public func batches(topic: String, partition: Int32) throws -> [RecordBatch] {
        let stored = state.withLock { $0.topics[topic]?.partitions[safe: Int(partition)]?.log.batches.map(\.bytes) ?? [] }
        return try stored.flatMap { bytes in try RecordBatchDecoder.decodeAll(bytes) }
    }

    /// The next offset to be written in a partition (its high watermark: every replica is in sync).
    public func endOffset(topic: String, partition: Int32) -> Int64? {
        state.withLock { $0.topics[topic]?.partitions[safe: Int(partition)]?.log.endOffset }
    }

    /// A partition's last stable offset: where its oldest open transaction begins, or
    /// the end offset when none is open. read_committed consumers read up to it.
    public func lastStableOffset(topic: String, partition: Int32) -> Int64? {
        state.withLock { $0.topics[topic]?.partitions[safe: Int(partition)]?.log.lastStableOffset }
    }

    /// Drops a partition's records from `offset` on and starts a new leader epoch, as an
    /// unclean leader election does: consumers past it must notice (KIP-320).
    public func truncate(topic: String, partition: Int32, to offset: Int64) {
        state.withLock { state in
            guard state.topics[topic]?.partitions[safe: Int(partition)] != nil else { return }
            state.topics[topic]!.partitions[Int(partition)].log.truncate(to: offset)
            let key = PartitionKey(topic: topic, partition: partition)
            state.moveLeader(key, to: state.topics[topic]!.partitions[Int(partition)].leader)
        }
    }

    // MARK: Leaders and coordinators

    /// The broker leading a partition.
    public func leader(topic: String, partition: Int32) -> Int32? {
        state.withLock { $0.topics[topic]?.partitions[safe: Int(partition)]?.leader }
    }

    /// The partition's current leader epoch.
    public func leaderEpoch(topic: String, partition: Int32) -> Int32? {
        state.withLock { $0.topics[topic]?.partitions[safe: Int(partition)]?.leaderEpoch }
    }

    /// Makes `broker` the partition's leader under a new leader epoch; the old leader
    /// answers NOT_LEADER_OR_FOLLOWER from now on.
    public func moveLeader(topic: String, partition: Int32, to broker: Int32) {
        state.withLock { $0.moveLeader(PartitionKey(topic: topic, partition: partition), to: broker) }
    }

    /// The broker coordinating a group (or transactional id).
    public func coordinator(group: String) -> Int32? {
        state.withLock { $0.coordinator(for: group) }
    }

    /// Makes `broker` the group's coordinator; the old one answers NOT_COORDINATOR.
    /// The group's members and offsets move with it, as Kafka loads them from its log.
    public func moveCoordinator(group: String, to broker: Int32) {
        state.withLock { $0.coordinatorOverrides[.group(group)] = broker }
    }

    /// The broker coordinating a transactional id's transactions.
    public func transactionCoordinator(transactionalId: String) -> Int32? {
        state.withLock { $0.coordinator(for: .transaction(transactionalId)) }
    }

    /// Makes `broker` the transactional id's coordinator; the old one answers
    /// NOT_COORDINATOR. The transaction's state moves with it.
    public func moveTransactionCoordinator(transactionalId: String, to broker: Int32) {
        state.withLock { $0.coordinatorOverrides[.transaction(transactionalId)] = broker }
    }

    // MARK: Transactions

    /// The producer id and epoch a transactional id holds now (the epoch grows with
    /// every InitProducerId, and when the coordinator fences a producer).
    public func producerIdentity(transactionalId: String) -> (producerId: Int64, epoch: Int16)? {
        state.withLock { state in state.transactions.transactions[transactionalId].map { ($0.producerId, $0.epoch) } }
    }

    /// The transactional id's state as Kafka names it: "Empty", "Ongoing",
    /// "CompleteCommit" or "CompleteAbort"; nil for an id never initialized.
    public func transactionState(transactionalId: String) -> String? {
        state.withLock { $0.transactions.transactions[transactionalId]?.phase.rawValue }
    }

    // MARK: Brokers

    /// Stops a broker: its port refuses connections, open ones are cut, the partitions
    /// it led move to other brokers under new epochs, and its groups to another coordinator.
    public func stopBroker(_ id: Int32) {
        let server = state.withLock { state -> LoopbackServer? in
            guard let index = state.brokers.firstIndex(where: { $0.id == id }), state.brokers[index].isRunning else { return nil }
            state.brokers[index].isRunning = false
            state.failOver(from: id)
            return servers.withLock { $0.removeValue(forKey: id) }
        }
        server?.close()
    }

    /// Starts a stopped broker on its old port. Leaders don't move back by themselves.
    public func startBroker(_ id: Int32) throws(FakeClusterError) {
        guard let port = state.withLock({ state in state.broker(id).flatMap { $0.isRunning ? nil : $0.port } }) else { return }
        try startServer(broker: id, port: port)
    }

    /// Cuts every open connection to `broker`, or to all brokers; new connections are accepted.
    public func cutConnections(broker: Int32? = nil) {
        let targets = servers.withLock { servers in servers.filter { broker == nil || $0.key == broker }.map(\.value) }
        for server in targets { server.cutConnections() }
    }

    // MARK: Faults and observation

    /// Applies `fault` to the next matching requests, in the order faults were injected.
    public func inject(_ fault: FakeClusterFault) {
        state.withLock { $0.faults.append(fault) }
    }

    /// Injected fault applications not yet used up.
    public var pendingFaults: Int { state.withLock { $0.faults.reduce(0) { $0 + $1.times } } }

    /// Every request received so far, in arrival order.
    public var receivedRequests: [FakeClusterRequest] { state.withLock { $0.requests } }

    /// Sets the closure that sees every request from now on and decides what happens
    /// to it (see ``FakeClusterRequestHook``); nil removes it. It runs before injected
    /// faults, which apply only when it lets the request through (`.proceed`, `.delay`).
    public func setRequestHook(_ hook: FakeClusterRequestHook?) {
        requestHook.withLock { $0 = hook }
    }

    /// The offset a group committed for a partition.
    public func committedOffset(group: String, topic: String, partition: Int32) -> Int64? {
        state.withLock { $0.committed[group]?[PartitionKey(topic: topic, partition: partition)]?.offset }
    }

    /// The group's current generation and member count.
    public func groupState(_ group: String) -> (generation: Int32, members: Int)? {
        state.withLock { state in state.groups[group].map { ($0.generation, $0.members.count) } }
    }

    // MARK: Internals

    private func startServer(broker id: Int32, port: Int) throws(FakeClusterError) {
        let server = try LoopbackServer(port: port) { [weak self] connection in
            self?.serve(connection, broker: id)
        }
        state.withLock { state in
            guard let index = state.brokers.firstIndex(where: { $0.id == id }) else { return }
            state.brokers[index].port = server.port
            state.brokers[index].isRunning = true
        }
        servers.withLock { $0[id] = server }
    }

    /// Completes joins whose time is up, expires silent members and aborts transactions
    /// open past their timeout, as the coordinators' timers do.
    private func tick() {
        let now = Self.now()
        state.withLock { state in
            for name in state.groups.keys { state.groups[name]!.tick(now: now) }
            for expired in state.transactions.abortExpired(now: now) {
                // Encoding a one-record marker batch does not fail; were it to, the
                // transaction's partitions would stay unstable, which tests would see.
                try? state.complete(expired, timestamp: Self.timestamp())
            }
        }
    }

    /// Milliseconds since the Unix epoch, for the markers' timestamps.
    static func timestamp() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func now() -> Double { ProcessInfo.processInfo.systemUptime }

    /// Runs `check` under the lock until it returns a value or `timeout` passes.
    func wait<T>(timeout: Double, _ check: (inout ClusterState, Double) -> T?) -> T? {
        let deadline = Self.now() + timeout
        while true {
            let now = Self.now()
            if let value = state.withLock({ check(&$0, now) }) { return value }
            if now >= deadline || closed.load(ordering: .relaxed) { return nil }
            Thread.sleep(forTimeInterval: 0.002)
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
