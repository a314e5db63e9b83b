import Foundation

/// The broker's answer to a successful `AWS_MSK_IAM` authentication:
/// `{"version": "2020_10_22", "request-id": "..."}`.
package struct MSKIAMAuthResponse: Sendable, Hashable {
    /// The protocol version; always ``MSKIAMAuthPayload/version``.
    package var version: String
    /// The broker's id for this authentication, useful when asking AWS support.
    package var requestID: String

    package init(version: String, requestID: String) {
        self.version = version
        self.requestID = requestID
    }

    private struct Wire: Decodable {
        var version: String?
        var requestID: String?

        enum CodingKeys: String, CodingKey {
            case version
            case requestID = "request-id"
        }
    }

    /// Parses and checks the server's JSON: both fields must be present, the
    /// version must be the one this library speaks, the request id non-empty.
    package init(parsing bytes: some Sequence<UInt8>) throws(MSKAuthError) {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(bytes))
        } catch {
            throw MSKAuthError(.invalidResponse, detail: "authentication response is not a JSON object")
        }
        guard let version = wire.version else {
            throw MSKAuthError(.invalidResponse, detail: "authentication response has no version")
        }
        guard version == MSKIAMAuthPayload.version else {
            throw MSKAuthError(.invalidResponse, detail: "unsupported authentication response version '\(version)'")
        }
        guard let requestID = wire.requestID, !requestID.isEmpty else {
            throw MSKAuthError(.invalidResponse, detail: "authentication response has no request-id")
        }
        self.init(version: version, requestID: requestID)
    }
}
