// Fuzzes the decompressors directly: gzip, snappy (raw and xerial framing),
// lz4 (frames, and Kafka 0.8's frames with the broken header checksum) and zstd.
//
// Input: codec (1 byte: low 3 bits, 5-7 = legacy lz4 framing; bit 3 compresses
// the payload first and checks the round trip), limit (1 byte: 2^(n mod 21)
// bytes), then the payload.
//
// Checked: no trap; output never exceeds the limit (anything larger is a typed
// error); what a codec compresses decompresses to the same bytes.
import FuzzSupport
@_spi(Fuzzing) import KafkaWire

let codecs: [CompressionCodec] = [.none, .gzip, .snappy, .lz4, .zstd]

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzDecompression_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    var input = FuzzInput(start, count)
    let selector = input.byte()
    let limit = 1 << (Int(input.byte()) % 21)
    let payload = input.rest
    let codecIndex = Int(selector & 7)
    guard codecIndex < codecs.count else {
        if let output = try? CompressionCodec.decompressLegacyLZ4Frame(payload, limit: limit), output.count > limit {
            fuzzFailure("legacy lz4 produced \(output.count) bytes over the limit \(limit)")
        }
        return 0
    }
    let codec = codecs[codecIndex]
    if selector & 8 != 0 {
        roundTrip(payload, codec: codec)
    } else if let output = try? codec.decompress(payload, limit: limit), output.count > limit {
        fuzzFailure("\(codec) produced \(output.count) bytes over the limit \(limit)")
    }
    return 0
}

func roundTrip(_ payload: [UInt8], codec: CompressionCodec) {
    let compressed: [UInt8]
    let restored: [UInt8]
    do {
        compressed = try codec.compress(payload)
        restored = try codec.decompress(compressed, limit: max(payload.count, 1))
    } catch {
        fuzzFailure("\(codec) round trip failed: \(error)")
    }
    guard restored == payload else { fuzzFailure("\(codec) round trip changed the bytes") }
}
