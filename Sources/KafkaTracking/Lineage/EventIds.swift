import Foundation

/// Random (version 4) UUIDs for event ids, cheap enough for every record.
///
/// Foundation's `UUID()` on Linux opens and reads `/dev/urandom` for each id
/// (about 4 µs, a fifth of a producer's budget per record). Event ids need to be
/// unique, not secret, so they come from a xoshiro256** generator seeded from the
/// system generator and reseeded every 8192 ids. Each `TrackedProducer` keeps
/// its generator under the lock it stamps records with.
enum EventIds {
    /// A new random event id from `generator` (one a caller keeps under its own lock).
    static func next(using generator: inout Generator) -> UUID {
        var bytes = (generator.next().bigEndian, generator.next().bigEndian)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = (raw[6] & 0x0F) | 0x40  // version 4
            raw[8] = (raw[8] & 0x3F) | 0x80  // RFC 4122 variant
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }

    struct Generator {
        private var state: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        private var remaining = 0

        mutating func next() -> UInt64 {
            if remaining == 0 { reseed() }
            remaining -= 1
            let result = rotate(state.1 &* 5, 7) &* 9
            let shifted = state.1 << 17
            state.2 ^= state.0
            state.3 ^= state.1
            state.1 ^= state.2
            state.0 ^= state.3
            state.2 ^= shifted
            state.3 = rotate(state.3, 45)
            return result
        }

        private mutating func reseed() {
            var system = SystemRandomNumberGenerator()
            repeat {
                state = (system.next(), system.next(), system.next(), system.next())
            } while state == (0, 0, 0, 0)  // the one state xoshiro cannot leave
            remaining = 8192
        }

        private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { (value << count) | (value >> (64 - count)) }
    }
}

extension UUID {
    /// The lowercase text form as UTF-8 bytes, without going through `uuidString`.
    var lowercasedUTF8: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(36)
        appendLowercased(to: &out)
        return out
    }

    /// Appends the lowercase text form (36 bytes) to `bytes`.
    func appendLowercased(to bytes: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        withUnsafeBytes(of: uuid) { raw in
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(digits.utf8Start[Int(byte >> 4)])
                bytes.append(digits.utf8Start[Int(byte & 0x0F)])
            }
        }
    }
}
