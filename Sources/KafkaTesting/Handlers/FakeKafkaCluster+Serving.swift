import Foundation
import KafkaClient
import KafkaWire

/// What a handler knows about the request besides its body.
struct RequestContext {
    let broker: Int32
    let version: Int16
    /// An injected error to answer with instead of handling the request.
    let forcedError: KafkaErrorCode?
    /// An injected throttle time for the response.
    let throttleMs: Int32
    /// The client id from the request header.
    var clientId: String = ""
    /// Injected errors aimed at a topic (partition nil) or a partition inside the request.
    var targetedErrors: [FaultTarget: KafkaErrorCode] = [:]

    /// The injected error for one partition's entry: one for the whole request, or one aimed at it or its topic.
    func injectedError(topic: String, partition: Int32) -> KafkaErrorCode? {
        forcedError ?? targetedErrors[FaultTarget(topic: topic, partition: partition)] ?? targetedErrors[FaultTarget(topic: topic, partition: nil)]
    }

    /// The injected error for a topic's entry (where an API answers per topic).
    func injectedError(topic: String) -> KafkaErrorCode? {
        forcedError ?? targetedErrors[FaultTarget(topic: topic, partition: nil)]
    }
}

extension ClusterState {
    /// The partition a data request may use on this broker: an injected error first,
    /// then the leadership and leader-epoch checks a broker makes.
    func serving(_ key: PartitionKey, _ context: RequestContext, currentLeaderEpoch: Int32 = -1) -> Result<Partition, KafkaErrorCode> {
        if let injected = context.injectedError(topic: key.topic, partition: key.partition) { return .failure(injected) }
        return ledPartition(key, on: context.broker, currentLeaderEpoch: currentLeaderEpoch)
    }

    /// As `serving`, for a Fetch naming the client's rack (KIP-392): followers serve it too.
    func servingReplica(_ key: PartitionKey, _ context: RequestContext, currentLeaderEpoch: Int32) -> Result<Partition, KafkaErrorCode> {
        if let injected = context.injectedError(topic: key.topic, partition: key.partition) { return .failure(injected) }
        guard let topic = topics[key.topic], key.partition >= 0, Int(key.partition) < topic.partitions.count else {
            return .failure(.unknownTopicOrPartition)
        }
        let partition = topic.partitions[Int(key.partition)]
        guard partition.replicas.contains(context.broker) else { return .failure(.notLeaderOrFollower) }
        if currentLeaderEpoch >= 0 {
            if currentLeaderEpoch < partition.leaderEpoch { return .failure(.fencedLeaderEpoch) }
            if currentLeaderEpoch > partition.leaderEpoch { return .failure(.unknownLeaderEpoch) }
        }
        return .success(partition)
    }
}

extension FakeKafkaCluster {
    /// The APIs the fake answers and the versions it advertises: the newest ones
    /// (those the handlers implement) down to where their semantics are the same.
    static let supportedVersions: [ApiKey: ClosedRange<Int16>] = [
        .produce: 3 ... 11, .fetch: 4 ... 17, .listOffsets: 1 ... 9, .metadata: 4 ... 12,
        .offsetCommit: 2 ... 9, .offsetFetch: 1 ... 9, .findCoordinator: 4 ... 6, .joinGroup: 4 ... 9,
        .heartbeat: 0 ... 4, .leaveGroup: 3 ... 5, .syncGroup: 0 ... 5, .apiVersions: 0 ... 4,
        .createTopics: 2 ... 7, .deleteTopics: 1 ... 6, .deleteRecords: 0 ... 2, .initProducerId: 0 ... 5,
        .offsetForLeaderEpoch: 2 ... 4, .describeGroups: 0 ... 5, .listGroups: 0 ... 5,
        // Transactions v1. AddPartitionsToTxn v4+ is the broker-to-broker batch form and
        // EndTxn v5 is transactions v2 (KIP-890), neither of which the fake implements.
        .addPartitionsToTxn: 0 ... 3, .addOffsetsToTxn: 0 ... 4, .endTxn: 0 ... 4, .txnOffsetCommit: 0 ... 4,
    ]

    /// Answers requests on one connection in order until the peer closes, a fault
    /// cuts it, or a request is malformed (a broker closes the connection then too).
    func serve(_ connection: FrameConnection, broker: Int32) {
        while let frame = connection.readFrame() {
            let reader = WireReader(frame)
            guard let rawKey = reader.getInteger(at: 0, as: Int16.self), let version = reader.getInteger(at: 2, as: Int16.self),
                  let correlationId = reader.getInteger(at: 4, as: Int32.self) else { break }
            let apiKey = ApiKey(rawValue: rawKey)
            let clientId = Self.clientId(in: frame)
            state.withLock { $0.requests.append(FakeClusterRequest(broker: broker, apiKey: apiKey, version: version, receivedAt: .now)) }
            let header = Header(broker: broker, apiKey: apiKey, version: version, correlationId: correlationId, clientId: clientId)
            let context: RequestContext
            let cutAfterHandling: Bool
            switch intercept(frame, header, connection) {
            case .handle(let planned, let cut): (context, cutAfterHandling) = (planned, cut)
            case .answered: continue
            case .closed: return
            }
            guard let range = Self.supportedVersions[apiKey], range.contains(version) || apiKey == .apiVersions else { break }
            let response: [UInt8]?
            do {
                response = try handle(frame, apiKey: apiKey, correlationId: correlationId, context: context)
            } catch {
                break
            }
            if cutAfterHandling { connection.cut(); return }
            if let response, !connection.writeFrame(response) { break }
        }
        connection.cut()
    }

    /// The client id of a request header (v1 and v2 carry it the same way, right after
    /// the correlation id, as a nullable int16-length string).
    static func clientId(in frame: [UInt8]) -> String? {
        let reader = WireReader(frame)
        guard let length = reader.getInteger(at: 8, as: Int16.self), length >= 0, frame.count >= 10 + Int(length) else { return nil }
        return String(decoding: frame[10 ..< 10 + Int(length)], as: UTF8.self)
    }

    private func handle(_ frame: [UInt8], apiKey: ApiKey, correlationId: Int32, context: RequestContext) throws(KafkaWireError) -> [UInt8]? {
        switch apiKey {
        case .apiVersions: return apiVersions(frame, correlationId: correlationId, context: context)
        case .metadata: return try answer(frame, context, metadata)
        case .createTopics: return try answer(frame, context, createTopics)
        case .deleteTopics: return try answer(frame, context, deleteTopics)
        case .deleteRecords: return try answer(frame, context, deleteRecords)
        case .produce: return try answer(frame, context, produce)
        case .fetch: return try answer(frame, context, fetch)
        case .listOffsets: return try answer(frame, context, listOffsets)
        case .offsetForLeaderEpoch: return try answer(frame, context, offsetForLeaderEpoch)
        case .initProducerId: return try answer(frame, context, initProducerId)
        case .addPartitionsToTxn: return try answer(frame, context, addPartitionsToTxn)
        case .addOffsetsToTxn: return try answer(frame, context, addOffsetsToTxn)
        case .endTxn: return try answer(frame, context, endTxn)
        case .txnOffsetCommit: return try answer(frame, context, txnOffsetCommit)
        case .findCoordinator: return try answer(frame, context, findCoordinator)
        case .joinGroup: return try answer(frame, context, joinGroup)
        case .syncGroup: return try answer(frame, context, syncGroup)
        case .heartbeat: return try answer(frame, context, heartbeat)
        case .leaveGroup: return try answer(frame, context, leaveGroup)
        case .describeGroups: return try answer(frame, context, describeGroups)
        case .listGroups: return try answer(frame, context, listGroups)
        case .offsetCommit: return try answer(frame, context, offsetCommit)
        case .offsetFetch: return try answer(frame, context, offsetFetch)
        default: return nil
        }
    }

    /// Decodes a request of type `R`, runs `handler`, encodes its response (none for acks=0 produce).
    private func answer<R: KafkaRequest>(_ frame: [UInt8], _ context: RequestContext,
                                         _ handler: (R, RequestContext) -> R.Response?) throws(KafkaWireError) -> [UInt8]? {
        let (header, request) = try R.decodeFrame(frame)
        guard let response = handler(request, context) else { return nil }
        return try response.encodeFrame(version: header.requestApiVersion, correlationId: header.correlationId)
    }

    /// ApiVersions: answered even at a version the fake doesn't know (KIP-511), at v0 with
    /// UNSUPPORTED_VERSION and the list, so the client can retry lower.
    private func apiVersions(_ frame: [UInt8], correlationId: Int32, context: RequestContext) -> [UInt8]? {
        var response = ApiVersionsResponse()
        response.apiKeys = Self.supportedVersions.sorted { $0.key < $1.key }.map { key, range in
            var entry = ApiVersionsResponse.ApiVersion()
            entry.apiKey = key.rawValue
            entry.minVersion = range.lowerBound
            entry.maxVersion = range.upperBound
            return entry
        }
        var version = context.version
        if !ApiVersionsRequest.validVersions.contains(version) {
            response.errorCode = KafkaErrorCode.unsupportedVersion.rawValue
            version = 0
        } else if let forcedError = context.forcedError {
            response.errorCode = forcedError.rawValue
        }
        response.throttleTimeMs = context.throttleMs
        return try? response.encodeFrame(version: version, correlationId: correlationId)
    }
}
