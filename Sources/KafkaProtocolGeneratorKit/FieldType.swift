/// A field's type as written in a spec (`int32`, `[]string`, `[]TopicData`, `Assignment`).
public indirect enum FieldType: Hashable, Sendable {
    case bool, int8, int16, uint16, int32, uint32, int64, float64
    case string, bytes, uuid, records
    case array(FieldType)
    case structure(String)

    public init(parsing text: String) {
        if text.hasPrefix("[]") {
            self = .array(FieldType(parsing: String(text.dropFirst(2))))
            return
        }
        switch text {
        case "bool": self = .bool
        case "int8": self = .int8
        case "int16": self = .int16
        case "uint16": self = .uint16
        case "int32": self = .int32
        case "uint32": self = .uint32
        case "int64": self = .int64
        case "float64": self = .float64
        case "string": self = .string
        case "bytes": self = .bytes
        case "uuid": self = .uuid
        case "records": self = .records
        default: self = .structure(text)
        }
    }

    public var isArray: Bool { if case .array = self { true } else { false } }
    public var isStruct: Bool { if case .structure = self { true } else { false } }

    /// Fixed-width numeric types written with `WireWriter.write(_:)`.
    public var integerSwiftType: String? {
        switch self {
        case .int8: "Int8"
        case .int16: "Int16"
        case .uint16: "UInt16"
        case .int32: "Int32"
        case .uint32: "UInt32"
        case .int64: "Int64"
        default: nil
        }
    }

    /// The fewest bytes one value can take (compact encodings assumed when `compact`).
    public func minimumSize(compact: Bool) -> Int {
        switch self {
        case .bool, .int8: 1
        case .int16, .uint16: 2
        case .int32, .uint32: 4
        case .int64, .float64: 8
        case .uuid: 16
        case .string: compact ? 1 : 2
        case .bytes, .records, .array: compact ? 1 : 4
        case .structure: 1
        }
    }
}
