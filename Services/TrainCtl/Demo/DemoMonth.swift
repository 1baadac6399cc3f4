import CalendarDates

/// The plan month as the scheduling files see it: its days, which of them are working days
/// on the center's calendar (holidays and make-up working days included), and its local
/// date-times as the files spell them ("YYYY-MM-DDTHH:MM", no offset).
struct DemoMonth {
    let month: YearMonth
    /// Per day of the month (0 = the 1st).
    let dates: [LocalDate]
    let isWorkingDay: [Bool]
    /// The working days, in order.
    let workingDays: [Int]
    private let dateTexts: [String]

    init(_ month: YearMonth, calendar: ChinaCalendar.Lookup) {
        self.month = month
        dates = (0..<month.dayCount).map { month.firstDay.adding(days: $0) }
        let working = dates.map(calendar.isWorkingDay)
        isWorkingDay = working
        workingDays = working.indices.filter { working[$0] }
        dateTexts = dates.map(\.description)
    }

    /// "YYYY-MM-DDTHH:MM" of a minute of a day of the month.
    func dateTime(day: Int, minute: Int) -> String {
        dateTexts[day] + "T" + DemoMonth.clock(minute)
    }

    /// "HH:MM" of a minute of the day.
    static func clock(_ minute: Int) -> String {
        Digits.padded(minute / 60, 2) + ":" + Digits.padded(minute % 60, 2)
    }
}

/// A span of one day of the plan month, in minutes of that day: [start, end).
struct DemoDaySpan: Equatable {
    let day: Int
    let start: Int
    let end: Int
}
