@testable import KafkaProtocolGeneratorKit
import Testing

@Suite struct JSONWithCommentsTests {
    @Test func stripsLineCommentsButNotSlashesInStrings() throws {
        let text = """
        // Licensed to the Apache Software Foundation
        {
          "name": "A//B", // trailing comment
          "about": "quote \\" then // still text",
          // "hidden": true,
          "n": 1
        }
        """
        let object = try JSONWithComments.parseObject(text)
        #expect(object["name"] as? String == "A//B")
        #expect(object["about"] as? String == "quote \" then // still text")
        #expect(object["hidden"] == nil)
        #expect(object["n"] as? Int == 1)
        #expect(JSONWithComments.strip("a // b\nc").split(separator: "\n").count == 2)
    }

    @Test func rejectsNonObjects() {
        #expect(throws: (any Error).self) { try JSONWithComments.parseObject("[1, 2]") }
        #expect(throws: (any Error).self) { try JSONWithComments.parseObject("{ broken") }
    }

    @Test func parsesAMessageSpec() throws {
        let spec = try MessageSpec(parsing: """
        // comment
        {
          "apiKey": 99, "type": "request", "listeners": ["broker"], "name": "DemoRequest",
          "validVersions": "0-3", "flexibleVersions": "2+",
          "fields": [
            { "name": "Id", "type": "string", "versions": "1+", "nullableVersions": "2+", "default": "null" },
            { "name": "Timeout", "type": "int32", "versions": "0+", "default": "0x10", "ignorable": true },
            { "name": "Items", "type": "[]Item", "versions": "0+", "fields": [
              { "name": "Key", "type": "int8", "versions": "0+", "mapKey": true }
            ]},
            { "name": "Extra", "type": "Common", "versions": "2+", "taggedVersions": "2+", "tag": 0 }
          ],
          "commonStructs": [ { "name": "Common", "versions": "0+", "fields": [
            { "name": "X", "type": "uuid", "versions": "0+" } ] } ]
        }
        """)
        #expect(spec.kind == .request && spec.apiKey == 99 && spec.name == "DemoRequest")
        #expect(spec.fields.map(\.name) == ["Id", "Timeout", "Items", "Extra"])
        #expect(spec.fields[0].isOptional && spec.fields[0].defaultValue == "null")
        #expect(spec.fields[1].ignorable && spec.fields[1].defaultValue == "0x10")
        #expect(spec.fields[2].type == .array(.structure("Item")) && spec.fields[2].structFields?.count == 1)
        #expect(spec.fields[3].tag == 0 && spec.fields[3].tagVersions == VersionRange(lowest: 2, highest: VersionRange.openEnd))
        #expect(spec.commonStructs.first?.fields.first?.type == .uuid)
        let source = try MessageEmitter(message: spec).source()
        #expect(source.hasPrefix(MessageEmitter.header))
        #expect(source.contains("public var timeout: Int32 = 16"))
        #expect(source.contains("public var extra: DemoRequest.Common = DemoRequest.Common()"))
    }

    @Test func propertyNames() {
        #expect(SwiftNames.property("ThrottleTimeMs") == "throttleTimeMs")
        #expect(SwiftNames.property("KRaftVersion") == "kRaftVersion")
        #expect(SwiftNames.property("URLPath") == "urlPath")
        #expect(SwiftNames.property("ID") == "id")
        #expect(SwiftNames.escaped("protocol") == "`protocol`")
        #expect(SwiftNames.stringLiteral("a\"b\\") == "\"a\\\"b\\\\\"")
    }
}
