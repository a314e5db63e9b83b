/// A struct to emit: a message's top level, an inline struct or a common struct,
/// with its Swift qualified name and the versions in which it can appear.
struct StructModel {
    var name: String
    var qualifiedName: String
    var fields: [FieldSpec]
    /// The versions in which this struct can be encoded (the message's valid versions
    /// intersected with those of the fields leading to it).
    var context: VersionRange
    var children: [StructModel]
    var about: String?

    /// Builds the tree for `message`, resolving struct names to qualified Swift names.
    static func build(for message: MessageSpec) throws -> (root: StructModel, typeNames: [String: String]) {
        var typeNames: [String: String] = [:]
        var common: [StructModel] = []
        for spec in message.commonStructs {
            let qualified = "\(message.name).\(spec.name)"
            typeNames["\(message.name)/\(spec.name)"] = qualified
            common.append(StructModel(name: spec.name, qualifiedName: qualified, fields: spec.fields,
                                      context: message.validVersions, children: [], about: nil))
        }
        // Inline children of common structs, then of the message itself.
        for index in common.indices {
            common[index].children = try buildChildren(of: common[index], message: message, typeNames: &typeNames)
        }
        var root = StructModel(name: message.name, qualifiedName: message.name, fields: message.fields,
                               context: message.validVersions, children: [], about: message.about)
        root.children = try buildChildren(of: root, message: message, typeNames: &typeNames) + common
        return (root, typeNames)
    }

    private static func buildChildren(of parent: StructModel, message: MessageSpec,
                                      typeNames: inout [String: String]) throws -> [StructModel] {
        var children: [StructModel] = []
        var seen: Set<String> = []
        for field in parent.fields {
            guard let structName = field.structName, let inner = field.structFields else { continue }
            guard seen.insert(structName).inserted else {
                throw SpecError("\(message.name): struct \(structName) declared twice in \(parent.qualifiedName)")
            }
            let qualified = "\(parent.qualifiedName).\(structName)"
            typeNames["\(parent.qualifiedName)/\(field.name)"] = qualified
            var child = StructModel(name: structName, qualifiedName: qualified, fields: inner,
                                    context: parent.context.intersection(field.versions), children: [],
                                    about: nil)
            if child.context.isEmpty { child.context = field.versions }
            child.children = try buildChildren(of: child, message: message, typeNames: &typeNames)
            children.append(child)
        }
        return children
    }
}
