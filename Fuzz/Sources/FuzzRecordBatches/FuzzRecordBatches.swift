// Fuzzes the record batch decoder: magic 2 batches and legacy (magic 0/1)
// message sets, compressed or not, with checksums verified or not.
//
// Input: flags (1 byte: bit 0 verifies checksums, bits 1-2 pick the entry point:
// 0 a records blob, 1 exactly one v2 batch, 2 a legacy message set), then the bytes.
//
// Checked: no trap; decompression stays under the limit; control batches parse
// or throw; a decoded v2 batch re-encodes and decodes to the same records.
import FuzzSupport
import KafkaWire

/// Small, so that a decompression bomb is refused quickly rather than slowly filling 256 MiB.
let decompressedSizeLimit = 1 << 20

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzRecordBatches_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    var input = FuzzInput(start, count)
    let flags = input.byte()
    let options = RecordDecodingOptions(decompressedSizeLimit: decompressedSizeLimit, verifyChecksums: flags & 1 != 0)
    let bytes = input.rest
    let batches: [RecordBatch]
    switch (flags >> 1) & 3 {
    case 1: batches = (try? RecordBatch.decode(bytes, options: options)).map { [$0] } ?? []
    case 2: batches = (try? LegacyMessageSet.decode(bytes, options: options)) ?? []
    default: batches = (try? RecordBatchDecoder.decodeAll(bytes, options: options)) ?? []
    }
    for batch in batches { check(batch) }
    return 0
}

func check(_ batch: RecordBatch) {
    if batch.attributes.isControl { _ = try? batch.controlRecords() }
    guard batch.magic == 2, let encoded = try? batch.encode() else { return }
    let decoded: RecordBatch
    do {
        decoded = try RecordBatch.decode(encoded)
    } catch {
        fuzzFailure("a re-encoded batch does not decode: \(error)")
    }
    // Record attributes are unused (KIP-98 keeps them for later) and written as 0, as Kafka's
    // own writer does, so they are left out of the comparison.
    func same(_ a: Record, _ b: Record) -> Bool {
        var a = a
        a.attributes = b.attributes
        return a == b
    }
    if let index = batch.records.indices.first(where: { decoded.records.count <= $0 || !same(decoded.records[$0], batch.records[$0]) }) {
        let after = index < decoded.records.count ? "\(decoded.records[index])" : "missing"
        fuzzFailure("a re-encoded batch decodes to other records: record \(index) was \(batch.records[index]), is \(after)")
    }
    guard decoded.records.count == batch.records.count else { fuzzFailure("a re-encoded batch has more records") }
}
