import Testing
@testable import KafkaWire

/// Decodes batches written by kafka-python (see Fixtures/records/README.md).
@Suite struct RecordFixtureTests {
    static let names = ["v2_none", "v2_gzip", "v2_snappy", "v2_lz4", "v2_zstd", "v2_plain",
                        "legacy_v0_none", "legacy_v0_gzip", "legacy_v0_snappy", "legacy_v0_lz4",
                        "legacy_v1_none", "legacy_v1_gzip", "legacy_v1_snappy", "legacy_v1_lz4",
                        "fetch_blob"]

    static func expectMatches(_ batches: [RecordBatch], sidecar: [String: Any]) {
        let expected = sidecar["batches"] as! [[String: Any]]
        let ours = batches.flatMap(\.records)
        let theirs = expected.flatMap { $0["records"] as! [[String: Any]] }
        #expect(ours.count == theirs.count)
        for (record, want) in zip(ours, theirs) {
            #expect(record.offset == Int64(want["offset"] as! Int))
            // kafka-python reports magic-0 timestamps as None; we use Kafka's NO_TIMESTAMP (-1).
            #expect(record.timestamp == (want["timestamp"] as? Int).map(Int64.init) ?? -1)
            #expect(record.key.map(Array.init) == (want["key"] as? String).map(bytesFromHex))
            #expect(record.value.map(Array.init) == (want["value"] as? String).map(bytesFromHex))
            let headers = (want["headers"] as! [[Any]]).map {
                RecordHeader(key: $0[0] as! String, value: ($0[1] as? String).map(bytesFromHex))
            }
            #expect(record.headers == headers)
        }
    }

    @Test(arguments: names)
    func decodesKafkaPythonFixture(name: String) throws {
        let bytes = try RecordFixtures.bytes(name)
        let sidecar = try RecordFixtures.sidecar(name)
        var decoder = RecordBatchDecoder(bytes)
        var batches: [RecordBatch] = []
        while let batch = try decoder.next() { batches.append(batch) }
        Self.expectMatches(batches, sidecar: sidecar)
        #expect(decoder.skippedPartialBatch == (name == "fetch_blob"))
        if name.hasPrefix("v2_") {
            let batch = try #require(batches.first)
            #expect(batch.baseOffset == Int64(sidecar["baseOffset"] as! Int))
            #expect(batch.partitionLeaderEpoch == Int32(sidecar["partitionLeaderEpoch"] as! Int))
            #expect(batch.producerId == Int64(sidecar["producerId"] as! Int))
            #expect(batch.producerEpoch == Int16(sidecar["producerEpoch"] as! Int))
            #expect(batch.baseSequence == Int32(sidecar["baseSequence"] as! Int))
            #expect(batch.attributes.isTransactional == (sidecar["transactional"] as! Bool))
            let codec = try #require(CompressionCodec.allCases.first { "\($0)" == sidecar["codec"] as! String })
            #expect(batch.attributes.compressionBits == Int(codec.rawValue))
        }
        if name.hasPrefix("legacy_") {
            #expect(batches.allSatisfy { Int($0.magic) == sidecar["magic"] as! Int })
        }
    }

    /// Our encoder reproduces kafka-python's uncompressed batches byte for byte.
    @Test(arguments: ["v2_plain", "v2_none"])
    func encoderMatchesKafkaPythonBytes(name: String) throws {
        let theirs = try RecordFixtures.bytes(name)
        let batch = try RecordBatch.decode(theirs)
        var encoder = RecordBatchEncoder(baseOffset: batch.baseOffset, partitionLeaderEpoch: batch.partitionLeaderEpoch,
                                         attributes: batch.attributes, producerId: batch.producerId,
                                         producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence)
        for record in batch.records {
            encoder.append(record, offsetDelta: Int32(record.offset - batch.baseOffset))
        }
        let ours = try encoder.finish(compression: .none)
        #expect(ours == theirs)
    }

    /// kafka-python's compressed records sections decompress to what our encoder writes.
    @Test(arguments: ["v2_gzip", "v2_snappy", "v2_lz4", "v2_zstd"])
    func compressedSectionsMatchOurUncompressedEncoding(name: String) throws {
        let theirs = try RecordFixtures.bytes(name)
        let batch = try RecordBatch.decode(theirs)
        let codec = try batch.attributes.compression()
        let section = try codec.decompress(Array(theirs[RecordBatch.headerSize...]))
        var encoder = RecordBatchEncoder()
        for record in batch.records {
            encoder.append(record, offsetDelta: Int32(record.offset - batch.baseOffset))
        }
        let ours = try encoder.finish(compression: .none)
        #expect(Array(ours[RecordBatch.headerSize...]) == section)
    }
}
