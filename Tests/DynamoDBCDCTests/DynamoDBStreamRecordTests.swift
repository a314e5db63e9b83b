import DynamoDBCDC
import Foundation
import KafkaTestSupport
import Testing

@Suite("DynamoDB Streams records: typed attribute values, keys, images")
struct DynamoDBStreamRecordTests {
    static func sample() throws -> [DynamoDBStreamRecord] {
        let data = try Data(contentsOf: URL(fileURLWithPath: PackageRoot.appending("Examples/CDCForwarder/sample-stream.json")))
        return try DynamoDBStreamRecord.records(from: data)
    }

    @Test("the sample stream: three changes with their ids, names, keys, images and sequence numbers")
    func sampleStream() throws {
        let records = try Self.sample()
        #expect(records.map(\.eventName) == [.insert, .modify, .remove])
        #expect(records.map(\.sequenceNumber) == ["111", "222", "333"])
        #expect(records[0].eventId == "c4ca4238a0b923820dcc509a6f75849b")
        #expect(records[0].keys == ["pk": .string("ORDER#1"), "sk": .number("1")])
        #expect(records[0].newImage?["items"] == .list([.map(["sku": .string("A-1"), "qty": .number("2")])]))
        #expect(records[1].oldImage?["status"] == .string("PLACED") && records[1].newImage?["tags"] == .stringSet(["vip"]))
        #expect(records[2].newImage == nil && records[2].oldImage?["note"] == .null)
    }

    @Test("key and value text: sorted keys, exact numbers, the old image for REMOVE")
    func renderedText() throws {
        let records = try Self.sample()
        #expect(records[0].keyText == #"{"pk":"ORDER#1","sk":1}"#)
        #expect(records[0].valueText == #"{"eventName":"INSERT","image":{"gift":false,"items":[{"qty":2,"sku":"A-1"}],"pk":"ORDER#1","sk":1,"status":"PLACED","total":42.50}}"#)
        #expect(records[2].valueText == #"{"eventName":"REMOVE","image":{"note":null,"pk":"ORDER#2","sk":1,"status":"CANCELLED"}}"#)
        // The same key renders the same text whatever order the stream listed its attributes in.
        let reordered = DynamoDBStreamRecord(eventId: "x", eventName: .insert, keys: ["sk": .number("1"), "pk": .string("ORDER#1")])
        #expect(reordered.keyText == records[0].keyText)
    }

    @Test("strings are escaped; a number that is not JSON stays a string; sets and binaries render as arrays and strings")
    func escaping() {
        #expect(AttributeValue.string("a\"b\\c\nd\u{1}").json == #""a\"b\\c\nd\u0001""#)
        #expect(AttributeValue.number("1e5").json == "1e5")
        #expect(AttributeValue.number("01").json == #""01""#)
        #expect(AttributeValue.numberSet(["1", "-2.5"]).json == "[1,-2.5]")
        #expect(AttributeValue.binary("AAEC").json == #""AAEC""#)
        #expect(AttributeValue.bool(true).json == "true")
    }

    @Test("malformed documents are typed errors that say where", arguments: [
        (#"{"Records":[{"eventID":"1","eventName":"INSERT","dynamodb":{}}]}"#, #"missing "Keys""#),
        (#"{"Records":[{"eventID":"1","eventName":"UPSERT","dynamodb":{"Keys":{}}}]}"#, "eventName"),
        (#"{"Records":[{"eventID":"1","eventName":"INSERT","dynamodb":{"Keys":{"pk":{"X":"1"}}}}]}"#, #"unknown attribute type "X""#),
        (#"{"Records":[{"eventID":"1","eventName":"INSERT","dynamodb":{"Keys":{"pk":{"S":"1","N":"1"}}}}]}"#, "exactly one type key"),
        ("[1, 2", "JSON"),
    ])
    func malformed(document: String, reason: String) {
        let error = #expect(throws: DynamoDBStreamError.self) { try DynamoDBStreamRecord.records(from: Data(document.utf8)) }
        #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
    }
}
