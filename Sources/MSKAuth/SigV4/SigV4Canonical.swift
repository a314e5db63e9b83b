/// Building blocks of the SigV4 canonical request.
enum SigV4Canonical {
    /// Headers that proxies may change or that are set after signing; SDKs never sign them.
    static let unsignedHeaderNames: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
        "user-agent", "x-amzn-trace-id",
    ]

    /// The canonical header block and the `;`-joined signed header names.
    struct Headers {
        var block: String
        var signedNames: String
    }

    /// RFC 9110 token characters, allowed in methods and header names.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        if SigV4Encoding.isUnreserved(byte) { return true }
        return "!#$%&'*+^`|".utf8.contains(byte)
    }

    /// Lower-cases names, trims values and folds runs of whitespace (line
    /// breaks of folded headers included) to one space, joins repeated names'
    /// values with `,` in request order, and sorts by name.
    static func headers(_ fields: [SigV4Header]) throws(MSKAuthError) -> Headers {
        var values: [String: [String]] = [:]
        for field in fields {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(isTokenByte) else {
                throw MSKAuthError(.invalidHeader, detail: "header name must be a non-empty HTTP token")
            }
            let name = field.name.lowercased()
            if unsignedHeaderNames.contains(name) { continue }
            values[name, default: []].append(trimAll(field.value))
        }
        let names = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let block = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))" }.joined(separator: "\n")
        return Headers(block: block, signedNames: names.joined(separator: ";"))
    }

    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .joined(separator: " ")
    }

    /// Encodes every name and value strictly and sorts by name, then value.
    static func query(_ items: [SigV4QueryItem]) -> String {
        items.map { (SigV4Encoding.encodeComponent($0.name), SigV4Encoding.encodeComponent($0.value)) }
            .sorted { lhs, rhs in
                lhs.0 != rhs.0
                    ? lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8)
                    : lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    static func request(
        method: String, canonicalPath: String, query items: [SigV4QueryItem],
        headers: Headers, payloadHash: String
    ) -> String {
        [method, canonicalPath, query(items), headers.block + "\n", headers.signedNames, payloadHash]
            .joined(separator: "\n")
    }
}
