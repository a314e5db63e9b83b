import KafkaWire
import Synchronization

/// Fetching from the nearest replica (KIP-392, `client.rack`): the leader may answer
/// a Fetch with a preferred read replica in the consumer's rack instead of records.
/// The consumer then fetches that partition from the replica until the preference
/// lapses (`metadata.max.age.ms`, as in the Java client) or the replica fails it,
/// and from the leader again afterwards.
struct PreferredReadReplicas: Sendable {
    struct Preference: Sendable {
        var broker: Int32
        var until: ContinuousClock.Instant
    }

    private var byPartition: [TopicPartition: Preference] = [:]

    /// Where to fetch `partition`, led by `leader`, at `now`.
    func broker(for partition: TopicPartition, leader: Int32, now: ContinuousClock.Instant) -> Int32 {
        guard let preference = byPartition[partition], preference.until > now else { return leader }
        return preference.broker
    }

    /// The leader named `broker` as the replica to read `partition` from, for `lease`.
    mutating func prefer(_ broker: Int32, for partition: TopicPartition, lease: Duration, now: ContinuousClock.Instant) {
        byPartition[partition] = Preference(broker: broker, until: now + lease)
    }

    /// Back to the leader for `partition` (the replica answered with an error).
    mutating func forget(_ partition: TopicPartition) {
        byPartition[partition] = nil
    }

    /// Back to the leader for every partition read from `broker` (it cannot be reached).
    mutating func forget(broker: Int32) {
        byPartition = byPartition.filter { $0.value.broker != broker }
    }
}

extension ConsumerFetcher {
    /// A Fetch response's answer for `key` from `broker`: true when it only redirected the
    /// partition or was an error from a follower, and so needs no further handling.
    func followReadReplica(_ preferred: Int32, errorCode: KafkaErrorCode, key: TopicPartition, broker: Int32) -> Bool {
        if preferred >= 0, preferred != broker {
            readReplicas.withLock { $0.prefer(preferred, for: key, lease: configuration.cluster.metadataMaxAge, now: .now) }
            logger.debug("fetching from the preferred read replica", metadata: ["partition": "\(key)", "broker": "\(preferred)"])
            return true
        }
        // Only an answer from a known follower: with the leader unknown the error is the partition's own.
        guard errorCode != .noError, let leader = leaders.withLock({ $0[key] }), leader != broker else { return false }
        // A follower that lags, lost the replica or does not know the epoch: the leader decides.
        readReplicas.withLock { $0.forget(key) }
        return true
    }
}
