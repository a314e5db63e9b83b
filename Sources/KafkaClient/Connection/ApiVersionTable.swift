import KafkaWire

/// The version range a broker advertises for each API, from its ApiVersions
/// response, and the choice of version for each request type.
package struct ApiVersionTable: Sendable, Hashable {
    /// The broker's min...max per API key.
    package private(set) var ranges: [ApiKey: ClosedRange<Int16>]
    /// The cluster-wide finalized feature levels (KIP-584; ApiVersions v3+), by
    /// feature name: the level the whole cluster has agreed to use, such as
    /// `transaction.version`. Empty when the broker reports none.
    package private(set) var finalizedFeatures: [String: Int16]
    /// The epoch of `finalizedFeatures`, which grows whenever the controller changes
    /// them; -1 when unknown (then `finalizedFeatures` is empty).
    package private(set) var finalizedFeaturesEpoch: Int64

    /// Reads the ranges from a successful ApiVersions response. Entries with
    /// min > max are malformed and skipped rather than trusted. The finalized
    /// features are kept only when their epoch is valid (>= 0), as the spec says.
    package init(_ response: ApiVersionsResponse) {
        var ranges: [ApiKey: ClosedRange<Int16>] = [:]
        for api in response.apiKeys where api.minVersion <= api.maxVersion {
            ranges[ApiKey(rawValue: api.apiKey)] = api.minVersion...api.maxVersion
        }
        self.ranges = ranges
        var features: [String: Int16] = [:]
        if response.finalizedFeaturesEpoch >= 0 {
            for feature in response.finalizedFeatures where feature.minVersionLevel <= feature.maxVersionLevel {
                features[feature.name] = feature.maxVersionLevel
            }
        }
        finalizedFeatures = features
        finalizedFeaturesEpoch = response.finalizedFeaturesEpoch >= 0 ? response.finalizedFeaturesEpoch : -1
    }

    /// A table from explicit ranges (tests, or a broker known in advance).
    package init(ranges: [ApiKey: ClosedRange<Int16>], finalizedFeatures: [String: Int16] = [:], finalizedFeaturesEpoch: Int64 = -1) {
        self.ranges = ranges
        self.finalizedFeatures = finalizedFeatures
        self.finalizedFeaturesEpoch = finalizedFeaturesEpoch
    }

    /// The finalized level of `feature` across the cluster (0 when not finalized:
    /// a feature at level 0 is off).
    package func finalizedLevel(of feature: String) -> Int16 {
        finalizedFeatures[feature] ?? 0
    }

    /// The broker's range for `apiKey`, or nil when it does not support the API.
    package func brokerRange(for apiKey: ApiKey) -> ClosedRange<Int16>? {
        ranges[apiKey]
    }

    /// The highest version of `R` both this client and the broker support, no
    /// higher than `ceiling` when given.
    package func version<R: KafkaRequest>(for _: R.Type, ceiling: Int16? = nil) throws(KafkaError) -> Int16 {
        try version(apiKey: R.apiKey, clientVersions: R.validVersions, ceiling: ceiling)
    }

    /// The highest version in `clientVersions` the broker also supports for `apiKey`.
    package func version(apiKey: ApiKey, clientVersions: ClosedRange<Int16>, ceiling: Int16? = nil) throws(KafkaError) -> Int16 {
        guard let broker = ranges[apiKey] else {
            throw KafkaError(.apiNotSupported, detail: "the broker does not list this API", apiKey: apiKey,
                                  clientVersions: clientVersions)
        }
        var ours = clientVersions
        if let ceiling {
            guard ceiling >= ours.lowerBound else {
                throw KafkaError(.unsupportedVersion, detail: "version cap \(ceiling) is below every version this client implements",
                                      apiKey: apiKey, clientVersions: clientVersions, brokerVersions: broker)
            }
            ours = ours.lowerBound...min(ours.upperBound, ceiling)
        }
        guard ours.overlaps(broker) else {
            throw KafkaError(.unsupportedVersion, detail: "no version both sides support", apiKey: apiKey,
                                  clientVersions: ours, brokerVersions: broker)
        }
        return min(ours.upperBound, broker.upperBound)
    }
}

/// The ApiVersions bootstrap rule: ask at our newest version (v3+ names the
/// client software); a broker that rejects it with UNSUPPORTED_VERSION lists
/// its own ApiVersions range in the error response (KIP-511), so retry at the
/// highest version in both ranges, or v0 when it listed nothing usable.
package enum ApiVersionsNegotiation {
    /// The version of the first ApiVersions request.
    package static var initialVersion: Int16 { ApiVersionsRequest.validVersions.upperBound }

    /// What to do with an ApiVersions response received for a request sent at `sentVersion`.
    package enum Outcome: Sendable, Hashable {
        /// The broker answered; these are its ranges.
        case negotiated(ApiVersionTable)
        /// The broker rejected the version; send ApiVersions again at this version.
        case retry(version: Int16)
    }

    /// Decides the next step from a response to ApiVersions sent at `sentVersion`.
    package static func evaluate(_ response: ApiVersionsResponse, sentVersion: Int16) throws(KafkaError) -> Outcome {
        let error = KafkaErrorCode(response.errorCode)
        if error == .unsupportedVersion {
            let retry = retryVersion(after: response)
            // Retrying at the same (or a higher) version would loop forever.
            guard retry < sentVersion else {
                throw KafkaError(.unsupportedVersion, detail: "the broker rejected ApiVersions v\(sentVersion) and offers nothing lower",
                                      apiKey: .apiVersions, clientVersions: ApiVersionsRequest.validVersions,
                                      brokerErrorCode: error)
            }
            return .retry(version: retry)
        }
        guard !error.isError else {
            throw KafkaError(.protocolViolation, detail: "ApiVersions failed", apiKey: .apiVersions, brokerErrorCode: error)
        }
        return .negotiated(ApiVersionTable(response))
    }

    /// The highest ApiVersions version in both our range and the one the broker's
    /// error response lists; v0 when it lists none or no overlap.
    static func retryVersion(after response: ApiVersionsResponse) -> Int16 {
        let table = ApiVersionTable(response)
        return (try? table.version(for: ApiVersionsRequest.self)) ?? 0
    }
}
