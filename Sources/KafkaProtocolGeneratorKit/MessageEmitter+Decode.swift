/// Decoding code: the mirror of the encoder, validating every length before allocating.
extension MessageEmitter {
    func emitDecode(_ model: StructModel, fields: [FieldEmitContext], isRoot: Bool, into code: inout CodeBuffer) throws {
        if isRoot {
            code.line("/// Decodes a message body of `version`; fields the version lacks keep their defaults.")
            code.block("public init(from reader: inout WireReader, version: Int16) throws(KafkaWireError)") { code in
                code.block("guard Self.validVersions.contains(version) else") { code in
                    code.line("throw KafkaWireError(.unsupportedVersion, detail: \"no such version\")")
                    code.line("    .inMessage(Self.messageName, apiKey: \(apiKeyExpression), version: version)")
                }
                code.line("self.init()")
                code.block("do") { code in
                    code.line("try decodeFields(from: &reader, version: version)")
                }
                code.block("catch") { code in
                    code.line("throw error.inMessage(Self.messageName, apiKey: \(apiKeyExpression), version: version)")
                }
            }
        } else {
            code.line("/// Decodes this struct as it appears inside its message at `version`.")
            code.block("public init(from reader: inout WireReader, version: Int16) throws(KafkaWireError)") { code in
                code.line("self.init()")
                code.line("try decodeFields(from: &reader, version: version)")
            }
        }
        code.line()
        code.block("mutating func decodeFields(from reader: inout WireReader, version: Int16) throws(KafkaWireError)") { code in
            for field in fields where field.field.tag == nil {
                code.when(field.field.regularVersions.condition("version", within: field.context)) { code in
                    emitFieldDecode(field, tagged: false, reader: "reader", into: &code)
                }
            }
            if hasTaggedSection(model) {
                code.when(message.flexibleVersions.condition("version", within: model.context)) { code in
                    emitTaggedDecode(fields, model: model, into: &code)
                }
            }
        }
    }

    /// Reads one field into `self.property`.
    private func emitFieldDecode(_ field: FieldEmitContext, tagged: Bool, reader: String, into code: inout CodeBuffer) {
        let target = "self.\(field.escapedProperty)"
        let name = "\"\(field.property)\""
        let spec = field.field
        let nullable = spec.isOptional ? field.nullableCondition() : "false"
        let stringCompact = field.stringCompactCondition(tagged: tagged)
        switch spec.type {
        case .string where spec.isOptional && nullable != "false":
            code.line("\(target) = try \(reader).readKafkaNullableString(compact: \(stringCompact), nullable: \(nullable), field: \(name))")
        case .bytes where spec.isOptional && nullable != "false", .records where nullable != "false":
            code.line("\(target) = try \(reader).readKafkaNullableBytes(compact: \(stringCompact), nullable: \(nullable), field: \(name))")
        case .array(let element):
            emitArrayDecode(field, element: element, nullable: spec.isOptional ? nullable : "false",
                            tagged: tagged, reader: reader, into: &code)
        case .structure where spec.isOptional && nullable != "false":
            // Nullable structs carry a marker byte: negative for null.
            let nullableRead: (inout CodeBuffer) -> Void = { code in
                code.block("if try \(reader).read(Int8.self, field: \(name)) < 0") { code in
                    code.line("\(target) = nil")
                }
                code.block("else") { code in
                    emitStructRead(field, target: target, reader: reader, into: &code)
                }
            }
            if nullable == "true" {
                nullableRead(&code)
            } else {
                code.block("if \(nullable)", nullableRead)
                code.block("else") { code in emitStructRead(field, target: target, reader: reader, into: &code) }
            }
        case .structure:
            emitStructRead(field, target: target, reader: reader, into: &code)
        default:
            code.line("\(target) = \(valueRead(spec.type, field: field, tagged: tagged, reader: reader))")
        }
    }

    private func emitStructRead(_ field: FieldEmitContext, target: String, reader: String, into code: inout CodeBuffer) {
        code.block("do") { code in
            code.line("\(target) = try \(field.structType!)(from: &\(reader), version: version)")
        }
        code.block("catch") { code in
            code.line("throw error.inField(\"\(field.property)\")")
        }
    }

    /// An expression reading one non-null primitive value.
    private func valueRead(_ type: FieldType, field: FieldEmitContext, tagged: Bool, reader: String) -> String {
        let name = "\"\(field.property)\""
        switch type {
        case .int8, .int16, .uint16, .int32, .uint32, .int64:
            return "try \(reader).read(\(type.integerSwiftType!).self, field: \(name))"
        case .bool:
            return "try \(reader).readBool(field: \(name))"
        case .float64:
            return "try \(reader).readFloat64(field: \(name))"
        case .uuid:
            return "try \(reader).readUUID(field: \(name))"
        case .string:
            return "try \(reader).readKafkaString(compact: \(field.stringCompactCondition(tagged: tagged)), field: \(name))"
        case .bytes, .records:
            return "try \(reader).readKafkaBytes(compact: \(field.stringCompactCondition(tagged: tagged)), field: \(name))"
        case .array, .structure:
            preconditionFailure("arrays and structs are read by their own emitters")
        }
    }

    private func emitArrayDecode(_ field: FieldEmitContext, element: FieldType, nullable: String, tagged: Bool,
                                 reader: String, into code: inout CodeBuffer) {
        let name = "\"\(field.property)\""
        let compact = field.compactCondition(tagged: tagged)
        let minimum = minimumElementSize(element, field: field)
        let elementType = (try? FieldEmitContext.baseType(element, structType: field.structType)) ?? "Never"
        let body: (inout CodeBuffer) -> Void = { code in
            code.line("var items: [\(elementType)] = []")
            code.line("items.reserveCapacity(count)")
            code.block("for _ in 0..<count") { code in
                if element.isStruct {
                    code.block("do") { code in
                        code.line("items.append(try \(elementType)(from: &\(reader), version: version))")
                    }
                    code.block("catch") { code in
                        code.line("throw error.inField(\(name))")
                    }
                } else {
                    code.line("items.append(\(valueRead(element, field: field, tagged: tagged, reader: reader)))")
                }
            }
            code.line("self.\(field.escapedProperty) = items")
        }
        if nullable == "false" {
            code.block("do") { code in
                code.line("let count: Int = try \(reader).readKafkaArrayCount(compact: \(compact), minimumElementSize: \(minimum), field: \(name))")
                body(&code)
            }
        } else {
            code.block("if let count = try \(reader).readKafkaNullableArrayCount(compact: \(compact), nullable: \(nullable), minimumElementSize: \(minimum), field: \(name))", body)
            code.block("else") { code in code.line("self.\(field.escapedProperty) = nil") }
        }
    }

    /// A lower bound on one element's encoded size, so hostile counts are refused before allocating.
    private func minimumElementSize(_ element: FieldType, field: FieldEmitContext) -> Int {
        guard case .structure = element, let inner = field.field.structFields ?? commonStructFields(field.field.structName) else {
            return max(1, element.minimumSize(compact: true))
        }
        var total = 0
        for innerField in inner where innerField.tag == nil && innerField.regularVersions.covers(field.context.intersection(field.field.versions)) {
            if case .structure = innerField.type { continue }
            total += innerField.type.minimumSize(compact: true)
        }
        return max(1, total)
    }

    private func commonStructFields(_ name: String?) -> [FieldSpec]? {
        message.commonStructs.first { $0.name == name }?.fields
    }

    /// Reads the tagged-field section: known tags decode into their properties, others are kept.
    private func emitTaggedDecode(_ fields: [FieldEmitContext], model: StructModel, into code: inout CodeBuffer) {
        let flexibleContext = message.flexibleVersions.intersection(model.context)
        let known = fields
            .filter { $0.field.tag != nil && !$0.field.tagVersions.intersection(flexibleContext).isEmpty }
            .sorted { $0.field.tag! < $1.field.tag! }
        guard !known.isEmpty else {
            code.line("self.unknownTaggedFields = try reader.readUnknownTaggedFields()")
            return
        }
        code.line("let taggedCount: UInt32 = try reader.readUnsignedVarint(field: \"taggedFields\")")
        code.block("for _ in 0..<taggedCount") { code in
            code.line("let tag: UInt32 = try reader.readUnsignedVarint(field: \"taggedFields\")")
            code.line("let size: UInt32 = try reader.readUnsignedVarint(field: \"taggedFields\")")
            code.line("var tagReader: WireReader = try reader.readSlice(count: Int(size), field: \"taggedFields\")")
            code.block("switch tag") { code in
                for field in known {
                    let condition = field.field.tagVersions.condition("version", within: flexibleContext)
                    code.line(condition == "true" ? "case \(field.field.tag!):" : "case \(field.field.tag!) where \(condition):")
                    let tagged = FieldEmitContext(field: field.field, property: field.property, swiftType: field.swiftType,
                                                  structType: field.structType, defaultExpression: field.defaultExpression,
                                                  context: flexibleContext, flexibleVersions: field.flexibleVersions)
                    code.indented { code in
                        code.line("let rawValue: WireReader = tagReader")
                        code.block("do") { code in
                            emitFieldDecode(tagged, tagged: true, reader: "tagReader", into: &code)
                            code.line("try tagReader.expectEnd(field: \"\(field.property)\")")
                        }
                        // A known field sent at its default is kept raw too, so re-encoding is byte-exact.
                        code.block("if self.\(field.escapedProperty) == \(field.defaultExpression)") { code in
                            code.line("self.unknownTaggedFields.append(KafkaTaggedField(tag: tag, data: rawValue.remainingBytes))")
                        }
                    }
                }
                code.line("default:")
                code.line("    self.unknownTaggedFields.append(KafkaTaggedField(tag: tag, data: tagReader.remainingBytes))")
            }
        }
    }
}
