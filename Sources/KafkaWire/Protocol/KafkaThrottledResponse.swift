/// A response that carries the broker's throttle time: how long the client
/// must wait before sending this broker more requests because it exceeded a
/// quota (KIP-219: the broker answers at once and expects the client to hold
/// back). The generator marks every response with a `ThrottleTimeMs` field.
public protocol KafkaThrottledResponse: KafkaResponse {
    /// Milliseconds to hold back; 0 when not throttled.
    var throttleTimeMs: Int32 { get }
}
