import Foundation

/// AWS credentials used to sign requests.
///
/// `description`, `debugDescription` and the mirror (`dump`, debuggers) show
/// the access key ID only; the secret key and session token are always redacted.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// The access key ID (for example `AKIDEXAMPLE`); not secret.
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials, if any.
    public var sessionToken: String?
    /// When temporary credentials stop working (nil: long-term keys that do not expire).
    public var expiration: Date?

    /// Credentials; temporary ones have a session token and an expiration.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String {
        let token = sessionToken == nil ? "none" : "<redacted>"
        let expiry = expiration.map { ", expiration: \($0)" } ?? ""
        return "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(token)\(expiry))"
    }

    public var debugDescription: String { description }

    /// Hides the secret key and session token from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "hasSessionToken": sessionToken != nil,
                                "expiration": expiration as Any])
    }

    /// Checks that both keys are present and can appear in a credential scope.
    func validate() throws(MSKAuthError) {
        if accessKeyID.isEmpty || secretAccessKey.isEmpty {
            throw MSKAuthError(.invalidCredentials, detail: "access key ID and secret access key must not be empty")
        }
        // The key ID is written into the `/`-separated credential scope.
        if accessKeyID.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 < 0x21 || $0 > 0x7E }) {
            throw MSKAuthError(.invalidCredentials, detail: "access key ID must be printable ASCII without '/'")
        }
    }
}
