import Foundation
@testable import KafkaWire

/// A seeded SplitMix64 generator so random tests replay exactly.
struct RecordsTestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

enum RecordFixtures {
    /// The folder of kafka-python fixtures copied into the test bundle.
    static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/records")
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name + ".bin")))
    }

    static func sidecar(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}

/// Hex to bytes (the sidecars store keys and values as hex).
func bytesFromHex(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        out.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return out
}

/// Records with a mix of null keys/values, empty values and headers.
func sampleRecords(count: Int, valueSize: Int, rng: inout RecordsTestRNG) -> [(key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader], timestamp: Int64)] {
    (0..<count).map { index in
        let key: [UInt8]? = index % 4 == 1 ? nil : Array("key-\(index)".utf8)
        let value: [UInt8]? = index % 6 == 2 ? nil : (index % 11 == 5 ? [] : rng.bytes(Int.random(in: 0...valueSize, using: &rng)))
        var headers: [RecordHeader] = []
        if index % 3 == 0 {
            headers = [RecordHeader(key: "h-\(index)", value: rng.bytes(index % 5)),
                       RecordHeader(key: "ü-null", value: nil),
                       RecordHeader(key: "", value: [])]
        }
        return (key, value, headers, 1_700_000_000_000 + Int64(index) * 3 - Int64(index % 5))
    }
}

/// Runs `body` and returns the `KafkaWireError` code it threw (nil if it did not throw).
func thrownWireCode<T>(_ body: () throws -> T) -> KafkaWireError.Code? {
    do {
        _ = try body()
        return nil
    } catch let error as KafkaWireError {
        return error.code
    } catch {
        return nil
    }
}
