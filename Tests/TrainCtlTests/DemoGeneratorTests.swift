import CalendarDates
import Foundation
import TestSupport
import Testing
import TrainingWire

@testable import TrainCtl

/// One year of the demo center, generated once for the suite (about 2 s in a debug build).
private let yearOfDemo: (center: DemoCenter, evaluations: [DemoEvaluation]) = {
    let center = DemoCenter(seed: 7, endMonth: YearMonth(index: 2026 * 12 + 9)  /* 2026-10 */, monthCount: 12)
    return (center, DemoScores(center: center).generate())
}()

private let shanghaiOffsetMs = Int64(8 * 3600 * 1000)

/// The center's local date and second of day of an instant.
private func shanghai(_ unixMilliseconds: Int64) -> (date: LocalDate, second: Int) {
    let local = Int((unixMilliseconds + shanghaiOffsetMs).floorDividing(by: 1000))
    let day = local.floorDividing(by: 86_400)
    return (LocalDate(dayNumber: day), local - day * 86_400)
}

@Suite("Demo generator")
struct DemoGeneratorTests {
    @Test func theSameSeedWritesTheSameBytesAndAnotherSeedDoesNot() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var outputs: [String: [String: Data]] = [:]
        for (name, seed) in [("a", 3), ("b", 3), ("c", 4)] {
            let run = try await runTrainCtl(
                ["demo", "generate", "--seed", "\(seed)", "--months", "2", "--end-month", "2026-10", "--out", name], in: directory.path)
            #expect(run.status == 0, "\(run)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.file(name))
            outputs[name] = try Dictionary(uniqueKeysWithValues: files.map { file in
                (file, try Data(contentsOf: URL(fileURLWithPath: directory.file("\(name)/\(file)"))))
            })
        }
        let expectedFiles: Set = ["calendar-2026.json", "scorecard.json", "metrics.json", "roster.csv", "evaluations.jsonl", "kpis.csv", "README.txt",
                                  "courses.csv", "courseware.csv", "trainers.csv", "trainer-availability.csv", "rooms.csv", "queues.csv",
                                  "shifts.csv", "forecasts.csv", "sessions-2026-11.csv"]
        #expect(Set(outputs["a"].map { Array($0.keys) } ?? []) == expectedFiles)
        #expect(outputs["a"] == outputs["b"])
        for file in ["roster.csv", "evaluations.jsonl", "kpis.csv"] {
            #expect(outputs["a"]?[file] != outputs["c"]?[file], "\(file) is the same for seeds 3 and 4")
            #expect((outputs["a"]?[file]?.count ?? 0) > 10_000)
        }
        // What does not depend on the seed stays the same.
        #expect(outputs["a"]?["scorecard.json"] == outputs["c"]?["scorecard.json"])
        #expect(outputs["a"]?["calendar-2026.json"] == outputs["c"]?["calendar-2026.json"])
    }

    @Test func theCommandRefusesAnImpossibleWindow() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for arguments in [["--months", "0"], ["--months", "37"], ["--end-month", "2026-13"]] {
            let run = try await runTrainCtl(["demo", "generate", "--out", "x"] + arguments, in: directory.path)
            #expect(run.status == 64, "\(run)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("x")))
    }

    @Test func aboutFiveHundredAgentsInTeamsOfTwelveToFifteenAtTheStart() {
        let center = yearOfDemo.center
        let start = center.windowStart
        #expect(start.description == "2025-11-01")
        #expect(center.inService(on: start) == 500)
        #expect(center.teams.count == 36 && Set(center.teams.map(\.site)).count == 3)
        var sizes = [Int](repeating: 0, count: center.teams.count)
        for agent in center.agents where agent.inServiceFrom <= start && (agent.leftOn.map { $0 > start } ?? true) {
            sizes[agent.team(on: start)] += 1
        }
        #expect(sizes.allSatisfy { (12...15).contains($0) }, "team sizes \(sizes)")
        // Every team belongs to its department and has one leader.
        #expect(Set(center.teams.map(\.leaderId)).count == center.teams.count)
        for agent in center.agents {
            #expect(agent.teams.allSatisfy { center.teams[$0.team].department == agent.department })
        }
    }

    @Test func teamsStartAtTwelveToFifteenAndStayWithinElevenToSeventeen() {
        let center = yearOfDemo.center
        var outside: [String] = []
        for month in center.months {
            let day = month.firstDay
            var sizes = [Int](repeating: 0, count: center.teams.count)
            for agent in center.agents where agent.inServiceFrom <= day && (agent.leftOn.map { $0 > day } ?? true) {
                sizes[agent.team(on: day)] += 1
            }
            let range = month == center.months.first ? 12...15 : 11...17
            if let low = sizes.min(), let high = sizes.max(), !range.contains(low) || !range.contains(high) {
                outside.append("\(month): \(low)–\(high)")
            }
        }
        #expect(outside.isEmpty, "\(outside)")
    }

    @Test func thirtyHiresAMonthOnboardingForTheirFirstMonth() {
        let center = yearOfDemo.center
        let hires = center.agents.filter { !$0.preexisting }
        for month in center.months {
            let cohort = hires.filter { $0.hireDate.yearMonth == month }
            #expect(cohort.count == 30, "\(month)")
            #expect(cohort.allSatisfy { $0.inServiceFrom == month.adding(months: 1).firstDay && center.calendar.isWorkingDay($0.hireDate) })
        }
        #expect(hires.count == 30 * 12)
        #expect(center.agents.filter(\.preexisting).allSatisfy { $0.hireDate < center.windowStart })
        #expect(Set(center.agents.map(\.id)).count == center.agents.count)
    }

    @Test func evaluationsPerAgentMonthFollowTheDocumentedRange() throws {
        let (center, evaluations) = yearOfDemo
        var counts: [Int: [YearMonth: Int]] = [:]
        for evaluation in evaluations where evaluation.revision == 1 {
            let month = shanghai(evaluation.callStartedAt).date.yearMonth
            counts[evaluation.agent, default: [:]][month, default: 0] += 1
        }
        var problems: [String] = []
        var fullMonths = 0, fewerThanFour = 0
        for (index, agent) in center.agents.enumerated() {
            for month in center.months {
                let count = counts[index]?[month] ?? 0
                if count > 20 { problems.append("\(agent.id) \(month): \(count) evaluations") }
                guard let active = agent.activeDays(from: month.firstDay, to: month.lastDay) else {
                    if count > 0 { problems.append("\(agent.id) \(month): \(count) evaluations while not in service") }
                    continue
                }
                if active.lowerBound == month.firstDay && active.upperBound == month.lastDay {
                    fullMonths += 1
                    if count == 0 { problems.append("\(agent.id) \(month): none in a full month") }
                    if count < 4 { fewerThanFour += 1 }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems: \(problems.prefix(5))")
        #expect(fullMonths > 5_000)
        // Only the agent-months mostly spent on leave (about one in fifty) fall below 4.
        #expect(Double(fewerThanFour) / Double(fullMonths) < 0.05, "\(fewerThanFour) of \(fullMonths)")
        #expect(fewerThanFour > 0)
    }

    @Test func everyEvaluationIsAWeightedSumOfSixItemsScoredDuringOpeningHours() throws {
        let (center, evaluations) = yearOfDemo
        var firstRevisions: [String: DemoEvaluation] = [:]
        var problems: [String] = []
        for evaluation in evaluations where evaluation.revision == 1 {
            if firstRevisions.updateValue(evaluation, forKey: evaluation.id) != nil { problems.append("\(evaluation.id) twice") }
        }
        for evaluation in evaluations {
            let name = "\(evaluation.id) revision \(evaluation.revision)"
            if evaluation.scores.count != 6 || !evaluation.scores.allSatisfy({ (0...10).contains($0) }) {
                problems.append("\(name): items \(evaluation.scores)")
            }
            let weighted = zip(DemoScorecard.criteria, evaluation.scores).reduce(0.0) { $0 + $1.0.weight * Double($1.1) }
            if abs(evaluation.total - weighted) > 0.005 || !(0...100).contains(evaluation.total) {
                problems.append("\(name): total \(evaluation.total), weighted sum \(weighted)")
            }
            let call = shanghai(evaluation.callStartedAt)
            if !(8 * 3600..<22 * 3600).contains(call.second) { problems.append("\(name): call at second \(call.second) of the day") }
            if call.date < center.windowStart || call.date > center.windowEnd { problems.append("\(name): call on \(call.date)") }
            if shanghai(evaluation.scoredAt).date > center.windowEnd { problems.append("\(name): scored after the window") }
            if evaluation.revision == 1 {
                let delay = evaluation.scoredAt - evaluation.callStartedAt
                if !(3_600_000...48 * 3_600_000).contains(delay) { problems.append("\(name): scored \(delay) ms after the call") }
            } else if let original = firstRevisions[evaluation.id] {
                if evaluation.revision != 2 || evaluation.callStartedAt != original.callStartedAt || evaluation.agent != original.agent
                    || evaluation.scoredAt <= original.scoredAt || evaluation.scores == original.scores {
                    problems.append("\(name): not a later correction of revision 1")
                }
            } else {
                problems.append("\(name): a correction without revision 1")
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems: \(problems.prefix(5))")
        let corrections = evaluations.count(where: { $0.revision == 2 })
        #expect(corrections > 0 && Double(corrections) < 0.02 * Double(evaluations.count))
        #expect(evaluations.count > 60_000)
    }

    /// The files as trainctl reads them back: every line valid, each total the weighted sum
    /// of its items per the generated scorecard, times in +08:00.
    @Test func theWrittenFilesReadBackWithoutErrors() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try await runTrainCtl(["demo", "generate", "--seed", "11", "--months", "1", "--end-month", "2026-10", "--out", "d"],
                                        in: directory.path)
        #expect(run.status == 0, "\(run)")
        let scorecard = try ScorecardFile.scorecard(from: InputFiles.readJSON(directory.file("d/scorecard.json")), path: "scorecard.json")
        #expect(scorecard.criteria.count == 6 && scorecard.totalIsWeightedSum)
        #expect(scorecard.criteria.reduce(0) { $0 + $1.weight * $1.maxScore } == 100)
        let criteria = Dictionary(uniqueKeysWithValues: scorecard.criteria.map { ($0.criterionId, $0) })

        let path = directory.file("d/evaluations.jsonl")
        let file = try EvaluationFile.parse(path: path, bytes: InputFiles.read(path), format: .jsonl, map: FieldMap())
        #expect(file.records.count > 4_000 && file.locallyRejected == 0)
        var problems: [String] = []
        for record in file.records {
            guard let evaluation = record.message else { continue }
            if evaluation.scorecardId != scorecard.scorecardId || evaluation.scorecardVersion != scorecard.version
                || Set(evaluation.items.map(\.criterionId)) != Set(criteria.keys) || evaluation.items.count != 6 {
                problems.append("line \(record.line): not the scorecard's six items")
            }
            var weighted = 0.0
            for item in evaluation.items {
                guard let criterion = criteria[item.criterionId], item.maxScore == criterion.maxScore, item.critical == criterion.critical else {
                    problems.append("line \(record.line): item \(item.criterionId) differs from the scorecard")
                    continue
                }
                weighted += criterion.weight * item.score
            }
            if abs(weighted - evaluation.totalScore) > 0.01 {
                problems.append("line \(record.line): total \(evaluation.totalScore), weighted sum \(weighted)")
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems: \(problems.prefix(5))")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let offsets = text.split(separator: "\n").compactMap { line -> Bool? in
            guard let start = line.range(of: "\"call_started_at\":\"") else { return nil }
            return line[start.upperBound...].prefix(25).hasSuffix("+08:00")
        }
        #expect(offsets.count == file.records.count && offsets.allSatisfy { $0 })

        let rosterPath = directory.file("d/roster.csv")
        let roster = try RosterCSV.parse(path: rosterPath, bytes: InputFiles.read(rosterPath), map: FieldMap(), effectiveDate: nil)
        #expect(roster.locallyRejected == 0 && roster.notes.isEmpty)
        #expect(Set(roster.records.compactMap { $0.message?.agentId }).count == 530)
        let kpiPath = directory.file("d/kpis.csv")
        let kpis = try KpiCSV.parse(path: kpiPath, bytes: InputFiles.read(kpiPath), map: FieldMap())
        #expect(kpis.records.count > 1_000 && kpis.locallyRejected == 0)
        let metrics = try MetricsFile.metrics(from: InputFiles.readJSON(directory.file("d/metrics.json")), path: "metrics.json")
        #expect(metrics.map(\.metricId) == ["aht_seconds", "csat", "fcr", "complaints"])
        let calendar = try CalendarFile.request(from: InputFiles.readJSON(directory.file("d/calendar-2026.json")), path: "calendar")
        #expect(calendar.year == 2026 && calendar.timeZone == "Asia/Shanghai")
        #expect(calendar.days.contains { $0.date == "2026-10-01" && $0.kind == .holiday })
        #expect(calendar.days.contains { $0.date == "2026-10-10" && $0.kind == .makeupWorkingDay })
    }
}
