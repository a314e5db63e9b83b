import Foundation
import KafkaTestSupport
import Testing
@testable import KafkaWire

/// The seed corpus of the fuzz targets in `Fuzz/` (messages, record batches,
/// decompression), made with this library's own encoders. Every seed is checked
/// to decode the way its fuzz target reads it; with `KAFKA_WRITE_FUZZ_SEEDS=1`
/// the seeds are also written to `Fuzz/Corpus/<target>/` (see scripts/fuzz.sh).
@Suite struct FuzzSeedCorpusTests {
    static let writes = ProcessInfo.processInfo.environment["KAFKA_WRITE_FUZZ_SEEDS"] == "1"

    @Test func messageSeedsDecode() throws {
        var visitor = MessageSeeds()
        for name in allMessageSampleNames where !name.hasSuffix("Header") {
            #expect(try visitMessageSample(named: name, &visitor))
        }
        #expect(visitor.seeds.count > 500)
        try Self.write(visitor.seeds, target: "messages")
    }

    @Test func recordBatchSeedsDecode() throws {
        var seeds: [String: [UInt8]] = [:]
        for codec in CompressionCodec.allCases {
            var encoder = RecordBatchEncoder(baseOffset: 42, producerId: 7, producerEpoch: 1, baseSequence: 3)
            encoder.append(key: Array("key".utf8), value: Array("value".utf8),
                           headers: [RecordHeader(key: "h", value: [1, 2]), RecordHeader(key: "n", value: nil)], timestamp: 1_700_000_000_000)
            encoder.append(key: nil, value: Array(repeating: 0x61, count: 300), timestamp: 1_700_000_000_005)
            encoder.append(key: [], value: nil, timestamp: 1_700_000_000_001)
            let batch = try encoder.finish(compression: codec)
            #expect(try RecordBatch.decode(batch).records.count == 3)
            seeds["v2-\(codec)"] = [0x01] + batch + batch
            seeds["v2-single-\(codec)"] = [0x03] + batch
        }
        let marker = ControlRecord(type: .commit, coordinatorEpoch: 5)
        let control = try RecordBatchEncoder.controlBatch(marker, producerId: 9, producerEpoch: 0, timestamp: 1)
        #expect(try RecordBatch.decode(control).controlRecords() == [marker])
        seeds["v2-control"] = [0x03] + control

        let plain = LegacyMessageSetTests.message(offset: 7, magic: 0, key: [1], value: [2, 3])
            + LegacyMessageSetTests.message(offset: 8, magic: 1, timestamp: 1234, key: nil, value: nil)
        #expect(try LegacyMessageSet.decode(plain).count == 2)
        seeds["legacy-plain"] = [0x05] + plain
        let inner = (0..<3).flatMap {
            LegacyMessageSetTests.message(offset: Int64($0), magic: 1, timestamp: 100 + Int64($0), key: nil, value: [UInt8($0)])
        }
        for codec in [CompressionCodec.gzip, .snappy, .lz4] {
            for magic: Int8 in [0, 1] {
                let wrapper = LegacyMessageSetTests.message(offset: 1002, magic: magic, attributes: codec.rawValue,
                                                            timestamp: 999, key: nil, value: try codec.compress(inner))
                #expect(try LegacyMessageSet.decode(wrapper).first?.records.count == 3)
                seeds["legacy-v\(magic)-\(codec)"] = [0x05] + wrapper
            }
        }
        try Self.write(seeds, target: "record-batches")
    }

    @Test func decompressionSeedsDecode() throws {
        let plain = Array("the quick brown fox jumps over the lazy dog; the quick brown fox again".utf8)
        var seeds: [String: [UInt8]] = [:]
        for (index, codec) in CompressionCodec.allCases.enumerated() where codec != .none {
            let compressed = try codec.compress(plain)
            #expect(try codec.decompress(compressed) == plain)
            // Selector: the codec's index in the target's table; limit byte 20: 1 MiB.
            seeds["decompress-\(codec)"] = [UInt8(index), 20] + compressed
            seeds["round-trip-\(codec)"] = [UInt8(index) | 8, 20] + plain
        }
        seeds["raw-snappy"] = [2, 20] + (try withBytes(plain) { (raw) throws(KafkaWireError) in try SnappyCodec.compressRaw(raw) })
        seeds["legacy-lz4"] = [5, 20] + (try CompressionCodec.lz4.compress(plain))
        try Self.write(seeds, target: "decompression")
    }

    static func write(_ seeds: [String: [UInt8]], target: String) throws {
        guard writes else { return }
        let folder = PackageRoot.appending("Fuzz/Corpus/\(target)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, bytes) in seeds {
            try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
        }
    }
}

/// Frames of every request and response sample at every version, and the
/// consumer protocol's data, in the messages target's input format: kind, api
/// key, version, frame.
private struct MessageSeeds: MessageSampleVisitor {
    var seeds: [String: [UInt8]] = [:]

    mutating func visit<M: SampleBuildable>(_: M.Type) throws {
        for version in M.validVersions {
            var source = SampleSource(seed: UInt64(bitPattern: Int64(version)) &+ 17)
            let sample = M.sample(version: version, using: &source)
            if let request = sample as? any KafkaRequest {
                seeds["\(M.messageName)-v\(version)"] = try Self.requestSeed(request, version: version)
            } else if let response = sample as? any KafkaResponse {
                seeds["\(M.messageName)-v\(version)"] = try Self.responseSeed(response, version: version)
            } else if let data = sample as? any KafkaVersionedData {
                seeds["\(M.messageName)-v\(version)"] = try Self.versionedSeed(data, version: version)
            }
        }
    }

    static func prefix(kind: UInt8, key: ApiKey, version: Int16) -> [UInt8] {
        let rawKey = UInt16(bitPattern: key.rawValue), rawVersion = UInt16(bitPattern: version)
        return [kind, UInt8(rawKey >> 8), UInt8(rawKey & 0xFF), UInt8(rawVersion >> 8), UInt8(rawVersion & 0xFF)]
    }

    static func requestSeed<R: KafkaRequest>(_ request: R, version: Int16) throws -> [UInt8] {
        let frame = try request.encodeFrame(version: version, correlationId: 11, clientId: "fuzz")
        #expect(try R.decodeFrame(frame).body == request, "\(R.messageName) v\(version)")
        return prefix(kind: 0, key: R.apiKey, version: version) + frame
    }

    /// The consumer protocol's data: kind 2 (subscription) or 3 (assignment); key and version unused.
    static func versionedSeed<D: KafkaVersionedData>(_ data: D, version: Int16) throws -> [UInt8] {
        let bytes = try data.encodeVersioned(version: version)
        #expect(try D.decodeVersioned(bytes).value == data, "\(D.messageName) v\(version)")
        return prefix(kind: D.self is ConsumerProtocolSubscription.Type ? 2 : 3, key: .produce, version: 0) + bytes
    }

    static func responseSeed<R: KafkaResponse>(_ response: R, version: Int16) throws -> [UInt8] {
        let frame = try response.encodeFrame(version: version, correlationId: 11)
        #expect(try R.decodeFrame(frame, version: version).body == response, "\(R.messageName) v\(version)")
        return prefix(kind: 1, key: R.apiKey, version: version) + frame
    }
}
