import KafkaWire

/// A request as the fake cluster's request hook sees it, before the cluster handles it.
public struct FakeClusterIncomingRequest: Sendable {
    /// The broker the request was sent to.
    public let broker: Int32
    /// The API, from the request header.
    public let apiKey: ApiKey
    /// The API version the client chose; a `.respond` answer is encoded at it.
    public let version: Int16
    /// The correlation id the answer must carry (needed for `.respondRaw`).
    public let correlationId: Int32
    /// The client id from the request header.
    public let clientId: String?
    /// The request frame as received, without its size prefix: header, then body.
    public let frame: [UInt8]

    /// The request body decoded as `R`, e.g. `try request.decode(ProduceRequest.self)`;
    /// throws when `R` is not this request's type or the frame does not decode.
    public func decode<R: KafkaRequest>(_: R.Type) throws(KafkaWireError) -> R {
        try R.decodeFrame(frame).body
    }
}

/// What the fake cluster does with a request, as a request hook decides.
public enum FakeClusterHookAction: Sendable {
    /// Handle the request as usual; injected faults still apply.
    case proceed
    /// Hold the request this long, then handle it as usual.
    case delay(Duration)
    /// Answer with this error code instead of handling the request, as an injected
    /// `.error` fault does (no injected fault is used up).
    case fail(KafkaErrorCode)
    /// Answer with this response, encoded at the request's version. A response of
    /// another API, or one that cannot be encoded at that version, closes the
    /// connection instead (the client sees a broken connection, never a wrong answer).
    case respond(any KafkaResponse)
    /// Answer with these bytes as the response frame (response header and body; the
    /// size prefix is added): for malformed or hand-made answers.
    case respondRaw([UInt8])
    /// Close the connection without handling the request.
    case disconnect
    /// Handle the request, then close the connection instead of answering.
    case disconnectAfterHandling
}

/// A closure that sees every request the fake cluster receives, in arrival order
/// per connection, and decides what happens to it (``FakeKafkaCluster/setRequestHook(_:)``).
///
/// It runs on the connection's thread, outside the cluster's lock, so it may call
/// the cluster (inject faults, move leaders) and may block; a blocked hook holds back
/// only that connection, as a slow broker would. It must be `Sendable`: requests on
/// different connections call it concurrently.
///
/// ```swift
/// cluster.setRequestHook { request in
///     guard request.apiKey == .produce,
///           let produce = try? request.decode(ProduceRequest.self),
///           produce.topicData.contains(where: { $0.name == "audit" }) else { return .proceed }
///     return .fail(.notEnoughReplicas)
/// }
/// ```
public typealias FakeClusterRequestHook = @Sendable (FakeClusterIncomingRequest) -> FakeClusterHookAction
