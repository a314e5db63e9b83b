import Testing
@testable import KafkaWire

@Suite struct CRC32CTests {
    static let vectors: [(name: String, bytes: [UInt8], crc: UInt32)] = [
        ("32 zero bytes", [UInt8](repeating: 0, count: 32), 0x8A91_36AA),
        ("32 0xFF bytes", [UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
        ("ascending 0..31", (0..<32).map { UInt8($0) }, 0x46DD_794E),
        ("descending 31..0", (0..<32).reversed().map { UInt8($0) }, 0x113F_DB5C),
        ("123456789", Array("123456789".utf8), 0xE306_9283),
    ]

    @Test(arguments: CRC32C.Kernel.allCases)
    func publishedVectors(kernel: CRC32C.Kernel) {
        for vector in Self.vectors {
            let crc = vector.bytes.withUnsafeBytes { CRC32C.extend(0, $0, kernel: kernel) }
            #expect(crc == vector.crc, "\(vector.name) with \(kernel)")
        }
    }

    @Test func emptyInputIsZero() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.extend(0x1234_5678, UnsafeRawBufferPointer(start: nil, count: 0)) == 0x1234_5678)
    }

    @Test func kernelsAgreeOnRandomLengthsAndAlignments() {
        var rng = RecordsTestRNG(seed: 0xC5C3_2C00)
        // Long enough to exercise both lane sizes (3 x 8 KiB and 3 x 256 bytes) and the tails.
        let buffer = rng.bytes(200_000)
        buffer.withUnsafeBytes { raw in
            var lengths = (0..<200).map { _ in Int.random(in: 0...70_000, using: &rng) }
            lengths += [0, 1, 7, 8, 9, 767, 768, 769, 24_575, 24_576, 24_577, 49_152 + 800]
            for length in lengths {
                // Random starts cover every alignment relative to 8-byte words.
                let start = Int.random(in: 0...(raw.count - length), using: &rng)
                let slice = UnsafeRawBufferPointer(rebasing: raw[start..<start + length])
                let reference = CRC32C.extend(0, slice, kernel: .portable)
                for kernel in CRC32C.Kernel.allCases {
                    #expect(CRC32C.extend(0, slice, kernel: kernel) == reference, "length \(length) kernel \(kernel)")
                }
            }
        }
    }

    @Test func extendAndCombineMatchOneShot() {
        var rng = RecordsTestRNG(seed: 42)
        let bytes = rng.bytes(50_000)
        bytes.withUnsafeBytes { raw in
            let whole = CRC32C.checksum(raw)
            for split in [0, 1, 100, 25_000, 49_999, 50_000] {
                let a = UnsafeRawBufferPointer(rebasing: raw[..<split])
                let b = UnsafeRawBufferPointer(rebasing: raw[split...])
                #expect(CRC32C.extend(CRC32C.checksum(a), b) == whole)
                #expect(CRC32C.combine(CRC32C.checksum(a), CRC32C.checksum(b), lengthOfB: b.count) == whole)
            }
        }
    }

    @Test func crc32IEEEVector() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
