import Foundation

/// One change from a DynamoDB stream, as in the `Records` array that Lambda
/// receives and `GetRecords` returns: which item (its primary key), what happened
/// to it, and its images before and after.
public struct DynamoDBStreamRecord: Sendable, Hashable {
    public enum EventName: String, Sendable, Hashable, Decodable {
        case insert = "INSERT"
        case modify = "MODIFY"
        case remove = "REMOVE"
    }

    public var eventId: String
    public var eventName: EventName
    /// The item's primary key attributes.
    public var keys: [String: AttributeValue]
    public var newImage: [String: AttributeValue]?
    public var oldImage: [String: AttributeValue]?
    public var sequenceNumber: String?

    public init(eventId: String, eventName: EventName, keys: [String: AttributeValue], newImage: [String: AttributeValue]? = nil,
                oldImage: [String: AttributeValue]? = nil, sequenceNumber: String? = nil) {
        self.eventId = eventId
        self.eventName = eventName
        self.keys = keys
        self.newImage = newImage
        self.oldImage = oldImage
        self.sequenceNumber = sequenceNumber
    }

    /// The primary key rendered the same way every time (JSON, keys sorted), for the Kafka record key.
    public var keyText: String { AttributeValue.map(keys).json }

    /// The image that describes the item after this change: the new image, or the old one for a removal.
    public var image: [String: AttributeValue]? { eventName == .remove ? oldImage : newImage }

    /// The Kafka record value: `{"eventName":...,"image":{...}}`, the image as plain JSON (null when the stream carried none).
    public var valueText: String {
        JSONText.object(["eventName": JSONText.string(eventName.rawValue), "image": image.map { AttributeValue.map($0).json } ?? "null"])
    }
}

/// Why a stream document could not be read.
public struct DynamoDBStreamError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

extension DynamoDBStreamRecord: Decodable {
    private enum CodingKeys: String, CodingKey { case eventID, eventName, dynamodb }
    private enum ChangeKeys: String, CodingKey { case Keys, NewImage, OldImage, SequenceNumber }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        eventId = try container.decode(String.self, forKey: .eventID)
        eventName = try container.decode(EventName.self, forKey: .eventName)
        let change = try container.nestedContainer(keyedBy: ChangeKeys.self, forKey: .dynamodb)
        keys = try change.decode([String: AttributeValue].self, forKey: .Keys)
        newImage = try change.decodeIfPresent([String: AttributeValue].self, forKey: .NewImage)
        oldImage = try change.decodeIfPresent([String: AttributeValue].self, forKey: .OldImage)
        sequenceNumber = try change.decodeIfPresent(String.self, forKey: .SequenceNumber)
    }

    /// The records of a stream document `{"Records":[...]}`.
    public static func records(from data: Data) throws(DynamoDBStreamError) -> [DynamoDBStreamRecord] {
        struct Document: Decodable { var Records: [DynamoDBStreamRecord] }
        do {
            return try JSONDecoder().decode(Document.self, from: data).Records
        } catch let error as DecodingError {
            throw DynamoDBStreamError(description: Self.describe(error))
        } catch {
            throw DynamoDBStreamError(description: "\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)): missing \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
