import KafkaTestSupport
import Testing

@Suite("KafkaTestSupport helpers")
struct TestSupportTests {
    @Test("hex encodes lower-case and decodes either case, ignoring whitespace")
    func hex() throws {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(try Hex.bytes("00 0F\nA0ff") == [0x00, 0x0f, 0xa0, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(throws: MalformedHex.self) { try Hex.bytes("0x12") }
        var random = SeededRandom(seed: 3)
        let bytes = random.bytes(count: 257)
        #expect(try Hex.bytes(bytes.hexString) == bytes)
    }

    @Test("seeded random replays exactly and differs across seeds")
    func seededRandom() {
        var first = SeededRandom(seed: 99)
        var second = SeededRandom(seed: 99)
        var other = SeededRandom(seed: 100)
        let a = first.bytes(count: 33)
        #expect(a == second.bytes(count: 33))
        #expect(a != other.bytes(count: 33))
        #expect(first.alphanumeric(count: 12).count == 12)
        // SplitMix64's first output for seed 0 is a published reference value.
        var zero = SeededRandom(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test("unique topic names do not repeat")
    func uniqueTopics() {
        let names = (0..<50).map { _ in TestBroker.uniqueTopicName("t") }
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.hasPrefix("t-") })
    }

    @Test("the package root holds Package.swift and the broker script")
    func packageRoot() {
        #expect(FileManagerCheck.exists(PackageRoot.appending("Package.swift")))
        #expect(FileManagerCheck.exists(PackageRoot.appending("scripts/broker.sh")))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum FileManagerCheck {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
