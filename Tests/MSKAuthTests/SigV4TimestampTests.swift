import Foundation
import Testing
@testable import MSKAuth

@Suite("SigV4: timestamps")
struct SigV4TimestampTests {
    /// Formats with Foundation's calendar, an independent implementation.
    static func reference(_ seconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? -1)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2) + "T"
            + pad(parts.hour, 2) + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
    }

    @Test("agrees with Foundation's Gregorian calendar", arguments: [
        Int64(0), -1, 951_782_400, 951_868_799, 4_107_542_400, 1_440_938_160, 253_402_300_799,
        // Random instants from 1900 to 2200.
    ] + (0..<200).map { _ in Int64.random(in: -2_208_988_800...7_258_118_400) })
    func matchesCalendar(_ seconds: Int64) throws {
        let timestamp = try SigV4Timestamp(Date(timeIntervalSince1970: TimeInterval(seconds)))
        #expect(timestamp.dateTime == Self.reference(seconds))
        #expect(timestamp.date == String(timestamp.dateTime.prefix(8)))
        #expect(timestamp.epochSeconds == seconds)
    }

    @Test("fractions of a second are dropped, towards the past")
    func fractions() throws {
        #expect(try SigV4Timestamp(Date(timeIntervalSince1970: 1_440_938_160.999)).dateTime == "20150830T123600Z")
        #expect(try SigV4Timestamp(Date(timeIntervalSince1970: -0.5)).dateTime == "19691231T235959Z")
    }

    @Test("instants outside years 0000-9999 are a typed error")
    func outOfRange() {
        for seconds in [253_402_300_800.0, -62_167_219_201.0, .infinity, .nan] {
            #expect(throws: MSKAuthError(.invalidDate, detail: "signing time must fall in years 0000-9999")) {
                _ = try SigV4Timestamp(Date(timeIntervalSince1970: seconds))
            }
        }
    }
}
