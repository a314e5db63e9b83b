import Foundation
import KafkaTestSupport
import KafkaWire
import Testing

/// Frames recorded between librdkafka and Tansu: each must decode (header and body)
/// with nothing left over and re-encode to the same bytes.
@Suite struct RecordedFrameTests {
    static let fileName = "wire-frames/librdkafka-2.16-tansu-0.6.jsonl.gz"

    struct Frame {
        var isRequest: Bool
        var apiKey: Int16
        var apiVersion: Int16
        var correlationId: Int32
        var bytes: [UInt8]
    }

    @Test(.enabled(if: SharedFolder.has(fileName), SharedFolder.skipComment))
    func everyRecordedFrameRoundTrips() throws {
        let frames = try Self.loadFrames(try #require(SharedFolder.item(Self.fileName)))
        #expect(frames.count > 2_500)
        var passed = 0
        var rejectedQuirks = 0
        var paddedRequests = 0
        var apis: Set<Int16> = []
        for frame in frames {
            var visitor = FrameRoundTrip(frame: frame)
            let known = try visitApi(apiKey: frame.apiKey, &visitor)
            #expect(known, "frame for API \(frame.apiKey) has no generated type")
            if let thrown = visitor.thrown, Self.isKnownBrokerQuirk(frame, thrown) {
                rejectedQuirks += 1
            } else if visitor.trailingBytes > 0, frame.isRequest, visitor.failure?.hasSuffix("left after the body") == true {
                // librdkafka pads a few requests (Metadata v12 for all topics, AlterUserScramCredentials)
                // past the end of the body; everything before the padding decoded and re-encoded exactly.
                paddedRequests += 1
                print("RecordedFrameTests: request api \(frame.apiKey) v\(frame.apiVersion) has \(visitor.trailingBytes) bytes after its body")
            } else if let failure = visitor.failure {
                Issue.record("\(frame.isRequest ? "request" : "response") api \(frame.apiKey) v\(frame.apiVersion) corr \(frame.correlationId): \(failure)")
            } else if known {
                passed += 1
                apis.insert(frame.apiKey)
            }
        }
        print("RecordedFrameTests: \(passed) of \(frames.count) recorded frames decoded and re-encoded byte-exact over \(apis.count) APIs; \(rejectedQuirks) malformed broker frames rejected, \(paddedRequests) padded client requests")
        #expect(passed + rejectedQuirks + paddedRequests == frames.count)
        #expect(rejectedQuirks + paddedRequests <= 8)
    }

    /// Tansu sends null `Results` arrays in CreateAcls and DescribeUserScramCredentials
    /// responses, where the spec does not allow null ("CreateAcls response malformed" in
    /// brokers/TANSU.md). Like Kafka's own decoder, we refuse them, naming the field.
    static func isKnownBrokerQuirk(_ frame: Frame, _ error: KafkaWireError) -> Bool {
        guard !frame.isRequest, frame.apiKey == ApiKey.createAcls.rawValue || frame.apiKey == ApiKey.describeUserScramCredentials.rawValue else {
            return false
        }
        return error.code == .missingValue && error.field == "results" && error.apiKey == frame.apiKey && error.version == frame.apiVersion
    }

    static func loadFrames(_ path: String) throws -> [Frame] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var frames: [Frame] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let direction = try #require(object["dir"] as? String)
            let encoded = try #require(object["frame"] as? String)
            frames.append(Frame(
                isRequest: direction == "request",
                apiKey: Int16(try #require(object["api_key"] as? Int)),
                apiVersion: Int16(try #require(object["api_version"] as? Int)),
                correlationId: Int32(try #require(object["correlation_id"] as? Int)),
                bytes: [UInt8](try #require(Data(base64Encoded: encoded)))
            ))
        }
        return frames
    }
}

/// Decodes one frame as the request or response of the visited API and re-encodes it.
private struct FrameRoundTrip: ApiVisitor {
    let frame: RecordedFrameTests.Frame
    var failure: String?
    var thrown: KafkaWireError?
    /// Bytes left after a complete body (the frame is then compared without them).
    var trailingBytes = 0

    mutating func visit<R: KafkaRequest>(_: R.Type) throws {
        do {
            var reader = WireReader(frame.bytes)
            var writer = WireWriter()
            if frame.isRequest {
                let header = try RequestHeader(from: &reader, version: R.requestHeaderVersion(for: frame.apiVersion))
                guard header.requestApiKey == R.apiKey.rawValue, header.requestApiVersion == frame.apiVersion,
                      header.correlationId == frame.correlationId else {
                    failure = "header mismatch: \(header)"
                    return
                }
                let body = try R(from: &reader, version: frame.apiVersion)
                try header.encode(into: &writer, version: R.requestHeaderVersion(for: frame.apiVersion))
                try body.encode(into: &writer, version: frame.apiVersion)
            } else {
                let header = try ResponseHeader(from: &reader, version: R.responseHeaderVersion(for: frame.apiVersion))
                guard header.correlationId == frame.correlationId else {
                    failure = "correlation id \(header.correlationId)"
                    return
                }
                let body = try R.Response(from: &reader, version: frame.apiVersion)
                try header.encode(into: &writer, version: R.responseHeaderVersion(for: frame.apiVersion))
                try body.encode(into: &writer, version: frame.apiVersion)
            }
            trailingBytes = reader.readableBytes
            let expected = Array(frame.bytes.prefix(frame.bytes.count - trailingBytes))
            if writer.bytes != expected {
                let common = min(writer.count, expected.count)
                let index = (0..<common).first { writer.bytes[$0] != expected[$0] } ?? common
                failure = "re-encoded \(writer.count) bytes vs \(expected.count), first difference at \(index)"
            } else if trailingBytes > 0 {
                failure = "\(trailingBytes) bytes left after the body"
            }
        } catch {
            thrown = error
            failure = "\(error)"
        }
    }
}
