/// An operation an ACL allows or denies (Kafka's `AclOperation` codes).
public enum AclOperation: Int8, Sendable, Hashable, CaseIterable {
    case any = 1, all = 2, read = 3, write = 4, create = 5, delete = 6, alter = 7, describe = 8
    case clusterAction = 9, describeConfigs = 10, alterConfigs = 11, idempotentWrite = 12
    case createTokens = 13, describeTokens = 14, twoPhaseCommit = 15

    /// The operations in an authorized-operations bit field; nil when the broker
    /// did not report them (INT32_MIN).
    public static func set(fromBits bits: Int32) -> Set<AclOperation>? {
        guard bits != Int32.min else { return nil }
        return Set(allCases.filter { bits & (1 << Int32($0.rawValue)) != 0 })
    }
}

/// Whether an ACL allows or denies.
public enum AclPermissionType: Int8, Sendable, Hashable {
    case any = 1, deny = 2, allow = 3
}

/// The kind of resource an ACL protects.
public enum AclResourceType: Int8, Sendable, Hashable {
    case any = 1, topic = 2, group = 3, cluster = 4, transactionalId = 5, delegationToken = 6, user = 7
}

/// How an ACL's resource name matches (KIP-290).
public enum AclPatternType: Int8, Sendable, Hashable {
    /// In filters only: literal or prefixed, whichever matches.
    case match = 1
    /// In filters only: any pattern type.
    case any = 2
    case literal = 3
    case prefixed = 4
}

/// One ACL: `principal` from `host` may (or may not) perform `operation` on a resource.
public struct AclBinding: Sendable, Hashable {
    public var resourceType: AclResourceType
    public var resourceName: String
    public var patternType: AclPatternType
    /// For example `User:alice`.
    public var principal: String
    /// `*` for any host.
    public var host: String
    public var operation: AclOperation
    public var permission: AclPermissionType

    public init(resourceType: AclResourceType, resourceName: String, patternType: AclPatternType = .literal,
                principal: String, host: String = "*", operation: AclOperation, permission: AclPermissionType) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }
}

/// Which ACLs to describe or delete; nil fields match anything.
public struct AclBindingFilter: Sendable, Hashable {
    public var resourceType: AclResourceType
    public var resourceName: String?
    public var patternType: AclPatternType
    public var principal: String?
    public var host: String?
    public var operation: AclOperation
    public var permission: AclPermissionType

    public init(resourceType: AclResourceType = .any, resourceName: String? = nil, patternType: AclPatternType = .any,
                principal: String? = nil, host: String? = nil, operation: AclOperation = .any, permission: AclPermissionType = .any) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.patternType = patternType
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission = permission
    }

    /// Matches every ACL.
    public static let all = AclBindingFilter()
}
