import Foundation
import KafkaTestSupport

/// One message encoded by kafka-python (see `Fixtures/messages/README.md`).
struct GoldenFixture: Sendable, CustomStringConvertible {
    /// The file name without `.json`, such as `ProduceRequest-v9`.
    let file: String
    let name: String
    let isRequest: Bool
    let apiKey: Int16
    let version: Int16
    let flexible: Bool
    let header: [UInt8]
    let body: [UInt8]
    let correlationId: Int32
    /// The request header's client id (nil for responses or a null client id).
    let clientId: String?
    /// The body's field values keyed by spec field names, as parsed JSON.
    let fieldsJSON: Data

    var description: String { file }

    /// A fixture file that does not have the expected shape.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The folder of message fixtures copied into the test bundle.
    static var directory: URL? {
        Bundle.module.resourceURL?.appendingPathComponent("Fixtures/messages")
    }

    /// Every fixture's file name (without `.json`), sorted; empty if the folder is missing.
    static var allFiles: [String] {
        guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            return []
        }
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func load(_ file: String) throws -> GoldenFixture {
        guard let directory else { throw Malformed(description: "no resource folder in the test bundle") }
        let data = try Data(contentsOf: directory.appendingPathComponent(file + ".json"))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let name = root["name"] as? String,
              let type = root["type"] as? String,
              let apiKey = (root["api_key"] as? NSNumber)?.int16Value,
              let version = (root["version"] as? NSNumber)?.int16Value,
              let flexible = root["flexible"] as? Bool,
              let headerHex = root["header_hex"] as? String,
              let bodyHex = root["body_hex"] as? String,
              let header = root["header"] as? [String: Any],
              let correlationId = (header["CorrelationId"] as? NSNumber)?.int32Value,
              let fields = root["fields"] as? [String: Any] else {
            throw Malformed(description: "\(file): missing or mistyped top-level keys")
        }
        return GoldenFixture(
            file: file, name: name, isRequest: type == "request", apiKey: apiKey, version: version,
            flexible: flexible, header: try Hex.bytes(headerHex), body: try Hex.bytes(bodyHex),
            correlationId: correlationId, clientId: header["ClientId"] as? String,
            fieldsJSON: try JSONSerialization.data(withJSONObject: fields))
    }

    /// The body's field values as parsed JSON.
    func fields() throws -> [String: Any] {
        guard let fields = try JSONSerialization.jsonObject(with: fieldsJSON) as? [String: Any] else {
            throw Malformed(description: "\(file): fields is not an object")
        }
        return fields
    }
}
