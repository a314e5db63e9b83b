import Testing
@testable import KafkaWire

/// The kafka-python fetch blob (legacy v1 gzip wrapper, v2 none, v2 lz4, then half a snappy batch).
@Suite struct FetchBlobTests {
    @Test func everyPrefixDecodesTheCompleteBatchesOnly() throws {
        let blob = try RecordFixtures.bytes("fetch_blob")
        let full = try RecordBatchDecoder.decodeAll(blob)
        #expect(full.map(\.magic) == [1, 2, 2])
        // Where each complete batch ends.
        var ends: [Int] = []
        var decoder = RecordBatchDecoder(blob)
        while try decoder.next() != nil { ends.append(decoder.position) }
        for cut in 0...blob.count {
            let batches = try RecordBatchDecoder.decodeAll(Array(blob.prefix(cut)))
            let expected = ends.filter { $0 <= cut }.count
            #expect(batches.count == expected, "cut \(cut)")
            #expect(batches == Array(full.prefix(expected)))
        }
    }

    @Test func randomCorruptionWithChecksumsOn() throws {
        let blob = try RecordFixtures.bytes("fetch_blob")
        let full = try RecordBatchDecoder.decodeAll(blob)
        var rng = RecordsTestRNG(seed: 2024)
        var rejected = 0
        for _ in 0..<2000 {
            var damaged = blob
            let index = Int.random(in: 0..<damaged.count, using: &rng)
            damaged[index] ^= UInt8.random(in: 1...255, using: &rng)
            do {
                let batches = try RecordBatchDecoder.decodeAll(damaged)
                // Only bytes outside every checksum may change silently (base offsets,
                // the leader epoch, or a length that turns the tail into a skipped
                // partial batch): whatever decodes keeps its keys, values and headers.
                #expect(batches.count <= full.count)
                for (batch, original) in zip(batches, full) {
                    #expect(batch.records.map(\.key) == original.records.map(\.key))
                    #expect(batch.records.map(\.value) == original.records.map(\.value))
                    #expect(batch.records.map(\.headers) == original.records.map(\.headers))
                }
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 1000)
    }
}
