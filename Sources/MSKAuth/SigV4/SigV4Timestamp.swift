import Foundation

/// A signing time in whole UTC seconds, formatted the way SigV4 needs it.
struct SigV4Timestamp: Sendable, Hashable {
    /// Seconds since 1970-01-01T00:00:00Z; fractions are dropped, as every SDK does.
    let epochSeconds: Int64
    /// `YYYYMMDD`, the date part of the credential scope.
    let date: String
    /// `YYYYMMDD'T'HHMMSS'Z'`, the `X-Amz-Date` value.
    let dateTime: String

    init(_ instant: Date) throws(MSKAuthError) {
        let seconds = instant.timeIntervalSince1970.rounded(.down)
        // Years 0000-9999 only: the format has exactly four year digits.
        guard seconds.isFinite, seconds >= -62_167_219_200, seconds < 253_402_300_800 else {
            throw MSKAuthError(.invalidDate, detail: "signing time must fall in years 0000-9999")
        }
        let epoch = Int64(seconds)
        let days = epoch >= 0 ? epoch / 86_400 : -((-epoch + 86_399) / 86_400)
        let secondOfDay = epoch - days * 86_400
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        let hour = secondOfDay / 3_600
        let minute = (secondOfDay % 3_600) / 60
        let second = secondOfDay % 60
        self.epochSeconds = epoch
        self.date = Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2)
        self.dateTime = date + "T" + Self.pad(hour, 2) + Self.pad(minute, 2) + Self.pad(second, 2) + "Z"
    }

    /// Converts a day count since 1970-01-01 to a proleptic Gregorian date,
    /// by counting whole 400-year eras that start on 0000-03-01.
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
