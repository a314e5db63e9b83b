@testable import KafkaProtocolGeneratorKit
import Testing

@Suite struct VersionRangeTests {
    @Test func parsesSpecNotation() throws {
        #expect(try VersionRange(parsing: "0+") == VersionRange(lowest: 0, highest: VersionRange.openEnd))
        #expect(try VersionRange(parsing: "3-7") == VersionRange(lowest: 3, highest: 7))
        #expect(try VersionRange(parsing: "5") == VersionRange(lowest: 5, highest: 5))
        #expect(try VersionRange(parsing: " 12+ ") == VersionRange(lowest: 12, highest: VersionRange.openEnd))
        #expect(try VersionRange(parsing: "none").isEmpty)
    }

    @Test(arguments: ["", "x", "3-", "-1", "4-2", "1+2", "0x3", "40000"])
    func rejectsMalformedRanges(_ text: String) {
        #expect(throws: SpecError.self) { try VersionRange(parsing: text) }
    }

    @Test func containsAndIntersects() throws {
        let range = try VersionRange(parsing: "2-4")
        #expect(!range.contains(1) && range.contains(2) && range.contains(4) && !range.contains(5))
        #expect(range.intersection(try VersionRange(parsing: "3+")) == VersionRange(lowest: 3, highest: 4))
        #expect(range.intersection(try VersionRange(parsing: "5+")).isEmpty)
        #expect(try VersionRange(parsing: "0+").covers(range))
        #expect(!range.covers(try VersionRange(parsing: "0+")))
        #expect("\(try VersionRange(parsing: "1-1"))" == "1" && "\(VersionRange.none)" == "none")
    }

    @Test func conditionsDropBoundsTheContextImplies() throws {
        let context = try VersionRange(parsing: "0-11")
        #expect(try VersionRange(parsing: "0+").condition("v", within: context) == "true")
        #expect(try VersionRange(parsing: "3+").condition("v", within: context) == "v >= 3")
        #expect(try VersionRange(parsing: "0-4").condition("v", within: context) == "v <= 4")
        #expect(try VersionRange(parsing: "2-5").condition("v", within: context) == "v >= 2 && v <= 5")
        #expect(try VersionRange(parsing: "12+").condition("v", within: context) == "false")
        #expect(VersionRange.none.condition("v", within: context) == "false")
    }
}
