import Foundation
import Testing
@testable import KafkaTracking

@Suite("Tracking: event ids")
struct EventIdsTests {
    @Test("version 4 UUIDs with the RFC 4122 variant, no repeats over many reseeds")
    func randomIds() {
        var generator = EventIds.Generator()
        let ids = (0..<20_000).map { _ in EventIds.next(using: &generator) }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.uuid.6 >> 4 == 4 && $0.uuid.8 >> 6 == 0b10 })
        // Every bit outside version and variant varies.
        let ored = ids.reduce(into: [UInt8](repeating: 0, count: 16)) { bits, id in
            withUnsafeBytes(of: id.uuid) { for index in 0..<16 { bits[index] |= $0[index] } }
        }
        #expect(ored == [UInt8](repeating: 0xFF, count: 16).enumerated().map { $0 == 6 ? 0x4F : $0 == 8 ? 0xBF : $1 })
    }

    @Test("the lowercase UTF-8 text matches Foundation's uuidString, lowercased")
    func lowercaseText() {
        var generator = EventIds.Generator()
        for id in [UUID(), EventIds.next(using: &generator), UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))] {
            #expect(String(decoding: id.lowercasedUTF8, as: UTF8.self) == id.uuidString.lowercased())
        }
    }
}
