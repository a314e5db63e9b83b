import KafkaWire

/// A topic partition as a dictionary key.
struct PartitionKey: Hashable, Sendable {
    let topic: String
    let partition: Int32
}

/// A coordinator's key: groups and transactional ids are found (and moved) apart,
/// as Kafka keeps them in different internal topics.
enum CoordinatorKey: Hashable, Sendable {
    case group(String)
    case transaction(String)

    var name: String {
        switch self {
        case .group(let name), .transaction(let name): name
        }
    }
}

/// Everything the fake cluster knows, changed only under its lock: brokers,
/// topics and their logs, groups, committed offsets, transactions and producer
/// ids, faults to inject and the requests seen.
struct ClusterState: Sendable {
    struct Broker: Sendable {
        let id: Int32
        var port: Int
        var isRunning: Bool
    }

    struct Partition: Sendable {
        var leader: Int32
        var leaderEpoch: Int32 = 0
        var replicas: [Int32]
        var log = PartitionLog()
    }

    struct Topic: Sendable {
        let name: String
        let id: KafkaUUID
        var partitions: [Partition]
    }

    struct CommittedOffset: Sendable, Equatable {
        var offset: Int64
        var leaderEpoch: Int32
        var metadata: String?
    }

    var brokers: [Broker]
    var topics: [String: Topic] = [:]
    var groups: [String: ClassicGroup] = [:]
    var pendingMemberIds: Set<String> = []
    var committed: [String: [PartitionKey: CommittedOffset]] = [:]
    /// Transactional offsets (TxnOffsetCommit) waiting for their transaction to end.
    var pendingOffsets = PendingTransactionalOffsets()
    var coordinatorOverrides: [CoordinatorKey: Int32] = [:]
    /// Transactional ids and producer ids.
    var transactions = TransactionCoordinator()
    var faults: [FakeClusterFault] = []
    var requests: [FakeClusterRequest] = []

    var runningBrokers: [Broker] { brokers.filter(\.isRunning) }

    func broker(_ id: Int32) -> Broker? { brokers.first { $0.id == id } }

    func topicName(for id: KafkaUUID) -> String? { topics.values.first { $0.id == id }?.name }

    // MARK: Topics and leaders

    /// Creates `name` with leaders spread over the running brokers, round-robin from a
    /// per-topic start so topics don't all lead on the first broker.
    mutating func createTopic(_ name: String, partitions: Int, replicationFactor: Int) {
        let running = runningBrokers.map(\.id)
        let start = StableHash.of(name) % max(running.count, 1)
        let copies = max(1, min(replicationFactor, running.count))
        let created = (0 ..< partitions).map { index -> Partition in
            let replicas = (0 ..< copies).map { running.isEmpty ? -1 : running[(start + index + $0) % running.count] }
            return Partition(leader: replicas[0], replicas: replicas)
        }
        topics[name] = Topic(name: name, id: KafkaUUID(high: .random(in: 1 ... .max), low: .random(in: 0 ... .max)), partitions: created)
    }

    /// Makes `broker` lead the partition under a new epoch.
    mutating func moveLeader(_ key: PartitionKey, to broker: Int32) {
        guard var partition = topics[key.topic]?.partitions[Int(key.partition)] else { return }
        partition.leader = broker
        partition.leaderEpoch += 1
        if !partition.replicas.contains(broker) { partition.replicas.append(broker) }
        topics[key.topic]!.partitions[Int(key.partition)] = partition
    }

    /// Moves every partition `broker` leads to another running replica (or any running broker).
    mutating func failOver(from broker: Int32) {
        let running = runningBrokers.map(\.id).filter { $0 != broker }
        guard !running.isEmpty else { return }
        for (name, topic) in topics {
            for (index, partition) in topic.partitions.enumerated() where partition.leader == broker {
                let next = partition.replicas.first { running.contains($0) } ?? running[index % running.count]
                moveLeader(PartitionKey(topic: name, partition: Int32(index)), to: next)
            }
        }
    }

    /// The partition when `broker` leads it, else the error a broker answers with.
    func ledPartition(_ key: PartitionKey, on broker: Int32, currentLeaderEpoch: Int32 = -1) -> Result<Partition, KafkaErrorCode> {
        guard let topic = topics[key.topic], key.partition >= 0, Int(key.partition) < topic.partitions.count else {
            return .failure(.unknownTopicOrPartition)
        }
        let partition = topic.partitions[Int(key.partition)]
        guard partition.leader == broker else { return .failure(.notLeaderOrFollower) }
        if currentLeaderEpoch >= 0 {
            if currentLeaderEpoch < partition.leaderEpoch { return .failure(.fencedLeaderEpoch) }
            if currentLeaderEpoch > partition.leaderEpoch { return .failure(.unknownLeaderEpoch) }
        }
        return .success(partition)
    }

    // MARK: Coordinators

    /// A group's coordinator.
    func coordinator(for group: String) -> Int32? { coordinator(for: .group(group)) }

    /// The group's or transactional id's coordinator: a moved one, else a stable hash
    /// over all brokers, passing to the next running broker while that one is down.
    func coordinator(for key: CoordinatorKey) -> Int32? {
        if let moved = coordinatorOverrides[key], broker(moved)?.isRunning == true { return moved }
        guard !brokers.isEmpty else { return nil }
        let start = StableHash.of(key.name) % brokers.count
        for step in 0 ..< brokers.count where brokers[(start + step) % brokers.count].isRunning {
            return brokers[(start + step) % brokers.count].id
        }
        return nil
    }

    // MARK: Faults

    /// What injected faults do to one request.
    struct InjectedFaults: Sendable, Equatable {
        /// For the whole request.
        var action: FakeClusterFault.Action?
        /// Errors aimed at topics or partitions inside it.
        var targetedErrors: [FaultTarget: KafkaErrorCode] = [:]
    }

    /// Takes the faults for the request in `frame`, each used up by one: the first one
    /// that matches, or, when that is an error aimed at a topic or partition, every such
    /// error fault that matches. The request is decoded only when a topic-aimed fault
    /// is pending for its API.
    mutating func takeFaults(apiKey: ApiKey, broker: Int32, frame: [UInt8]) -> InjectedFaults {
        let candidates = faults.indices.filter { faults[$0].apiKey == apiKey && (faults[$0].broker == nil || faults[$0].broker == broker) }
        guard !candidates.isEmpty else { return InjectedFaults() }
        let named = candidates.contains { faults[$0].isTargeted }
            ? RequestTargets.of(frame, apiKey: apiKey, topicName: { topicName(for: $0) }) : nil
        let matching = candidates.filter { index in
            guard let topic = faults[index].topic else { return true }
            return named?.names(topic: topic, partition: faults[index].partition) ?? false
        }
        guard let first = matching.first else { return InjectedFaults() }
        var result = InjectedFaults()
        var used = [first]
        if faults[first].targetedError != nil {
            used = matching.filter { faults[$0].targetedError != nil }
            for index in used {
                guard let code = faults[index].targetedError, let topic = faults[index].topic else { continue }
                let target = FaultTarget(topic: topic, partition: faults[index].partition)
                if result.targetedErrors[target] == nil { result.targetedErrors[target] = code }
            }
        } else {
            result.action = faults[first].action
        }
        for index in used { faults[index].times -= 1 }
        faults.removeAll { $0.times <= 0 }
        return result
    }
}

/// A hash that is the same in every process (Swift's `Hasher` is seeded per run),
/// so a topic's leaders and a group's coordinator don't change between test runs.
enum StableHash {
    static func of(_ text: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int(hash & 0x7fff_ffff)
    }
}
