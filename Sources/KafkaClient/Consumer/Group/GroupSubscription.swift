/// What a group member subscribes to.
enum GroupSubscription: Sendable {
    /// These topics.
    case topics([String])
    /// Every topic whose whole name matches the regular expression (as the Java
    /// client's `subscribe(Pattern)`), internal topics excluded; checked again every
    /// `metadataMaxAge`, and a change of the matching set rejoins the group.
    case pattern(String)

    /// The subscribed topics among those in `metadata`, sorted.
    func matchingTopics(in metadata: ClusterMetadata) throws(KafkaError) -> [String] {
        switch self {
        case .topics(let names):
            return names.sorted()
        case .pattern(let pattern):
            let regex = try Self.compile(pattern)
            return metadata.topics.values.filter { topic in
                !topic.isInternal && !topic.error.isError && (try? regex.wholeMatch(in: topic.name)) != nil
            }.map(\.name).sorted()
        }
    }

    static func compile(_ pattern: String) throws(KafkaError) -> Regex<AnyRegexOutput> {
        do {
            return try Regex(pattern)
        } catch {
            throw KafkaError(.invalidConfiguration, detail: "subscription pattern \"\(pattern)\" is not a regular expression: \(error)")
        }
    }
}

extension ConsumerGroupMember {
    /// Brings the subscribed topics up to date (a pattern against every topic's
    /// metadata); returns true when they changed.
    func refreshSubscribedTopics() async throws -> Bool {
        guard case .pattern = subscription else { return false }
        let matching = try subscription.matchingTopics(in: try await cluster.refreshMetadata(topics: nil))
        return topics.withLock { current in
            defer { current = matching }
            return current != matching
        }
    }
}
