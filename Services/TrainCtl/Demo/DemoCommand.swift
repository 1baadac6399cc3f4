import CalendarDates
import ArgumentParser
import Foundation

/// `trainctl demo …`: data to try the product with.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a realistic demo call center to import.",
        subcommands: [DemoGenerateCommand.self, DemoAttendanceCommand.self])
}

/// `trainctl demo generate --seed N --out DIR`
struct DemoGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a demo center's roster, scored calls, KPIs, scorecard, metrics, calendars and next month's training inputs.",
        discussion: """
            About 500 agents in 6 departments over the months ending at --end-month: 30 new hires \
            a month, nearly half gone within a year, 4-20 scored calls per agent and month, \
            weekly KPIs, a China calendar (Asia/Shanghai) with its holidays and make-up working \
            days. For the month after --end-month it also writes the training-scheduling inputs: \
            courses, courseware, trainers, rooms, queues, shifts, forecasts and a draft plan that \
            publishes without violations. The same seed writes the same files. README.txt in the \
            output lists the files and the commands that import them.
            """)

    @Option(name: .long, help: "Seed of the generator: the same seed writes the same files.")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Directory to write into (created if missing; files in it are replaced).")
    var out: String
    @Option(name: .long, help: "How many months of history (1-36).")
    var months = 12
    @Option(name: .customLong("end-month"), help: "The last month, YYYY-MM (default: the month before the current one in Asia/Shanghai).")
    var endMonth: String?

    func validate() throws {
        guard (1...36).contains(months) else { throw ValidationError("--months must be from 1 to 36") }
        if let endMonth { _ = try validatedMonth(endMonth, "--end-month") }
    }

    func run() async throws {
        let started = Date()
        let end = endMonth.flatMap { YearMonth(parsing: $0) } ?? Self.previousMonthInShanghai()
        let center = DemoCenter(seed: seed, endMonth: end, monthCount: months)
        let years = Set(center.months.map(\.year) + [DemoSchedulingFiles.planMonth(of: center).year])
        for year in years.sorted() where !ChinaCalendar.knownYears.contains(year) {
            StandardError.line("note: holidays are known for \(ChinaCalendar.knownYears.map(String.init).joined(separator: ", ")) only; "
                + "calendar-\(year).json follows the weekday rule")
        }
        let scores = DemoScores(center: center)
        let evaluations = scores.generate()
        let kpis = DemoKpis(center: center, scores: scores).generate()
        let scheduling = DemoSchedulingFiles(center: center)
        let command = "trainctl demo generate --seed \(seed) --months \(months) --end-month \(end) --out DIR"
        let written: [DemoFiles.Written]
        do {
            written = try DemoFiles(center: center, evaluations: evaluations, kpis: kpis, scheduling: scheduling, command: command)
                .write(to: URL(fileURLWithPath: out, isDirectory: true))
        } catch {
            StandardError.line("error: cannot write the demo into \(out): \(error)")
            throw ExitCode.failure
        }
        print("Demo center (seed \(seed)), \(center.months.first.map(\.description) ?? "") to \(end), written to \(out):")
        print(Table(header: ["FILE", "RECORDS", "WHAT"], rows: written.map { file in
            [file.name, file.records == 0 ? "" : Format.count(file.records), file.what]
        }).rendered)
        print("Generated in \(Format.fixed(Date().timeIntervalSince(started), 1)) s. See \(out)/README.txt for the import commands.")
    }

    /// Today's month on the center's clock (UTC+8), minus one.
    static func previousMonthInShanghai() -> YearMonth {
        let seconds = Int(Date().timeIntervalSince1970) + ChinaCalendar.utcOffsetSeconds
        return LocalDate(dayNumber: seconds.floorDividing(by: 86_400)).yearMonth.adding(months: -1)
    }
}
