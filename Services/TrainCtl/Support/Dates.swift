/// A calendar date without a time zone, "YYYY-MM-DD" (proleptic Gregorian).
///
/// Why our own: parsing must be strict (Foundation's formatters accept "2025-2-30" in
/// lenient modes and depend on the machine's locale), and the demo generator does
/// day arithmetic on hundreds of thousands of dates.
struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    let year: Int
    let month: Int
    let day: Int

    init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(year: year, month: month)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Exactly "YYYY-MM-DD" with a valid day.
    init?(parsing text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Digits.value(bytes, 0..<4), let month = Digits.value(bytes, 5..<7), let day = Digits.value(bytes, 8..<10)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01.
    init(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01.
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// ISO weekday: 1 Monday … 7 Sunday.
    var weekday: Int {
        ((dayNumber % 7 + 7) % 7 + 3) % 7 + 1
    }

    var isWeekend: Bool { weekday >= 6 }

    func adding(days: Int) -> LocalDate {
        LocalDate(dayNumber: dayNumber + days)
    }

    /// The Monday of this date's ISO week.
    var monday: LocalDate { adding(days: 1 - weekday) }

    var yearMonth: YearMonth { YearMonth(uncheckedYear: year, month: month) }

    var description: String {
        Digits.padded(year, 4) + "-" + Digits.padded(month, 2) + "-" + Digits.padded(day, 2)
    }

    static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A month, "YYYY-MM".
struct YearMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    let year: Int
    let month: Int

    init?(parsing text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              let year = Digits.value(bytes, 0..<4), let month = Digits.value(bytes, 5..<7),
              (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    init(uncheckedYear year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    var firstDay: LocalDate { LocalDate(dayNumber: LocalDate.civilDayNumber(year, month, 1)) }
    var lastDay: LocalDate { firstDay.adding(days: dayCount - 1) }
    var dayCount: Int { LocalDate.daysIn(year: year, month: month) }

    func adding(months: Int) -> YearMonth {
        let index = year * 12 + (month - 1) + months
        return YearMonth(uncheckedYear: index / 12, month: index % 12 + 1)
    }

    var description: String { Digits.padded(year, 4) + "-" + Digits.padded(month, 2) }

    static func < (lhs: YearMonth, rhs: YearMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}

extension LocalDate {
    /// Day number of a date known to be valid (no optional to unwrap).
    static func civilDayNumber(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        return era * 146_097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719_468
    }
}

/// An ISO 8601 week, "YYYY-Www" (Monday to Sunday; week 1 holds the year's first Thursday).
enum IsoWeek {
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 8, bytes[4] == UInt8(ascii: "-"), bytes[5] == UInt8(ascii: "W"),
              let year = Digits.value(bytes, 0..<4), let week = Digits.value(bytes, 6..<8), year >= 1 else { return false }
        return (1...weeksIn(year: year)).contains(week)
    }

    /// 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday.
    static func weeksIn(year: Int) -> Int {
        let januaryFirst = LocalDate(dayNumber: LocalDate.civilDayNumber(year, 1, 1)).weekday
        return januaryFirst == 4 || (LocalDate.isLeap(year) && januaryFirst == 3) ? 53 : 52
    }

    /// The ISO week of a date, e.g. "2026-W03".
    static func of(_ date: LocalDate) -> String {
        let thursday = date.adding(days: 4 - date.weekday)
        let firstOfYear = LocalDate.civilDayNumber(thursday.year, 1, 1)
        let week = (thursday.dayNumber - firstOfYear) / 7 + 1
        return Digits.padded(thursday.year, 4) + "-W" + Digits.padded(week, 2)
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
