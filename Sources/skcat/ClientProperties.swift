import KafkaClient
import KafkaWire
import MSKAuth

/// The `-X key=value` client properties (librdkafka's names) turned into the
/// library's configurations. Unknown keys are a usage error, so typos show.
struct ClientProperties: Sendable {
    var cluster: KafkaCluster.Configuration
    var compression: CompressionCodec?
    var acks: KafkaProducer.Acks?
    var lingerMilliseconds: Int?
    var batchSize: Int?
    var groupId: String?
    var autoOffsetReset: KafkaAutoOffsetReset?
    var sessionTimeoutMilliseconds: Int?
    var enableAutoCommit: Bool?
    var assignors: [any KafkaPartitionAssignor]?
    var groupInstanceId: String?
    var groupProtocol: KafkaGroupProtocol?

    init(arguments: KcatArguments) throws(UsageError) {
        var values: [String: String] = [:]
        for (key, value) in arguments.properties { values[key] = value }
        if let brokers = arguments.brokers { values["bootstrap.servers"] = brokers }
        if let codec = arguments.compression { values["compression.codec"] = codec }

        guard let servers = values["bootstrap.servers"] ?? values["metadata.broker.list"] else {
            throw UsageError("no brokers: give -b host:port or -X bootstrap.servers=host:port")
        }
        let bootstrap = servers.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        guard !bootstrap.isEmpty else { throw UsageError("no brokers in \"\(servers)\"") }
        cluster = KafkaCluster.Configuration(bootstrapServers: bootstrap)

        var tls: TLSConfiguration?
        var mechanism = "GSSAPI"
        var username: String?
        var password: String?
        var securityProtocol = "plaintext"
        var region: String?
        var certificate: String?
        var key: String?
        var keyPassword: String?
        var caFile: String?
        var verify = true

        for (name, value) in values {
            switch name {
            case "bootstrap.servers", "metadata.broker.list": break
            case "client.id": cluster.connection.clientId = value
            case "security.protocol": securityProtocol = value.lowercased()
            case "sasl.mechanism", "sasl.mechanisms": mechanism = value.uppercased()
            case "sasl.username": username = value
            case "sasl.password": password = value
            case "sasl.aws.region", "aws.region": region = value
            case "ssl.ca.location": caFile = value
            case "ssl.certificate.location": certificate = value
            case "ssl.key.location": key = value
            case "ssl.key.password": keyPassword = value
            case "enable.ssl.certificate.verification": verify = try Self.bool(name, value)
            case "allow.auto.create.topics": cluster.allowAutoTopicCreation = try Self.bool(name, value)
            case "compression.codec", "compression.type":
                guard let codec = Self.codec(value) else { throw UsageError("\(name): unknown codec \"\(value)\"") }
                compression = codec
            case "acks", "request.required.acks":
                switch value {
                case "0": acks = KafkaProducer.Acks.none
                case "1": acks = .leader
                case "-1", "all": acks = .all
                default: throw UsageError("acks must be 0, 1, -1 or all, not \"\(value)\"")
                }
            case "linger.ms", "queue.buffering.max.ms": lingerMilliseconds = try Self.int(name, value)
            case "batch.size": batchSize = try Self.int(name, value)
            case "group.id": groupId = value
            case "auto.offset.reset":
                switch value {
                case "earliest", "smallest", "beginning": autoOffsetReset = .earliest
                case "latest", "largest", "end": autoOffsetReset = .latest
                case "error": autoOffsetReset = .error
                default: throw UsageError("auto.offset.reset must be earliest, latest or error, not \"\(value)\"")
                }
            case "session.timeout.ms": sessionTimeoutMilliseconds = try Self.int(name, value)
            case "enable.auto.commit": enableAutoCommit = try Self.bool(name, value)
            case "partition.assignment.strategy": assignors = try Self.assignors(value)
            case "group.instance.id": groupInstanceId = value
            case "group.protocol":
                guard let chosen = KafkaGroupProtocol(rawValue: value) else {
                    throw UsageError("group.protocol must be classic or consumer, not \"\(value)\"")
                }
                groupProtocol = chosen
            default:
                throw UsageError("unsupported property \"\(name)\"")
            }
        }

        switch securityProtocol {
        case "plaintext", "sasl_plaintext": break
        case "ssl", "sasl_ssl":
            var configuration = caFile.map { TLSConfiguration.trusting(caFile: $0) } ?? TLSConfiguration()
            if let certificate, let key {
                configuration.certificateChain = .file(certificate)
                configuration.privateKey = .file(key)
                configuration.privateKeyPassword = keyPassword
            } else if certificate != nil || key != nil {
                throw UsageError("ssl.certificate.location and ssl.key.location go together")
            }
            if !verify { configuration.certificateVerification = .noVerification }
            tls = configuration
        default:
            throw UsageError("security.protocol must be plaintext, ssl, sasl_plaintext or sasl_ssl, not \"\(securityProtocol)\"")
        }
        cluster.connection.tls = tls

        if securityProtocol.hasPrefix("sasl") {
            switch mechanism {
            case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
                guard let username, let password else { throw UsageError("sasl.mechanism \(mechanism) needs sasl.username and sasl.password") }
                switch mechanism {
                case "PLAIN": cluster.connection.sasl = PlainMechanism.plain(username: username, password: password)
                case "SCRAM-SHA-256": cluster.connection.sasl = SCRAMMechanism.scramSHA256(username: username, password: password)
                default: cluster.connection.sasl = SCRAMMechanism.scramSHA512(username: username, password: password)
                }
            case "AWS_MSK_IAM":
                cluster.connection.sasl = MSKIAMMechanism(region: region)
            case "OAUTHBEARER":
                guard let region else { throw UsageError("sasl.mechanism OAUTHBEARER (MSK) needs -X sasl.aws.region=REGION") }
                cluster.connection.sasl = OAuthBearerMechanism.mskOAuthBearer(region: region)
            default:
                throw UsageError("unsupported sasl.mechanism \"\(mechanism)\" (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, AWS_MSK_IAM, OAUTHBEARER)")
            }
        }
    }

    static func codec(_ name: String) -> CompressionCodec? {
        switch name.lowercased() {
        case "none": CompressionCodec.none
        case "gzip": .gzip
        case "snappy": .snappy
        case "lz4": .lz4
        case "zstd": .zstd
        default: nil
        }
    }

    private static func int(_ name: String, _ value: String) throws(UsageError) -> Int {
        guard let number = Int(value), number >= 0 else { throw UsageError("\(name) needs a number, not \"\(value)\"") }
        return number
    }

    private static func bool(_ name: String, _ value: String) throws(UsageError) -> Bool {
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw UsageError("\(name) needs true or false, not \"\(value)\"")
        }
    }

    var producer: KafkaProducer.Configuration {
        var configuration = KafkaProducer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.cluster = cluster
        if let compression { configuration.compression = compression }
        if let acks {
            configuration.acks = acks
            if acks != .all { configuration.enableIdempotence = false }
        }
        if let lingerMilliseconds { configuration.linger = .milliseconds(lingerMilliseconds) }
        if let batchSize { configuration.batchSize = batchSize }
        return configuration
    }

    func consumer(groupId overriding: String?) -> KafkaConsumer.Configuration {
        var configuration = KafkaConsumer.Configuration(bootstrapServers: cluster.bootstrapServers)
        configuration.cluster = cluster
        configuration.groupId = overriding ?? groupId
        if let autoOffsetReset { configuration.autoOffsetReset = autoOffsetReset }
        if let sessionTimeoutMilliseconds {
            configuration.sessionTimeout = .milliseconds(sessionTimeoutMilliseconds)
            configuration.heartbeatInterval = .milliseconds(max(100, sessionTimeoutMilliseconds / 3))
        }
        if let enableAutoCommit { configuration.enableAutoCommit = enableAutoCommit }
        if let assignors { configuration.partitionAssignors = assignors }
        if let groupInstanceId { configuration.groupInstanceId = groupInstanceId }
        if let groupProtocol { configuration.groupProtocol = groupProtocol }
        return configuration
    }

    /// librdkafka's comma-separated `partition.assignment.strategy`.
    static func assignors(_ value: String) throws(UsageError) -> [any KafkaPartitionAssignor] {
        try value.split(separator: ",").map { (name) throws(UsageError) -> any KafkaPartitionAssignor in
            switch name.trimmingCharacters(in: .whitespaces) {
            case "range": RangeAssignor()
            case "roundrobin": RoundRobinAssignor()
            case "cooperative-sticky": CooperativeStickyAssignor()
            default: throw UsageError("partition.assignment.strategy takes range, roundrobin and cooperative-sticky, not \"\(name)\"")
            }
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
