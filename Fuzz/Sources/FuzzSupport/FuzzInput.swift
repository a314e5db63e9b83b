/// The bytes libFuzzer hands a target, read front to back: a few selector
/// bytes pick what to exercise, the rest is the payload.
public struct FuzzInput {
    public let bytes: [UInt8]
    public private(set) var index = 0

    public init(_ start: UnsafeRawPointer, _ count: Int) {
        bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// The next byte, or 0 once the input is used up.
    public mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    /// The next two bytes as a big-endian Int16, 0 past the end.
    public mutating func int16() -> Int16 {
        let high = UInt16(byte())
        return Int16(bitPattern: high << 8 | UInt16(byte()))
    }

    /// Everything not read yet.
    public var rest: [UInt8] { index < bytes.count ? Array(bytes[index...]) : [] }
}

/// Stops the process the way libFuzzer records as a crash: for a broken invariant
/// that is not a trap by itself (such as output over a limit).
public func fuzzFailure(_ message: String) -> Never {
    fatalError("fuzz invariant violated: \(message)")
}
