/// Encoding code: fields in spec order, then the tagged-field section in tag order.
extension MessageEmitter {
    func emitEncode(_ model: StructModel, fields: [FieldEmitContext], isRoot: Bool, into code: inout CodeBuffer) throws {
        if isRoot {
            code.line("/// Encodes the message body at `version`; throws for versions outside `validVersions`,")
            code.line("/// nulls in non-nullable versions and non-default values the version cannot carry.")
            code.block("public func encode(into writer: inout WireWriter, version: Int16) throws(KafkaWireError)") { code in
                code.block("guard Self.validVersions.contains(version) else") { code in
                    code.line("throw KafkaWireError(.unsupportedVersion, detail: \"no such version\")")
                    code.line("    .inMessage(Self.messageName, apiKey: \(apiKeyExpression), version: version)")
                }
                code.block("do") { code in
                    code.line("try encodeFields(into: &writer, version: version)")
                }
                code.block("catch") { code in
                    code.line("throw error.inMessage(Self.messageName, apiKey: \(apiKeyExpression), version: version)")
                }
            }
        } else {
            code.line("/// Encodes this struct as it appears inside its message at `version`.")
            code.block("public func encode(into writer: inout WireWriter, version: Int16) throws(KafkaWireError)") { code in
                code.line("try encodeFields(into: &writer, version: version)")
            }
        }
        code.line()
        code.block("func encodeFields(into writer: inout WireWriter, version: Int16) throws(KafkaWireError)") { code in
            for field in fields {
                emitFieldEncode(field, into: &code)
            }
            if hasTaggedSection(model) {
                code.when(message.flexibleVersions.condition("version", within: model.context)) { code in
                    emitTaggedEncode(fields, model: model, into: &code)
                }
            }
        }
    }

    /// Writes a regular field, or (for fields absent from the version) the check that refuses to lose a value.
    private func emitFieldEncode(_ field: FieldEmitContext, into code: inout CodeBuffer) {
        let spec = field.field
        let present = (spec.tag == nil ? spec.regularVersions : spec.tagVersions).condition("version", within: field.context)
        if present != "true" && !spec.ignorable {
            let absent = present == "false" ? "" : "!(\(present)) && "
            code.block("if \(absent)self.\(field.escapedProperty) != \(field.defaultExpression)") { code in
                code.line("throw KafkaWireError(.unsupportedField, field: \"\(field.property)\", detail: \"not in this version\")")
            }
        }
        guard spec.tag == nil else { return }
        code.when(present) { code in
            emitOptionalEncode(field, tagged: false, writer: "writer", into: &code)
        }
    }

    /// Writes `self.property`, handling Optional storage and per-version nullability.
    func emitOptionalEncode(_ field: FieldEmitContext, tagged: Bool, writer: String, into code: inout CodeBuffer) {
        let value = "self.\(field.escapedProperty)"
        guard field.field.isOptional else {
            emitValueEncode(field.field.type, value: value, field: field, tagged: tagged, writer: writer, into: &code)
            return
        }
        let nullable = field.nullableCondition()
        let missing = "throw KafkaWireError(.missingValue, field: \"\(field.property)\", detail: \"null is not allowed in this version\")"
        if nullable == "false" {
            code.block("guard let value = \(value) else") { code in code.line(missing) }
            emitValueEncode(field.field.type, value: "value", field: field, tagged: tagged, writer: writer, into: &code)
            return
        }
        code.block("if let value = \(value)") { code in
            if field.field.type.isStruct {
                code.when(nullable) { code in code.line("\(writer).write(Int8(1))") }
            }
            emitValueEncode(field.field.type, value: "value", field: field, tagged: tagged, writer: writer, into: &code)
        }
        let nullWrite = nullEncode(field, tagged: tagged, writer: writer)
        if nullable == "true" {
            code.block("else") { code in code.line(nullWrite) }
        } else {
            code.block("else if \(nullable)") { code in code.line(nullWrite) }
            code.block("else") { code in code.line(missing) }
        }
    }

    private func nullEncode(_ field: FieldEmitContext, tagged: Bool, writer: String) -> String {
        switch field.field.type {
        case .string:
            return "\(writer).writeKafkaNullString(compact: \(field.stringCompactCondition(tagged: tagged)))"
        case .bytes, .records:
            return "\(writer).writeKafkaNullBytes(compact: \(field.stringCompactCondition(tagged: tagged)))"
        case .array:
            return "\(writer).writeKafkaNullArray(compact: \(field.compactCondition(tagged: tagged)))"
        default:
            return "\(writer).write(Int8(-1))"
        }
    }

    /// Writes a non-optional value of `type` held in `value`.
    private func emitValueEncode(_ type: FieldType, value: String, field: FieldEmitContext, tagged: Bool,
                                 writer: String, into code: inout CodeBuffer) {
        switch type {
        case .int8, .int16, .uint16, .int32, .uint32, .int64:
            code.line("\(writer).write(\(value))")
        case .bool:
            code.line("\(writer).writeBool(\(value))")
        case .float64:
            code.line("\(writer).writeFloat64(\(value))")
        case .uuid:
            code.line("\(writer).writeUUID(\(value))")
        case .string:
            code.line("try \(writer).writeKafkaString(\(value), compact: \(field.stringCompactCondition(tagged: tagged)))")
        case .bytes, .records:
            code.line("try \(writer).writeKafkaBytes(\(value), compact: \(field.stringCompactCondition(tagged: tagged)))")
        case .array(let element):
            code.line("try \(writer).writeKafkaArrayCount(\(value).count, compact: \(field.compactCondition(tagged: tagged)))")
            code.block("for item in \(value)") { code in
                emitValueEncode(element, value: "item", field: field, tagged: tagged, writer: writer, into: &code)
            }
        case .structure:
            code.block("do") { code in
                code.line("try \(value).encodeFields(into: &\(writer), version: version)")
            }
            code.block("catch") { code in
                code.line("throw error.inField(\"\(field.property)\")")
            }
        }
    }

    /// Known tagged fields (when set to non-default values) merged with unknown ones, in tag order.
    private func emitTaggedEncode(_ fields: [FieldEmitContext], model: StructModel, into code: inout CodeBuffer) {
        let flexibleContext = message.flexibleVersions.intersection(model.context)
        let known = fields
            .filter { $0.field.tag != nil && !$0.field.tagVersions.intersection(flexibleContext).isEmpty }
            .sorted { $0.field.tag! < $1.field.tag! }
        guard !known.isEmpty else {
            code.line("writer.writeUnknownTaggedFields(self.unknownTaggedFields)")
            return
        }
        code.line("var taggedCount: Int = self.unknownTaggedFields.count")
        for field in known {
            code.when(field.field.tagVersions.condition("version", within: flexibleContext)) { code in
                code.block("if self.\(field.escapedProperty) != \(field.defaultExpression)") { code in
                    // A raw copy of this tag (kept when it was decoded at its default) is replaced.
                    code.line("taggedCount += 1 - KafkaTaggedField.count(of: \(field.field.tag!), in: self.unknownTaggedFields)")
                }
            }
        }
        code.line("writer.writeUnsignedVarint(UInt32(taggedCount))")
        code.line("var unknownIndex: Int = 0")
        for field in known {
            let tag = field.field.tag!
            code.line("writer.writeUnknownTaggedFields(self.unknownTaggedFields, below: \(tag), index: &unknownIndex)")
            code.when(field.field.tagVersions.condition("version", within: flexibleContext)) { code in
                code.block("if self.\(field.escapedProperty) != \(field.defaultExpression)") { code in
                    code.line("var tagWriter = WireWriter(reservingCapacity: 16)")
                    let tagged = FieldEmitContext(field: field.field, property: field.property, swiftType: field.swiftType,
                                                  structType: field.structType, defaultExpression: field.defaultExpression,
                                                  context: flexibleContext, flexibleVersions: field.flexibleVersions)
                    emitOptionalEncode(tagged, tagged: true, writer: "tagWriter", into: &code)
                    code.line("writer.writeTaggedField(tag: \(tag), bytes: tagWriter.bytes)")
                    code.line("KafkaTaggedField.skip(tag: \(tag), in: self.unknownTaggedFields, index: &unknownIndex)")
                }
            }
        }
        code.line("writer.writeRemainingUnknownTaggedFields(self.unknownTaggedFields, from: unknownIndex)")
    }
}
