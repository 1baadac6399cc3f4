import CalendarDates
import Foundation

/// The kind of a day on the center's calendar.
public enum DayKind: Int, Sendable, Hashable, CaseIterable {
    case workingDay = 1
    case restDay = 2
    case holiday = 3
    /// 调休: a weekend day worked to make up for a holiday.
    case makeupWorkingDay = 4

    public var isWorking: Bool { self == .workingDay || self == .makeupWorkingDay }
}

/// The center's own calendar: its time zone, and which days are worked.
///
/// Why not a weekday rule: Chinese centers observe public holidays on weekdays and
/// make-up working days on weekends (调休), so "Monday to Friday" is wrong several weeks
/// a year. Every due date in the product is computed here, from imported years only:
/// a date in a year that was never imported is an error, not a guess.
public struct CenterCalendar: Sendable {
    public let timeZoneIdentifier: String
    private let timeZone: TimeZone
    /// Imported years.
    public let years: Set<Int>
    /// Days that differ from the weekday rule.
    private let exceptions: [Int: DayKind]

    public enum Problem: Error, Hashable, Sendable {
        case unknownTimeZone(String)
        case yearNotImported(Int)
    }

    public init(timeZoneIdentifier: String, years: Set<Int>, exceptions: [LocalDate: DayKind]) throws(Problem) {
        guard let timeZone = TimeZone(identifier: timeZoneIdentifier) else { throw .unknownTimeZone(timeZoneIdentifier) }
        self.timeZoneIdentifier = timeZoneIdentifier
        self.timeZone = timeZone
        self.years = years
        self.exceptions = Dictionary(uniqueKeysWithValues: exceptions.map { ($0.key.dayNumber, $0.value) })
    }

    public static func isKnownTimeZone(_ identifier: String) -> Bool {
        TimeZone(identifier: identifier) != nil
    }

    /// The kind of `date`: an imported exception, or the weekday rule.
    public func kind(of date: LocalDate) throws(Problem) -> DayKind {
        guard years.contains(date.year) else { throw .yearNotImported(date.year) }
        if let exception = exceptions[date.dayNumber] { return exception }
        return date.isWeekend ? .restDay : .workingDay
    }

    public func isWorkingDay(_ date: LocalDate) throws(Problem) -> Bool {
        try kind(of: date).isWorking
    }

    /// `date` if it is worked, else the closest working day before it.
    public func lastWorkingDay(onOrBefore date: LocalDate) throws(Problem) -> LocalDate {
        var day = date
        while try !isWorkingDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The `count`-th working day after `date` (not counting `date` itself).
    public func workingDay(_ count: Int, after date: LocalDate) throws(Problem) -> LocalDate {
        var day = date
        var remaining = count
        while remaining > 0 {
            day = day.adding(days: 1)
            if try isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }

    /// The local date of an instant in the center's time zone: a call at 23:30 local time
    /// on the last day of a month belongs to that month, whatever UTC says.
    public func localDate(unixMilliseconds: Int64) -> LocalDate {
        Self.localDate(unixMilliseconds: unixMilliseconds, in: timeZone)
    }

    static func localDate(unixMilliseconds: Int64, in timeZone: TimeZone) -> LocalDate {
        let seconds = Double(unixMilliseconds) / 1000
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
        let localSeconds = Int64((seconds).rounded(.down)) + Int64(offset)
        let day = localSeconds >= 0 ? localSeconds / 86_400 : (localSeconds - 86_399) / 86_400
        return LocalDate(dayNumber: Int(day))
    }

    /// The first instant of `date` in the center's time zone, in Unix milliseconds. Where a
    /// daylight-saving change skips midnight, the day starts at the first instant that exists.
    public func startOfDay(_ date: LocalDate) -> Int64 {
        let utcMidnight = Int64(date.dayNumber) * 86_400
        // The offset at local midnight: guess with the offset at UTC midnight, then correct once.
        var offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utcMidnight))))
        offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utcMidnight - offset))))
        var start = utcMidnight - offset
        // Midnight did not exist (the clock jumped from 23:59 to 01:00): step to the first instant of the day.
        while Self.localDate(unixMilliseconds: start * 1000, in: timeZone) < date {
            start += 900
        }
        return start * 1000
    }
}

/// The due dates of the domain, all on the center's calendar.
public enum DueDates {
    /// The team leader's problem summary and coaching suggestion for a coaching-tier agent
    /// is due "before the 5th" of the month the tiers apply to: the last working day on or
    /// before the 4th (a 4th that is a holiday moves it earlier). When the 1st to the 4th are
    /// all off (National Day), it is the month's first working day: never a day of the closed
    /// month, which would make the summary late before the tiers exist.
    public static func problemSummaryDue(closedMonth: YearMonth, calendar: CenterCalendar) throws(CenterCalendar.Problem) -> LocalDate {
        let appliesTo = closedMonth.next
        let fourth = appliesTo.firstDay.adding(days: 3)
        let due = try calendar.lastWorkingDay(onOrBefore: fourth)
        guard due < appliesTo.firstDay else { return due }
        return try calendar.workingDay(1, after: appliesTo.firstDay.adding(days: -1))
    }

    /// The weekly written summary of agents below the coaching threshold is due within 2
    /// working days after the week (weeks end on Sunday; a make-up Saturday counts).
    public static func watchListSummaryDue(week: ISOWeek, calendar: CenterCalendar) throws(CenterCalendar.Problem) -> LocalDate {
        try calendar.workingDay(2, after: week.sunday)
    }
}
