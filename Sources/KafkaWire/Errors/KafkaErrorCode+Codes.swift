// Every error code of the Kafka protocol, as named constants.
//
// Codes, names and retriable flags follow Apache Kafka's `Errors` enum; a flag is true
// when the Java client's exception for the code derives from `RetriableException`.

extension KafkaErrorCode {
    /// -1 `UNKNOWN_SERVER_ERROR`: The broker hit an unexpected error while handling the request.
    public static let unknownServerError = KafkaErrorCode(-1)
    /// 0 `NONE`: No error.
    public static let noError = KafkaErrorCode(0)
    /// 1 `OFFSET_OUT_OF_RANGE`: The offset is outside the range the broker holds for this partition.
    public static let offsetOutOfRange = KafkaErrorCode(1)
    /// 2 `CORRUPT_MESSAGE`: A record batch failed its CRC check, is too large, or is otherwise corrupt (for example a null key on a compacted topic). Retriable.
    public static let corruptMessage = KafkaErrorCode(2)
    /// 3 `UNKNOWN_TOPIC_OR_PARTITION`: This broker does not host the topic or partition. Retriable.
    public static let unknownTopicOrPartition = KafkaErrorCode(3)
    /// 4 `INVALID_FETCH_SIZE`: The requested fetch size is not valid.
    public static let invalidFetchSize = KafkaErrorCode(4)
    /// 5 `LEADER_NOT_AVAILABLE`: The partition has no leader right now; a leader election is under way. Retriable.
    public static let leaderNotAvailable = KafkaErrorCode(5)
    /// 6 `NOT_LEADER_OR_FOLLOWER`: This broker is not the leader (or not a replica) for the partition. Retriable.
    public static let notLeaderOrFollower = KafkaErrorCode(6)
    /// 7 `REQUEST_TIMED_OUT`: The request timed out on the broker. Retriable.
    public static let requestTimedOut = KafkaErrorCode(7)
    /// 8 `BROKER_NOT_AVAILABLE`: The broker is not available.
    public static let brokerNotAvailable = KafkaErrorCode(8)
    /// 9 `REPLICA_NOT_AVAILABLE`: The replica for this partition is not available. Retriable.
    public static let replicaNotAvailable = KafkaErrorCode(9)
    /// 10 `MESSAGE_TOO_LARGE`: A record is larger than the broker's maximum message size.
    public static let messageTooLarge = KafkaErrorCode(10)
    /// 11 `STALE_CONTROLLER_EPOCH`: The controller has moved to another broker.
    public static let staleControllerEpoch = KafkaErrorCode(11)
    /// 12 `OFFSET_METADATA_TOO_LARGE`: The metadata string of an offset commit is too large.
    public static let offsetMetadataTooLarge = KafkaErrorCode(12)
    /// 13 `NETWORK_EXCEPTION`: The broker disconnected before answering. Retriable.
    public static let networkException = KafkaErrorCode(13)
    /// 14 `COORDINATOR_LOAD_IN_PROGRESS`: The coordinator is still loading and cannot serve requests yet. Retriable.
    public static let coordinatorLoadInProgress = KafkaErrorCode(14)
    /// 15 `COORDINATOR_NOT_AVAILABLE`: The coordinator is not available. Retriable.
    public static let coordinatorNotAvailable = KafkaErrorCode(15)
    /// 16 `NOT_COORDINATOR`: This broker is not the coordinator for the group or transactional id. Retriable.
    public static let notCoordinator = KafkaErrorCode(16)
    /// 17 `INVALID_TOPIC_EXCEPTION`: The operation names an invalid topic.
    public static let invalidTopicException = KafkaErrorCode(17)
    /// 18 `RECORD_LIST_TOO_LARGE`: A record batch is larger than the broker's segment size.
    public static let recordListTooLarge = KafkaErrorCode(18)
    /// 19 `NOT_ENOUGH_REPLICAS`: Fewer in-sync replicas exist than required, so the records were rejected. Retriable.
    public static let notEnoughReplicas = KafkaErrorCode(19)
    /// 20 `NOT_ENOUGH_REPLICAS_AFTER_APPEND`: The records were written, but to fewer in-sync replicas than required. Retriable.
    public static let notEnoughReplicasAfterAppend = KafkaErrorCode(20)
    /// 21 `INVALID_REQUIRED_ACKS`: The Produce request has an invalid acks value.
    public static let invalidRequiredAcks = KafkaErrorCode(21)
    /// 22 `ILLEGAL_GENERATION`: The group generation id is not valid.
    public static let illegalGeneration = KafkaErrorCode(22)
    /// 23 `INCONSISTENT_GROUP_PROTOCOL`: The member's protocols are incompatible with the group's, or the protocol list is empty.
    public static let inconsistentGroupProtocol = KafkaErrorCode(23)
    /// 24 `INVALID_GROUP_ID`: The group id is not valid.
    public static let invalidGroupId = KafkaErrorCode(24)
    /// 25 `UNKNOWN_MEMBER_ID`: The coordinator does not know this member id.
    public static let unknownMemberId = KafkaErrorCode(25)
    /// 26 `INVALID_SESSION_TIMEOUT`: The session timeout is outside the broker's allowed range (group.min/max.session.timeout.ms).
    public static let invalidSessionTimeout = KafkaErrorCode(26)
    /// 27 `REBALANCE_IN_PROGRESS`: The group is rebalancing; the member must rejoin.
    public static let rebalanceInProgress = KafkaErrorCode(27)
    /// 28 `INVALID_COMMIT_OFFSET_SIZE`: The size of the committed offset data is not valid.
    public static let invalidCommitOffsetSize = KafkaErrorCode(28)
    /// 29 `TOPIC_AUTHORIZATION_FAILED`: Not authorized to access the topic.
    public static let topicAuthorizationFailed = KafkaErrorCode(29)
    /// 30 `GROUP_AUTHORIZATION_FAILED`: Not authorized to access the group.
    public static let groupAuthorizationFailed = KafkaErrorCode(30)
    /// 31 `CLUSTER_AUTHORIZATION_FAILED`: Not authorized for this cluster operation.
    public static let clusterAuthorizationFailed = KafkaErrorCode(31)
    /// 32 `INVALID_TIMESTAMP`: A record timestamp is outside the accepted range.
    public static let invalidTimestamp = KafkaErrorCode(32)
    /// 33 `UNSUPPORTED_SASL_MECHANISM`: The broker does not support the requested SASL mechanism.
    public static let unsupportedSaslMechanism = KafkaErrorCode(33)
    /// 34 `ILLEGAL_SASL_STATE`: The request is not valid in the current SASL state.
    public static let illegalSaslState = KafkaErrorCode(34)
    /// 35 `UNSUPPORTED_VERSION`: The broker does not support this API version.
    public static let unsupportedVersion = KafkaErrorCode(35)
    /// 36 `TOPIC_ALREADY_EXISTS`: A topic with this name already exists.
    public static let topicAlreadyExists = KafkaErrorCode(36)
    /// 37 `INVALID_PARTITIONS`: The number of partitions is not valid.
    public static let invalidPartitions = KafkaErrorCode(37)
    /// 38 `INVALID_REPLICATION_FACTOR`: The replication factor is below 1 or above the number of brokers.
    public static let invalidReplicationFactor = KafkaErrorCode(38)
    /// 39 `INVALID_REPLICA_ASSIGNMENT`: The replica assignment is not valid.
    public static let invalidReplicaAssignment = KafkaErrorCode(39)
    /// 40 `INVALID_CONFIG`: The configuration is not valid.
    public static let invalidConfig = KafkaErrorCode(40)
    /// 41 `NOT_CONTROLLER`: This broker is not the active controller. Retriable.
    public static let notController = KafkaErrorCode(41)
    /// 42 `INVALID_REQUEST`: The request is malformed or was sent to an incompatible broker.
    public static let invalidRequest = KafkaErrorCode(42)
    /// 43 `UNSUPPORTED_FOR_MESSAGE_FORMAT`: The broker's message format does not support this request.
    public static let unsupportedForMessageFormat = KafkaErrorCode(43)
    /// 44 `POLICY_VIOLATION`: The request violates a configured policy.
    public static let policyViolation = KafkaErrorCode(44)
    /// 45 `OUT_OF_ORDER_SEQUENCE_NUMBER`: The broker saw an out-of-order producer sequence number.
    public static let outOfOrderSequenceNumber = KafkaErrorCode(45)
    /// 46 `DUPLICATE_SEQUENCE_NUMBER`: The broker saw a duplicate producer sequence number.
    public static let duplicateSequenceNumber = KafkaErrorCode(46)
    /// 47 `INVALID_PRODUCER_EPOCH`: The producer used an outdated epoch.
    public static let invalidProducerEpoch = KafkaErrorCode(47)
    /// 48 `INVALID_TXN_STATE`: The transactional operation is not valid in the producer's current state.
    public static let invalidTxnState = KafkaErrorCode(48)
    /// 49 `INVALID_PRODUCER_ID_MAPPING`: The producer id is not assigned to this transactional id.
    public static let invalidProducerIdMapping = KafkaErrorCode(49)
    /// 50 `INVALID_TRANSACTION_TIMEOUT`: The transaction timeout exceeds the broker's transaction.max.timeout.ms.
    public static let invalidTransactionTimeout = KafkaErrorCode(50)
    /// 51 `CONCURRENT_TRANSACTIONS`: Another operation on the same transaction is still in progress. Retriable.
    public static let concurrentTransactions = KafkaErrorCode(51)
    /// 52 `TRANSACTION_COORDINATOR_FENCED`: The transaction coordinator that sent the marker is no longer current.
    public static let transactionCoordinatorFenced = KafkaErrorCode(52)
    /// 53 `TRANSACTIONAL_ID_AUTHORIZATION_FAILED`: Not authorized for this transactional id.
    public static let transactionalIdAuthorizationFailed = KafkaErrorCode(53)
    /// 54 `SECURITY_DISABLED`: Security features are disabled on the broker.
    public static let securityDisabled = KafkaErrorCode(54)
    /// 55 `OPERATION_NOT_ATTEMPTED`: The broker did not attempt this operation because another part of the batch failed.
    public static let operationNotAttempted = KafkaErrorCode(55)
    /// 56 `KAFKA_STORAGE_ERROR`: The broker hit a disk error while accessing the log. Retriable.
    public static let kafkaStorageError = KafkaErrorCode(56)
    /// 57 `LOG_DIR_NOT_FOUND`: The log directory is not in the broker's configuration.
    public static let logDirNotFound = KafkaErrorCode(57)
    /// 58 `SASL_AUTHENTICATION_FAILED`: SASL authentication failed.
    public static let saslAuthenticationFailed = KafkaErrorCode(58)
    /// 59 `UNKNOWN_PRODUCER_ID`: The broker has no state for this producer id, for example after its records expired.
    public static let unknownProducerId = KafkaErrorCode(59)
    /// 60 `REASSIGNMENT_IN_PROGRESS`: A partition reassignment is in progress.
    public static let reassignmentInProgress = KafkaErrorCode(60)
    /// 61 `DELEGATION_TOKEN_AUTH_DISABLED`: Delegation tokens are not enabled.
    public static let delegationTokenAuthDisabled = KafkaErrorCode(61)
    /// 62 `DELEGATION_TOKEN_NOT_FOUND`: The delegation token does not exist on the broker.
    public static let delegationTokenNotFound = KafkaErrorCode(62)
    /// 63 `DELEGATION_TOKEN_OWNER_MISMATCH`: The principal is not the owner or renewer of the delegation token.
    public static let delegationTokenOwnerMismatch = KafkaErrorCode(63)
    /// 64 `DELEGATION_TOKEN_REQUEST_NOT_ALLOWED`: Delegation token requests are not allowed on this kind of connection.
    public static let delegationTokenRequestNotAllowed = KafkaErrorCode(64)
    /// 65 `DELEGATION_TOKEN_AUTHORIZATION_FAILED`: Not authorized for this delegation token.
    public static let delegationTokenAuthorizationFailed = KafkaErrorCode(65)
    /// 66 `DELEGATION_TOKEN_EXPIRED`: The delegation token has expired.
    public static let delegationTokenExpired = KafkaErrorCode(66)
    /// 67 `INVALID_PRINCIPAL_TYPE`: The principal type is not supported.
    public static let invalidPrincipalType = KafkaErrorCode(67)
    /// 68 `NON_EMPTY_GROUP`: The group is not empty.
    public static let nonEmptyGroup = KafkaErrorCode(68)
    /// 69 `GROUP_ID_NOT_FOUND`: The group id does not exist.
    public static let groupIdNotFound = KafkaErrorCode(69)
    /// 70 `FETCH_SESSION_ID_NOT_FOUND`: The fetch session id is unknown. Retriable.
    public static let fetchSessionIdNotFound = KafkaErrorCode(70)
    /// 71 `INVALID_FETCH_SESSION_EPOCH`: The fetch session epoch is not valid. Retriable.
    public static let invalidFetchSessionEpoch = KafkaErrorCode(71)
    /// 72 `LISTENER_NOT_FOUND`: The leader has no listener matching the one this metadata request arrived on. Retriable.
    public static let listenerNotFound = KafkaErrorCode(72)
    /// 73 `TOPIC_DELETION_DISABLED`: Topic deletion is disabled.
    public static let topicDeletionDisabled = KafkaErrorCode(73)
    /// 74 `FENCED_LEADER_EPOCH`: The request's leader epoch is older than the broker's. Retriable.
    public static let fencedLeaderEpoch = KafkaErrorCode(74)
    /// 75 `UNKNOWN_LEADER_EPOCH`: The request's leader epoch is newer than the broker's. Retriable.
    public static let unknownLeaderEpoch = KafkaErrorCode(75)
    /// 76 `UNSUPPORTED_COMPRESSION_TYPE`: The client does not support the partition's compression type.
    public static let unsupportedCompressionType = KafkaErrorCode(76)
    /// 77 `STALE_BROKER_EPOCH`: The broker epoch has changed.
    public static let staleBrokerEpoch = KafkaErrorCode(77)
    /// 78 `OFFSET_NOT_AVAILABLE`: The leader's high watermark has not caught up since an election, so offsets are not yet safe to return. Retriable.
    public static let offsetNotAvailable = KafkaErrorCode(78)
    /// 79 `MEMBER_ID_REQUIRED`: The member must obtain a member id before joining the group.
    public static let memberIdRequired = KafkaErrorCode(79)
    /// 80 `PREFERRED_LEADER_NOT_AVAILABLE`: The preferred leader is not available. Retriable.
    public static let preferredLeaderNotAvailable = KafkaErrorCode(80)
    /// 81 `GROUP_MAX_SIZE_REACHED`: The group has reached its maximum size.
    public static let groupMaxSizeReached = KafkaErrorCode(81)
    /// 82 `FENCED_INSTANCE_ID`: Another member registered with the same group.instance.id, fencing this one.
    public static let fencedInstanceId = KafkaErrorCode(82)
    /// 83 `ELIGIBLE_LEADERS_NOT_AVAILABLE`: No eligible leader is available for the partition. Retriable.
    public static let eligibleLeadersNotAvailable = KafkaErrorCode(83)
    /// 84 `ELECTION_NOT_NEEDED`: The partition does not need a leader election. Retriable.
    public static let electionNotNeeded = KafkaErrorCode(84)
    /// 85 `NO_REASSIGNMENT_IN_PROGRESS`: No partition reassignment is in progress.
    public static let noReassignmentInProgress = KafkaErrorCode(85)
    /// 86 `GROUP_SUBSCRIBED_TO_TOPIC`: Offsets of a topic cannot be deleted while the group is subscribed to it.
    public static let groupSubscribedToTopic = KafkaErrorCode(86)
    /// 87 `INVALID_RECORD`: The broker rejected the record after validating it.
    public static let invalidRecord = KafkaErrorCode(87)
    /// 88 `UNSTABLE_OFFSET_COMMIT`: Unstable (pending transactional) offsets must be resolved first. Retriable.
    public static let unstableOffsetCommit = KafkaErrorCode(88)
    /// 89 `THROTTLING_QUOTA_EXCEEDED`: The throttling quota has been exceeded. Retriable.
    public static let throttlingQuotaExceeded = KafkaErrorCode(89)
    /// 90 `PRODUCER_FENCED`: A newer producer with the same transactional id has fenced this one.
    public static let producerFenced = KafkaErrorCode(90)
    /// 91 `RESOURCE_NOT_FOUND`: The request refers to a resource that does not exist.
    public static let resourceNotFound = KafkaErrorCode(91)
    /// 92 `DUPLICATE_RESOURCE`: The request refers to the same resource twice.
    public static let duplicateResource = KafkaErrorCode(92)
    /// 93 `UNACCEPTABLE_CREDENTIAL`: The credential does not meet the acceptability criteria.
    public static let unacceptableCredential = KafkaErrorCode(93)
    /// 94 `INCONSISTENT_VOTER_SET`: The sender or receiver of a voter request is not an expected voter.
    public static let inconsistentVoterSet = KafkaErrorCode(94)
    /// 95 `INVALID_UPDATE_VERSION`: The update version is not valid.
    public static let invalidUpdateVersion = KafkaErrorCode(95)
    /// 96 `FEATURE_UPDATE_FAILED`: The finalized features could not be updated because of a broker error.
    public static let featureUpdateFailed = KafkaErrorCode(96)
    /// 97 `PRINCIPAL_DESERIALIZATION_FAILURE`: The request principal could not be deserialized while forwarding.
    public static let principalDeserializationFailure = KafkaErrorCode(97)
    /// 98 `SNAPSHOT_NOT_FOUND`: The requested snapshot does not exist.
    public static let snapshotNotFound = KafkaErrorCode(98)
    /// 99 `POSITION_OUT_OF_RANGE`: The snapshot position is negative or beyond the snapshot's size.
    public static let positionOutOfRange = KafkaErrorCode(99)
    /// 100 `UNKNOWN_TOPIC_ID`: This broker does not host the topic id. Retriable.
    public static let unknownTopicId = KafkaErrorCode(100)
    /// 101 `DUPLICATE_BROKER_REGISTRATION`: This broker id is already registered.
    public static let duplicateBrokerRegistration = KafkaErrorCode(101)
    /// 102 `BROKER_ID_NOT_REGISTERED`: The broker id is not registered.
    public static let brokerIdNotRegistered = KafkaErrorCode(102)
    /// 103 `INCONSISTENT_TOPIC_ID`: The topic id in the request does not match the broker's. Retriable.
    public static let inconsistentTopicId = KafkaErrorCode(103)
    /// 104 `INCONSISTENT_CLUSTER_ID`: The cluster id does not match.
    public static let inconsistentClusterId = KafkaErrorCode(104)
    /// 105 `TRANSACTIONAL_ID_NOT_FOUND`: The transactional id does not exist.
    public static let transactionalIdNotFound = KafkaErrorCode(105)
    /// 106 `FETCH_SESSION_TOPIC_ID_ERROR`: The fetch session's topic id changed or is inconsistent. Retriable.
    public static let fetchSessionTopicIdError = KafkaErrorCode(106)
    /// 107 `INELIGIBLE_REPLICA`: The replica is not eligible to join the ISR.
    public static let ineligibleReplica = KafkaErrorCode(107)
    /// 108 `NEW_LEADER_ELECTED`: A new leader was elected; the request was not applied.
    public static let newLeaderElected = KafkaErrorCode(108)
    /// 109 `OFFSET_MOVED_TO_TIERED_STORAGE`: The requested offset has moved to tiered storage.
    public static let offsetMovedToTieredStorage = KafkaErrorCode(109)
    /// 110 `FENCED_MEMBER_EPOCH`: The member epoch is fenced; the member must give up its partitions and rejoin.
    public static let fencedMemberEpoch = KafkaErrorCode(110)
    /// 111 `UNRELEASED_INSTANCE_ID`: Another member still uses this instance id and must leave first.
    public static let unreleasedInstanceId = KafkaErrorCode(111)
    /// 112 `UNSUPPORTED_ASSIGNOR`: The group does not support this assignor or version range.
    public static let unsupportedAssignor = KafkaErrorCode(112)
    /// 113 `STALE_MEMBER_EPOCH`: The member epoch is stale; retry after the heartbeat returns the current epoch.
    public static let staleMemberEpoch = KafkaErrorCode(113)
    /// 114 `MISMATCHED_ENDPOINT_TYPE`: The request was sent to the wrong kind of endpoint.
    public static let mismatchedEndpointType = KafkaErrorCode(114)
    /// 115 `UNSUPPORTED_ENDPOINT_TYPE`: This endpoint type is not supported.
    public static let unsupportedEndpointType = KafkaErrorCode(115)
    /// 116 `UNKNOWN_CONTROLLER_ID`: The controller id is unknown.
    public static let unknownControllerId = KafkaErrorCode(116)
    /// 117 `UNKNOWN_SUBSCRIPTION_ID`: The telemetry subscription id is unknown or outdated.
    public static let unknownSubscriptionId = KafkaErrorCode(117)
    /// 118 `TELEMETRY_TOO_LARGE`: The telemetry push is larger than the broker accepts.
    public static let telemetryTooLarge = KafkaErrorCode(118)
    /// 119 `INVALID_REGISTRATION`: The controller considers the broker registration invalid.
    public static let invalidRegistration = KafkaErrorCode(119)
    /// 120 `TRANSACTION_ABORTABLE`: The transaction hit an error; abort it to keep using the transactional id.
    public static let transactionAbortable = KafkaErrorCode(120)
    /// 121 `INVALID_RECORD_STATE`: The record state is not valid, so the delivery could not be acknowledged.
    public static let invalidRecordState = KafkaErrorCode(121)
    /// 122 `SHARE_SESSION_NOT_FOUND`: The share session does not exist. Retriable.
    public static let shareSessionNotFound = KafkaErrorCode(122)
    /// 123 `INVALID_SHARE_SESSION_EPOCH`: The share session epoch is not valid. Retriable.
    public static let invalidShareSessionEpoch = KafkaErrorCode(123)
    /// 124 `FENCED_STATE_EPOCH`: The share-group state epoch does not match.
    public static let fencedStateEpoch = KafkaErrorCode(124)
    /// 125 `INVALID_VOTER_KEY`: The voter key does not match the receiving replica's.
    public static let invalidVoterKey = KafkaErrorCode(125)
    /// 126 `DUPLICATE_VOTER`: The voter is already in the voter set.
    public static let duplicateVoter = KafkaErrorCode(126)
    /// 127 `VOTER_NOT_FOUND`: The voter is not in the voter set.
    public static let voterNotFound = KafkaErrorCode(127)
    /// 128 `INVALID_REGULAR_EXPRESSION`: The regular expression is not valid.
    public static let invalidRegularExpression = KafkaErrorCode(128)
    /// 129 `REBOOTSTRAP_REQUIRED`: The client's metadata is stale; it must rebootstrap.
    public static let rebootstrapRequired = KafkaErrorCode(129)
    /// 130 `STREAMS_INVALID_TOPOLOGY`: The topology is not valid.
    public static let streamsInvalidTopology = KafkaErrorCode(130)
    /// 131 `STREAMS_INVALID_TOPOLOGY_EPOCH`: The topology epoch is not valid.
    public static let streamsInvalidTopologyEpoch = KafkaErrorCode(131)
    /// 132 `STREAMS_TOPOLOGY_FENCED`: The topology epoch is outdated.
    public static let streamsTopologyFenced = KafkaErrorCode(132)
    /// 133 `SHARE_SESSION_LIMIT_REACHED`: The broker's share session limit has been reached. Retriable.
    public static let shareSessionLimitReached = KafkaErrorCode(133)
}
