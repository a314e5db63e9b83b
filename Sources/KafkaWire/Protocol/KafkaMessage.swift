/// A Kafka protocol message body (request, response, header or embedded data)
/// that encodes and decodes itself at any of its versions.
///
/// One value represents every version: fields a version lacks keep their
/// defaults on decode, and encoding refuses (``KafkaWireError/Code/unsupportedField``)
/// to drop a non-default value unless the spec marks the field ignorable.
public protocol KafkaMessage: Sendable, Hashable {
    /// The spec's name, such as `FetchResponse`.
    static var messageName: String { get }
    /// Every version this type can encode and decode.
    static var validVersions: ClosedRange<Int16> { get }
    /// True when `version` uses the flexible encoding (compact lengths, tagged fields).
    static func isFlexible(version: Int16) -> Bool
    /// A value with every field at its default.
    init()
    /// Appends the body at `version` to `writer`.
    func encode(into writer: inout WireWriter, version: Int16) throws(KafkaWireError)
    /// Reads a body of `version` from `reader`, leaving any following bytes unread.
    init(from reader: inout WireReader, version: Int16) throws(KafkaWireError)
}

/// A request body; its version also selects the response's version and the header versions.
public protocol KafkaRequest: KafkaMessage {
    /// The response a broker sends back for this request.
    associatedtype Response: KafkaResponse
    /// The API this request belongs to.
    static var apiKey: ApiKey { get }
}

/// A response body.
public protocol KafkaResponse: KafkaMessage {
    /// The API this response belongs to.
    static var apiKey: ApiKey { get }
}
