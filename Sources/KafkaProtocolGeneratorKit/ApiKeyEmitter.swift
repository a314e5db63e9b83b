/// Writes `ApiKey+Generated.swift`: a named constant for every API key in the
/// spec folder, and lookups from key to the generated request and response types.
struct ApiKeyEmitter {
    /// Every request spec in the folder, sorted by API key.
    let requests: [MessageSpec]
    /// The names of requests whose types are generated.
    let generated: Set<String>

    static func constantName(_ requestName: String) -> String {
        SwiftNames.property(String(requestName.dropLast("Request".count)))
    }

    func source() -> String {
        var code = CodeBuffer()
        code.line(MessageEmitter.header)
        code.line()
        code.block("extension ApiKey") { code in
            for request in requests {
                code.lines(SwiftNames.docLines("\(request.name.dropLast("Request".count)) (\(request.apiKey ?? -1)).", indent: ""))
                code.line("public static let \(Self.constantName(request.name)): ApiKey = ApiKey(rawValue: \(request.apiKey ?? -1))")
            }
            code.line()
            code.line("/// Every API key defined by the message specs this library was generated from.")
            let all = requests.map { ".\(Self.constantName($0.name))" }.joined(separator: ", ")
            code.line("public static let allKnown: [ApiKey] = [\(all)]")
            code.line()
            code.line("/// The API's name as Kafka spells it (`Produce`, `Fetch`), or nil for an unknown key.")
            code.block("public var name: String?") { code in
                code.block("switch rawValue") { code in
                    for request in requests {
                        code.line("case \(request.apiKey ?? -1): return \(SwiftNames.stringLiteral(String(request.name.dropLast("Request".count))))")
                    }
                    code.line("default: return nil")
                }
            }
            code.line()
            code.line("/// The generated request type for this key, or nil if this library does not generate it.")
            code.block("public var requestType: (any KafkaRequest.Type)?") { code in
                code.block("switch rawValue") { code in
                    for request in requests where generated.contains(request.name) {
                        code.line("case \(request.apiKey ?? -1): return \(request.name).self")
                    }
                    code.line("default: return nil")
                }
            }
            code.line()
            code.line("/// The generated response type for this key, or nil if this library does not generate it.")
            code.block("public var responseType: (any KafkaResponse.Type)?") { code in
                code.block("switch rawValue") { code in
                    for request in requests where generated.contains(request.name) {
                        let response = request.name.replacingOccurrences(of: "Request", with: "Response")
                        code.line("case \(request.apiKey ?? -1): return \(response).self")
                    }
                    code.line("default: return nil")
                }
            }
        }
        return code.text
    }
}
