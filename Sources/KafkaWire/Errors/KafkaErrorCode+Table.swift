// The facts behind each known code, indexed by `code - KafkaErrorCode.Info.firstCode`.

extension KafkaErrorCode {
    /// What the protocol says about one known code.
    struct Info: Sendable {
        /// The lowest code in `table` (UNKNOWN_SERVER_ERROR).
        static let firstCode: Int16 = -1

        let name: String
        let isRetriable: Bool
        let message: String

        init(_ name: String, _ isRetriable: Bool, _ message: String) {
            self.name = name
            self.isRetriable = isRetriable
            self.message = message
        }
    }

    /// One entry per code, from -1 upwards, with no gaps.
    static let table: [Info] = [
        Info("UNKNOWN_SERVER_ERROR", false, "The broker hit an unexpected error while handling the request."), // -1
        Info("NONE", false, "No error."), // 0
        Info("OFFSET_OUT_OF_RANGE", false, "The offset is outside the range the broker holds for this partition."), // 1
        Info("CORRUPT_MESSAGE", true, "A record batch failed its CRC check, is too large, or is otherwise corrupt (for example a null key on a compacted topic)."), // 2
        Info("UNKNOWN_TOPIC_OR_PARTITION", true, "This broker does not host the topic or partition."), // 3
        Info("INVALID_FETCH_SIZE", false, "The requested fetch size is not valid."), // 4
        Info("LEADER_NOT_AVAILABLE", true, "The partition has no leader right now; a leader election is under way."), // 5
        Info("NOT_LEADER_OR_FOLLOWER", true, "This broker is not the leader (or not a replica) for the partition."), // 6
        Info("REQUEST_TIMED_OUT", true, "The request timed out on the broker."), // 7
        Info("BROKER_NOT_AVAILABLE", false, "The broker is not available."), // 8
        Info("REPLICA_NOT_AVAILABLE", true, "The replica for this partition is not available."), // 9
        Info("MESSAGE_TOO_LARGE", false, "A record is larger than the broker's maximum message size."), // 10
        Info("STALE_CONTROLLER_EPOCH", false, "The controller has moved to another broker."), // 11
        Info("OFFSET_METADATA_TOO_LARGE", false, "The metadata string of an offset commit is too large."), // 12
        Info("NETWORK_EXCEPTION", true, "The broker disconnected before answering."), // 13
        Info("COORDINATOR_LOAD_IN_PROGRESS", true, "The coordinator is still loading and cannot serve requests yet."), // 14
        Info("COORDINATOR_NOT_AVAILABLE", true, "The coordinator is not available."), // 15
        Info("NOT_COORDINATOR", true, "This broker is not the coordinator for the group or transactional id."), // 16
        Info("INVALID_TOPIC_EXCEPTION", false, "The operation names an invalid topic."), // 17
        Info("RECORD_LIST_TOO_LARGE", false, "A record batch is larger than the broker's segment size."), // 18
        Info("NOT_ENOUGH_REPLICAS", true, "Fewer in-sync replicas exist than required, so the records were rejected."), // 19
        Info("NOT_ENOUGH_REPLICAS_AFTER_APPEND", true, "The records were written, but to fewer in-sync replicas than required."), // 20
        Info("INVALID_REQUIRED_ACKS", false, "The Produce request has an invalid acks value."), // 21
        Info("ILLEGAL_GENERATION", false, "The group generation id is not valid."), // 22
        Info("INCONSISTENT_GROUP_PROTOCOL", false, "The member's protocols are incompatible with the group's, or the protocol list is empty."), // 23
        Info("INVALID_GROUP_ID", false, "The group id is not valid."), // 24
        Info("UNKNOWN_MEMBER_ID", false, "The coordinator does not know this member id."), // 25
        Info("INVALID_SESSION_TIMEOUT", false, "The session timeout is outside the broker's allowed range (group.min/max.session.timeout.ms)."), // 26
        Info("REBALANCE_IN_PROGRESS", false, "The group is rebalancing; the member must rejoin."), // 27
        Info("INVALID_COMMIT_OFFSET_SIZE", false, "The size of the committed offset data is not valid."), // 28
        Info("TOPIC_AUTHORIZATION_FAILED", false, "Not authorized to access the topic."), // 29
        Info("GROUP_AUTHORIZATION_FAILED", false, "Not authorized to access the group."), // 30
        Info("CLUSTER_AUTHORIZATION_FAILED", false, "Not authorized for this cluster operation."), // 31
        Info("INVALID_TIMESTAMP", false, "A record timestamp is outside the accepted range."), // 32
        Info("UNSUPPORTED_SASL_MECHANISM", false, "The broker does not support the requested SASL mechanism."), // 33
        Info("ILLEGAL_SASL_STATE", false, "The request is not valid in the current SASL state."), // 34
        Info("UNSUPPORTED_VERSION", false, "The broker does not support this API version."), // 35
        Info("TOPIC_ALREADY_EXISTS", false, "A topic with this name already exists."), // 36
        Info("INVALID_PARTITIONS", false, "The number of partitions is not valid."), // 37
        Info("INVALID_REPLICATION_FACTOR", false, "The replication factor is below 1 or above the number of brokers."), // 38
        Info("INVALID_REPLICA_ASSIGNMENT", false, "The replica assignment is not valid."), // 39
        Info("INVALID_CONFIG", false, "The configuration is not valid."), // 40
        Info("NOT_CONTROLLER", true, "This broker is not the active controller."), // 41
        Info("INVALID_REQUEST", false, "The request is malformed or was sent to an incompatible broker."), // 42
        Info("UNSUPPORTED_FOR_MESSAGE_FORMAT", false, "The broker's message format does not support this request."), // 43
        Info("POLICY_VIOLATION", false, "The request violates a configured policy."), // 44
        Info("OUT_OF_ORDER_SEQUENCE_NUMBER", false, "The broker saw an out-of-order producer sequence number."), // 45
        Info("DUPLICATE_SEQUENCE_NUMBER", false, "The broker saw a duplicate producer sequence number."), // 46
        Info("INVALID_PRODUCER_EPOCH", false, "The producer used an outdated epoch."), // 47
        Info("INVALID_TXN_STATE", false, "The transactional operation is not valid in the producer's current state."), // 48
        Info("INVALID_PRODUCER_ID_MAPPING", false, "The producer id is not assigned to this transactional id."), // 49
        Info("INVALID_TRANSACTION_TIMEOUT", false, "The transaction timeout exceeds the broker's transaction.max.timeout.ms."), // 50
        Info("CONCURRENT_TRANSACTIONS", true, "Another operation on the same transaction is still in progress."), // 51
        Info("TRANSACTION_COORDINATOR_FENCED", false, "The transaction coordinator that sent the marker is no longer current."), // 52
        Info("TRANSACTIONAL_ID_AUTHORIZATION_FAILED", false, "Not authorized for this transactional id."), // 53
        Info("SECURITY_DISABLED", false, "Security features are disabled on the broker."), // 54
        Info("OPERATION_NOT_ATTEMPTED", false, "The broker did not attempt this operation because another part of the batch failed."), // 55
        Info("KAFKA_STORAGE_ERROR", true, "The broker hit a disk error while accessing the log."), // 56
        Info("LOG_DIR_NOT_FOUND", false, "The log directory is not in the broker's configuration."), // 57
        Info("SASL_AUTHENTICATION_FAILED", false, "SASL authentication failed."), // 58
        Info("UNKNOWN_PRODUCER_ID", false, "The broker has no state for this producer id, for example after its records expired."), // 59
        Info("REASSIGNMENT_IN_PROGRESS", false, "A partition reassignment is in progress."), // 60
        Info("DELEGATION_TOKEN_AUTH_DISABLED", false, "Delegation tokens are not enabled."), // 61
        Info("DELEGATION_TOKEN_NOT_FOUND", false, "The delegation token does not exist on the broker."), // 62
        Info("DELEGATION_TOKEN_OWNER_MISMATCH", false, "The principal is not the owner or renewer of the delegation token."), // 63
        Info("DELEGATION_TOKEN_REQUEST_NOT_ALLOWED", false, "Delegation token requests are not allowed on this kind of connection."), // 64
        Info("DELEGATION_TOKEN_AUTHORIZATION_FAILED", false, "Not authorized for this delegation token."), // 65
        Info("DELEGATION_TOKEN_EXPIRED", false, "The delegation token has expired."), // 66
        Info("INVALID_PRINCIPAL_TYPE", false, "The principal type is not supported."), // 67
        Info("NON_EMPTY_GROUP", false, "The group is not empty."), // 68
        Info("GROUP_ID_NOT_FOUND", false, "The group id does not exist."), // 69
        Info("FETCH_SESSION_ID_NOT_FOUND", true, "The fetch session id is unknown."), // 70
        Info("INVALID_FETCH_SESSION_EPOCH", true, "The fetch session epoch is not valid."), // 71
        Info("LISTENER_NOT_FOUND", true, "The leader has no listener matching the one this metadata request arrived on."), // 72
        Info("TOPIC_DELETION_DISABLED", false, "Topic deletion is disabled."), // 73
        Info("FENCED_LEADER_EPOCH", true, "The request's leader epoch is older than the broker's."), // 74
        Info("UNKNOWN_LEADER_EPOCH", true, "The request's leader epoch is newer than the broker's."), // 75
        Info("UNSUPPORTED_COMPRESSION_TYPE", false, "The client does not support the partition's compression type."), // 76
        Info("STALE_BROKER_EPOCH", false, "The broker epoch has changed."), // 77
        Info("OFFSET_NOT_AVAILABLE", true, "The leader's high watermark has not caught up since an election, so offsets are not yet safe to return."), // 78
        Info("MEMBER_ID_REQUIRED", false, "The member must obtain a member id before joining the group."), // 79
        Info("PREFERRED_LEADER_NOT_AVAILABLE", true, "The preferred leader is not available."), // 80
        Info("GROUP_MAX_SIZE_REACHED", false, "The group has reached its maximum size."), // 81
        Info("FENCED_INSTANCE_ID", false, "Another member registered with the same group.instance.id, fencing this one."), // 82
        Info("ELIGIBLE_LEADERS_NOT_AVAILABLE", true, "No eligible leader is available for the partition."), // 83
        Info("ELECTION_NOT_NEEDED", true, "The partition does not need a leader election."), // 84
        Info("NO_REASSIGNMENT_IN_PROGRESS", false, "No partition reassignment is in progress."), // 85
        Info("GROUP_SUBSCRIBED_TO_TOPIC", false, "Offsets of a topic cannot be deleted while the group is subscribed to it."), // 86
        Info("INVALID_RECORD", false, "The broker rejected the record after validating it."), // 87
        Info("UNSTABLE_OFFSET_COMMIT", true, "Unstable (pending transactional) offsets must be resolved first."), // 88
        Info("THROTTLING_QUOTA_EXCEEDED", true, "The throttling quota has been exceeded."), // 89
        Info("PRODUCER_FENCED", false, "A newer producer with the same transactional id has fenced this one."), // 90
        Info("RESOURCE_NOT_FOUND", false, "The request refers to a resource that does not exist."), // 91
        Info("DUPLICATE_RESOURCE", false, "The request refers to the same resource twice."), // 92
        Info("UNACCEPTABLE_CREDENTIAL", false, "The credential does not meet the acceptability criteria."), // 93
        Info("INCONSISTENT_VOTER_SET", false, "The sender or receiver of a voter request is not an expected voter."), // 94
        Info("INVALID_UPDATE_VERSION", false, "The update version is not valid."), // 95
        Info("FEATURE_UPDATE_FAILED", false, "The finalized features could not be updated because of a broker error."), // 96
        Info("PRINCIPAL_DESERIALIZATION_FAILURE", false, "The request principal could not be deserialized while forwarding."), // 97
        Info("SNAPSHOT_NOT_FOUND", false, "The requested snapshot does not exist."), // 98
        Info("POSITION_OUT_OF_RANGE", false, "The snapshot position is negative or beyond the snapshot's size."), // 99
        Info("UNKNOWN_TOPIC_ID", true, "This broker does not host the topic id."), // 100
        Info("DUPLICATE_BROKER_REGISTRATION", false, "This broker id is already registered."), // 101
        Info("BROKER_ID_NOT_REGISTERED", false, "The broker id is not registered."), // 102
        Info("INCONSISTENT_TOPIC_ID", true, "The topic id in the request does not match the broker's."), // 103
        Info("INCONSISTENT_CLUSTER_ID", false, "The cluster id does not match."), // 104
        Info("TRANSACTIONAL_ID_NOT_FOUND", false, "The transactional id does not exist."), // 105
        Info("FETCH_SESSION_TOPIC_ID_ERROR", true, "The fetch session's topic id changed or is inconsistent."), // 106
        Info("INELIGIBLE_REPLICA", false, "The replica is not eligible to join the ISR."), // 107
        Info("NEW_LEADER_ELECTED", false, "A new leader was elected; the request was not applied."), // 108
        Info("OFFSET_MOVED_TO_TIERED_STORAGE", false, "The requested offset has moved to tiered storage."), // 109
        Info("FENCED_MEMBER_EPOCH", false, "The member epoch is fenced; the member must give up its partitions and rejoin."), // 110
        Info("UNRELEASED_INSTANCE_ID", false, "Another member still uses this instance id and must leave first."), // 111
        Info("UNSUPPORTED_ASSIGNOR", false, "The group does not support this assignor or version range."), // 112
        Info("STALE_MEMBER_EPOCH", false, "The member epoch is stale; retry after the heartbeat returns the current epoch."), // 113
        Info("MISMATCHED_ENDPOINT_TYPE", false, "The request was sent to the wrong kind of endpoint."), // 114
        Info("UNSUPPORTED_ENDPOINT_TYPE", false, "This endpoint type is not supported."), // 115
        Info("UNKNOWN_CONTROLLER_ID", false, "The controller id is unknown."), // 116
        Info("UNKNOWN_SUBSCRIPTION_ID", false, "The telemetry subscription id is unknown or outdated."), // 117
        Info("TELEMETRY_TOO_LARGE", false, "The telemetry push is larger than the broker accepts."), // 118
        Info("INVALID_REGISTRATION", false, "The controller considers the broker registration invalid."), // 119
        Info("TRANSACTION_ABORTABLE", false, "The transaction hit an error; abort it to keep using the transactional id."), // 120
        Info("INVALID_RECORD_STATE", false, "The record state is not valid, so the delivery could not be acknowledged."), // 121
        Info("SHARE_SESSION_NOT_FOUND", true, "The share session does not exist."), // 122
        Info("INVALID_SHARE_SESSION_EPOCH", true, "The share session epoch is not valid."), // 123
        Info("FENCED_STATE_EPOCH", false, "The share-group state epoch does not match."), // 124
        Info("INVALID_VOTER_KEY", false, "The voter key does not match the receiving replica's."), // 125
        Info("DUPLICATE_VOTER", false, "The voter is already in the voter set."), // 126
        Info("VOTER_NOT_FOUND", false, "The voter is not in the voter set."), // 127
        Info("INVALID_REGULAR_EXPRESSION", false, "The regular expression is not valid."), // 128
        Info("REBOOTSTRAP_REQUIRED", false, "The client's metadata is stale; it must rebootstrap."), // 129
        Info("STREAMS_INVALID_TOPOLOGY", false, "The topology is not valid."), // 130
        Info("STREAMS_INVALID_TOPOLOGY_EPOCH", false, "The topology epoch is not valid."), // 131
        Info("STREAMS_TOPOLOGY_FENCED", false, "The topology epoch is outdated."), // 132
        Info("SHARE_SESSION_LIMIT_REACHED", true, "The broker's share session limit has been reached."), // 133
    ]
}
