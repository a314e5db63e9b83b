import Foundation
import KafkaWire
import Testing

/// The reflection comparison must catch differences, or the golden tests would prove nothing.
@Suite("Golden field comparison")
struct ReflectedFieldsTests {
    @Test("a changed value, a missing element, an unknown field and a wrong null are all reported")
    func detectsDifferences() throws {
        let fixture = try GoldenFixture.load("MetadataResponse-v12")
        var reader = WireReader(fixture.body)
        let original = try MetadataResponse(from: &reader, version: fixture.version)
        let expected = try fixture.fields()

        var same = ReflectedFields()
        same.compare(expected: expected, actual: original, path: "m")
        #expect(same.mismatches.isEmpty && same.comparedValues > 20)

        var changed = original
        changed.brokers[1].port += 1
        changed.topics[0].partitions.removeLast()
        changed.brokers[0].rack = "az9"
        var differences = ReflectedFields()
        differences.compare(expected: expected, actual: changed, path: "m")
        #expect(differences.mismatches.count == 3, "\(differences.mismatches)")

        var unknown = ReflectedFields()
        unknown.compare(expected: ["NoSuchField": 1], actual: original, path: "m")
        #expect(unknown.mismatches.count == 1)
    }

    @Test("spec names map to the generator's property names")
    func propertyNames() {
        #expect(ReflectedFields.propertyName("ThrottleTimeMs") == "throttleTimeMs")
        #expect(ReflectedFields.propertyName("URLPath") == "urlPath")
        #expect(ReflectedFields.propertyName("KRaftVersion") == "kRaftVersion")
        #expect(ReflectedFields.propertyName("Acks") == "acks")
    }
}
