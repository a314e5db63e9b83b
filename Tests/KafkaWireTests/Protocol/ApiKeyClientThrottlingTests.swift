import KafkaWire
import Testing

/// Which side enforces a throttle (KIP-219), by API and version, as the Java
/// client's responses declare it.
@Suite("ApiKey: client-enforced throttling")
struct ApiKeyClientThrottlingTests {
    @Test("from the version KIP-219 bumped, the client waits; before it, the broker did")
    func versionBoundaries() {
        let boundaries: [(ApiKey, Int16)] = [(.produce, 6), (.fetch, 8), (.metadata, 6), (.listOffsets, 3), (.offsetCommit, 4),
                                             (.offsetFetch, 4), (.findCoordinator, 2), (.joinGroup, 3), (.heartbeat, 2),
                                             (.syncGroup, 2), (.initProducerId, 1), (.endTxn, 1), (.createTopics, 3)]
        for (apiKey, first) in boundaries {
            #expect(!apiKey.clientEnforcesThrottle(version: first - 1), "\(apiKey) v\(first - 1)")
            #expect(apiKey.clientEnforcesThrottle(version: first), "\(apiKey) v\(first)")
            #expect(apiKey.clientEnforcesThrottle(version: first + 3), "\(apiKey) v\(first + 3)")
        }
    }

    @Test("APIs added after KIP-219 throttle on the client from v0; those Java never throttles on, not at all")
    func laterAndUnthrottledApis() {
        #expect(ApiKey.incrementalAlterConfigs.clientEnforcesThrottle(version: 0))
        #expect(ApiKey.describeTopicPartitions.clientEnforcesThrottle(version: 0))
        #expect(!ApiKey.saslHandshake.clientEnforcesThrottle(version: 1))
        #expect(!ApiKey.consumerGroupHeartbeat.clientEnforcesThrottle(version: 0))
        #expect(!ApiKey(rawValue: 999).clientEnforcesThrottle(version: 0))
    }
}
