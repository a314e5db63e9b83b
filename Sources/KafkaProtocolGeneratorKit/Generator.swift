import Foundation

/// Reads a folder of Kafka message specs and writes the Swift sources for the
/// messages a client needs.
public struct Generator {
    /// Data (non-request) messages a client encodes itself, inside JoinGroup/SyncGroup.
    public static let dataMessages: Set<String> = ["ConsumerProtocolSubscription", "ConsumerProtocolAssignment"]

    public let specs: [MessageSpec]

    /// Parses every `.json` file in `specsDirectory`, with the `VersionOverrides` applied.
    public init(specsDirectory: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: specsDirectory).filter { $0.hasSuffix(".json") }.sorted()
        var specs: [MessageSpec] = []
        for name in names {
            let text = try String(contentsOfFile: "\(specsDirectory)/\(name)", encoding: .utf8)
            do {
                specs.append(try VersionOverrides.apply(to: MessageSpec(parsing: text)))
            } catch {
                throw SpecError("\(name): \(error)")
            }
        }
        self.specs = specs
    }

    /// The specs to generate: broker requests and their responses, the headers, and client data messages.
    public var selected: [MessageSpec] {
        let brokerRequests = Set(specs.filter { $0.kind == .request && $0.listeners.contains("broker") }.map(\.name))
        return specs.filter { spec in
            switch spec.kind {
            case .request: brokerRequests.contains(spec.name)
            case .response: brokerRequests.contains(spec.name.replacingOccurrences(of: "Response", with: "Request"))
            case .header: true
            case .data: Self.dataMessages.contains(spec.name)
            }
        }
    }

    /// File name → contents of the library sources.
    public func librarySources() throws -> [String: String] {
        var files: [String: String] = [:]
        let chosen = selected
        for spec in chosen {
            files["\(spec.name).swift"] = try MessageEmitter(message: spec).source()
        }
        let requests = specs.filter { $0.kind == .request }.sorted { ($0.apiKey ?? 0) < ($1.apiKey ?? 0) }
        let generated = Set(chosen.filter { $0.kind == .request }.map(\.name))
        files["ApiKey+Generated.swift"] = ApiKeyEmitter(requests: requests, generated: generated).source()
        return files
    }

    /// File name → contents of the test-side sample builders.
    public func testSources() throws -> [String: String] {
        var files: [String: String] = [:]
        let chosen = selected
        for spec in chosen {
            files["\(spec.name)+Sample.swift"] = try SampleEmitter(message: spec).source()
        }
        files["AllMessageSamples.swift"] = SampleEmitter.listSource(chosen)
        return files
    }

    /// Writes `files` into `directory`, removing stale `.swift` files that are not in `files`.
    public static func write(_ files: [String: String], to directory: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for existing in try manager.contentsOfDirectory(atPath: directory) where existing.hasSuffix(".swift") && files[existing] == nil {
            try manager.removeItem(atPath: "\(directory)/\(existing)")
        }
        for (name, text) in files {
            let path = "\(directory)/\(name)"
            if let current = try? String(contentsOfFile: path, encoding: .utf8), current == text { continue }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
