import CalendarDates

// Dates are the shared `CalendarDates` types, the services' own; these are the few
// conveniences trainctl's file readers and the demo generator use on top of them.

extension LocalDate {
    init?(parsing text: some StringProtocol) {
        self.init(String(text))
    }

    var month: Int { components.month }
    var day: Int { components.day }

    /// The Monday of the date's ISO week.
    var monday: LocalDate { ISOWeek(containing: self).monday }
}

extension YearMonth {
    init?(parsing text: some StringProtocol) {
        self.init(String(text))
    }

    func adding(months: Int) -> YearMonth {
        YearMonth(index: index + months)
    }

    var dayCount: Int { lastDay.dayNumber - firstDay.dayNumber + 1 }
}

/// A local date-time of the center's wall clock, "YYYY-MM-DDTHH:MM" (24-hour, no seconds,
/// no offset): the training-scheduling contract's times. Nothing is converted to UTC.
struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    let date: LocalDate
    /// 0 to 1439.
    let minuteOfDay: Int

    /// Exactly "YYYY-MM-DDTHH:MM".
    init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              let date = LocalDate(parsing: String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = Digits.value(bytes, 11..<13), let minute = Digits.value(bytes, 14..<16), hour <= 23, minute <= 59
        else { return nil }
        self.date = date
        self.minuteOfDay = hour * 60 + minute
    }

    var yearMonth: YearMonth { date.yearMonth }

    /// Minutes since 1970-01-01T00:00 on the same wall clock.
    var minutes: Int { date.dayNumber * 1440 + minuteOfDay }

    /// "HH:MM".
    var timeOfDay: String { Digits.padded(minuteOfDay / 60, 2) + ":" + Digits.padded(minuteOfDay % 60, 2) }

    var description: String { "\(date)T\(timeOfDay)" }

    static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { lhs.minutes < rhs.minutes }

    /// A span for tables: "2026-12-01 09:00–11:00", or both dates when it ends on another day.
    /// Text that is not a local time is shown as it is.
    static func span(_ start: String, _ end: String) -> String {
        guard let first = LocalDateTime(start), let last = LocalDateTime(end) else { return "\(start) – \(end)" }
        if first.date == last.date { return "\(first.date) \(first.timeOfDay)–\(last.timeOfDay)" }
        return "\(first.date) \(first.timeOfDay) – \(last.date) \(last.timeOfDay)"
    }
}

/// ISO 8601 week names, "YYYY-Www".
enum IsoWeek {
    static func isValid(_ text: String) -> Bool {
        ISOWeek(text) != nil
    }

    /// 53 in years whose ISO week 53 exists, else 52.
    static func weeksIn(year: Int) -> Int {
        ISOWeek("\(year)-W53") != nil ? 53 : 52
    }

    /// The ISO week of a date, e.g. "2026-W03".
    static func of(_ date: LocalDate) -> String {
        ISOWeek(containing: date).description
    }
}

/// RFC 3339 timestamps ("2025-03-04T09:15:02+08:00") to and from Unix milliseconds.
enum RFC3339 {
    enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed
        case missingOffset

        var description: String {
            switch self {
            case .malformed: "must be an RFC 3339 time such as 2025-03-04T09:15:02+08:00"
            case .missingOffset: "has no UTC offset: add Z or one such as +08:00"
            }
        }
    }

    /// A date, "T" (or "t" or a space), a time with optional fraction (milliseconds kept),
    /// then "Z" or "±HH:MM". A leap second (:60) is not accepted.
    static func unixMilliseconds(_ text: some StringProtocol) throws(ParseError) -> Int64 {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, let date = LocalDate(parsing: String(decoding: bytes[0..<10], as: UTF8.self)),
              [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = Digits.value(bytes, 11..<13), let minute = Digits.value(bytes, 14..<16),
              let second = Digits.value(bytes, 17..<19), hour <= 23, minute <= 59, second <= 59
        else { throw .malformed }
        var position = 19
        var milliseconds = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            while position < bytes.count, Digits.isDigit(bytes[position]) { position += 1 }
            let digits = position - fractionStart
            guard digits >= 1, digits <= 9 else { throw .malformed }
            for index in 0..<3 {
                milliseconds *= 10
                if index < digits { milliseconds += Int(bytes[fractionStart + index] - UInt8(ascii: "0")) }
            }
        }
        guard position < bytes.count else { throw .missingOffset }
        var offsetSeconds = 0
        switch bytes[position] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            position += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            guard bytes.count - position == 6, bytes[position + 3] == UInt8(ascii: ":"),
                  let offsetHours = Digits.value(bytes, position + 1..<position + 3),
                  let offsetMinutes = Digits.value(bytes, position + 4..<position + 6),
                  offsetHours <= 23, offsetMinutes <= 59 else { throw .malformed }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            position += 6
        default:
            throw .malformed
        }
        guard position == bytes.count else { throw .malformed }
        let seconds = date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Int64(seconds) * 1000 + Int64(milliseconds)
    }

    /// "2025-03-04T09:15:02+08:00" (with ".123" when there are milliseconds; "Z" for UTC).
    static func format(unixMilliseconds: Int64, offsetSeconds: Int = 0) -> String {
        let local = Int(unixMilliseconds.floorDividing(by: 1000)) + offsetSeconds
        let milliseconds = Int(unixMilliseconds - unixMilliseconds.floorDividing(by: 1000) * 1000)
        let dayNumber = local.floorDividing(by: 86_400)
        let secondOfDay = local - dayNumber * 86_400
        var text = LocalDate(dayNumber: dayNumber).description + "T"
            + Digits.padded(secondOfDay / 3600, 2) + ":" + Digits.padded(secondOfDay / 60 % 60, 2) + ":" + Digits.padded(secondOfDay % 60, 2)
        if milliseconds != 0 { text += "." + Digits.padded(milliseconds, 3) }
        if offsetSeconds == 0 { return text + "Z" }
        let magnitude = abs(offsetSeconds)
        return text + (offsetSeconds < 0 ? "-" : "+") + Digits.padded(magnitude / 3600, 2) + ":" + Digits.padded(magnitude / 60 % 60, 2)
    }
}

extension BinaryInteger {
    /// Division rounding toward negative infinity (times before 1970 stay on the right day).
    func floorDividing(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

/// ASCII digit helpers for the strict parsers above.
enum Digits {
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The decimal value of `bytes[range]` if every byte is a digit.
    static func value(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count, !range.isEmpty else { return nil }
        var value = 0
        for index in range {
            guard isDigit(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
        }
        return value
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
