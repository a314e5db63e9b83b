import KafkaWire

/// Configurations: describe (with sources and synonyms), alter incrementally, alter (legacy).
extension KafkaAdminClient {
    /// Describes `resources`: every entry, or only `keys`.
    ///
    /// Broker resources are asked of that broker; the rest of any broker.
    /// - Returns: per resource, its entries by name, or why not.
    public func describeConfigs(_ resources: [ConfigResource], keys: [String]? = nil, includeSynonyms: Bool = true)
        async throws(KafkaError) -> [ConfigResource: Result<[String: ConfigEntry], KafkaError>] {
        var results: [ConfigResource: Result<[String: ConfigEntry], KafkaError>] = [:]
        for (route, group) in Self.routes(for: resources) {
            var request = DescribeConfigsRequest()
            request.includeSynonyms = includeSynonyms
            // Every key is asked for and `keys` applied here: the answer is the same, and some
            // brokers (Tansu) drop the connection on a key list.
            request.resources = group.map {
                DescribeConfigsRequest.DescribeConfigsResource(resourceType: $0.kind.rawValue, resourceName: $0.name, configurationKeys: nil)
            }
            let response = try await cluster.send(request, to: route)
            for result in response.results {
                let resource = ConfigResource(ConfigResource.Kind(rawValue: result.resourceType) ?? .topic, result.resourceName)
                if let error = Self.itemError(result.errorCode, message: result.errorMessage, api: .describeConfigs, item: "\(resource)") {
                    results[resource] = .failure(error)
                } else {
                    let entries = Self.entries(result.configs)
                    results[resource] = .success(keys.map { wanted in entries.filter { wanted.contains($0.key) } } ?? entries)
                }
            }
        }
        return results
    }

    static func entries(_ configs: [DescribeConfigsResponse.DescribeConfigsResult.DescribeConfigsResourceResult]) -> [String: ConfigEntry] {
        var entries: [String: ConfigEntry] = [:]
        for config in configs {
            let source = ConfigSource(rawValue: config.configSource) ?? .unknown
            entries[config.name] = ConfigEntry(
                name: config.name, value: config.value, source: source, isReadOnly: config.readOnly, isSensitive: config.isSensitive,
                isDefault: config.isDefault || source == .defaultConfig,
                synonyms: config.synonyms.map { ConfigSynonym(name: $0.name, value: $0.value, source: ConfigSource(rawValue: $0.source) ?? .unknown) })
        }
        return entries
    }

    /// Applies `changes` per resource (IncrementalAlterConfigs, KIP-339): set, delete,
    /// append to and subtract from list values, leaving other entries alone.
    public func incrementalAlterConfigs(_ changes: [ConfigResource: [AlterConfigOp]], validateOnly: Bool = false)
        async throws(KafkaError) -> [ConfigResource: Result<Void, KafkaError>] {
        var results: [ConfigResource: Result<Void, KafkaError>] = [:]
        for (route, group) in Self.routes(for: Array(changes.keys)) {
            var request = IncrementalAlterConfigsRequest()
            request.validateOnly = validateOnly
            request.resources = group.map { resource in
                IncrementalAlterConfigsRequest.AlterConfigsResource(
                    resourceType: resource.kind.rawValue, resourceName: resource.name,
                    configs: (changes[resource] ?? []).map { .init(name: $0.name, configOperation: $0.operation.rawValue, value: $0.value) })
            }
            let response = try await cluster.send(request, to: route)
            for result in response.responses {
                let resource = ConfigResource(ConfigResource.Kind(rawValue: result.resourceType) ?? .topic, result.resourceName)
                results[resource] = Self.outcome(result.errorCode, result.errorMessage, api: .incrementalAlterConfigs, item: "\(resource)")
            }
        }
        return results
    }

    /// Replaces resources' whole configurations (AlterConfigs, the pre-KIP-339 way):
    /// entries left out return to their defaults. Prefer `incrementalAlterConfigs`.
    public func alterConfigs(_ configs: [ConfigResource: [String: String]], validateOnly: Bool = false)
        async throws(KafkaError) -> [ConfigResource: Result<Void, KafkaError>] {
        var results: [ConfigResource: Result<Void, KafkaError>] = [:]
        for (route, group) in Self.routes(for: Array(configs.keys)) {
            var request = AlterConfigsRequest()
            request.validateOnly = validateOnly
            request.resources = group.map { resource in
                AlterConfigsRequest.AlterConfigsResource(
                    resourceType: resource.kind.rawValue, resourceName: resource.name,
                    configs: (configs[resource] ?? [:]).sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) })
            }
            let response = try await cluster.send(request, to: route)
            for result in response.responses {
                let resource = ConfigResource(ConfigResource.Kind(rawValue: result.resourceType) ?? .topic, result.resourceName)
                results[resource] = Self.outcome(result.errorCode, result.errorMessage, api: .alterConfigs, item: "\(resource)")
            }
        }
        return results
    }

    static func outcome(_ code: Int16, _ message: String?, api: ApiKey, item: String) -> Result<Void, KafkaError> {
        if let error = itemError(code, message: message, api: api, item: item) { return .failure(error) }
        return .success(())
    }

    /// Broker (and broker logger) resources go to that broker; the rest to any broker.
    static func routes(for resources: [ConfigResource]) -> [(RequestRoute, [ConfigResource])] {
        var anyBroker: [ConfigResource] = []
        var byBroker: [Int32: [ConfigResource]] = [:]
        for resource in resources {
            if resource.kind == .broker || resource.kind == .brokerLogger, let id = Int32(resource.name) {
                byBroker[id, default: []].append(resource)
            } else {
                anyBroker.append(resource)
            }
        }
        var routes: [(RequestRoute, [ConfigResource])] = byBroker.sorted { $0.key < $1.key }.map { (.broker($0.key), $0.value) }
        if !anyBroker.isEmpty { routes.append((.anyBroker, anyBroker)) }
        return routes
    }
}
