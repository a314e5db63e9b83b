/// One field of a message or struct.
public struct FieldSpec: Sendable {
    public var name: String
    public var type: FieldType
    public var versions: VersionRange
    public var nullableVersions: VersionRange
    public var taggedVersions: VersionRange
    public var tag: Int?
    /// A field-level override of the message's flexible versions (strings and bytes only).
    public var flexibleVersions: VersionRange?
    public var ignorable: Bool
    public var defaultValue: String?
    public var about: String?
    /// The struct this field holds (directly or as array elements), when it declares one inline.
    public var structFields: [FieldSpec]?

    /// True when the field is Optional in Swift: nullable in some version, or a records field.
    public var isOptional: Bool { !nullableVersions.isEmpty || type == .records }

    /// The struct type name when the field holds structs.
    public var structName: String? {
        switch type {
        case .structure(let name): name
        case .array(.structure(let name)): name
        default: nil
        }
    }

    /// Versions in which the field is written as a regular (untagged) field.
    public var regularVersions: VersionRange {
        tag == nil ? versions : .none
    }

    /// Versions in which the field is written in the tagged-field section.
    public var tagVersions: VersionRange {
        tag == nil ? .none : versions.intersection(taggedVersions)
    }
}

/// A struct declared in `commonStructs`.
public struct StructSpec: Sendable {
    public var name: String
    public var versions: VersionRange
    public var fields: [FieldSpec]
}

/// One spec file: a request, response, header or data message.
public struct MessageSpec: Sendable {
    public enum Kind: String, Sendable { case request, response, header, data }

    public var kind: Kind
    public var name: String
    public var apiKey: Int?
    public var validVersions: VersionRange
    public var flexibleVersions: VersionRange
    public var listeners: [String]
    public var fields: [FieldSpec]
    public var commonStructs: [StructSpec]
    public var about: String?
}

extension MessageSpec {
    /// Parses one spec file's text.
    public init(parsing text: String) throws {
        let object = try JSONWithComments.parseObject(text)
        guard let kindText = object["type"] as? String, let kind = Kind(rawValue: kindText) else {
            throw SpecError("unknown message type \(object["type"] ?? "nil")")
        }
        guard let name = object["name"] as? String else { throw SpecError("message without a name") }
        self.kind = kind
        self.name = name
        self.apiKey = object["apiKey"] as? Int
        self.validVersions = try VersionRange(parsing: object["validVersions"] as? String ?? "none")
        self.flexibleVersions = try VersionRange(parsing: object["flexibleVersions"] as? String ?? "none")
        self.listeners = object["listeners"] as? [String] ?? []
        self.about = object["about"] as? String
        self.fields = try Self.parseFields(object["fields"], in: name)
        var structs: [StructSpec] = []
        for case let entry as [String: Any] in object["commonStructs"] as? [Any] ?? [] {
            guard let structName = entry["name"] as? String else { throw SpecError("\(name): common struct without a name") }
            structs.append(StructSpec(
                name: structName,
                versions: try VersionRange(parsing: entry["versions"] as? String ?? "0+"),
                fields: try Self.parseFields(entry["fields"], in: "\(name).\(structName)")
            ))
        }
        self.commonStructs = structs
    }

    static func parseFields(_ value: Any?, in context: String) throws -> [FieldSpec] {
        guard let list = value as? [Any] else { return [] }
        var fields: [FieldSpec] = []
        for case let entry as [String: Any] in list {
            guard let name = entry["name"] as? String, let typeText = entry["type"] as? String else {
                throw SpecError("\(context): field without name or type")
            }
            let versions = try VersionRange(parsing: entry["versions"] as? String ?? "none")
            var field = FieldSpec(
                name: name,
                type: FieldType(parsing: typeText),
                versions: versions,
                nullableVersions: try VersionRange(parsing: entry["nullableVersions"] as? String ?? "none"),
                taggedVersions: try VersionRange(parsing: entry["taggedVersions"] as? String ?? "none"),
                tag: entry["tag"] as? Int,
                flexibleVersions: try (entry["flexibleVersions"] as? String).map { try VersionRange(parsing: $0) },
                ignorable: entry["ignorable"] as? Bool ?? false,
                defaultValue: Self.defaultText(entry["default"]),
                about: entry["about"] as? String,
                structFields: nil
            )
            if entry["fields"] != nil {
                field.structFields = try parseFields(entry["fields"], in: "\(context).\(name)")
            }
            fields.append(field)
        }
        return fields
    }

    private static func defaultText(_ value: Any?) -> String? {
        switch value {
        case let text as String: text
        case let number as Int: String(number)
        case let flag as Bool: flag ? "true" : "false"
        default: nil
        }
    }
}
