import Foundation

/// ISO 8601 times as AWS services write credential expiries:
/// `2024-05-01T12:00:00Z`, with or without fractional seconds or an offset.
enum AWSDate {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
