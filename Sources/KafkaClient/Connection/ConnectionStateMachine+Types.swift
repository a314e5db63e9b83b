import KafkaWire

extension ConnectionStateMachine {
    /// Settings fixed for the life of one connection.
    package struct Configuration: Sendable {
        /// The broker's node id, when known, for errors.
        package var brokerId: Int32?
        /// The broker's `host:port`, for errors.
        package var address: String?
        /// Most requests awaiting responses at once; further requests queue.
        package var maxInFlight: Int = 5
        /// How long ApiVersions and each SASL exchange may take.
        package var setupTimeout: Duration = .seconds(10)
        /// The SASL mechanism to authenticate with, or nil for none.
        package var saslMechanism: String?
        /// Seeds the jitter of the re-authentication deadline (KIP-368); tests fix it.
        package var reauthenticationSeed: UInt64 = UInt64.random(in: .min ... .max)

        package init(brokerId: Int32? = nil, address: String? = nil, maxInFlight: Int = 5, saslMechanism: String? = nil) {
            self.brokerId = brokerId
            self.address = address
            self.maxInFlight = max(1, maxInFlight)
            self.saslMechanism = saslMechanism
        }
    }

    /// A caller's request, as the machine tracks it; the payload stays with the I/O layer.
    package struct Request: Sendable, Hashable {
        /// The caller's handle, echoed in every action about this request.
        package var token: UInt64
        /// The request's API.
        package var apiKey: ApiKey
        /// The versions the request type implements (`R.validVersions`).
        package var clientVersions: ClosedRange<Int16>
        /// An optional cap on the negotiated version.
        package var versionCeiling: Int16?
        /// False for requests the broker never answers (Produce with acks=0).
        package var expectsResponse: Bool
        /// How long from enqueueing the request may wait for its response.
        package var timeout: Duration

        package init(token: UInt64, apiKey: ApiKey, clientVersions: ClosedRange<Int16>, versionCeiling: Int16? = nil,
                    expectsResponse: Bool = true, timeout: Duration = .seconds(30)) {
            self.token = token
            self.apiKey = apiKey
            self.clientVersions = clientVersions
            self.versionCeiling = versionCeiling
            self.expectsResponse = expectsResponse
            self.timeout = timeout
        }

        /// A request of type `R`.
        package init<R: KafkaRequest>(_: R.Type, token: UInt64, versionCeiling: Int16? = nil, expectsResponse: Bool = true,
                                     timeout: Duration = .seconds(30)) {
            self.init(token: token, apiKey: R.apiKey, clientVersions: R.validVersions, versionCeiling: versionCeiling,
                      expectsResponse: expectsResponse, timeout: timeout)
        }
    }

    /// What the I/O layer must do; perform the actions of one event in order.
    package enum Action: Sendable, Equatable {
        /// Open the TCP (and TLS) connection, then report `connected` or `connectFailed`.
        case connect
        /// Write an ApiVersions request at `version` naming this client's software.
        case sendApiVersions(version: Int16, correlationId: Int32)
        /// Write a SaslHandshake request for `mechanism`.
        case sendSaslHandshake(version: Int16, correlationId: Int32, mechanism: String)
        /// Write a SaslAuthenticate request carrying the mechanism's bytes.
        case sendSaslAuthenticate(version: Int16, correlationId: Int32, authBytes: [UInt8])
        /// The broker accepted the mechanism: ask it for its first message and report
        /// `saslMessageReady`.
        case startSaslMechanism(brokerMechanisms: [String])
        /// The broker's SASL reply: give it to the mechanism, then report
        /// `saslMessageReady` (another round) or `saslMechanismCompleted`.
        case continueSaslMechanism(authBytes: [UInt8])
        /// Negotiation (and authentication) finished; requests flow from now on.
        case connectionReady(ApiVersionTable)
        /// Report `reauthenticationDue` at this instant (KIP-368), or from a `tick`.
        case scheduleReauthentication(at: ContinuousClock.Instant)
        /// Encode the caller's request at `version` with `correlationId` and write it.
        case send(token: UInt64, correlationId: Int32, version: Int16)
        /// The request was written and expects no response: it succeeded.
        case completeWithoutResponse(token: UInt64)
        /// The response frame (header and body) for the caller's request.
        case deliver(token: UInt64, version: Int16, frame: [UInt8])
        /// The caller's request failed.
        case fail(token: UInt64, KafkaError)
        /// Close the socket; nil for a clean close.
        case closeConnection(KafkaError?)
    }
}
