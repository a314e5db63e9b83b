/// Request frames: the request header followed by the body, without the 4-byte
/// size prefix (the transport adds and strips that).
extension KafkaRequest {
    /// The request header version for `version`: v2 for flexible versions, else v1
    /// (v0 only for ControlledShutdown v0, which predates client ids).
    public static func requestHeaderVersion(for version: Int16) -> Int16 {
        KafkaFrame.requestHeaderVersion(apiKey: apiKey, isFlexible: isFlexible(version: version), apiVersion: version)
    }

    /// The response header version a broker uses when answering `version`.
    public static func responseHeaderVersion(for version: Int16) -> Int16 {
        Response.responseHeaderVersion(for: version)
    }

    /// Encodes the request header and this body at `version`.
    public func encodeFrame(version: Int16, correlationId: Int32, clientId: String?) throws(KafkaWireError) -> [UInt8] {
        var writer = WireWriter()
        try encodeFrame(into: &writer, version: version, correlationId: correlationId, clientId: clientId)
        return writer.bytes
    }

    /// Appends the request header and this body at `version` to `writer`.
    public func encodeFrame(into writer: inout WireWriter, version: Int16, correlationId: Int32, clientId: String?) throws(KafkaWireError) {
        guard Self.validVersions.contains(version) else {
            throw KafkaWireError(.unsupportedVersion, detail: "no such version")
                .inMessage(Self.messageName, apiKey: Self.apiKey.rawValue, version: version)
        }
        var header = RequestHeader()
        header.requestApiKey = Self.apiKey.rawValue
        header.requestApiVersion = version
        header.correlationId = correlationId
        header.clientId = clientId
        try header.encode(into: &writer, version: Self.requestHeaderVersion(for: version))
        try encode(into: &writer, version: version)
    }

    /// Decodes a whole request frame (as a broker or a test fake would); the header's
    /// API key must be this type's and every byte must be consumed.
    public static func decodeFrame(_ frame: [UInt8]) throws(KafkaWireError) -> (header: RequestHeader, body: Self) {
        var reader = WireReader(frame)
        guard let key = reader.getInteger(at: 0, as: Int16.self), let version = reader.getInteger(at: 2, as: Int16.self) else {
            throw KafkaWireError(.truncated, field: "header", detail: "frame shorter than an API key and version")
                .inMessage(messageName, apiKey: apiKey.rawValue, version: -1)
        }
        guard key == apiKey.rawValue else {
            throw KafkaWireError(.invalidValue, field: "header.requestApiKey", detail: "frame is for API key \(key)")
                .inMessage(messageName, apiKey: apiKey.rawValue, version: version)
        }
        let header: RequestHeader
        do {
            header = try RequestHeader(from: &reader, version: requestHeaderVersion(for: version))
        } catch {
            throw error.inField("header").inMessage(messageName, apiKey: apiKey.rawValue, version: version)
        }
        let body = try Self(from: &reader, version: version)
        try KafkaFrame.expectEnd(reader, message: messageName, apiKey: apiKey, version: version)
        return (header, body)
    }
}

/// Response frames: the response header followed by the body.
extension KafkaResponse {
    /// The response header version for `version`: v1 for flexible versions, else v0;
    /// ApiVersions responses always use v0 so clients can read them before negotiating.
    public static func responseHeaderVersion(for version: Int16) -> Int16 {
        KafkaFrame.responseHeaderVersion(apiKey: apiKey, isFlexible: isFlexible(version: version))
    }

    /// Decodes a whole response frame of `version`; throws `.trailingBytes` if bytes are
    /// left over, unless `allowingTrailingBytes` (what the Java client and librdkafka do:
    /// some brokers, librdkafka's mock cluster among them, pad a few responses).
    public static func decodeFrame(_ frame: [UInt8], version: Int16,
                                   allowingTrailingBytes: Bool = false) throws(KafkaWireError) -> (header: ResponseHeader, body: Self) {
        var reader = WireReader(frame)
        let header: ResponseHeader
        do {
            header = try ResponseHeader(from: &reader, version: responseHeaderVersion(for: version))
        } catch {
            throw error.inField("header").inMessage(messageName, apiKey: apiKey.rawValue, version: version)
        }
        let body = try Self(from: &reader, version: version)
        if !allowingTrailingBytes {
            try KafkaFrame.expectEnd(reader, message: messageName, apiKey: apiKey, version: version)
        }
        return (header, body)
    }

    /// Encodes the response header and this body at `version` (for fakes and tests).
    public func encodeFrame(version: Int16, correlationId: Int32) throws(KafkaWireError) -> [UInt8] {
        var writer = WireWriter()
        var header = ResponseHeader()
        header.correlationId = correlationId
        try header.encode(into: &writer, version: Self.responseHeaderVersion(for: version))
        try encode(into: &writer, version: version)
        return writer.bytes
    }
}
