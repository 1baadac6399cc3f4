/// A local date-time of the center, "YYYY-MM-DDTHH:MM", as minutes since 1970-01-01 00:00
/// on the same wall clock. No time zone arithmetic: the contract's times are local.
struct LocalDateTime: Hashable, Sendable, CustomStringConvertible {
    let minutes: Int

    init(minutes: Int) { self.minutes = minutes }

    /// Strict "YYYY-MM-DDTHH:MM", years 1900-2200.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) else { return nil }
                value = value * 10 + Int(bytes[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), (1900...2200).contains(year), (1...12).contains(month),
              (1...Self.daysIn(year: year, month: month)).contains(day), hour < 24, minute < 60 else { return nil }
        minutes = Self.dayNumber(year: year, month: month, day: day) * 1440 + hour * 60 + minute
    }

    var description: String {
        let day = minutes.floorDivided(by: 1440), minuteOfDay = minutes - day * 1440
        let (y, m, d) = Self.civil(dayNumber: day)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(minuteOfDay / 60)):\(two(minuteOfDay % 60))"
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(dayNumber: Int) -> (Int, Int, Int) {
        let z = dayNumber + 719_468
        let era = z.floorDivided(by: 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A planning month "YYYY-MM": minute 0 of the domain is its first day at 00:00.
struct PlanningMonth: Hashable, Sendable, CustomStringConvertible {
    let year: Int
    let month: Int

    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 7, parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), (1900...2200).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Local minutes since 1970-01-01 of the month's first day 00:00.
    var startMinute: Int { LocalDateTime.dayNumber(year: year, month: month, day: 1) * 1440 }
    var endMinute: Int { startMinute + LocalDateTime.daysIn(year: year, month: month) * 1440 }

    func contains(_ time: LocalDateTime) -> Bool { (startMinute..<endMinute).contains(time.minutes) }

    var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
}

extension Int {
    fileprivate func floorDivided(by divisor: Int) -> Int {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
