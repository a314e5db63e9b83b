/// Header-version rules and frame utilities shared by the typed framing helpers
/// (`KafkaRequest.encodeFrame`, `KafkaResponse.decodeFrame`).
public enum KafkaFrame {
    /// The request header version: v2 for flexible request versions, else v1,
    /// except ControlledShutdown v0 which uses header v0.
    public static func requestHeaderVersion(apiKey: ApiKey, isFlexible: Bool, apiVersion: Int16) -> Int16 {
        if isFlexible { return 2 }
        if apiKey == .controlledShutdown && apiVersion == 0 { return 0 }
        return 1
    }

    /// The response header version: v1 for flexible response versions, else v0;
    /// always v0 for ApiVersions.
    public static func responseHeaderVersion(apiKey: ApiKey, isFlexible: Bool) -> Int16 {
        isFlexible && apiKey != .apiVersions ? 1 : 0
    }

    /// Reads the correlation id at the start of a response frame without decoding the
    /// rest, so a connection can route a frame before knowing its type.
    public static func correlationId(ofResponse frame: [UInt8]) -> Int32? {
        WireReader(frame).getInteger(at: 0, as: Int32.self)
    }

    static func expectEnd(_ reader: WireReader, message: String, apiKey: ApiKey, version: Int16) throws(KafkaWireError) {
        guard reader.isAtEnd else {
            throw KafkaWireError(.trailingBytes, detail: "\(reader.readableBytes) bytes left after the body")
                .inMessage(message, apiKey: apiKey.rawValue, version: version)
        }
    }
}
