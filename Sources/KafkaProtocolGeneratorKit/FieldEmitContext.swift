/// What the emitter knows about one field while writing its coding code.
struct FieldEmitContext {
    let field: FieldSpec
    /// The Swift property name (unescaped).
    let property: String
    /// The Swift type of the stored property, e.g. `[Int32]` or `String?`.
    let swiftType: String
    /// The Swift type of one element or of the struct, when the field holds structs.
    let structType: String?
    /// The Swift default value expression.
    let defaultExpression: String
    /// The versions of the enclosing struct.
    let context: VersionRange
    /// The message's flexible versions.
    let flexibleVersions: VersionRange

    var escapedProperty: String { SwiftNames.escaped(property) }

    /// Compactness of arrays and structs in tagged/regular positions.
    func compactCondition(tagged: Bool) -> String {
        tagged ? "true" : flexibleVersions.condition("version", within: context)
    }

    /// Compactness of strings and bytes: a field-level override wins over the message's.
    func stringCompactCondition(tagged: Bool) -> String {
        if tagged { return "true" }
        return (field.flexibleVersions ?? flexibleVersions).condition("version", within: context)
    }

    func nullableCondition() -> String {
        if field.type == .records && field.nullableVersions.isEmpty { return "false" }
        let present = context.intersection(field.tag == nil ? field.versions : field.tagVersions)
        return field.nullableVersions.condition("version", within: present.isEmpty ? context : present)
    }
}

extension FieldEmitContext {
    static func make(field: FieldSpec, parent: StructModel, message: MessageSpec,
                     typeNames: [String: String]) throws -> FieldEmitContext {
        var structType: String?
        if let name = field.structName {
            if field.structFields != nil {
                structType = typeNames["\(parent.qualifiedName)/\(field.name)"]
            } else {
                structType = typeNames["\(message.name)/\(name)"]
            }
            guard structType != nil else { throw SpecError("\(message.name): unknown struct \(name)") }
        }
        let base = try baseType(field.type, structType: structType)
        let swiftType = field.isOptional ? "\(base)?" : base
        return FieldEmitContext(
            field: field,
            property: SwiftNames.property(field.name),
            swiftType: swiftType,
            structType: structType,
            defaultExpression: try defaultExpression(field, structType: structType),
            context: parent.context,
            flexibleVersions: message.flexibleVersions
        )
    }

    static func baseType(_ type: FieldType, structType: String?) throws -> String {
        switch type {
        case .bool: return "Bool"
        case .int8, .int16, .uint16, .int32, .uint32, .int64: return type.integerSwiftType!
        case .float64: return "Double"
        case .string: return "String"
        case .bytes, .records: return "[UInt8]"
        case .uuid: return "KafkaUUID"
        case .array(let element): return "[\(try baseType(element, structType: structType))]"
        case .structure(let name):
            guard let structType else { throw SpecError("unresolved struct \(name)") }
            return structType
        }
    }

    static func defaultExpression(_ field: FieldSpec, structType: String?) throws -> String {
        let text = field.defaultValue
        if text == "null" {
            guard field.isOptional else { throw SpecError("\(field.name): null default on a non-nullable field") }
            return "nil"
        }
        switch field.type {
        case .bool:
            return text == "true" ? "true" : "false"
        case .int8, .int16, .uint16, .int32, .uint32, .int64:
            guard let text, !text.isEmpty else { return "0" }
            return try integerLiteral(text, field: field.name)
        case .float64:
            guard let text, let value = Double(text) else { return "0" }
            return "\(value)"
        case .string:
            return SwiftNames.stringLiteral(text ?? "")
        case .bytes, .array:
            return "[]"
        case .records:
            return "nil"
        case .uuid:
            return ".zero"
        case .structure:
            return "\(structType!)()"
        }
    }

    static func integerLiteral(_ text: String, field: String) throws -> String {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() }
        let value: Int64?
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            value = Int64(body.dropFirst(2), radix: 16)
        } else if body.count > 1, body.hasPrefix("0") {
            value = Int64(body.dropFirst(), radix: 8)
        } else {
            value = Int64(body)
        }
        guard let value else { throw SpecError("\(field): bad integer default \(text)") }
        return negative ? "-\(value)" : "\(value)"
    }
}
