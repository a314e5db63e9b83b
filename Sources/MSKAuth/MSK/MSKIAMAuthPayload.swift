import Foundation

/// The client message of the `AWS_MSK_IAM` SASL mechanism (the protocol of
/// aws-msk-iam-auth, version `2020_10_22`): a JSON object carrying a SigV4
/// presigned `GET /?Action=kafka-cluster:Connect` for the broker's host.
///
/// Building it is a pure function of the credentials, host, region, user
/// agent and clock. `description` hides the signature and session token.
package struct MSKIAMAuthPayload: Sendable, CustomStringConvertible {
    /// The protocol version the payload and the broker's response carry.
    package static let version = "2020_10_22"
    /// The IAM action authorised by the signature.
    package static let action = "kafka-cluster:Connect"
    /// The SigV4 signing name of MSK's data plane.
    package static let service = "kafka-cluster"
    /// How long the signature is valid unless told otherwise (15 minutes, as aws-msk-iam-auth).
    package static let defaultExpiry = 900

    /// The JSON fields in the order they are written.
    package let fields: [(name: String, value: String)]
    /// The UTF-8 JSON to send as the SASL client message.
    package let bytes: [UInt8]
    /// The broker host name that was signed (no port).
    package let host: String
    /// The region in the credential scope.
    package let region: String
    /// The signing time, in whole seconds.
    package let signingDate: Date
    /// When the broker stops accepting the signature.
    package let expiration: Date

    /// Signs an `AWS_MSK_IAM` payload for `brokerHost` (a port, if present, is
    /// dropped). The region is read from the host unless given.
    package init(
        credentials: AWSCredentials,
        brokerHost: String,
        region: String? = nil,
        userAgent: String,
        expiresIn: Int = MSKIAMAuthPayload.defaultExpiry,
        clock: SigV4Clock = .system
    ) throws(MSKAuthError) {
        let host = try MSKHost.hostName(brokerHost)
        let resolvedRegion: String
        if let region {
            try MSKHost.validateRegion(region)
            resolvedRegion = region
        } else {
            resolvedRegion = try MSKHost.region(ofBroker: host)
        }
        let signer = SigV4Signer(
            credentials: credentials, region: resolvedRegion, service: Self.service, clock: clock)
        let request = SigV4Request(
            method: "GET", path: "/", query: [SigV4QueryItem("Action", Self.action)],
            headers: [SigV4Header("host", host)], payload: .empty)
        let presigned = try signer.presign(request, expiresIn: expiresIn)

        var fields: [(name: String, value: String)] = [
            ("version", Self.version), ("host", host), ("user-agent", userAgent), ("action", Self.action),
        ]
        // The signing parameters go in lower-cased and decoded, as aws-msk-iam-auth sends them.
        for item in presigned.addedQuery {
            fields.append((item.name.lowercased(), item.value))
        }
        self.fields = fields
        self.bytes = Array(MSKJSON.object(fields).utf8)
        self.host = host
        self.region = resolvedRegion
        self.signingDate = presigned.signingDate
        self.expiration = presigned.expiration
    }

    /// The value of one field, if present.
    package subscript(field name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    package var description: String {
        "MSKIAMAuthPayload(host: \(host), region: \(region), signedAt: \(signingDate), expiration: \(expiration))"
    }
}
