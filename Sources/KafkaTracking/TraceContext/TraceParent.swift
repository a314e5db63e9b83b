import Foundation

/// A W3C Trace Context `traceparent` value (`00-<trace id>-<parent id>-<flags>`),
/// and its AWS X-Ray form (`Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>`)
/// for propagators and services that speak X-Ray.
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    /// 32 lowercase hex digits, not all zero.
    public var traceId: String
    /// 16 lowercase hex digits, not all zero.
    public var parentId: String
    /// Whether the trace is sampled (the `01` flag).
    public var sampled: Bool

    /// The `traceparent` header name.
    public static let headerName = "traceparent"
    /// The X-Ray header name.
    public static let xRayHeaderName = "X-Amzn-Trace-Id"

    /// A trace parent from hex ids (32 and 16 digits, not all zero); nil when they are not valid.
    public init?(traceId: String, parentId: String, sampled: Bool) {
        guard Self.isHex(traceId, count: 32), Self.isHex(parentId, count: 16) else { return nil }
        self.traceId = traceId
        self.parentId = parentId
        self.sampled = sampled
    }

    /// Parses a `traceparent` value; nil when it breaks the W3C format.
    public init?(_ header: String) {
        let parts = header.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4, Self.isHex(parts[0], count: 2, allowZero: true), parts[0] != "ff",
              Self.isHex(parts[3], count: 2, allowZero: true), let flags = UInt8(parts[3], radix: 16) else { return nil }
        // Version 00 has exactly four parts; later versions may append more.
        if parts[0] == "00" && parts.count != 4 { return nil }
        self.init(traceId: parts[1], parentId: parts[2], sampled: flags & 1 == 1)
    }

    /// The `traceparent` value.
    public var description: String { "00-\(traceId)-\(parentId)-\(sampled ? "01" : "00")" }

    /// The X-Ray header value for the same trace: the root's first 8 hex digits are the epoch seconds.
    public var xRayHeader: String {
        let root = "1-\(traceId.prefix(8))-\(traceId.dropFirst(8))"
        return "Root=\(root);Parent=\(parentId);Sampled=\(sampled ? 1 : 0)"
    }

    /// Parses an X-Ray header (fields in any order; others ignored).
    public init?(xRayHeader: String) {
        var fields: [String: String] = [:]
        for field in xRayHeader.split(separator: ";") {
            let pair = field.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        guard let root = fields["Root"], let parent = fields["Parent"] else { return nil }
        let rootParts = root.split(separator: "-").map(String.init)
        guard rootParts.count == 3, rootParts[0] == "1", Self.isHex(rootParts[1], count: 8, allowZero: true),
              Self.isHex(rootParts[2], count: 24, allowZero: true) else { return nil }
        self.init(traceId: rootParts[1] + rootParts[2], parentId: parent.lowercased(), sampled: fields["Sampled"] == "1")
    }

    static func isHex(_ text: String, count: Int, allowZero: Bool = false) -> Bool {
        guard text.utf8.count == count,
              text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else { return false }
        return allowZero || text.utf8.contains { $0 != 0x30 }
    }
}
