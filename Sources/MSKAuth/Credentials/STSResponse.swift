import Foundation

/// The parts of an STS query-API XML response the credential providers read:
/// `<Credentials>` of an AssumeRole* result, or an `<Error>` with its code and message.
///
/// STS answers with flat, predictable XML, so elements are found by name
/// rather than with a full XML parser.
enum STSResponse {
    /// Credentials from a 200 response, or the service's error.
    static func credentials(from response: HTTPResponse, action: String) throws(MSKAuthError) -> AWSCredentials {
        let xml = response.bodyText
        guard response.status == 200 else {
            let code = element("Code", in: xml) ?? "HTTP \(response.status)"
            // STS messages describe the failure (expired token, unknown role) and carry no secrets.
            let message = element("Message", in: xml).map { ": \($0)" } ?? ""
            throw MSKAuthError(.credentialsProviderFailed, detail: "STS \(action) failed: \(code)\(message)")
        }
        guard let block = element("Credentials", in: xml),
              let access = element("AccessKeyId", in: block),
              let secret = element("SecretAccessKey", in: block) else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "STS \(action): the response has no Credentials")
        }
        let expiration = element("Expiration", in: block).flatMap(AWSDate.parse)
        let credentials = AWSCredentials(accessKeyID: access, secretAccessKey: secret,
                                         sessionToken: element("SessionToken", in: block), expiration: expiration)
        try credentials.validate()
        return credentials
    }

    /// The text of the first `<name>...</name>` (or `<name attr=...>`), entities decoded.
    static func element(_ name: String, in xml: String) -> String? {
        var searchStart = xml.startIndex
        while let open = xml.range(of: "<\(name)", range: searchStart..<xml.endIndex) {
            searchStart = open.upperBound
            guard let next = xml[open.upperBound...].first, next == ">" || next == " " || next == "\t" || next == "\n",
                  let tagEnd = xml[open.upperBound...].firstIndex(of: ">"),
                  let close = xml.range(of: "</\(name)>", range: xml.index(after: tagEnd)..<xml.endIndex) else {
                continue
            }
            return decodeEntities(String(xml[xml.index(after: tagEnd)..<close.lowerBound]))
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "&", let semicolon = text[index...].firstIndex(of: ";") {
                let entity = String(text[text.index(after: index)..<semicolon])
                if let value = named[entity] {
                    out.append(value)
                    index = text.index(after: semicolon)
                    continue
                }
                if entity.hasPrefix("#"), let scalar = numericEntity(entity.dropFirst()) {
                    out.unicodeScalars.append(scalar)
                    index = text.index(after: semicolon)
                    continue
                }
            }
            out.append(text[index])
            index = text.index(after: index)
        }
        return out
    }

    private static func numericEntity(_ digits: Substring) -> Unicode.Scalar? {
        let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
        return value.flatMap(Unicode.Scalar.init)
    }
}
