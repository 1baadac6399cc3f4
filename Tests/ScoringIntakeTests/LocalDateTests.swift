import CalendarDates
import Foundation
import Testing
@testable import ScoringIntake

@Suite struct LocalDateTests {
    /// Foundation's Gregorian calendar in UTC: an oracle independent of the domain's day arithmetic.
    static func oracle() -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    @Test func everyDayFrom1900To2200RoundTripsThroughItsText() {
        guard let first = LocalDate(year: 1900, month: 1, day: 1), let last = LocalDate(year: 2200, month: 12, day: 31)
        else {
            Issue.record("range ends do not exist")
            return
        }
        var failures = 0
        for dayNumber in first.dayNumber...last.dayNumber {
            let date = LocalDate(dayNumber: dayNumber)
            let c = date.components
            if LocalDate(date.description) != date || LocalDate(year: c.year, month: c.month, day: c.day) != date {
                failures += 1
            }
        }
        #expect(failures == 0)
        #expect(last.dayNumber - first.dayNumber + 1 == 301 * 365 + 73)  // 73 leap years in 1900...2200
    }

    @Test(arguments: ["1900-01-01", "1900-03-01", "1969-12-31", "1970-01-01", "1999-12-31", "2000-02-29", "2024-02-29",
                      "2026-11-23", "2099-12-31", "2100-03-01", "2199-07-15", "2200-12-31"])
    func dayNumberAndWeekdayAgreeWithFoundation(_ text: String) throws {
        let date = try #require(LocalDate(text))
        let c = date.components
        let calendar = Self.oracle()
        let reference = try #require(calendar.date(from: DateComponents(year: c.year, month: c.month, day: c.day)))
        #expect(Int((reference.timeIntervalSince1970 / 86_400).rounded()) == date.dayNumber)
        let sundayFirst = calendar.component(.weekday, from: reference)  // 1 Sunday … 7 Saturday
        #expect(date.weekday == (sundayFirst + 5) % 7 + 1)
        #expect(date.description == text)
    }

    @Test func dayNumbersStartAtTheEpoch() {
        #expect(LocalDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        #expect(LocalDate(year: 1969, month: 12, day: 31)?.dayNumber == -1)
        #expect(LocalDate(year: 2026, month: 11, day: 23)?.dayNumber == 20_780)
    }

    @Test(arguments: [
        ("2024-02-29", true), ("2025-02-29", false), ("1900-02-29", false), ("2000-02-29", true),
        ("2100-02-29", false), ("2200-02-29", false), ("2026-04-31", false), ("2026-04-30", true),
    ])
    func leapDaysAndMonthLengths(_ text: String, _ exists: Bool) {
        #expect((LocalDate(text) != nil) == exists)
    }

    @Test(arguments: [
        "2026-1-05", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32", "２０２６-01-01", "2026-01-01T00:00",
        "", "2026-01-01 ", " 2026-01-01", "2026/01/01", "20260101", "+026-01-01", "2026-+1-01", "1899-12-31",
        "2201-01-01", "2026-01--1", "2026-١٢-01", "abcd-ef-gh",
    ])
    func malformedTextIsRejected(_ text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test func weekdayIsISO() {
        #expect(Fx.date("2026-11-23").weekday == 1)  // Monday
        #expect(Fx.date("2026-11-28").weekday == 6)
        #expect(Fx.date("2026-11-29").weekday == 7)
        #expect(Fx.date("1970-01-01").weekday == 4)  // Thursday
        #expect(Fx.date("1969-12-28").weekday == 7)  // a Sunday before the epoch
        #expect(Fx.date("2026-11-28").isWeekend && Fx.date("2026-11-29").isWeekend && !Fx.date("2026-11-27").isWeekend)
    }

    @Test(arguments: [
        ("2026-01-31", 1, "2026-02-01"), ("2026-12-31", 1, "2027-01-01"), ("2027-01-01", -1, "2026-12-31"),
        ("2024-02-28", 1, "2024-02-29"), ("2025-02-28", 1, "2025-03-01"), ("2026-11-23", 45, "2027-01-07"),
        ("2000-03-01", -1, "2000-02-29"), ("2026-03-15", -365, "2025-03-15"), ("2026-06-30", 0, "2026-06-30"),
    ])
    func addingDaysCrossesMonthsAndYears(_ start: String, _ days: Int, _ expected: String) {
        #expect(Fx.date(start).adding(days: days).description == expected)
    }

    @Test func ordering() {
        #expect(Fx.date("2026-10-31") < Fx.date("2026-11-01"))
        #expect(!(Fx.date("2026-11-01") < Fx.date("2026-11-01")))
        #expect(Fx.date("2026-11-01").yearMonth == Fx.month("2026-11"))
    }
}

@Suite struct YearMonthTests {
    @Test(arguments: ["2026-01", "1900-01", "2200-12", "2024-02"])
    func roundTrip(_ text: String) throws {
        let month = try #require(YearMonth(text))
        #expect(month.description == text)
        #expect(YearMonth(index: month.index) == month)
    }

    @Test(arguments: ["2026-1", "2026-13", "2026-00", "2026-01-01", "1899-12", "2201-01", "２０２６-01", "2026/01", "", "-026-01"])
    func malformedTextIsRejected(_ text: String) {
        #expect(YearMonth(text) == nil)
    }

    @Test func nextAndPreviousCrossTheYear() {
        #expect(Fx.month("2026-12").next.description == "2027-01")
        #expect(Fx.month("2027-01").previous.description == "2026-12")
        #expect(Fx.month("2026-06").next.description == "2026-07")
        #expect(Fx.month("2026-06").previous.description == "2026-05")
        #expect(Fx.month("2026-01").previous < Fx.month("2026-01"))
    }

    @Test(arguments: [
        ("2024-02", "2024-02-01", "2024-02-29"), ("2025-02", "2025-02-01", "2025-02-28"),
        ("2000-02", "2000-02-01", "2000-02-29"), ("2100-02", "2100-02-01", "2100-02-28"),
        ("2026-04", "2026-04-01", "2026-04-30"), ("2026-12", "2026-12-01", "2026-12-31"),
    ])
    func firstAndLastDay(_ month: String, _ first: String, _ last: String) {
        #expect(Fx.month(month).firstDay.description == first)
        #expect(Fx.month(month).lastDay.description == last)
    }
}

@Suite struct ISOWeekTests {
    @Test func week1Of2026StartsInDecember2025() throws {
        let week = try #require(ISOWeek("2026-W01"))
        #expect(week.monday == Fx.date("2025-12-29"))
        #expect(week.sunday == Fx.date("2026-01-04"))
        #expect(week.weekYear == 2026)
        #expect(week.number == 1)
    }

    @Test(arguments: [("2020-W53", "2020-12-28"), ("2026-W53", "2026-12-28"), ("2015-W53", "2015-12-28"), ("2026-W48", "2026-11-23")])
    func validWeeks(_ text: String, _ monday: String) throws {
        let week = try #require(ISOWeek(text))
        #expect(week.monday == Fx.date(monday))
        #expect(week.description == text)
    }

    @Test(arguments: ["2021-W53", "2025-W53", "2026-W00", "2026-W54", "2026-w01", "2026W01", "26-W01", "2026-W1", "2026-W001",
                      "2026-Wab", "１９９９-W01", "2026-W+1", "1899-W52"])
    func invalidWeeks(_ text: String) {
        #expect(ISOWeek(text) == nil)
    }

    @Test func containingASundayGivesThePrecedingMonday() {
        let week = ISOWeek(containing: Fx.date("2026-11-29"))
        #expect(week.monday == Fx.date("2026-11-23"))
        #expect(week.description == "2026-W48")
        #expect(ISOWeek(containing: Fx.date("2026-11-23")) == week)
        #expect(ISOWeek(containing: Fx.date("2026-11-30")) != week)
    }

    @Test func everyWeekFrom2018To2032MatchesFoundationAndRoundTrips() throws {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = TimeZone(identifier: "UTC")!
        var date = Fx.date("2018-01-01")
        var weeks = 0
        while date < Fx.date("2033-01-01") {
            let week = ISOWeek(containing: date)
            let instant = Date(timeIntervalSince1970: Double(date.dayNumber) * 86_400)
            #expect(week.number == iso.component(.weekOfYear, from: instant), "\(date)")
            #expect(week.weekYear == iso.component(.yearForWeekOfYear, from: instant), "\(date)")
            #expect(ISOWeek(week.description) == week, "\(week)")
            #expect(week.monday.weekday == 1)
            date = date.adding(days: 7)
            weeks += 1
        }
        #expect(weeks > 700)
    }
}
