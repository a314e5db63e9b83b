import KafkaWire

/// A fault the fake cluster injects into the next matching requests: what a real
/// broker does under load, failover or network trouble, on demand.
///
/// A fault aims at a whole API, or at one topic or one partition of it: then only
/// requests naming that topic (partition) match, and an `.error` is answered for
/// that topic's (partition's) entries alone while the rest of the request is
/// handled as usual:
///
/// ```swift
/// // The next three produce requests that carry partition 2 of "orders" get
/// // NOT_LEADER_OR_FOLLOWER for it; their other partitions are written.
/// cluster.inject(FakeClusterFault(.error(.notLeaderOrFollower), on: .produce, topic: "orders", partition: 2, times: 3))
/// ```
///
/// Each request takes the first fault that matches it, in the order they were
/// injected; when that is an error aimed at a topic or partition, every other such
/// error fault the request matches applies too (each to its own target).
/// Topic-aimed faults match Produce, Fetch, ListOffsets, OffsetForLeaderEpoch,
/// DeleteRecords, Metadata, OffsetCommit, TxnOffsetCommit and AddPartitionsToTxn.
public struct FakeClusterFault: Sendable {
    /// What happens to a matching request.
    public enum Action: Sendable, Equatable {
        /// Answer with this error code: in every partition or at the top level, as the
        /// API has it; with a topic or partition target, in that target's entries only.
        case error(KafkaErrorCode)
        /// Handle the request and answer with this throttle time (KIP-219: the client must back off).
        case throttle(milliseconds: Int32)
        /// Close the connection without handling the request.
        case disconnectBeforeHandling
        /// Handle the request, then close the connection instead of answering: the
        /// effect happened but the client can't know (a retry must not duplicate it).
        case disconnectAfterHandling
        /// Hold the answer back this long.
        case delay(Duration)
    }

    /// The API whose requests are affected.
    public var apiKey: ApiKey
    /// Only requests to this broker; nil for any.
    public var broker: Int32?
    /// Only requests naming this topic; nil for any request of the API.
    public var topic: String?
    /// With `topic`: only requests naming this partition of it; nil for any partition.
    public var partition: Int32?
    /// What happens to a matching request.
    public var action: Action
    /// How many matching requests are affected.
    public var times: Int

    /// A fault for the next `times` requests of `apiKey` (to `broker`, when given).
    public init(_ action: Action, on apiKey: ApiKey, broker: Int32? = nil, times: Int = 1) {
        self.action = action
        self.apiKey = apiKey
        self.broker = broker
        self.times = times
    }

    /// A fault for the next `times` requests of `apiKey` that name `topic` (and
    /// `partition`, when given); an `.error` is answered for that target only.
    public init(_ action: Action, on apiKey: ApiKey, topic: String, partition: Int32? = nil, broker: Int32? = nil, times: Int = 1) {
        self.init(action, on: apiKey, broker: broker, times: times)
        self.topic = topic
        self.partition = partition
    }

    /// Whether the fault is aimed at a topic or partition inside requests.
    var isTargeted: Bool { topic != nil }

    /// The error of an `.error` fault aimed at a topic or partition.
    var targetedError: KafkaErrorCode? {
        guard isTargeted, case .error(let code) = action else { return nil }
        return code
    }
}

/// A topic (every partition, when `partition` is nil) or one partition that an injected error is aimed at.
struct FaultTarget: Hashable, Sendable {
    let topic: String
    let partition: Int32?
}

/// One request the fake cluster received: which broker, which API and version, and when.
public struct FakeClusterRequest: Sendable, Hashable {
    /// The broker that received the request.
    public let broker: Int32
    /// The request's API.
    public let apiKey: ApiKey
    /// The request's version.
    public let version: Int16
    /// When it arrived.
    public let receivedAt: ContinuousClock.Instant
}
