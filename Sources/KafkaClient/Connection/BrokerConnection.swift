#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import KafkaWire
import Logging
import Synchronization

/// One connection to one broker, shared by every client that talks to it.
///
/// The connection has its own thread, which connects (TCP, then TLS), negotiates
/// API versions, authenticates with SASL, and then pipelines requests: many
/// may be in flight at once, each answered in order and matched by correlation
/// id. Requests sent before the connection is ready wait for it. A connection
/// lives once: after it closes (by `close()` or a failure) every pending and
/// later request fails with a `KafkaError`, and a new connection must be made.
package final class BrokerConnection: Sendable {
    /// The host this connection was opened to.
    package let host: String
    /// The port this connection was opened to.
    package let port: Int
    /// The broker's node id, when known.
    package let brokerId: Int32?
    /// The settings it was opened with.
    package let configuration: Configuration

    let mailbox: ConnectionMailbox
    let status: ConnectionStatus
    /// This connection's request and traffic metrics (`ConnectionMetrics` lists them).
    let metrics: ConnectionMetrics
    private let nextToken = Atomic<UInt64>(1)

    /// Opens a connection to `host:port` in the background; the first request waits for it.
    ///
    /// - Parameter tlsContext: a context shared among connections; made from
    ///   `configuration.tls` when nil and TLS is configured.
    /// - Throws: `.invalidConfiguration` for unusable TLS settings, `.ioError` if no thread could start.
    package init(host: String, port: Int, brokerId: Int32? = nil, configuration: Configuration = Configuration(),
                tlsContext: TLSContext? = nil, logger: Logger = Logger(label: "swift-kafka-native.connection")) throws(KafkaError) {
        self.host = host
        self.port = port
        self.brokerId = brokerId
        self.configuration = configuration
        mailbox = try ConnectionMailbox()
        status = ConnectionStatus()
        metrics = ConnectionMetrics(clientId: configuration.clientId, brokerId: brokerId)
        var context = tlsContext
        if context == nil, let tls = configuration.tls {
            context = try TLSContext(configuration: tls)
        }
        var logger = logger
        logger[metadataKey: "broker"] = "\(brokerId.map { "\($0)@" } ?? "")\(host):\(port)"
        let loop = ConnectionLoop(host: host, port: port, brokerId: brokerId, configuration: configuration, tlsContext: context,
                                  mailbox: mailbox, status: status, metrics: metrics, logger: logger)
        try ConnectionThread.start(loop)
    }

    deinit {
        _ = mailbox.post(.close(drain: false))
    }

    /// Sends `request` and returns the broker's response.
    ///
    /// The version is the highest both sides support, capped at `versionCeiling`.
    /// - Throws: `KafkaError` when the connection fails or closes, the request times out
    ///   (`timeout`, else `requestTimeout`), no version fits, or the response cannot be decoded.
    package func send<R: KafkaRequest>(_ request: R, timeout: Duration? = nil, versionCeiling: Int16? = nil) async throws(KafkaError) -> R.Response {
        let frame = try await sendFrame(request, timeout: timeout, versionCeiling: versionCeiling, expectsResponse: true)
        guard let frame else {
            throw KafkaError(.protocolViolation, detail: "no response frame", apiKey: R.apiKey, brokerId: brokerId, address: address)
        }
        let response: R.Response
        do {
            response = try R.Response.decodeFrame(frame.bytes, version: frame.version, allowingTrailingBytes: true).body
        } catch {
            throw KafkaError(.protocolViolation, detail: "undecodable response: \(error)", apiKey: R.apiKey, brokerId: brokerId,
                             address: address)
        }
        if let throttled = response as? any KafkaThrottledResponse {
            holdBack(throttleTimeMs: throttled.throttleTimeMs, apiKey: R.apiKey, version: frame.version)
        }
        return response
    }

    /// Holds requests not yet written for `throttleTimeMs` (a throttled response's
    /// field: the broker enforces a quota, KIP-219), when the response's API and
    /// `version` leave the waiting to the client; on older versions the broker has
    /// already delayed the answer, and waiting again would throttle twice. `send`
    /// does this itself; callers that decode frames from `submit` call it with the
    /// response they decoded and the frame's version.
    package func holdBack(throttleTimeMs: Int32, apiKey: ApiKey, version: Int16) {
        metrics.recordThrottle(apiKey, milliseconds: throttleTimeMs)
        guard throttleTimeMs > 0, apiKey.clientEnforcesThrottle(version: version) else { return }
        _ = mailbox.post(.throttle(.milliseconds(throttleTimeMs)))
    }

    /// Sends a request the broker does not answer (Produce with acks=0); returns once written.
    package func sendWithoutResponse<R: KafkaRequest>(_ request: R, timeout: Duration? = nil, versionCeiling: Int16? = nil) async throws(KafkaError) {
        _ = try await sendFrame(request, timeout: timeout, versionCeiling: versionCeiling, expectsResponse: false)
    }

    /// Sends `request` and returns the raw response frame and its version, for
    /// callers that decode it themselves (or off the hot path).
    ///
    /// A cancelled task stops waiting at once with `.cancelled`; the request stays
    /// queued or in flight on the connection (the broker may still act on it) and its
    /// answer is dropped when it comes.
    package func sendFrame<R: KafkaRequest>(_ request: R, timeout: Duration? = nil, versionCeiling: Int16? = nil,
                                           expectsResponse: Bool = true) async throws(KafkaError) -> ResponseFrame? {
        let answer = OnceContinuation<Result<ResponseFrame?, KafkaError>>()
        var cancelled = KafkaError.cancelled("\(R.apiKey) request")
        cancelled.apiKey = R.apiKey
        cancelled.brokerId = brokerId
        cancelled.address = address
        let result = await answer.wait(cancelled: .failure(cancelled)) {
            submit(request, timeout: timeout, versionCeiling: versionCeiling, expectsResponse: expectsResponse) {
                answer.resume(returning: $0)
            }
        }
        return try result.get()
    }

    /// Queues `request` and calls `completion` on the connection's thread with the
    /// response frame (nil when none is expected) or the failure. For hot paths
    /// that must not create a task per request; `completion` must return quickly.
    package func submit<R: KafkaRequest>(_ request: R, timeout: Duration? = nil, versionCeiling: Int16? = nil, expectsResponse: Bool = true,
                                         completion: @escaping @Sendable (Result<ResponseFrame?, KafkaError>) -> Void) {
        let token = nextToken.wrappingAdd(1, ordering: .relaxed).oldValue
        let tracked = ConnectionStateMachine.Request(R.self, token: token, versionCeiling: versionCeiling, expectsResponse: expectsResponse,
                                                     timeout: timeout ?? configuration.requestTimeout)
        let clientId = configuration.clientId
        let pending = PendingRequest(
            request: tracked,
            encode: { (writer, version, correlationId) throws(KafkaWireError) in
                try request.encodeFrame(into: &writer, version: version, correlationId: correlationId, clientId: clientId)
            },
            completion: completion)
        if !mailbox.post(.request(pending)) {
            var failure = status.closeReason ?? KafkaError(.connectionClosed, detail: "the connection is closed", brokerId: brokerId,
                                                           address: address)
            failure.apiKey = R.apiKey
            completion(.failure(failure))
        }
    }

    /// Waits until the connection is ready and returns the negotiated version ranges.
    package func apiVersions() async throws(KafkaError) -> ApiVersionTable {
        try await status.waitUntilReady()
    }

    /// The negotiated version ranges, once the connection is ready.
    package var negotiatedVersions: ApiVersionTable? { status.versions }

    /// True once the connection has closed (or failed); it will not reopen.
    package var isClosed: Bool { status.isClosed || mailbox.isShutDown }

    /// Why the connection closed, once it has.
    package var closeReason: KafkaError? { status.closeReason }

    /// Closes the connection and waits for its thread to finish. With `drain`,
    /// requests already written get their responses first; others fail with
    /// `.connectionClosed`.
    package func close(drain: Bool = true) async {
        if mailbox.post(.close(drain: drain)) {
            await mailbox.waitForShutdown()
        }
    }

    /// `host:port`, for errors.
    package var address: String { "\(host):\(port)" }
}
