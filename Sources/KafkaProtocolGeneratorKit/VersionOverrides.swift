/// Versions newer than the spec files in `../shared` know of, added here rather than
/// by editing those files (they are Apache Kafka's, shared with other tools).
///
/// Only version bumps that change nothing on the wire belong here: the new version
/// must carry exactly the fields of the highest version in the spec, so raising the
/// top of `validVersions` is all it takes (every field in these specs is open-ended,
/// `"N+"`). Each entry says why the version exists.
///
/// - Produce v12 and TxnOffsetCommit v5 (KIP-890 part 2, Kafka 4.0): sent only by a
///   producer using transactions v2, they tell the broker to add the partition (or the
///   group's offsets) to the transaction implicitly, without AddPartitionsToTxn or
///   AddOffsetsToTxn. Their schemas are those of Produce v11 and TxnOffsetCommit v4.
///
/// An override never lowers a range: once the spec files include the version, it is
/// a no-op.
public enum VersionOverrides {
    /// Message name → highest version, for requests and their responses.
    public static let highestVersion: [String: Int] = [
        "ProduceRequest": 12, "ProduceResponse": 12,
        "TxnOffsetCommitRequest": 5, "TxnOffsetCommitResponse": 5,
    ]

    /// `spec` with its valid versions raised where an override applies.
    public static func apply(to spec: MessageSpec) throws -> MessageSpec {
        guard let highest = highestVersion[spec.name], highest > spec.validVersions.highest else { return spec }
        guard !spec.validVersions.isEmpty, spec.validVersions.highest >= highest - 1 else {
            throw SpecError("\(spec.name): the override to v\(highest) expects the spec to reach v\(highest - 1), "
                            + "it has \(spec.validVersions)")
        }
        let old = spec.validVersions.highest
        let fields = spec.fields + spec.commonStructs.flatMap(\.fields)
        if let bounded = fields.first(where: { Self.endsAt($0, version: old) }) {
            throw SpecError("\(spec.name): field \(bounded.name) ends at v\(old); v\(highest) would differ on the wire")
        }
        var raised = spec
        raised.validVersions = VersionRange(lowest: spec.validVersions.lowest, highest: highest)
        return raised
    }

    /// True when `field` (or a field nested in it) is written up to `version` and no
    /// further: such a field may be dropped by the next version, so the override could
    /// not claim the same wire format. Fields ending earlier are absent from both.
    private static func endsAt(_ field: FieldSpec, version: Int) -> Bool {
        let ranges = [field.versions, field.nullableVersions, field.taggedVersions] + (field.flexibleVersions.map { [$0] } ?? [])
        if ranges.contains(where: { !$0.isEmpty && $0.highest == version }) { return true }
        return field.structFields?.contains { endsAt($0, version: version) } ?? false
    }
}
