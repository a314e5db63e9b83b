/// A spec version range: `"3+"`, `"0-2"`, `"5"` or `"none"`.
public struct VersionRange: Hashable, Sendable, CustomStringConvertible {
    /// The lowest version included.
    public var lowest: Int
    /// The highest version included; `Int(Int16.max)` for open-ended ranges.
    public var highest: Int

    public static let openEnd = Int(Int16.max)
    public static let none = VersionRange(lowest: 1, highest: 0)

    public init(lowest: Int, highest: Int) {
        self.lowest = lowest
        self.highest = highest
    }

    /// Parses the spec notation; throws for anything else.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "none" {
            self = .none
        } else if trimmed.hasSuffix("+"), let low = Int(trimmed.dropLast()) {
            self.init(lowest: low, highest: Self.openEnd)
        } else if let dash = trimmed.firstIndex(of: "-"),
                  let low = Int(trimmed[..<dash]), let high = Int(trimmed[trimmed.index(after: dash)...]) {
            guard low <= high else { throw SpecError("empty version range \(text)") }
            self.init(lowest: low, highest: high)
        } else if let single = Int(trimmed) {
            self.init(lowest: single, highest: single)
        } else {
            throw SpecError("bad version range \(text)")
        }
        guard lowest >= 0, highest <= Self.openEnd else { throw SpecError("version range out of bounds: \(text)") }
    }

    public var isEmpty: Bool { lowest > highest }

    public func contains(_ version: Int) -> Bool { version >= lowest && version <= highest }

    public func intersection(_ other: VersionRange) -> VersionRange {
        let result = VersionRange(lowest: max(lowest, other.lowest), highest: min(highest, other.highest))
        return result.isEmpty ? .none : result
    }

    /// True when every version of `other` is in this range.
    public func covers(_ other: VersionRange) -> Bool {
        other.isEmpty || (lowest <= other.lowest && highest >= other.highest)
    }

    public var description: String {
        if isEmpty { return "none" }
        if highest == Self.openEnd { return "\(lowest)+" }
        return lowest == highest ? "\(lowest)" : "\(lowest)-\(highest)"
    }

    /// A Swift boolean expression testing `variable` against this range, knowing
    /// the variable always lies in `context` (so redundant bounds are dropped).
    public func condition(_ variable: String, within context: VersionRange) -> String {
        let overlap = intersection(context)
        if overlap.isEmpty { return "false" }
        if covers(context) { return "true" }
        var parts: [String] = []
        if overlap.lowest > context.lowest { parts.append("\(variable) >= \(overlap.lowest)") }
        if overlap.highest < context.highest { parts.append("\(variable) <= \(overlap.highest)") }
        return parts.joined(separator: " && ")
    }
}
