extension ApiKey {
    /// Whether the client must hold back its next requests to the broker for a
    /// response's `throttle_time_ms` (KIP-219), as opposed to the broker enforcing
    /// the quota itself.
    ///
    /// KIP-219 (Kafka 2.0) bumped each API's version: from that version on, the
    /// broker answers at once and the client waits; on older versions the broker
    /// delays the answer (or mutes the connection), so a client that also waited
    /// would be throttled twice. APIs added later follow the rule from version 0;
    /// APIs whose response the Java client never throttles on (its
    /// `AbstractResponse.shouldClientThrottle` default) answer false, so that both
    /// clients behave alike against the same broker.
    public func clientEnforcesThrottle(version: Int16) -> Bool {
        guard let first = Self.firstClientThrottledVersion[self] else { return false }
        return version >= first
    }

    /// The first version of each API on which the client throttles itself, as
    /// the Java client's responses declare it.
    private static let firstClientThrottledVersion: [ApiKey: Int16] = [
        .produce: 6, .fetch: 8, .listOffsets: 3, .metadata: 6, .offsetCommit: 4, .offsetFetch: 4, .findCoordinator: 2,
        .joinGroup: 3, .heartbeat: 2, .leaveGroup: 2, .syncGroup: 2, .describeGroups: 2, .listGroups: 2, .apiVersions: 2,
        .createTopics: 3, .deleteTopics: 2, .deleteRecords: 1, .initProducerId: 1, .addPartitionsToTxn: 1, .addOffsetsToTxn: 1,
        .endTxn: 1, .txnOffsetCommit: 1, .describeAcls: 1, .createAcls: 1, .deleteAcls: 1, .describeConfigs: 2, .alterConfigs: 1,
        .alterReplicaLogDirs: 1, .describeLogDirs: 1, .createPartitions: 1, .createDelegationToken: 1, .renewDelegationToken: 1,
        .expireDelegationToken: 1, .describeDelegationToken: 1, .deleteGroups: 1,
        // Added after KIP-219: throttled by the client from their first version.
        .electLeaders: 0, .incrementalAlterConfigs: 0, .alterPartitionReassignments: 0, .listPartitionReassignments: 0,
        .offsetDelete: 0, .describeUserScramCredentials: 0, .alterUserScramCredentials: 0, .brokerRegistration: 0,
        .brokerHeartbeat: 0, .unregisterBroker: 0, .describeTopicPartitions: 0,
    ]
}
