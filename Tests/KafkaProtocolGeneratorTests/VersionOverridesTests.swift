import KafkaProtocolGeneratorKit
import Testing

/// Versions added on top of the shared spec files (KIP-890's Produce v12 and
/// TxnOffsetCommit v5): raised only where the wire format cannot differ.
@Suite struct VersionOverridesTests {
    static func spec(name: String, versions: String, fieldVersions: String = "0+") throws -> MessageSpec {
        try MessageSpec(parsing: """
        { "apiKey": 0, "type": "request", "listeners": ["broker"], "name": "\(name)",
          "validVersions": "\(versions)", "flexibleVersions": "9+",
          "fields": [ { "name": "Acks", "type": "int16", "versions": "\(fieldVersions)" } ] }
        """)
    }

    @Test("ProduceRequest 0-11 becomes 0-12; an unlisted message stays as it is")
    func raisesListedMessages() throws {
        let produce = try VersionOverrides.apply(to: Self.spec(name: "ProduceRequest", versions: "0-11"))
        #expect(produce.validVersions == VersionRange(lowest: 0, highest: 12))
        let other = try VersionOverrides.apply(to: Self.spec(name: "FetchRequest", versions: "0-11"))
        #expect(other.validVersions == VersionRange(lowest: 0, highest: 11))
    }

    @Test("a spec that already has the version (or more) is left alone")
    func noOpOnceTheSpecHasIt() throws {
        let current = try VersionOverrides.apply(to: Self.spec(name: "ProduceRequest", versions: "3-13"))
        #expect(current.validVersions == VersionRange(lowest: 3, highest: 13))
    }

    @Test("a field ending at the spec's last version, or a spec two versions short, is refused")
    func refusesWhatCouldDiffer() throws {
        #expect(throws: SpecError.self) {
            try VersionOverrides.apply(to: Self.spec(name: "ProduceRequest", versions: "0-11", fieldVersions: "0-11"))
        }
        #expect(throws: SpecError.self) {
            try VersionOverrides.apply(to: Self.spec(name: "TxnOffsetCommitRequest", versions: "0-3"))
        }
        // A field that ended long before is absent from both versions: fine.
        let old = try VersionOverrides.apply(to: Self.spec(name: "ProduceRequest", versions: "0-11", fieldVersions: "0-2"))
        #expect(old.validVersions.highest == 12)
    }
}
