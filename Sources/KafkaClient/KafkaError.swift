import KafkaWire

/// The one error type of the client: a connection closed, a request timed
/// out, the broker broke the protocol or answered with an error code, versions
/// could not be agreed, TLS or SASL failed, or a configuration is invalid.
///
/// Switch on `code`; the other fields say which broker and API it concerned,
/// and `brokerErrorCode` carries Kafka's own error (name, message, retriability).
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added in later releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case connectionClosed
            case requestTimedOut
            case protocolViolation
            case unsupportedVersion
            case apiNotSupported
            case authenticationFailed
            case ioError
            case tlsFailed
            case brokerError
            case invalidConfiguration
            case unknownTopicOrPartition
            case notConnected
            case queueFull
            case messageTooLarge
            case deliveryTimedOut
            case producerFenced
            case transactionAbortable
            case transactionFatal
            case illegalState
            case logTruncated
            case pollIntervalExceeded
            case unknownProperty
            case invalidProperty
            case cancelled
        }

        let base: Base

        init(_ base: Base) { self.base = base }

        /// The connection closed (or was closed) before the request completed.
        public static let connectionClosed = Code(.connectionClosed)
        /// No response arrived before the request's deadline; the connection is closed too,
        /// since Kafka cannot cancel a request and later responses would be misattributed.
        public static let requestTimedOut = Code(.requestTimedOut)
        /// The broker sent something the protocol forbids, such as an unexpected correlation id.
        public static let protocolViolation = Code(.protocolViolation)
        /// The broker supports the API, but no version both sides implement.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The broker does not list the API at all.
        public static let apiNotSupported = Code(.apiNotSupported)
        /// SASL handshake or authentication was rejected; `detail` carries the broker's message.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// Connecting, reading or writing failed; `underlying` says how.
        public static let ioError = Code(.ioError)
        /// The TLS handshake, certificate verification or a TLS read/write failed;
        /// `underlying` carries OpenSSL's reason.
        public static let tlsFailed = Code(.tlsFailed)
        /// The broker answered with an error code (`brokerErrorCode`).
        public static let brokerError = Code(.brokerError)
        /// A setting is missing or invalid (bad PEM file, empty bootstrap list, ...).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The topic or partition does not exist in the cluster's metadata.
        public static let unknownTopicOrPartition = Code(.unknownTopicOrPartition)
        /// No broker could be reached (all bootstrap servers failed, or reconnect backoff in force).
        public static let notConnected = Code(.notConnected)
        /// The producer's buffer is full (`buffer.memory`, `queue.buffering.max.messages`);
        /// wait for deliveries (`waitForBufferSpace()`) and send again.
        public static let queueFull = Code(.queueFull)
        /// A record is larger than `max.request.size` or the topic's `max.message.bytes`.
        public static let messageTooLarge = Code(.messageTooLarge)
        /// A record was not acknowledged within `delivery.timeout.ms`, retries included.
        public static let deliveryTimedOut = Code(.deliveryTimedOut)
        /// Another producer with the same `transactional.id` started (or the broker
        /// timed the transaction out and bumped the epoch): this producer can only be closed.
        public static let producerFenced = Code(.producerFenced)
        /// The current transaction cannot commit (a record failed, a partition could not be
        /// added, offsets were refused): abort it, then the producer can begin a new one.
        public static let transactionAbortable = Code(.transactionAbortable)
        /// The transactional producer cannot go on (authorization, an unsupported broker,
        /// a coordinator that lost our state): close it. `brokerErrorCode` says why.
        public static let transactionFatal = Code(.transactionFatal)
        /// A call came in the wrong state: `send` outside a transaction, `commitTransaction`
        /// before `beginTransaction`, transactions on a producer without `transactional.id`.
        public static let illegalState = Code(.illegalState)
        /// A partition's new leader has fewer records than the consumer had read
        /// (an unclean leader election, KIP-320): the consumer restarts at the new log end.
        public static let logTruncated = Code(.logTruncated)
        /// The application took no message for longer than the rebalance timeout
        /// (`max.poll.interval.ms`): the member left its group and rejoins when reading resumes.
        public static let pollIntervalExceeded = Code(.pollIntervalExceeded)
        /// A configuration property (Java/librdkafka name) this client does not know, or
        /// one of the other client (`group.id` for a producer); `property` names it.
        public static let unknownProperty = Code(.unknownProperty)
        /// A configuration property with a value this client cannot take, or one missing
        /// or contradicted by another; `property` names it and `detail` shows the value
        /// (never for passwords and keys).
        public static let invalidProperty = Code(.invalidProperty)
        /// The task awaiting the call was cancelled: the call stopped waiting. What it
        /// had started may still happen (a record sent by `sendAndWait` may be written,
        /// a request already on the wire may take effect); only the wait ended.
        public static let cancelled = Code(.cancelled)

        /// The code's name, such as `queueFull`.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// The broker's node id, when known.
    public var brokerId: Int32?
    /// The broker's address as `host:port`, when known.
    public var address: String?
    /// The API concerned, when the failure belongs to one request or API.
    public var apiKey: ApiKey?
    /// The versions this client implements for `apiKey` (version errors only).
    public var clientVersions: ClosedRange<Int16>?
    /// The versions the broker advertises for `apiKey` (version errors only).
    public var brokerVersions: ClosedRange<Int16>?
    /// The broker's error code, when the failure came from a response.
    public var brokerErrorCode: KafkaErrorCode?
    /// What happened, including the broker's own message where it sent one.
    public var detail: String
    /// The description of the underlying I/O error, for `.ioError`.
    public var underlying: String?
    /// The configuration property concerned (`.unknownProperty`, `.invalidProperty`).
    public var property: String?

    /// An error with `code` and whatever else is known about it; the client creates these, tests and wrappers may too.
    public init(
        _ code: Code, detail: String, apiKey: ApiKey? = nil, brokerId: Int32? = nil, address: String? = nil,
        clientVersions: ClosedRange<Int16>? = nil, brokerVersions: ClosedRange<Int16>? = nil,
        brokerErrorCode: KafkaErrorCode? = nil, underlying: String? = nil, property: String? = nil
    ) {
        self.code = code
        self.detail = detail
        self.apiKey = apiKey
        self.brokerId = brokerId
        self.address = address
        self.clientVersions = clientVersions
        self.brokerVersions = brokerVersions
        self.brokerErrorCode = brokerErrorCode
        self.underlying = underlying
        self.property = property
    }

    /// True when retrying the same operation may succeed: connection losses,
    /// timeouts, and broker errors Kafka marks retriable.
    public var isRetriable: Bool {
        switch code.base {
        case .connectionClosed, .requestTimedOut, .ioError, .notConnected, .queueFull: true
        case .brokerError, .unknownTopicOrPartition: brokerErrorCode?.isRetriable ?? false
        case .protocolViolation, .unsupportedVersion, .apiNotSupported, .authenticationFailed, .tlsFailed,
             .invalidConfiguration, .messageTooLarge, .deliveryTimedOut, .producerFenced, .transactionAbortable,
             .transactionFatal, .illegalState, .logTruncated, .pollIntervalExceeded, .unknownProperty,
             .invalidProperty, .cancelled: false
        }
    }

    /// An error for a broker's error code in a response to `apiKey`.
    public static func broker(_ errorCode: KafkaErrorCode, apiKey: ApiKey?, message: String? = nil,
                              brokerId: Int32? = nil) -> KafkaError {
        KafkaError(errorCode == .unknownTopicOrPartition ? .unknownTopicOrPartition : .brokerError,
                   detail: message ?? errorCode.message, apiKey: apiKey, brokerId: brokerId, brokerErrorCode: errorCode)
    }

    /// The code, the detail and the broker, API and property involved, on one line for logs.
    public var description: String {
        var parts = ["KafkaError.\(code)"]
        if let address { parts.append(brokerId.map { "broker \($0) at \(address)" } ?? address) }
        else if let brokerId { parts.append("broker \(brokerId)") }
        if let apiKey { parts.append("\(apiKey)") }
        parts.append(detail)
        if let clientVersions, let brokerVersions {
            parts.append("client v\(clientVersions.lowerBound)-\(clientVersions.upperBound), broker v\(brokerVersions.lowerBound)-\(brokerVersions.upperBound)")
        }
        if let brokerErrorCode { parts.append("\(brokerErrorCode)") }
        if let underlying { parts.append(underlying) }
        return parts.joined(separator: ": ")
    }

    /// The same error with the broker's identity filled in.
    func at(brokerId: Int32?, address: String?) -> KafkaError {
        var copy = self
        if copy.brokerId == nil { copy.brokerId = brokerId }
        if copy.address == nil { copy.address = address }
        return copy
    }
}
