import CalendarDates

/// A local date-time of the center, "YYYY-MM-DDTHH:MM", as minutes since 1970-01-01 00:00
/// on the same wall clock. No time zone arithmetic: the contract's times are local.
struct LocalDateTime: Hashable, Sendable, CustomStringConvertible {
    let minutes: Int

    init(minutes: Int) { self.minutes = minutes }

    /// Strict "YYYY-MM-DDTHH:MM", years 1900-2200 (the date part as `LocalDate` reads it).
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              let date = LocalDate(String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = Self.twoDigits(bytes[11], bytes[12]), let minute = Self.twoDigits(bytes[14], bytes[15]),
              hour < 24, minute < 60
        else { return nil }
        minutes = date.dayNumber * 1440 + hour * 60 + minute
    }

    private static func twoDigits(_ tens: UInt8, _ ones: UInt8) -> Int? {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard digits.contains(tens), digits.contains(ones) else { return nil }
        return Int(tens - UInt8(ascii: "0")) * 10 + Int(ones - UInt8(ascii: "0"))
    }

    var description: String {
        let day = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
        let minuteOfDay = minutes - day * 1440
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(LocalDate(dayNumber: day))T\(two(minuteOfDay / 60)):\(two(minuteOfDay % 60))"
    }
}

/// A planning month "YYYY-MM": minute 0 of the domain is its first day at 00:00.
struct PlanningMonth: Hashable, Sendable, CustomStringConvertible {
    let month: YearMonth

    init?(_ text: String) {
        guard let month = YearMonth(text) else { return nil }
        self.month = month
    }

    /// Local minutes since 1970-01-01 of the month's first day 00:00.
    var startMinute: Int { month.firstDay.dayNumber * 1440 }
    var endMinute: Int { (month.lastDay.dayNumber + 1) * 1440 }

    func contains(_ time: LocalDateTime) -> Bool { (startMinute..<endMinute).contains(time.minutes) }

    /// A span of the month for people: "2026-12-01T10:00 to 2026-12-01T11:00".
    func text(_ range: MinuteRange) -> String {
        "\(LocalDateTime(minutes: startMinute + range.start)) to \(LocalDateTime(minutes: startMinute + range.end))"
    }

    var description: String { month.description }
}
