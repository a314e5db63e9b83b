import Foundation

/// Entry points into the parsers of credential sources and broker replies, for
/// the fuzz targets in `Fuzz/` (a separate package, which cannot see internal
/// API). Each throws what the parser throws. Not for applications.
@_spi(Fuzzing)
public enum MSKAuthFuzzing {
    /// Parses an HTTP/1.x response as the metadata and STS clients read one,
    /// then its body as an EC2/ECS credentials document and as STS XML.
    public static func httpResponse(_ bytes: [UInt8]) throws {
        var parser = HTTPResponseParser(source: ByteArraySource(bytes))
        let response = try parser.parse()
        _ = try? MetadataCredentialsJSON.parse(response.body, source: "fuzz")
        _ = try? STSResponse.credentials(from: response, action: "AssumeRole")
    }

    /// The JSON credentials document of the EC2 and ECS metadata endpoints.
    public static func metadataCredentials(_ bytes: [UInt8]) throws {
        _ = try MetadataCredentialsJSON.parse(bytes, source: "fuzz")
    }

    /// An STS query-API reply with `status`.
    public static func stsResponse(_ bytes: [UInt8], status: Int) throws {
        _ = try STSResponse.credentials(from: HTTPResponse(status: status, headers: [], body: bytes), action: "AssumeRole")
    }

    /// The JSON a `credential_process` prints.
    public static func credentialProcessOutput(_ bytes: [UInt8]) throws {
        _ = try CredentialProcess.parse(Data(bytes))
    }

    /// An AWS shared config (or credentials) file; returns its profile names.
    public static func configFile(_ text: String, isCredentialsFile: Bool) -> [String] {
        Array(AWSConfigFile(parsing: text, kind: isCredentialsFile ? .credentials : .config).profiles.keys)
    }

    /// Parses the broker's reply to an `AWS_MSK_IAM` payload (package API, so the
    /// fuzz targets reach it here).
    public static func iamAuthResponse(_ bytes: [UInt8]) throws {
        _ = try MSKIAMAuthResponse(parsing: bytes)
    }

    /// Reads the region from an MSK broker's `host:port`.
    public static func brokerRegion(_ hostAndPort: String) throws {
        _ = try MSKHost.region(ofBroker: hostAndPort)
    }
}
