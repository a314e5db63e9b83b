import KafkaWire

/// ACLs: create, describe and delete with filters.
extension KafkaAdminClient {
    /// Creates `bindings`; the results are in the same order.
    public func createAcls(_ bindings: [AclBinding]) async throws(KafkaError) -> [Result<Void, KafkaError>] {
        var request = CreateAclsRequest()
        request.creations = bindings.map { binding in
            var creation = CreateAclsRequest.AclCreation()
            creation.resourceType = binding.resourceType.rawValue
            creation.resourceName = binding.resourceName
            creation.resourcePatternType = binding.patternType.rawValue
            creation.principal = binding.principal
            creation.host = binding.host
            creation.operation = binding.operation.rawValue
            creation.permissionType = binding.permission.rawValue
            return creation
        }
        let response = try await cluster.send(request, to: .anyBroker)
        guard response.results.count == bindings.count else {
            throw KafkaError(.protocolViolation, detail: "CreateAcls answered \(response.results.count) results for \(bindings.count) ACLs",
                             apiKey: .createAcls)
        }
        return zip(bindings, response.results).map { binding, result in
            if let error = Self.itemError(result.errorCode, message: result.errorMessage, api: .createAcls, item: binding.principal) {
                return .failure(error)
            }
            return .success(())
        }
    }

    /// The ACLs matching `filter`.
    public func describeAcls(_ filter: AclBindingFilter = .all) async throws(KafkaError) -> [AclBinding] {
        var request = DescribeAclsRequest()
        request.resourceTypeFilter = filter.resourceType.rawValue
        request.resourceNameFilter = filter.resourceName
        request.patternTypeFilter = filter.patternType.rawValue
        request.principalFilter = filter.principal
        request.hostFilter = filter.host
        request.operation = filter.operation.rawValue
        request.permissionType = filter.permission.rawValue
        let response = try await cluster.send(request, to: .anyBroker)
        if let error = Self.itemError(response.errorCode, message: response.errorMessage, api: .describeAcls, item: "ACLs") {
            throw error
        }
        return try Self.bindings(in: response)
    }

    /// The bindings a DescribeAcls response lists; unknown enum codes are a protocol violation.
    static func bindings(in response: DescribeAclsResponse) throws(KafkaError) -> [AclBinding] {
        var bindings: [AclBinding] = []
        for resource in response.resources {
            for acl in resource.acls {
                bindings.append(try binding(resourceType: resource.resourceType, name: resource.resourceName, pattern: resource.patternType,
                                            principal: acl.principal, host: acl.host, operation: acl.operation,
                                            permission: acl.permissionType, api: .describeAcls))
            }
        }
        return bindings
    }

    /// Deletes the ACLs matching each filter; per filter, the ACLs deleted or why not.
    public func deleteAcls(_ filters: [AclBindingFilter]) async throws(KafkaError) -> [Result<[AclBinding], KafkaError>] {
        var request = DeleteAclsRequest()
        request.filters = filters.map { filter in
            var entry = DeleteAclsRequest.DeleteAclsFilter()
            entry.resourceTypeFilter = filter.resourceType.rawValue
            entry.resourceNameFilter = filter.resourceName
            entry.patternTypeFilter = filter.patternType.rawValue
            entry.principalFilter = filter.principal
            entry.hostFilter = filter.host
            entry.operation = filter.operation.rawValue
            entry.permissionType = filter.permission.rawValue
            return entry
        }
        let response = try await cluster.send(request, to: .anyBroker)
        return try Self.deleted(in: response)
    }

    static func deleted(in response: DeleteAclsResponse) throws(KafkaError) -> [Result<[AclBinding], KafkaError>] {
        var results: [Result<[AclBinding], KafkaError>] = []
        for filter in response.filterResults {
            if let error = itemError(filter.errorCode, message: filter.errorMessage, api: .deleteAcls, item: "filter") {
                results.append(.failure(error))
                continue
            }
            var deleted: [AclBinding] = []
            for acl in filter.matchingAcls where !KafkaErrorCode(acl.errorCode).isError {
                deleted.append(try binding(resourceType: acl.resourceType, name: acl.resourceName, pattern: acl.patternType,
                                           principal: acl.principal, host: acl.host, operation: acl.operation,
                                           permission: acl.permissionType, api: .deleteAcls))
            }
            results.append(.success(deleted))
        }
        return results
    }

    private static func binding(resourceType: Int8, name: String, pattern: Int8, principal: String, host: String, operation: Int8,
                                permission: Int8, api: ApiKey) throws(KafkaError) -> AclBinding {
        guard let type = AclResourceType(rawValue: resourceType), let patternType = AclPatternType(rawValue: pattern),
              let op = AclOperation(rawValue: operation), let allow = AclPermissionType(rawValue: permission) else {
            throw KafkaError(.protocolViolation, detail: "unknown ACL codes (resource \(resourceType), pattern \(pattern), "
                             + "operation \(operation), permission \(permission))", apiKey: api)
        }
        return AclBinding(resourceType: type, resourceName: name, patternType: patternType, principal: principal, host: host,
                          operation: op, permission: allow)
    }
}
