/// Writes test-side sample builders: for a version, a value with every field that
/// version carries set to something other than its default (plus an unknown tagged
/// field in flexible versions), so round-trip tests exercise every field.
struct SampleEmitter {
    let emitter: MessageEmitter

    init(message: MessageSpec) throws {
        emitter = try MessageEmitter(message: message)
    }

    func source() throws -> String {
        var code = CodeBuffer()
        code.line(MessageEmitter.header)
        code.line()
        code.line("import KafkaWire")
        try emit(emitter.root, isRoot: true, into: &code)
        return code.text
    }

    private func emit(_ model: StructModel, isRoot: Bool, into code: inout CodeBuffer) throws {
        let fields = try emitter.fieldContexts(of: model)
        code.line()
        let conformance = isRoot ? ": SampleBuildable" : ""
        code.block("extension \(model.qualifiedName)\(conformance)") { code in
            code.block("static func sample(version: Int16, using source: inout SampleSource) -> \(model.qualifiedName)") { code in
                code.line("var value = \(model.qualifiedName)()")
                for field in fields {
                    let spec = field.field
                    let present = (spec.tag == nil ? spec.regularVersions : spec.tagVersions).condition("version", within: model.context)
                    code.when(present) { code in
                        emitAssignment(field, into: &code)
                    }
                }
                if emitter.hasTaggedSection(model) {
                    let maxTag = fields.compactMap(\.field.tag).max() ?? -1
                    code.when(emitter.message.flexibleVersions.condition("version", within: model.context)) { code in
                        code.line("value.unknownTaggedFields = source.unknownTaggedFields(firstTag: \(maxTag + 1))")
                    }
                }
                code.line("return value")
            }
        }
        for child in model.children {
            try emit(child, isRoot: false, into: &code)
        }
    }

    private func emitAssignment(_ field: FieldEmitContext, into code: inout CodeBuffer) {
        let target = "value.\(field.escapedProperty)"
        switch field.field.type {
        case .array(let element):
            code.block("do") { code in
                let elementType = (try? FieldEmitContext.baseType(element, structType: field.structType)) ?? "Never"
                code.line("var items: [\(elementType)] = []")
                code.block("for _ in 0..<2") { code in
                    code.line("items.append(\(valueExpression(element, field: field)))")
                }
                code.line("\(target) = items")
            }
        default:
            code.line("\(target) = \(valueExpression(field.field.type, field: field))")
        }
    }

    private func valueExpression(_ type: FieldType, field: FieldEmitContext) -> String {
        let isDirect = !field.field.type.isArray
        switch type {
        case .int8, .int16, .uint16, .int32, .uint32, .int64:
            let avoid = isDirect ? field.defaultExpression : "0"
            return "source.next(\(type.integerSwiftType!).self, avoiding: \(avoid))"
        case .bool:
            return isDirect ? (field.defaultExpression == "true" ? "false" : "true") : "source.bool()"
        case .float64:
            return "source.double()"
        case .string:
            return "source.string()"
        case .bytes, .records:
            return "source.bytes()"
        case .uuid:
            return "source.uuid()"
        case .structure:
            return "\(field.structType!).sample(version: version, using: &source)"
        case .array:
            return "[]"
        }
    }

    /// The names of every generated top-level type and a generic dispatch over them, so
    /// tests sweep every message without existential metatypes.
    static func listSource(_ specs: [MessageSpec]) -> String {
        var code = CodeBuffer()
        code.line(MessageEmitter.header)
        code.line()
        code.line("import KafkaWire")
        code.line()
        code.line("/// The name of every generated message type.")
        code.line("let allMessageSampleNames: [String] = [")
        for spec in specs {
            code.line("    \(SwiftNames.stringLiteral(spec.name)),")
        }
        code.line("]")
        code.line()
        code.line("/// Calls `visitor.visit` with the type named `name`; false for an unknown name.")
        code.block("func visitMessageSample<V: MessageSampleVisitor>(named name: String, _ visitor: inout V) throws -> Bool") { code in
            code.block("switch name") { code in
                for spec in specs {
                    code.line("case \(SwiftNames.stringLiteral(spec.name)): try visitor.visit(\(spec.name).self)")
                }
                code.line("default: return false")
            }
            code.line("return true")
        }
        code.line()
        code.line("/// Calls `visitor.visit` with the request type of `apiKey`; false when it is not generated.")
        code.block("func visitApi<V: ApiVisitor>(apiKey: Int16, _ visitor: inout V) throws -> Bool") { code in
            code.block("switch apiKey") { code in
                for spec in specs where spec.kind == .request {
                    code.line("case \(spec.apiKey ?? -1): try visitor.visit(\(spec.name).self)")
                }
                code.line("default: return false")
            }
            code.line("return true")
        }
        return code.text
    }
}
