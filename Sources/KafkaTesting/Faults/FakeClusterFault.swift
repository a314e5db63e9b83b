import KafkaWire

/// A fault the fake cluster injects into the next matching requests: what a real
/// broker does under load, failover or network trouble, on demand.
public struct FakeClusterFault: Sendable {
    /// What happens to a matching request.
    public enum Action: Sendable, Equatable {
        /// Answer with this error code (in every partition or at the top level, as the API has it).
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
    public var action: Action
    /// How many matching requests are affected.
    public var times: Int

    public init(_ action: Action, on apiKey: ApiKey, broker: Int32? = nil, times: Int = 1) {
        self.action = action
        self.apiKey = apiKey
        self.broker = broker
        self.times = times
    }
}

/// One request the fake cluster received: which broker, which API and version, and when.
public struct FakeClusterRequest: Sendable, Hashable {
    public let broker: Int32
    public let apiKey: ApiKey
    public let version: Int16
    public let receivedAt: ContinuousClock.Instant
}
