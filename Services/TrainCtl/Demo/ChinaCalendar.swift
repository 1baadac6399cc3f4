import CalendarDates
import TrainingWire

/// The public holidays of mainland China with their make-up working days (调休), as the
/// State Council publishes them each year, hard-coded for 2025, 2026 and 2027.
///
/// 2025 and 2026 are the published arrangements. 2027 had not been published when this
/// was written: it follows the lunar dates (Spring Festival on 6 February, Dragon Boat on
/// 9 June, Mid-Autumn on 15 September) and the pattern of the years before. Other years
/// get the weekday rule only.
enum ChinaCalendar {
    static let timeZone = "Asia/Shanghai"
    /// UTC+8 all year (no daylight saving).
    static let utcOffsetSeconds = 8 * 3600
    static let knownYears = [2025, 2026, 2027]

    private struct Period {
        let name: String
        let first: (Int, Int, Int)
        let last: (Int, Int, Int)
        let makeupDays: [(Int, Int, Int)]
    }

    private static let periods: [Period] = [
        // 2025
        Period(name: "New Year's Day", first: (2025, 1, 1), last: (2025, 1, 1), makeupDays: []),
        Period(name: "Spring Festival", first: (2025, 1, 28), last: (2025, 2, 4), makeupDays: [(2025, 1, 26), (2025, 2, 8)]),
        Period(name: "Qingming Festival", first: (2025, 4, 4), last: (2025, 4, 6), makeupDays: []),
        Period(name: "Labour Day", first: (2025, 5, 1), last: (2025, 5, 5), makeupDays: [(2025, 4, 27)]),
        Period(name: "Dragon Boat Festival", first: (2025, 5, 31), last: (2025, 6, 2), makeupDays: []),
        Period(name: "National Day and Mid-Autumn Festival", first: (2025, 10, 1), last: (2025, 10, 8),
               makeupDays: [(2025, 9, 28), (2025, 10, 11)]),
        // 2026
        Period(name: "New Year's Day", first: (2026, 1, 1), last: (2026, 1, 3), makeupDays: [(2026, 1, 4)]),
        Period(name: "Spring Festival", first: (2026, 2, 15), last: (2026, 2, 23), makeupDays: [(2026, 2, 14), (2026, 2, 28)]),
        Period(name: "Qingming Festival", first: (2026, 4, 4), last: (2026, 4, 6), makeupDays: []),
        Period(name: "Labour Day", first: (2026, 5, 1), last: (2026, 5, 5), makeupDays: [(2026, 5, 9)]),
        Period(name: "Dragon Boat Festival", first: (2026, 6, 19), last: (2026, 6, 21), makeupDays: []),
        Period(name: "Mid-Autumn Festival", first: (2026, 9, 25), last: (2026, 9, 27), makeupDays: []),
        Period(name: "National Day", first: (2026, 10, 1), last: (2026, 10, 7), makeupDays: [(2026, 9, 20), (2026, 10, 10)]),
        // 2027 (projected)
        Period(name: "New Year's Day", first: (2027, 1, 1), last: (2027, 1, 3), makeupDays: []),
        Period(name: "Spring Festival", first: (2027, 2, 5), last: (2027, 2, 12), makeupDays: [(2027, 1, 31), (2027, 2, 20)]),
        Period(name: "Qingming Festival", first: (2027, 4, 3), last: (2027, 4, 5), makeupDays: []),
        Period(name: "Labour Day", first: (2027, 5, 1), last: (2027, 5, 5), makeupDays: [(2027, 5, 8)]),
        Period(name: "Dragon Boat Festival", first: (2027, 6, 9), last: (2027, 6, 9), makeupDays: []),
        Period(name: "Mid-Autumn Festival", first: (2027, 9, 15), last: (2027, 9, 15), makeupDays: []),
        Period(name: "National Day", first: (2027, 10, 1), last: (2027, 10, 7), makeupDays: [(2027, 9, 26), (2027, 10, 9)]),
    ]

    /// The holiday tables above hold real dates; a typo in them is a programming error.
    private static func date(_ parts: (Int, Int, Int)) -> LocalDate {
        guard let date = LocalDate(year: parts.0, month: parts.1, day: parts.2) else {
            preconditionFailure("no such date in the holiday table: \(parts)")
        }
        return date
    }

    /// The exceptions to the weekday rule in `year`, by date: what the calendar file lists.
    static func exceptions(in year: Int) -> [CalendarDay] {
        var days: [(LocalDate, CalendarDay)] = []
        for period in periods where period.first.0 == year {
            var day = date(period.first)
            while day <= date(period.last) {
                days.append((day, CalendarDay(date: day.description, kind: .holiday, name: period.name)))
                day = day.adding(days: 1)
            }
            for makeup in period.makeupDays {
                let day = date(makeup)
                days.append((day, CalendarDay(date: day.description, kind: .makeupWorkingDay, name: "\(period.name) make-up working day")))
            }
        }
        return days.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Every day's kind over a range of years, for the generator's day weights.
    struct Lookup {
        private var kinds: [Int: DayKind] = [:]

        init(years: ClosedRange<Int>) {
            for year in years {
                for day in ChinaCalendar.exceptions(in: year) {
                    if let date = LocalDate(parsing: day.date) { kinds[date.dayNumber] = day.kind }
                }
            }
        }

        func kind(of date: LocalDate) -> DayKind {
            kinds[date.dayNumber] ?? (date.isWeekend ? .restDay : .workingDay)
        }

        func isWorkingDay(_ date: LocalDate) -> Bool {
            let kind = kind(of: date)
            return kind == .workingDay || kind == .makeupWorkingDay
        }

        /// The first working day on or after `date`.
        func workingDay(onOrAfter date: LocalDate) -> LocalDate {
            var day = date
            while !isWorkingDay(day) { day = day.adding(days: 1) }
            return day
        }
    }
}
