import KafkaWire

/// The protocol logic of one broker connection, free of I/O.
///
/// The connection's thread feeds events in (`connected`, `frameReceived`,
/// `tick`, ...) and performs the returned actions in order. Requests are
/// pipelined: each gets a correlation id and waits in an in-flight FIFO, since
/// Kafka answers a connection's requests in the order they were sent; any
/// other correlation id is a protocol violation that closes the connection.
package struct ConnectionStateMachine: Sendable {
    enum SaslPhase: Sendable, Equatable {
        /// SaslHandshake is in flight.
        case handshake(correlationId: Int32)
        /// Waiting for the mechanism's next message (or its completion).
        case mechanism
        /// SaslAuthenticate is in flight.
        case authenticate(correlationId: Int32)
    }

    enum State: Sendable {
        case idle
        case connecting
        case negotiating(correlationId: Int32, version: Int16)
        case authenticating(ApiVersionTable, SaslPhase, isReauthentication: Bool)
        case ready(ApiVersionTable)
        /// Draining in-flight requests before closing.
        case closing
        case closed
    }

    var state: State = .idle
    package let configuration: Configuration
    private var inFlight = InFlightQueue()
    /// Requests accepted but not yet written, oldest first.
    private var waiting: [(request: Request, deadline: ContinuousClock.Instant)] = []
    private var nextCorrelationId: Int32 = 0
    /// The latest `session_lifetime_ms` from SaslAuthenticate, if any.
    var sessionLifetimeMs: Int64 = 0
    var jitter: SplitMix
    /// When the session must be re-authenticated (KIP-368), if the broker set a lifetime.
    package internal(set) var reauthenticationDeadline: ContinuousClock.Instant?
    /// Until when the broker throttles this client (KIP-219): nothing more is written before it.
    package private(set) var throttledUntil: ContinuousClock.Instant?

    package init(configuration: Configuration) {
        self.configuration = configuration
        self.jitter = SplitMix(seed: configuration.reauthenticationSeed)
    }

    /// Requests written and awaiting a response (including the machine's own).
    package var inFlightCount: Int { inFlight.count }
    /// Requests accepted but not yet written.
    package var queuedCount: Int { waiting.count }
    /// True once negotiation (and authentication) finished and the connection is open.
    package var isReady: Bool { if case .ready = state { true } else { false } }
    /// True once the connection is closed for good.
    package var isClosed: Bool { if case .closed = state { true } else { false } }
    /// The negotiated versions, once known.
    package var apiVersions: ApiVersionTable? {
        switch state {
        case .ready(let table), .authenticating(let table, _, _): table
        default: nil
        }
    }

    // MARK: Connecting and negotiating

    /// Starts connecting.
    package mutating func start() -> [Action] {
        guard case .idle = state else { return [] }
        state = .connecting
        return [.connect]
    }

    /// The socket is open: negotiate versions first.
    package mutating func connected(now: ContinuousClock.Instant) -> [Action] {
        guard case .connecting = state else { return [] }
        return sendApiVersions(version: ApiVersionsNegotiation.initialVersion, now: now)
    }

    /// The socket could not be opened.
    package mutating func connectFailed(_ description: String) -> [Action] {
        failAll(KafkaError(.ioError, detail: "connect failed", underlying: description), closeSocket: false)
    }

    private mutating func sendApiVersions(version: Int16, now: ContinuousClock.Instant) -> [Action] {
        let id = sendControl(.apiVersions, version: version, now: now)
        state = .negotiating(correlationId: id, version: version)
        return [.sendApiVersions(version: version, correlationId: id)]
    }

    private mutating func apiVersionsReceived(_ frame: [UInt8], version: Int16, now: ContinuousClock.Instant) -> [Action] {
        let response: ApiVersionsResponse
        do {
            response = try ApiVersionsResponse.decodeFrame(frame, version: version).body
        } catch {
            // A broker that does not know our version answers in v0 (KIP-511).
            if version != 0, let fallback = try? ApiVersionsResponse.decodeFrame(frame, version: 0).body {
                response = fallback
            } else if version != 0, Self.isUnsupportedVersionError(frame) {
                // Some brokers (librdkafka's mock cluster) answer UNSUPPORTED_VERSION in a
                // shape neither version decodes; v0 is the one every broker takes.
                return sendApiVersions(version: 0, now: now)
            } else {
                return failAll(violation("undecodable ApiVersions response: \(error)", apiKey: .apiVersions))
            }
        }
        let outcome: ApiVersionsNegotiation.Outcome
        do {
            outcome = try ApiVersionsNegotiation.evaluate(response, sentVersion: version)
        } catch {
            return failAll(error)
        }
        switch outcome {
        case .retry(let next):
            return sendApiVersions(version: next, now: now)
        case .negotiated(let table):
            guard let mechanism = configuration.saslMechanism else { return becomeReady(table, now: now) }
            return startAuthentication(table, mechanism: mechanism, isReauthentication: false, now: now)
        }
    }

    /// True when an ApiVersions response frame (v0 header: the correlation id, then
    /// the body, which starts with the error code in every version) says UNSUPPORTED_VERSION.
    static func isUnsupportedVersionError(_ frame: [UInt8]) -> Bool {
        guard frame.count >= 6 else { return false }
        return Int16(bitPattern: UInt16(frame[4]) << 8 | UInt16(frame[5])) == KafkaErrorCode.unsupportedVersion.rawValue
    }

    // MARK: Requests

    /// A caller's request: written now if the connection is ready and below the
    /// in-flight limit, else queued (or failed once the connection is closing).
    package mutating func enqueue(_ request: Request, now: ContinuousClock.Instant) -> [Action] {
        switch state {
        case .closing, .closed:
            return [.fail(token: request.token, error(.connectionClosed, "the connection is closed", apiKey: request.apiKey))]
        default:
            waiting.append((request, now.advanced(by: request.timeout)))
            return flushWaiting(now: now)
        }
    }

    /// A response said the broker throttles this client for `duration` (a quota was
    /// exceeded): requests wait until it has passed, as the Java client mutes the channel.
    package mutating func throttled(for duration: Duration, now: ContinuousClock.Instant) {
        guard duration > .zero else { return }
        let until = now.advanced(by: duration)
        throttledUntil = max(throttledUntil ?? until, until)
    }

    /// Writes queued requests while the connection is ready, below the limit and not throttled.
    private mutating func flushWaiting(now: ContinuousClock.Instant) -> [Action] {
        guard case .ready(let table) = state else { return [] }
        if let until = throttledUntil {
            guard until <= now else { return [] }
            throttledUntil = nil
        }
        var actions: [Action] = []
        var sent = 0
        while sent < waiting.count, inFlight.count < max(1, configuration.maxInFlight) {
            let (request, deadline) = waiting[sent]
            sent += 1
            let version: Int16
            do {
                version = try table.version(apiKey: request.apiKey, clientVersions: request.clientVersions,
                                            ceiling: request.versionCeiling)
            } catch {
                actions.append(.fail(token: request.token, identified(error)))
                continue
            }
            let id = takeCorrelationId()
            actions.append(.send(token: request.token, correlationId: id, version: version))
            if request.expectsResponse {
                inFlight.append(.init(correlationId: id, kind: .user(token: request.token), apiKeyRaw: request.apiKey.rawValue,
                                      version: version, deadline: deadline))
            } else {
                actions.append(.completeWithoutResponse(token: request.token))
            }
        }
        waiting.removeFirst(sent)
        return actions
    }

    /// The I/O layer could not encode the request it was told to `send`: nothing
    /// was written, so forget its correlation id and fail only that request.
    package mutating func sendFailed(token: UInt64, correlationId: Int32, _ failure: KafkaError,
                                    now: ContinuousClock.Instant) -> [Action] {
        guard let entry = inFlight.remove(correlationId: correlationId) else { return [] }
        var failure = identified(failure)
        failure.apiKey = ApiKey(rawValue: entry.apiKeyRaw)
        return [.fail(token: token, failure)] + flushWaiting(now: now)
    }

    /// A response frame (header and body, without the size prefix) arrived.
    package mutating func frameReceived(_ frame: [UInt8], now: ContinuousClock.Instant) -> [Action] {
        guard let id = KafkaFrame.correlationId(ofResponse: frame) else {
            return failAll(violation("response frame of \(frame.count) bytes has no correlation id"))
        }
        guard let head = inFlight.first else {
            return failAll(violation("response with correlation id \(id) while no request is in flight"))
        }
        guard head.correlationId == id else {
            return failAll(violation("response with correlation id \(id), expected \(head.correlationId) (responses must arrive in order)",
                                     apiKey: ApiKey(rawValue: head.apiKeyRaw)))
        }
        _ = inFlight.removeFirst()
        switch head.kind {
        case .user(let token):
            var actions: [Action] = [.deliver(token: token, version: head.version, frame: frame)]
            actions += afterUserResponse(now: now)
            return actions
        case .control:
            return controlResponseReceived(frame, apiKey: ApiKey(rawValue: head.apiKeyRaw), version: head.version, now: now)
        }
    }

    private mutating func afterUserResponse(now: ContinuousClock.Instant) -> [Action] {
        if case .closing = state, inFlight.isEmpty {
            state = .closed
            return [.closeConnection(nil)]
        }
        return flushWaiting(now: now)
    }

    private mutating func controlResponseReceived(_ frame: [UInt8], apiKey: ApiKey, version: Int16,
                                                  now: ContinuousClock.Instant) -> [Action] {
        switch (state, apiKey) {
        case (.negotiating(_, let sentVersion), .apiVersions):
            return apiVersionsReceived(frame, version: sentVersion, now: now)
        case (.authenticating(let table, .handshake, let reauth), .saslHandshake):
            return saslHandshakeReceived(frame, version: version, table: table, isReauthentication: reauth)
        case (.authenticating(let table, .authenticate, let reauth), .saslAuthenticate):
            return saslAuthenticateReceived(frame, version: version, table: table, isReauthentication: reauth)
        default:
            return failAll(violation("unexpected \(apiKey) response", apiKey: apiKey))
        }
    }

    // MARK: Time, closing and errors

    /// Expires requests past their deadline. A written request that timed out
    /// closes the connection (Kafka cannot cancel it); a queued one just fails.
    /// Also starts re-authentication once its deadline has passed.
    package mutating func tick(now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = []
        if let head = inFlight.earliestDeadline, head <= now {
            let expired = inFlight.removeAll()
            var timedOut: [KafkaError] = []
            for entry in expired {
                let apiKey = ApiKey(rawValue: entry.apiKeyRaw)
                let failure = entry.deadline <= now
                    ? error(.requestTimedOut, "no response to correlation id \(entry.correlationId) in time", apiKey: apiKey)
                    : error(.connectionClosed, "closed after another request timed out", apiKey: apiKey)
                if case .user(let token) = entry.kind { actions.append(.fail(token: token, failure)) }
                if failure.code == .requestTimedOut { timedOut.append(failure) }
            }
            return actions + failAll(timedOut.first ?? error(.requestTimedOut, "request timed out"))
        }
        let (expired, kept) = waiting.reduce(into: ([Request](), [(request: Request, deadline: ContinuousClock.Instant)]())) {
            if $1.deadline <= now { $0.0.append($1.request) } else { $0.1.append($1) }
        }
        waiting = kept
        for request in expired {
            actions.append(.fail(token: request.token, error(.requestTimedOut, "timed out before it could be sent", apiKey: request.apiKey)))
        }
        if let deadline = reauthenticationDeadline, deadline <= now, case .ready = state {
            actions += reauthenticationDue(now: now)
        }
        if let until = throttledUntil, until <= now { actions += flushWaiting(now: now) }
        return actions
    }

    /// Closes the connection. With `drain`, requests already written may finish
    /// first; queued requests fail with `connectionClosed` either way.
    package mutating func closeRequested(drain: Bool) -> [Action] {
        switch state {
        case .closed, .closing: return []
        case .ready where drain && !inFlight.isEmpty:
            state = .closing
            let queued = waiting
            waiting = []
            return queued.map { .fail(token: $0.request.token, error(.connectionClosed, "the connection is closing", apiKey: $0.request.apiKey)) }
        case .idle:
            return failAll(error(.connectionClosed, "the connection was closed"), closeSocket: false)
        default:
            return failAll(error(.connectionClosed, "the connection was closed"), closeSocket: true, clean: true)
        }
    }

    /// Reading or writing failed: everything pending fails with that error.
    ///
    /// A connection lost in the middle of a SASL exchange is an authentication failure:
    /// some brokers (franz-go's kfake among them) close it on wrong credentials instead
    /// of answering with an error. librdkafka reports this state the same way; the Java
    /// client logs it as a disconnect "during authentication" and retries, which leaves
    /// an application with wrong credentials waiting with no error.
    package mutating func ioError(_ description: String) -> [Action] {
        if case .authenticating = state {
            return failAll(KafkaError(.authenticationFailed,
                                      detail: "the broker closed the connection during SASL authentication (rejected credentials?)",
                                      apiKey: .saslAuthenticate, underlying: description))
        }
        return failAll(KafkaError(.ioError, detail: "connection failed", underlying: description))
    }

    // MARK: Helpers

    /// Fails every pending request with `error` and closes the connection.
    mutating func failAll(_ error: KafkaError, closeSocket: Bool = true, clean: Bool = false) -> [Action] {
        if case .closed = state { return [] }
        let error = identified(error)
        state = .closed
        var actions: [Action] = []
        for entry in inFlight.removeAll() {
            if case .user(let token) = entry.kind {
                var failure = error
                failure.apiKey = ApiKey(rawValue: entry.apiKeyRaw)
                actions.append(.fail(token: token, failure))
            }
        }
        for (request, _) in waiting {
            var failure = error
            failure.apiKey = request.apiKey
            actions.append(.fail(token: request.token, failure))
        }
        waiting = []
        if closeSocket { actions.append(.closeConnection(clean ? nil : error)) }
        return actions
    }

    mutating func takeCorrelationId() -> Int32 {
        let id = nextCorrelationId
        // Stay non-negative; wrapping is harmless since ids only need to differ from those in flight.
        nextCorrelationId = id == .max ? 0 : id + 1
        return id
    }

    mutating func sendControl(_ apiKey: ApiKey, version: Int16, now: ContinuousClock.Instant) -> Int32 {
        let id = takeCorrelationId()
        inFlight.append(.init(correlationId: id, kind: .control, apiKeyRaw: apiKey.rawValue, version: version,
                              deadline: now.advanced(by: configuration.setupTimeout)))
        return id
    }

    mutating func becomeReady(_ table: ApiVersionTable, now: ContinuousClock.Instant) -> [Action] {
        state = .ready(table)
        return [.connectionReady(table)] + flushWaiting(now: now)
    }

    func error(_ code: KafkaError.Code, _ detail: String, apiKey: ApiKey? = nil) -> KafkaError {
        identified(KafkaError(code, detail: detail, apiKey: apiKey))
    }

    func violation(_ detail: String, apiKey: ApiKey? = nil) -> KafkaError {
        error(.protocolViolation, detail, apiKey: apiKey)
    }

    func identified(_ error: KafkaError) -> KafkaError {
        error.at(brokerId: configuration.brokerId, address: configuration.address)
    }
}

/// SplitMix64, for jitter (re-authentication, backoffs, partition choice): small, deterministic per seed.
struct SplitMix: RandomNumberGenerator, Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    /// Seeded from the system's generator. The client's loops keep one of these rather
    /// than a `SystemRandomNumberGenerator`: passing that empty struct `inout` makes the
    /// thread sanitizer check an address the value never had, and it crashes.
    static func seeded() -> SplitMix { SplitMix(seed: .random(in: .min ... .max)) }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
