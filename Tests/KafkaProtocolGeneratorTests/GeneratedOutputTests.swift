import Foundation
import KafkaProtocolGeneratorKit
import KafkaTestSupport
import Testing

/// The committed generated sources must equal a fresh generation from the specs.
@Suite struct GeneratedOutputTests {
    static let specs = "kafka-message-specs"

    @Test(.enabled(if: SharedFolder.has(specs), SharedFolder.skipComment))
    func committedOutputIsUpToDate() throws {
        let generator = try Generator(specsDirectory: try #require(SharedFolder.item(Self.specs)))
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-gen-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try Generator.write(try generator.librarySources(), to: "\(temporary)/lib")
        try Generator.write(try generator.testSources(), to: "\(temporary)/tests")
        try Self.compare("\(temporary)/lib", PackageRoot.appending("Sources/KafkaWire/Messages/Generated"))
        try Self.compare("\(temporary)/tests", PackageRoot.appending("Tests/KafkaWireTests/Messages/Generated"))
    }

    @Test(.enabled(if: SharedFolder.has(specs), SharedFolder.skipComment))
    func selectsBrokerApisHeadersAndConsumerData() throws {
        let generator = try Generator(specsDirectory: try #require(SharedFolder.item(Self.specs)))
        let names = Set(generator.selected.map(\.name))
        for expected in ["ProduceRequest", "FetchResponse", "RequestHeader", "ResponseHeader",
                         "ConsumerProtocolSubscription", "ConsumerProtocolAssignment"] {
            #expect(names.contains(expected))
        }
        // Controller-only APIs are not generated (BrokerHeartbeat is sent by brokers to controllers).
        #expect(!names.contains("BrokerHeartbeatRequest"))
        for spec in generator.selected where spec.kind == .request {
            #expect(spec.listeners.contains("broker"))
            #expect(names.contains(spec.name.replacingOccurrences(of: "Request", with: "Response")))
        }
    }

    static func compare(_ fresh: String, _ committed: String) throws {
        let manager = FileManager.default
        let freshFiles = try manager.contentsOfDirectory(atPath: fresh).filter { $0.hasSuffix(".swift") }.sorted()
        let committedFiles = try manager.contentsOfDirectory(atPath: committed).filter { $0.hasSuffix(".swift") }.sorted()
        #expect(freshFiles == committedFiles, "file lists differ in \(committed)")
        for name in freshFiles where committedFiles.contains(name) {
            let expected = try String(contentsOfFile: "\(fresh)/\(name)", encoding: .utf8)
            let actual = try String(contentsOfFile: "\(committed)/\(name)", encoding: .utf8)
            #expect(expected == actual, "\(name) is stale: run swift run kafka-protocol-generator")
        }
    }
}
