/// A day on the center's calendar, with no time and no zone.
///
/// Shared by every service that speaks of local dates (the intake's months and weeks,
/// scheduling's sessions), so that civil-date arithmetic exists once.
///
/// Why its own type: due dates, months and weeks are local notions ("before the 5th",
/// "last week"); carrying them as instants invites off-by-one-day errors at midnight.
/// Stored as a day number (days since 1970-01-01) so that arithmetic is exact.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dayNumber: Int

    public init(dayNumber: Int) {
        self.dayNumber = dayNumber
    }

    /// nil unless year 1900-2200, month 1-12 and the day exists in that month.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month),
            (1...LocalDate.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        dayNumber = era * 146_097 + doe - 719_468
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var components: (year: Int, month: Int, day: Int) {
        // civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public var year: Int { components.year }
    public var yearMonth: YearMonth {
        let c = components
        return YearMonth(uncheckedYear: c.year, month: c.month)
    }

    /// ISO weekday: 1 Monday … 7 Sunday (1970-01-01 was a Thursday).
    public var weekday: Int {
        let w = (dayNumber + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    public var description: String {
        let c = components
        return "\(zeroPadded(c.year, 4))-\(zeroPadded(c.month, 2))-\(zeroPadded(c.day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// `value` in decimal, zero-padded to `width` digits.
func zeroPadded(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}

/// A calendar month, `YYYY-MM`: the unit of averages, tiers and rosters.
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    init(uncheckedYear year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    public init?(year: Int, month: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 7, parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// Months since year 0, for storage and ranges.
    public var index: Int { year * 12 + (month - 1) }

    public init(index: Int) {
        self.init(uncheckedYear: index / 12, month: index % 12 + 1)
    }

    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1) ?? LocalDate(dayNumber: 0) }
    public var lastDay: LocalDate {
        LocalDate(year: year, month: month, day: LocalDate.daysInMonth(year: year, month: month)) ?? LocalDate(dayNumber: 0)
    }
    public var next: YearMonth { YearMonth(index: index + 1) }
    public var previous: YearMonth { YearMonth(index: index - 1) }

    public var description: String { "\(zeroPadded(year, 4))-\(zeroPadded(month, 2))" }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool { lhs.index < rhs.index }
}

/// An ISO 8601 week, `YYYY-Www`, Monday to Sunday: the unit of the team leaders' watch list.
public struct ISOWeek: Hashable, Sendable, CustomStringConvertible {
    public let monday: LocalDate

    public init(containing date: LocalDate) {
        monday = date.adding(days: 1 - date.weekday)
    }

    /// Parses exactly `YYYY-Www` (week 53 only in years that have one).
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 8, utf8[4] == UInt8(ascii: "-"), utf8[5] == UInt8(ascii: "W"),
            let year = Int(text.prefix(4)), let week = Int(text.suffix(2)),
            text.prefix(4).allSatisfy(\.isNumber), text.suffix(2).allSatisfy(\.isNumber),
            (1...53).contains(week), let january4 = LocalDate(year: year, month: 1, day: 4)
        else { return nil }
        let firstMonday = ISOWeek(containing: january4).monday
        let monday = firstMonday.adding(days: (week - 1) * 7)
        guard ISOWeek(containing: monday).weekYear == year else { return nil }
        self.monday = monday
    }

    public var sunday: LocalDate { monday.adding(days: 6) }

    /// The ISO week-numbering year: the year of the week's Thursday.
    public var weekYear: Int { monday.adding(days: 3).year }

    public var number: Int {
        let thursday = monday.adding(days: 3)
        guard let january1 = LocalDate(year: thursday.year, month: 1, day: 1) else { return 1 }
        return (thursday.dayNumber - january1.dayNumber) / 7 + 1
    }

    public var description: String { "\(zeroPadded(weekYear, 4))-W\(zeroPadded(number, 2))" }
}
