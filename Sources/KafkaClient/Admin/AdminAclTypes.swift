/// An operation an ACL allows or denies (Kafka's `AclOperation` codes).
public enum AclOperation: Int8, Sendable, Hashable, CaseIterable {
    /// Matches any operation in filters; `all` stands for every operation in a binding.
    case any = 1, all = 2, read = 3, write = 4, create = 5, delete = 6, alter = 7, describe = 8
    /// Cluster-level operations.
    case clusterAction = 9, describeConfigs = 10, alterConfigs = 11, idempotentWrite = 12
    /// Delegation tokens (KIP-48) and two-phase commit transactions (KIP-939).
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
    /// `any` matches both in filters.
    case any = 1, deny = 2, allow = 3
}

/// The kind of resource an ACL protects.
public enum AclResourceType: Int8, Sendable, Hashable {
    /// `any` matches every kind in filters.
    case any = 1, topic = 2, group = 3, cluster = 4, transactionalId = 5, delegationToken = 6, user = 7
}

/// How an ACL's resource name matches (KIP-290).
public enum AclPatternType: Int8, Sendable, Hashable {
    /// In filters only: literal or prefixed, whichever matches.
    case match = 1
    /// In filters only: any pattern type.
    case any = 2
    /// The resource name is the exact name.
    case literal = 3
    /// The resource name is a prefix of the names it covers.
    case prefixed = 4
}

/// One ACL: `principal` from `host` may (or may not) perform `operation` on a resource.
public struct AclBinding: Sendable, Hashable {
    /// The kind of resource the ACL protects.
    public var resourceType: AclResourceType
    /// The resource's name, or a prefix with `.prefixed`.
    public var resourceName: String
    /// Whether `resourceName` is a literal name or a prefix.
    public var patternType: AclPatternType
    /// For example `User:alice`.
    public var principal: String
    /// `*` for any host.
    public var host: String
    /// The operation allowed or denied.
    public var operation: AclOperation
    /// Whether the operation is allowed or denied.
    public var permission: AclPermissionType

    /// An ACL; by default for a literal name and any host.
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
    /// The kind of resource; `.any` matches every kind.
    public var resourceType: AclResourceType
    /// The resource's name; nil matches any.
    public var resourceName: String?
    /// The pattern type; `.any` matches literal and prefixed, `.match` what would apply to the name.
    public var patternType: AclPatternType
    /// The principal, such as `User:alice`; nil matches any.
    public var principal: String?
    /// The host; nil matches any.
    public var host: String?
    /// The operation; `.any` matches every one.
    public var operation: AclOperation
    /// The permission; `.any` matches both.
    public var permission: AclPermissionType

    /// A filter; with no arguments it matches every ACL.
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
