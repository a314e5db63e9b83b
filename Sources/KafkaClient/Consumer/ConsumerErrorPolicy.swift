import KafkaWire

/// Which errors end the consumer's messages sequence and which it reports and
/// works through, as the Java consumer decides what `poll()` throws.
enum ConsumerErrorPolicy {
    /// Broker errors retrying cannot mend: the consumer may not read, its group
    /// will not have it, or another process took its `group.instance.id`.
    static let fatalBrokerCodes: Set<KafkaErrorCode> = [
        .saslAuthenticationFailed, .topicAuthorizationFailed, .groupAuthorizationFailed, .clusterAuthorizationFailed,
        .fencedInstanceId, .unreleasedInstanceId, .groupMaxSizeReached, .inconsistentGroupProtocol, .invalidGroupId,
        .invalidSessionTimeout, .unsupportedAssignor, .invalidRegularExpression,
    ]

    /// True when `error` ends the messages sequence: authentication or
    /// authorization failed, the configuration is invalid, or the group fenced
    /// this member for good.
    static func endsConsumption(_ error: KafkaError) -> Bool {
        if error.code == .authenticationFailed || error.code == .invalidConfiguration { return true }
        guard let code = error.brokerErrorCode else { return false }
        return fatalBrokerCodes.contains(code)
    }

    /// How many errors `takeErrors()` keeps for an application that does not read them.
    static let recentErrorLimit = 100
}
