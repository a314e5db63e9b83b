#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import KafkaWire
import Logging

/// The thread of one broker connection: polls the socket and the mailbox,
/// feeds what happens into the `ConnectionStateMachine`, and performs the
/// actions it returns. All state here belongs to that one thread.
final class ConnectionLoop {
    let host: String
    let port: Int
    let configuration: BrokerConnection.Configuration
    let mailbox: ConnectionMailbox
    let status: ConnectionStatus
    let tlsContext: TLSContext?
    var logger: Logger
    var instruments: ConnectionInstruments

    var machine: ConnectionStateMachine
    var socket: TCPSocket?
    var tls: TLSEngine?
    var inbound: InboundFrameBuffer
    var outbound = OutboundFrameBuffer()
    /// Ciphertext waiting for the socket (TLS only).
    var encrypted = OutboundFrameBuffer()
    var plaintext: [UInt8] = []
    var pending: [UInt64: PendingRequest] = [:]
    var saslSession: (any SASLSession)?
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    /// Actions still to perform, in order; new actions go to the end so bytes
    /// reach the socket in correlation-id order.
    private var actionQueue: [ConnectionStateMachine.Action] = []
    private var isPerforming = false
    /// When a request was last enqueued or answered, for `connectionsMaxIdle`.
    var lastActivity = ContinuousClock.now

    init(host: String, port: Int, brokerId: Int32?, configuration: BrokerConnection.Configuration, tlsContext: TLSContext?,
         mailbox: ConnectionMailbox, status: ConnectionStatus, metrics: ConnectionMetrics, logger: Logger) {
        self.host = host
        self.port = port
        self.configuration = configuration
        self.tlsContext = tlsContext
        self.mailbox = mailbox
        self.status = status
        self.logger = logger
        instruments = ConnectionInstruments(metrics)
        var machineConfiguration = ConnectionStateMachine.Configuration(
            brokerId: brokerId, address: "\(host):\(port)", maxInFlight: configuration.maxInFlight,
            saslMechanism: configuration.sasl?.name)
        machineConfiguration.setupTimeout = configuration.setupTimeout
        machine = ConnectionStateMachine(configuration: machineConfiguration)
        inbound = InboundFrameBuffer(maxFrameSize: configuration.maxResponseSize)
    }

    deinit {
        readBuffer.deallocate()
    }

    // MARK: The loop

    func run() {
        perform(machine.start())
        while !machine.isClosed {
            pollOnce()
        }
        finish()
    }

    private func pollOnce() {
        var descriptors = [pollfd(fd: mailbox.wakeupDescriptor, events: Int16(POLLIN), revents: 0)]
        if let socket {
            let wantsWrite = !(tls == nil ? outbound.isEmpty : encrypted.isEmpty)
            descriptors.append(pollfd(fd: socket.pollDescriptor, events: Int16(POLLIN) | (wantsWrite ? Int16(POLLOUT) : 0), revents: 0))
        }
        // Deadlines are checked on every wake-up; a short period while requests are out keeps timeouts accurate.
        let busy = machine.inFlightCount + machine.queuedCount > 0
        var timeout: Int32 = busy ? 50 : 500
        // Wake for the re-authentication deadline (KIP-368) and the end of throttling rather than up to a period late.
        for deadline in [machine.reauthenticationDeadline, machine.throttledUntil].compactMap({ $0 }) {
            timeout = min(timeout, ContinuousClock.now.duration(to: deadline).int32MillisecondsRoundedUp)
        }
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
        // After the wait: a rename made before a request was posted is seen before that request.
        instruments.refresh()
        if ready < 0 && errno != EINTR {
            perform(machine.ioError("poll failed: \(String(cString: strerror(errno)))"))
            return
        }
        if descriptors[0].revents != 0 {
            for event in mailbox.takeAll() { handle(event) }
        }
        if descriptors.count > 1, descriptors[1].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
            readFromSocket()
        }
        flushOutput()
        let now = ContinuousClock.now
        perform(machine.tick(now: now))
        closeIfIdle(now: now)
        flushOutput()
    }

    private func closeIfIdle(now: ContinuousClock.Instant) {
        guard let limit = configuration.connectionsMaxIdle, machine.isReady,
              machine.inFlightCount + machine.queuedCount == 0, lastActivity.duration(to: now) >= limit else { return }
        logger.debug("closing idle connection", metadata: ["idle": "\(lastActivity.duration(to: now))"])
        status.closed(KafkaError(.connectionClosed, detail: "closed after \(limit) idle (connections.max.idle.ms)").at(
            brokerId: machine.configuration.brokerId, address: machine.configuration.address))
        perform(machine.closeRequested(drain: false))
    }

    private func handle(_ event: ConnectionEvent) {
        switch event {
        case .request(let request):
            lastActivity = .now
            pending[request.request.token] = request
            perform(machine.enqueue(request.request, now: .now))
        case .close(let drain):
            perform(machine.closeRequested(drain: drain))
        case .saslStarted(let session, let firstMessage):
            saslSession = session
            perform(machine.saslMessageReady(firstMessage, now: .now))
        case .saslFailed(let message):
            perform(machine.saslMechanismFailed(message))
        case .throttle(let duration):
            machine.throttled(for: duration, now: .now)
        }
    }

    /// Fails whatever is left once the machine has closed and refuses further posts.
    private func finish() {
        socket?.close()
        instruments.closed()
        tls = nil
        let reason = status.closeReason ?? KafkaError(.connectionClosed, detail: "the connection is closed").at(
            brokerId: machine.configuration.brokerId, address: machine.configuration.address)
        status.closed(reason)
        var leftovers = Array(pending.values)
        pending = [:]
        for event in mailbox.shutDown() {
            if case .request(let request) = event { leftovers.append(request) }
        }
        for request in leftovers {
            var failure = reason
            failure.apiKey = request.request.apiKey
            request.completion(.failure(failure))
        }
    }

    // MARK: Actions

    func perform(_ actions: [ConnectionStateMachine.Action]) {
        actionQueue.append(contentsOf: actions)
        guard !isPerforming else { return }
        isPerforming = true
        defer { isPerforming = false }
        var index = 0
        while index < actionQueue.count {
            let action = actionQueue[index]
            index += 1
            perform(action)
        }
        actionQueue.removeAll(keepingCapacity: true)
    }

    private func perform(_ action: ConnectionStateMachine.Action) {
        switch action {
        case .connect:
            connect()
        case .sendApiVersions(let version, let correlationId):
            let request = ApiVersionsRequest(clientSoftwareName: "swift-kafka-native", clientSoftwareVersion: KafkaClientVersion.current)
            writeControl(request, version: version, correlationId: correlationId)
        case .sendSaslHandshake(let version, let correlationId, let mechanism):
            writeControl(SaslHandshakeRequest(mechanism: mechanism), version: version, correlationId: correlationId)
        case .sendSaslAuthenticate(let version, let correlationId, let authBytes):
            writeControl(SaslAuthenticateRequest(authBytes: authBytes), version: version, correlationId: correlationId)
        case .startSaslMechanism:
            startSaslMechanism()
        case .continueSaslMechanism(let authBytes):
            continueSaslMechanism(authBytes)
        case .connectionReady(let table):
            logger.debug("connection ready", metadata: ["apis": "\(table.ranges.count)"])
            status.becameReady(table)
        case .scheduleReauthentication(let deadline):
            logger.debug("SASL re-authentication scheduled", metadata: ["in": "\(ContinuousClock.now.duration(to: deadline))"])
        case .send(let token, let correlationId, let version):
            writeRequest(token: token, correlationId: correlationId, version: version)
        case .completeWithoutResponse(let token):
            pending.removeValue(forKey: token)?.completion(.success(nil))
        case .deliver(let token, let version, let frame):
            let now = ContinuousClock.now
            lastActivity = now
            guard let request = pending.removeValue(forKey: token) else { return }
            if let sentAt = request.sentAt { instruments.recordLatency(request.request.apiKey, sentAt.duration(to: now)) }
            request.completion(.success(ResponseFrame(version: version, bytes: frame)))
        case .fail(let token, let error):
            // When the failure closes the connection, callers must see it closed already.
            if machine.isClosed { status.closed(error) }
            guard let request = pending.removeValue(forKey: token) else { return }
            instruments.metrics.recordFailure(request.request.apiKey, error)
            request.completion(.failure(error))
        case .closeConnection(let error):
            if let error {
                logger.debug("connection closed", metadata: ["reason": "\(error)"])
                status.closed(error)
            }
            closeSocket()
        }
    }

    private func writeRequest(token: UInt64, correlationId: Int32, version: Int16) {
        guard let request = pending[token], let encode = request.encode else { return }
        do {
            try outbound.appendFrame { (writer) throws(KafkaWireError) in try encode(&writer, version, correlationId) }
            if let index = pending.index(forKey: token) {
                pending.values[index].encode = nil
                pending.values[index].sentAt = ContinuousClock.now
            }
        } catch {
            let failure = KafkaError(.invalidConfiguration, detail: "the request could not be encoded at v\(version): \(error)",
                                     apiKey: request.request.apiKey)
            let actions = machine.sendFailed(token: token, correlationId: correlationId, failure, now: .now)
            if actions.isEmpty {
                pending.removeValue(forKey: token)?.completion(.failure(failure))
            } else {
                perform(actions)
            }
        }
    }

    private func writeControl<R: KafkaRequest>(_ request: R, version: Int16, correlationId: Int32) {
        do {
            try outbound.appendFrame { (writer) throws(KafkaWireError) in
                try request.encodeFrame(into: &writer, version: version, correlationId: correlationId, clientId: configuration.clientId)
            }
        } catch {
            perform(machine.ioError("could not encode \(R.apiKey) v\(version): \(error)"))
        }
    }
}
