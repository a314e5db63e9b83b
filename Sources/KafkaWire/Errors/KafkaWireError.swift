/// An error raised while encoding or decoding Kafka protocol bytes.
///
/// Malformed, truncated or hostile input never traps: every failure surfaces
/// as a `KafkaWireError` that says what went wrong and, where known, which
/// API, version and field were being read or written.
public struct KafkaWireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added in later releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        @usableFromInline
        enum Base: String, Hashable, Sendable {
            case truncated
            case malformedVarint
            case invalidLength
            case invalidString
            case trailingBytes
            case unsupportedVersion
            case unsupportedField
            case missingValue
            case invalidValue
            case checksumMismatch
            case unsupportedCompression
            case compressionFailed
            case decompressionFailed
            case decompressedSizeLimitExceeded
            case unsupportedMagic
        }

        @usableFromInline
        let base: Base

        @usableFromInline
        init(_ base: Base) { self.base = base }

        /// The input ended before a value was complete.
        public static let truncated = Code(.truncated)
        /// A variable-length integer was longer than its type allows.
        public static let malformedVarint = Code(.malformedVarint)
        /// A length or count prefix was negative (where not allowed) or larger than the input.
        public static let invalidLength = Code(.invalidLength)
        /// A string was not valid UTF-8.
        public static let invalidString = Code(.invalidString)
        /// Bytes were left over after a complete message was decoded.
        public static let trailingBytes = Code(.trailingBytes)
        /// The message has no such version.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A field with a non-default value cannot be represented in the chosen version.
        public static let unsupportedField = Code(.unsupportedField)
        /// A non-nullable field held null.
        public static let missingValue = Code(.missingValue)
        /// A value was out of its allowed range.
        public static let invalidValue = Code(.invalidValue)
        /// A CRC did not match the bytes it covers.
        public static let checksumMismatch = Code(.checksumMismatch)
        /// The compression codec is unknown.
        public static let unsupportedCompression = Code(.unsupportedCompression)
        /// The compression library reported a failure while compressing.
        public static let compressionFailed = Code(.compressionFailed)
        /// Compressed data was corrupt.
        public static let decompressionFailed = Code(.decompressionFailed)
        /// Decompressed data would exceed the configured cap.
        public static let decompressedSizeLimitExceeded = Code(.decompressedSizeLimitExceeded)
        /// A record batch or message set used an unknown magic byte.
        public static let unsupportedMagic = Code(.unsupportedMagic)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// The API key of the message being processed, if known.
    public var apiKey: Int16?
    /// The name of the message being processed (for example `FetchResponse`), if known.
    public var messageName: String?
    /// The message version being processed, if known.
    public var version: Int16?
    /// The field being processed, as a dotted path (for example `responses.partitions.records`).
    public var field: String?
    /// A human-readable detail.
    public var detail: String

    public init(
        _ code: Code,
        field: String? = nil,
        detail: String = "",
        apiKey: Int16? = nil,
        messageName: String? = nil,
        version: Int16? = nil
    ) {
        self.code = code
        self.field = field
        self.detail = detail
        self.apiKey = apiKey
        self.messageName = messageName
        self.version = version
    }

    /// Returns a copy that names the message, API key and version, keeping any context already set.
    public func inMessage(_ name: String, apiKey: Int16?, version: Int16) -> KafkaWireError {
        var copy = self
        if copy.messageName == nil { copy.messageName = name }
        if copy.apiKey == nil { copy.apiKey = apiKey }
        if copy.version == nil { copy.version = version }
        return copy
    }

    /// Returns a copy whose field path is prefixed with `parent`.
    public func inField(_ parent: String) -> KafkaWireError {
        var copy = self
        copy.field = copy.field.map { "\(parent).\($0)" } ?? parent
        return copy
    }

    public var description: String {
        var parts = ["KafkaWireError.\(code)"]
        if let messageName { parts.append(version.map { "\(messageName) v\($0)" } ?? messageName) }
        else if let apiKey { parts.append("api \(apiKey)" + (version.map { " v\($0)" } ?? "")) }
        if let field { parts.append("field \(field)") }
        if !detail.isEmpty { parts.append(detail) }
        return parts.joined(separator: ": ")
    }
}
