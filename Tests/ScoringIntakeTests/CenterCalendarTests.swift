import CalendarDates
import Foundation
import Testing
import ScoringIntake

@Suite struct CenterCalendarTests {
    @Test func lateEveningOnTheLastDayOfAMonthStaysInThatMonthInShanghai() throws {
        let calendar = try Fx.calendar(zone: "Asia/Shanghai")
        let lateCall = Fx.instant("2026-10-31T23:30:00+08:00")
        #expect(lateCall == Fx.instant("2026-10-31T15:30:00Z"))
        #expect(calendar.localDate(unixMilliseconds: lateCall) == Fx.date("2026-10-31"))
        #expect(calendar.localDate(unixMilliseconds: lateCall).yearMonth == Fx.month("2026-10"))

        let earlyCall = Fx.instant("2026-10-31T16:30:00Z")  // 00:30 on 11-01 in Shanghai
        #expect(calendar.localDate(unixMilliseconds: earlyCall) == Fx.date("2026-11-01"))
        #expect(calendar.localDate(unixMilliseconds: earlyCall).yearMonth == Fx.month("2026-11"))

        // The last millisecond of the day and the first of the next.
        #expect(calendar.localDate(unixMilliseconds: Fx.instant("2026-10-31T16:00:00Z") - 1) == Fx.date("2026-10-31"))
        #expect(calendar.localDate(unixMilliseconds: Fx.instant("2026-10-31T16:00:00Z")) == Fx.date("2026-11-01"))
    }

    @Test(arguments: [
        ("2026-03-08T04:59:00Z", "2026-03-07"),  // 23:59 EST
        ("2026-03-08T06:59:00Z", "2026-03-08"),  // 01:59 EST, just before the jump
        ("2026-03-09T04:30:00Z", "2026-03-09"),  // 00:30 EDT (22:30 under EST would still be 03-08)
        ("2026-10-31T04:30:00Z", "2026-10-31"),  // 00:30 EDT
        ("2026-11-02T04:30:00Z", "2026-11-01"),  // 23:30 EST (00:30 under EDT would be 11-02)
        ("1969-12-31T23:59:59Z", "1969-12-31"),  // before the epoch: floor, not truncation
    ])
    func newYorkAcrossDaylightSavingTransitions(_ instant: String, _ expected: String) throws {
        let calendar = try Fx.calendar(zone: "America/New_York", years: [1969, 2026])
        #expect(calendar.localDate(unixMilliseconds: Fx.instant(instant)) == Fx.date(expected))
    }

    @Test func startOfDayInNewYorkFollowsTheOffsetOfThatDay() throws {
        let calendar = try Fx.calendar(zone: "America/New_York")
        #expect(calendar.startOfDay(Fx.date("2026-03-08")) == Fx.instant("2026-03-08T00:00:00-05:00"))
        #expect(calendar.startOfDay(Fx.date("2026-03-09")) == Fx.instant("2026-03-09T00:00:00-04:00"))
        #expect(calendar.startOfDay(Fx.date("2026-11-01")) == Fx.instant("2026-11-01T00:00:00-04:00"))
        #expect(calendar.startOfDay(Fx.date("2026-11-02")) == Fx.instant("2026-11-02T00:00:00-05:00"))
        // The transition days are 23 and 25 hours long.
        #expect(calendar.startOfDay(Fx.date("2026-03-09")) - calendar.startOfDay(Fx.date("2026-03-08")) == 23 * 3_600_000)
        #expect(calendar.startOfDay(Fx.date("2026-11-02")) - calendar.startOfDay(Fx.date("2026-11-01")) == 25 * 3_600_000)
    }

    @Test(arguments: ["Asia/Shanghai", "America/New_York", "Europe/Berlin", "UTC", "Asia/Kolkata", "Australia/Lord_Howe",
                      "Pacific/Auckland"])
    func startOfDayIsTheFirstInstantOfTheLocalDate(_ zone: String) throws {
        let calendar = try Fx.calendar(zone: zone)
        var date = Fx.date("2026-01-01")
        var failures: [String] = []
        while date <= Fx.date("2026-12-31") {
            let start = calendar.startOfDay(date)
            if calendar.localDate(unixMilliseconds: start) != date || calendar.localDate(unixMilliseconds: start - 1) != date.adding(days: -1) {
                failures.append(date.description)
            }
            date = date.adding(days: 1)
        }
        #expect(failures.isEmpty)
    }

    /// Where daylight saving starts at midnight, the day begins at 01:00.
    @Test(arguments: [("America/Havana", "2026-03-08"), ("America/Santiago", "2026-09-06")])
    func startOfDayWhereMidnightDoesNotExist(_ zone: String, _ day: String) throws {
        let calendar = try Fx.calendar(zone: zone)
        let date = Fx.date(day)
        let start = calendar.startOfDay(date)
        #expect(calendar.localDate(unixMilliseconds: start) == date)
        #expect(calendar.localDate(unixMilliseconds: start - 1) == date.adding(days: -1))
    }

    @Test func weekdayRuleWithoutExceptions() throws {
        let calendar = try Fx.calendar()
        #expect(try calendar.kind(of: Fx.date("2026-11-23")) == .workingDay)  // Monday
        #expect(try calendar.kind(of: Fx.date("2026-11-27")) == .workingDay)  // Friday
        #expect(try calendar.kind(of: Fx.date("2026-11-28")) == .restDay)
        #expect(try calendar.kind(of: Fx.date("2026-11-29")) == .restDay)
        #expect(try !calendar.isWorkingDay(Fx.date("2026-11-29")))
    }

    @Test func importedExceptionsDefeatTheWeekdayRule() throws {
        let calendar = try Fx.calendar(["2026-10-01": .holiday, "2026-10-10": .makeupWorkingDay, "2026-10-12": .restDay])
        #expect(try calendar.kind(of: Fx.date("2026-10-01")) == .holiday)  // a Thursday
        #expect(try !calendar.isWorkingDay(Fx.date("2026-10-01")))
        #expect(try calendar.kind(of: Fx.date("2026-10-10")) == .makeupWorkingDay)  // a Saturday
        #expect(try calendar.isWorkingDay(Fx.date("2026-10-10")))
        #expect(try !calendar.isWorkingDay(Fx.date("2026-10-12")))  // a Monday
        #expect(try calendar.isWorkingDay(Fx.date("2026-10-02")))  // the unlisted Friday keeps the rule
    }

    @Test func datesOutsideImportedYearsAreErrors() throws {
        let calendar = try Fx.calendar(years: [2026])
        #expect(throws: CenterCalendar.Problem.yearNotImported(2027)) { try calendar.kind(of: Fx.date("2027-01-01")) }
        #expect(throws: CenterCalendar.Problem.yearNotImported(2025)) { try calendar.isWorkingDay(Fx.date("2025-12-31")) }
        // Walking back from the first days of an imported year into one that is not.
        let january = try Fx.calendar(["2027-01-01": .holiday], years: [2027])
        #expect(throws: CenterCalendar.Problem.yearNotImported(2026)) {
            try january.lastWorkingDay(onOrBefore: Fx.date("2027-01-03"))
        }
    }

    @Test func unknownTimeZoneIsRejected() {
        #expect(throws: CenterCalendar.Problem.unknownTimeZone("Mars/Olympus_Mons")) {
            try CenterCalendar(timeZoneIdentifier: "Mars/Olympus_Mons", years: [2026], exceptions: [:])
        }
        #expect(!CenterCalendar.isKnownTimeZone("Mars/Olympus_Mons"))
        #expect(CenterCalendar.isKnownTimeZone("Asia/Shanghai"))
    }

    @Test func workingDayCountsAMakeupSaturday() throws {
        let plain = try Fx.calendar()
        #expect(try plain.workingDay(1, after: Fx.date("2026-10-09")) == Fx.date("2026-10-12"))  // Friday → Monday
        let makeup = try Fx.calendar(["2026-10-10": .makeupWorkingDay])
        #expect(try makeup.workingDay(1, after: Fx.date("2026-10-09")) == Fx.date("2026-10-10"))
        #expect(try makeup.workingDay(2, after: Fx.date("2026-10-09")) == Fx.date("2026-10-12"))
        #expect(try makeup.workingDay(0, after: Fx.date("2026-10-11")) == Fx.date("2026-10-11"))
    }

    @Test func lastWorkingDayOnOrBefore() throws {
        let calendar = try Fx.calendar(["2026-11-04": .holiday, "2026-11-03": .holiday])
        #expect(try calendar.lastWorkingDay(onOrBefore: Fx.date("2026-11-02")) == Fx.date("2026-11-02"))
        #expect(try calendar.lastWorkingDay(onOrBefore: Fx.date("2026-11-04")) == Fx.date("2026-11-02"))
        #expect(try calendar.lastWorkingDay(onOrBefore: Fx.date("2026-11-01")) == Fx.date("2026-10-30"))  // Sunday → Friday
    }
}

@Suite struct DueDatesTests {
    @Test func problemSummaryNormallyDueOnTheFourth() throws {
        let calendar = try Fx.calendar()
        #expect(try DueDates.problemSummaryDue(closedMonth: Fx.month("2026-10"), calendar: calendar) == Fx.date("2026-11-04"))
    }

    @Test func aFourthOnAHolidayMovesEarlier() throws {
        let calendar = try Fx.calendar(["2026-11-04": .holiday])
        #expect(try DueDates.problemSummaryDue(closedMonth: Fx.month("2026-10"), calendar: calendar) == Fx.date("2026-11-03"))
    }

    @Test func aFourthOnASundayFallsToTheMakeupSaturdayBeforeIt() throws {
        // 2026-10-04 is a Sunday.
        let plain = try Fx.calendar()
        #expect(try DueDates.problemSummaryDue(closedMonth: Fx.month("2026-09"), calendar: plain) == Fx.date("2026-10-02"))
        let makeup = try Fx.calendar(["2026-10-03": .makeupWorkingDay])
        #expect(try DueDates.problemSummaryDue(closedMonth: Fx.month("2026-09"), calendar: makeup) == Fx.date("2026-10-03"))
    }

    @Test func decemberCloseNeedsNextYearAndCanStepBackAcrossNewYear() throws {
        let calendar = try Fx.calendar(years: [2026])
        #expect(throws: CenterCalendar.Problem.yearNotImported(2027)) {
            try DueDates.problemSummaryDue(closedMonth: Fx.month("2026-12"), calendar: calendar)
        }
        let both = try Fx.calendar(["2027-01-01": .holiday], years: [2026, 2027])
        #expect(try DueDates.problemSummaryDue(closedMonth: Fx.month("2026-12"), calendar: both) == Fx.date("2027-01-04"))
    }

    /// National Day: 10-01…10-07 are holidays, so no day from the 1st to the 4th is worked.
    /// "The last working day on or before the 4th" is then 09-30, a day of the closed month
    /// itself: the month can only be closed once it has ended, so the summary would be late
    /// before the tiers it is about even exist. The due date must not precede the month the
    /// tiers apply to.
    @Test func nationalDayMustNotPushTheDueDateIntoTheClosedMonth() throws {
        var holidays: [String: DayKind] = [:]
        for day in 1...7 { holidays["2026-10-0\(day)"] = .holiday }
        holidays["2026-09-20"] = .makeupWorkingDay
        holidays["2026-10-10"] = .makeupWorkingDay
        let calendar = try Fx.calendar(holidays)
        let closed = Fx.month("2026-09")
        let due = try DueDates.problemSummaryDue(closedMonth: closed, calendar: calendar)
        #expect(try calendar.isWorkingDay(due))
        #expect(due >= closed.next.firstDay)
        #expect(MonthClose.hasEnded(closed, today: due))
        #expect(due == Fx.date("2026-10-08"))  // the first working day after the holidays
    }

    @Test func watchListSummaryDueOnTheSecondWorkingDayAfterTheWeek() throws {
        let calendar = try Fx.calendar()
        let week = try #require(ISOWeek("2026-W47"))  // 11-16 … 11-22
        #expect(try DueDates.watchListSummaryDue(week: week, calendar: calendar) == Fx.date("2026-11-24"))  // Tuesday
    }

    @Test func watchListSummaryWithTheMondayAHoliday() throws {
        let calendar = try Fx.calendar(["2026-11-23": .holiday])
        let week = try #require(ISOWeek("2026-W47"))
        #expect(try DueDates.watchListSummaryDue(week: week, calendar: calendar) == Fx.date("2026-11-25"))  // Wednesday
    }

    @Test func watchListSummaryCountsAMakeupSaturdayAfterAHolidayWeek() throws {
        // The week after W40 has Monday to Thursday off; Friday and the make-up Saturday are worked.
        let calendar = try Fx.calendar([
            "2026-10-05": .holiday, "2026-10-06": .holiday, "2026-10-07": .holiday, "2026-10-08": .holiday,
            "2026-10-10": .makeupWorkingDay,
        ])
        let week = try #require(ISOWeek("2026-W40"))  // 09-28 … 10-04
        #expect(try DueDates.watchListSummaryDue(week: week, calendar: calendar) == Fx.date("2026-10-10"))
    }

    @Test func aMakeupSundayOfTheWeekItselfDoesNotCount() throws {
        let calendar = try Fx.calendar(["2026-11-22": .makeupWorkingDay])
        let week = try #require(ISOWeek("2026-W47"))
        #expect(try DueDates.watchListSummaryDue(week: week, calendar: calendar) == Fx.date("2026-11-24"))
    }
}
