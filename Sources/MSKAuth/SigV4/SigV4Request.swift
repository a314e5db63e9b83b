/// One HTTP header field. Repeated names are allowed and are signed in order.
package struct SigV4Header: Sendable, Hashable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One query parameter, with its name and value *decoded* (not percent-encoded).
package struct SigV4QueryItem: Sendable, Hashable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What the canonical request says about the body.
package enum SigV4Payload: Sendable, Hashable {
    /// The body bytes, hashed with SHA-256 (an empty array for no body).
    case bytes([UInt8])
    /// The literal `UNSIGNED-PAYLOAD`, for bodies the signer does not see.
    case unsigned
    /// A SHA-256 of the body already computed by the caller, as lowercase hex.
    case precomputedSHA256(String)

    /// No body: the SHA-256 of zero bytes.
    package static let empty = SigV4Payload.bytes([])
}

/// An HTTP request to sign.
package struct SigV4Request: Sendable, Hashable {
    /// The method, for example `GET`; sent upper-case as given.
    package var method: String
    /// The path exactly as it is sent on the wire (escapes such as `%20` included).
    package var path: String
    /// The query parameters, decoded, in the order they are sent.
    package var query: [SigV4QueryItem]
    /// The headers to sign; must include `Host`.
    package var headers: [SigV4Header]
    /// The body, or how to describe it.
    package var payload: SigV4Payload

    package init(
        method: String,
        path: String = "/",
        query: [SigV4QueryItem] = [],
        headers: [SigV4Header],
        payload: SigV4Payload = .empty
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = payload
    }

    /// A request whose query is given as on the wire (`a=1&b=%E1%88%B4`, raw
    /// UTF-8 allowed); escapes are decoded, a name without `=` has an empty value.
    package init(
        method: String,
        path: String,
        rawQuery: String,
        headers: [SigV4Header],
        payload: SigV4Payload = .empty
    ) throws(MSKAuthError) {
        var items: [SigV4QueryItem] = []
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try SigV4Encoding.percentDecode(parts[0])
            let value = parts.count > 1 ? try SigV4Encoding.percentDecode(parts[1]) : ""
            items.append(SigV4QueryItem(name, value))
        }
        self.init(method: method, path: path, query: items, headers: headers, payload: payload)
    }

    /// The query as sent on the wire, each name and value strictly encoded.
    package var encodedQuery: String {
        query.map { SigV4Encoding.encodeComponent($0.name) + "=" + SigV4Encoding.encodeComponent($0.value) }
            .joined(separator: "&")
    }
}
