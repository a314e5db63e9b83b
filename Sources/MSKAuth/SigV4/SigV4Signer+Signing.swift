import Foundation

extension SigV4Signer {
    /// What both forms compute before building the canonical request.
    struct Context {
        var timestamp: SigV4Timestamp
        var canonicalPath: String
        var payloadHash: String
    }

    func makeContext(_ request: SigV4Request) throws(MSKAuthError) -> Context {
        try credentials.validate()
        try Self.validateScopePart(region, code: .invalidRegion, what: "region")
        try Self.validateScopePart(service, code: .invalidRequest, what: "service")
        guard !request.method.isEmpty, request.method.utf8.allSatisfy(SigV4Canonical.isTokenByte) else {
            throw MSKAuthError(.invalidRequest, detail: "method must be a non-empty HTTP token")
        }
        guard request.headers.contains(where: { $0.name.lowercased() == "host" }) else {
            throw MSKAuthError(.missingHost, detail: "the Host header is always signed and must be present")
        }
        let payloadHash: String
        switch request.payload {
        case .bytes(let body):
            payloadHash = try SigV4Crypto.sha256Hex(body)
        case .unsigned:
            payloadHash = "UNSIGNED-PAYLOAD"
        case .precomputedSHA256(let hash):
            guard hash.utf8.count == 64, hash.utf8.allSatisfy({ SigV4Encoding.isLowerHex($0) }) else {
                throw MSKAuthError(.invalidRequest, detail: "precomputed payload hash must be 64 lowercase hex digits")
            }
            payloadHash = hash
        }
        return Context(
            timestamp: try SigV4Timestamp(clock.now()),
            canonicalPath: SigV4Encoding.canonicalPath(
                request.path, normalize: options.normalizePath, doubleEncode: options.doubleURIEncode),
            payloadHash: payloadHash)
    }

    /// Region and service go into the `/`-separated scope and the key chain.
    private static func validateScopePart(_ value: String, code: MSKAuthError.Code, what: String) throws(MSKAuthError) {
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            throw MSKAuthError(code, detail: "\(what) must be non-empty printable ASCII without '/'")
        }
    }

    func scope(_ timestamp: SigV4Timestamp) -> String {
        "\(timestamp.date)/\(region)/\(service)/aws4_request"
    }

    /// Builds the string to sign and signs it with the derived key.
    func sign(_ canonicalRequest: String, at timestamp: SigV4Timestamp) throws(MSKAuthError) -> (String, String) {
        let stringToSign = [
            Self.algorithm, timestamp.dateTime, scope(timestamp),
            try SigV4Crypto.sha256Hex(Array(canonicalRequest.utf8)),
        ].joined(separator: "\n")
        let key = try signingKey(date: timestamp.date)
        let signature = SigV4Crypto.hex(try SigV4Crypto.hmacSHA256(key: key, message: Array(stringToSign.utf8)))
        return (stringToSign, signature)
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    func signingKey(date: String) throws(MSKAuthError) -> [UInt8] {
        var key = Array(("AWS4" + credentials.secretAccessKey).utf8)
        for part in [date, region, service, "aws4_request"] {
            key = try SigV4Crypto.hmacSHA256(key: key, message: Array(part.utf8))
        }
        return key
    }
}
