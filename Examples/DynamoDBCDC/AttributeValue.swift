import Foundation

/// A DynamoDB attribute value in its typed JSON form (`{"S":"x"}`, `{"N":"1"}`,
/// `{"M":{...}}`, ...), as DynamoDB Streams delivers item keys and images.
public indirect enum AttributeValue: Sendable, Hashable {
    case string(String)
    /// A number as DynamoDB sends it: decimal text, kept exact.
    case number(String)
    /// Binary, base64 as in the stream's JSON.
    case binary(String)
    case bool(Bool)
    case null
    case map([String: AttributeValue])
    case list([AttributeValue])
    case stringSet([String])
    case numberSet([String])
    case binarySet([String])
}

extension AttributeValue: Decodable {
    private struct TypeKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "an attribute value has exactly one type key, not \(container.allKeys.map(\.stringValue))"))
        }
        switch key.stringValue {
        case "S": self = .string(try container.decode(String.self, forKey: key))
        case "N": self = .number(try container.decode(String.self, forKey: key))
        case "B": self = .binary(try container.decode(String.self, forKey: key))
        case "BOOL": self = .bool(try container.decode(Bool.self, forKey: key))
        case "NULL": self = .null
        case "M": self = .map(try container.decode([String: AttributeValue].self, forKey: key))
        case "L": self = .list(try container.decode([AttributeValue].self, forKey: key))
        case "SS": self = .stringSet(try container.decode([String].self, forKey: key))
        case "NS": self = .numberSet(try container.decode([String].self, forKey: key))
        case "BS": self = .binarySet(try container.decode([String].self, forKey: key))
        default:
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "unknown attribute type \"\(key.stringValue)\"")
        }
    }
}

extension AttributeValue {
    /// The value as plain JSON: strings, numbers, booleans, null, objects with
    /// sorted keys and arrays, so the same item always renders the same text.
    /// Numbers keep DynamoDB's decimal text; one that is not valid JSON stays a string.
    public var json: String {
        switch self {
        case .string(let text), .binary(let text): JSONText.string(text)
        case .number(let text): JSONText.number(text)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .map(let fields): JSONText.object(fields.mapValues(\.json))
        case .list(let items): "[" + items.map(\.json).joined(separator: ",") + "]"
        case .stringSet(let texts), .binarySet(let texts): "[" + texts.map(JSONText.string).joined(separator: ",") + "]"
        case .numberSet(let texts): "[" + texts.map(JSONText.number).joined(separator: ",") + "]"
        }
    }
}

/// Minimal JSON text building with a stable key order.
enum JSONText {
    static func object(_ fields: [String: String]) -> String {
        "{" + fields.keys.sorted().map { "\(string($0)):\(fields[$0] ?? "null")" }.joined(separator: ",") + "}"
    }

    static func string(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        // A lone string always encodes.
        return (try? String(decoding: encoder.encode(text), as: UTF8.self)) ?? "\"\""
    }

    static func number(_ text: String) -> String {
        // JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        let valid = text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil
        return valid ? text : string(text)
    }
}
