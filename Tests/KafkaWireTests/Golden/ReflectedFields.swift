import Foundation
import KafkaWire

/// Compares a decoded message with the field values a fixture lists, by reflection:
/// spec field names map to Swift properties the way the generator names them
/// (`ThrottleTimeMs` → `throttleTimeMs`), so every fixture is checked field by field
/// without a hand-written comparison per message.
struct ReflectedFields {
    /// Human-readable differences, empty when everything matches.
    private(set) var mismatches: [String] = []
    /// How many scalar values were compared (guards against comparing nothing).
    private(set) var comparedValues = 0
    /// Paths where the fixture has null but the message holds a (non-optional) struct:
    /// kafka-python's way of saying a tagged struct field was absent, so the struct must
    /// hold its defaults; callers check those values explicitly.
    private(set) var absentStructs: [String] = []

    mutating func compare(expected: Any, actual: Any, path: String) {
        let mirror = Mirror(reflecting: actual)
        if mirror.displayStyle == .optional {
            if let wrapped = mirror.children.first?.value {
                if expected is NSNull {
                    mismatches.append("\(path): expected null, got \(wrapped)")
                } else {
                    compare(expected: expected, actual: wrapped, path: path)
                }
            } else {
                comparedValues += 1
                if !(expected is NSNull) { mismatches.append("\(path): expected \(expected), got nil") }
            }
            return
        }
        if expected is NSNull {
            if mirror.displayStyle == .struct {
                absentStructs.append(path)
            } else {
                mismatches.append("\(path): expected null, got non-optional \(actual)")
            }
            return
        }
        if let object = expected as? [String: Any] {
            if object.count == 1, let hex = object["hex"] as? String {
                compareScalar(hex, Self.hex(actual), path: path)
            } else {
                compareStruct(object, actual: actual, mirror: mirror, path: path)
            }
        } else if let array = expected as? [Any] {
            compareArray(array, mirror: mirror, path: path)
        } else {
            compareLeaf(expected, actual: actual, path: path)
        }
    }

    private mutating func compareStruct(_ object: [String: Any], actual: Any, mirror: Mirror, path: String) {
        var properties: [String: Any] = [:]
        for child in mirror.children {
            if let label = child.label { properties[label] = child.value }
        }
        for key in object.keys.sorted() {
            let property = Self.propertyName(key)
            guard let value = properties[property] else {
                mismatches.append("\(path).\(key): no property \(property) on \(type(of: actual))")
                continue
            }
            compare(expected: object[key] as Any, actual: value, path: "\(path).\(key)")
        }
    }

    private mutating func compareArray(_ array: [Any], mirror: Mirror, path: String) {
        if let bytes = Self.bytes(mirror) {
            // An array of numbers against a [UInt8] field (unlikely, but exact either way).
            compareScalar(array.compactMap { ($0 as? NSNumber)?.uint8Value }, bytes, path: path)
            return
        }
        guard mirror.displayStyle == .collection else {
            mismatches.append("\(path): expected an array, got \(mirror.subjectType)")
            return
        }
        let elements = mirror.children.map(\.value)
        guard elements.count == array.count else {
            mismatches.append("\(path): expected \(array.count) elements, got \(elements.count)")
            return
        }
        for (index, pair) in zip(array, elements).enumerated() {
            compare(expected: pair.0, actual: pair.1, path: "\(path)[\(index)]")
        }
    }

    private mutating func compareLeaf(_ expected: Any, actual: Any, path: String) {
        switch actual {
        case let value as String: compareScalar(expected as? String, value, path: path)
        case let value as Bool: compareScalar((expected as? NSNumber)?.boolValue, value, path: path)
        case let value as KafkaUUID: compareScalar((expected as? String).flatMap(KafkaUUID.init), value, path: path)
        case let value as Int8: compareScalar((expected as? NSNumber)?.int64Value, Int64(value), path: path)
        case let value as Int16: compareScalar((expected as? NSNumber)?.int64Value, Int64(value), path: path)
        case let value as Int32: compareScalar((expected as? NSNumber)?.int64Value, Int64(value), path: path)
        case let value as Int64: compareScalar((expected as? NSNumber)?.int64Value, value, path: path)
        case let value as UInt16: compareScalar((expected as? NSNumber)?.int64Value, Int64(value), path: path)
        case let value as UInt32: compareScalar((expected as? NSNumber)?.int64Value, Int64(value), path: path)
        case let value as Double: compareScalar((expected as? NSNumber)?.doubleValue, value, path: path)
        default: mismatches.append("\(path): cannot compare \(expected) with \(type(of: actual)) \(actual)")
        }
    }

    private mutating func compareScalar<T: Equatable>(_ expected: T?, _ actual: T?, path: String) {
        comparedValues += 1
        guard let expected, let actual, expected == actual else {
            mismatches.append("\(path): expected \(expected.map { "\($0)" } ?? "?"), got \(actual.map { "\($0)" } ?? "?")")
            return
        }
    }

    private static func bytes(_ mirror: Mirror) -> [UInt8]? {
        guard mirror.displayStyle == .collection, mirror.subjectType == [UInt8].self else { return nil }
        return mirror.children.compactMap { $0.value as? UInt8 }
    }

    private static func hex(_ value: Any) -> String? {
        (value as? [UInt8]).map { bytes in bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined() }
    }

    /// The generator's naming rule: lower the leading capital, or a leading acronym up
    /// to the capital that starts the next word (`URLPath` → `urlPath`).
    static func propertyName(_ specName: String) -> String {
        let characters = Array(specName)
        var upper = 0
        while upper < characters.count, characters[upper].isUppercase { upper += 1 }
        var lowered = upper
        if upper > 1, upper < characters.count, characters[upper].isLowercase { lowered -= 1 }
        lowered = max(lowered, 1)
        return String(characters.prefix(lowered)).lowercased() + String(characters.dropFirst(lowered))
    }
}
