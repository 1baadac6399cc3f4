import CalendarDates
import Foundation
import TestSupport
import Testing

@testable import TrainCtl

/// A real scoring-intake on a temporary socket, its clock on 2026-11-10 in Shanghai, and a
/// demo center generated into the same directory.
struct RunningIntake {
    let directory: TemporaryDirectory
    let process: ServiceProcess

    /// `trainctl ARGUMENTS --intake-socket SOCKET`, run in the directory.
    func trainctl(_ arguments: [String]) async throws -> TrainCtlRun {
        try await runTrainCtl(arguments + ["--intake-socket", process.socketPath], in: directory.path)
    }

    func file(_ name: String) -> String { directory.file(name) }

    static func with(demoMonths: Int, seed: Int, _ body: (RunningIntake) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let process = try ServiceProcess("scoring-intake", in: directory, arguments: ["--clock-start", "2026-11-10T10:00:00+08:00"])
        let intake = RunningIntake(directory: directory, process: process)
        do {
            let generated = try await runTrainCtl(
                ["demo", "generate", "--seed", "\(seed)", "--months", "\(demoMonths)", "--end-month", "2026-10", "--out", "demo"],
                in: directory.path)
            try #require(generated.status == 0, "\(generated)")
            try await process.waitUntilServing()
            try await body(intake)
        } catch {
            _ = try? await process.stop()
            directory.remove()
            throw error
        }
        #expect(try await process.stop() == 0)
        directory.remove()
    }

    /// Calendar, scorecard, metrics and roster of the demo, each checked.
    func importReferenceData() async throws {
        let calendar = try await trainctl(["intake", "import-calendar", "demo/calendar-2026.json", "--json"])
        try #require(calendar.status == 0, "\(calendar)")
        let years = try #require(try foundationObject(calendar.stdout)["years"] as? [[String: Any]])
        #expect(years.count == 1 && years.first?["year"] as? Int == 2026 && years.first?["time_zone"] as? String == "Asia/Shanghai")
        #expect((years.first?["working_days"] as? Int).map { (240...260).contains($0) } == true)

        let scorecard = try await trainctl(["intake", "import-scorecard", "demo/scorecard.json", "--json"])
        try #require(scorecard.status == 0, "\(scorecard)")
        let stored = try foundationObject(scorecard.stdout)
        #expect(stored["scorecard_id"] as? String == "qa-standard" && stored["criteria"] as? Int == 6 && stored["created"] as? Bool == true)

        let metrics = try await trainctl(["intake", "import-metrics", "demo/metrics.json", "--json", "--strict"])
        try #require(metrics.status == 0, "\(metrics)")
        #expect(try foundationObject(metrics.stdout)["accepted"] as? Int == 4)

        let rosterRows = try readLines(file("demo/roster.csv")).count - 1
        let agents = Set(try readLines(file("demo/roster.csv")).dropFirst().map { $0.prefix { $0 != "," } }).count
        let roster = try await trainctl(["intake", "import-roster", "demo/roster.csv", "--json", "--strict"])
        try #require(roster.status == 0, "\(roster)")
        let summary = try decode(ImportSummary.self, from: roster.stdout)
        #expect(summary.records == rosterRows && summary.complete && summary.rejected == 0)
        // One version per agent is new; every later row of an agent's history replaces it.
        #expect(summary.accepted == agents && summary.replaced == rosterRows - agents)
    }
}

/// The parts of a demo evaluation line that tiers are computed from, read with Foundation.
struct DemoLine {
    let id: String
    let revision: Int
    let agent: String
    let localMonth: String
    let total: Double

    static func read(_ path: String) throws -> [DemoLine] {
        try readLines(path).map { line in
            let object = try foundationObject(line)
            let started = try #require(object["call_started_at"] as? String)
            #expect(started.hasSuffix("+08:00"))
            return DemoLine(
                id: try #require(object["evaluation_id"] as? String), revision: try #require(object["revision"] as? Int),
                agent: try #require(object["agent_id"] as? String), localMonth: String(started.prefix(7)),
                total: try #require(object["total_score"] as? Double))
        }
    }
}

/// What `tiers --json` prints.
struct TiersDocument: Decodable {
    struct Assignment: Decodable {
        let agent_id: String
        let tier: String
        let average: Double
        let count: Int
    }

    let month: String
    let applies_to_month: String
    let revision: Int
    let policy_version: Int
    let assignments: [Assignment]
}

/// Replaces the value of `"key":` in a compact JSON line (up to the next comma).
func replacingValue(of key: String, in line: String, with value: String) throws -> String {
    let marker = "\"\(key)\":"
    let start = try #require(line.range(of: marker))
    let end = try #require(line[start.upperBound...].firstIndex(of: ","))
    return line.replacingCharacters(in: start.upperBound..<end, with: value)
}

@Suite("trainctl against the real scoring-intake", .serialized)
struct EndToEndTests {
    @Test func aDemoCenterImportsOnceClosesAndListsItsTiers() async throws {
        try await RunningIntake.with(demoMonths: 2, seed: 5) { intake in
            try await intake.importReferenceData()

            let lines = try DemoLine.read(intake.file("demo/evaluations.jsonl"))
            let corrections = lines.count(where: { $0.revision > 1 })
            #expect(corrections > 0)
            let first = try await intake.trainctl(["intake", "import-evaluations", "demo/evaluations.jsonl", "--json", "--strict"])
            try #require(first.status == 0, "\(first)")
            let imported = try decode(ImportSummary.self, from: first.stdout)
            #expect(imported.command == "import-evaluations" && imported.complete && imported.error == nil)
            #expect(imported.records == lines.count && imported.batches == (lines.count + 999) / 1000)
            #expect(imported.accepted == lines.count - corrections && imported.replaced == corrections)
            #expect(imported.duplicate == 0 && imported.stale == 0 && imported.rejected == 0 && imported.rejects_file == nil)
            #expect(!FileManager.default.fileExists(atPath: intake.file("demo/evaluations.jsonl.rejects.jsonl")))

            // The same import again: every batch's first answer comes back, nothing is stored twice.
            let again = try await intake.trainctl(["intake", "import-evaluations", "demo/evaluations.jsonl", "--json"])
            #expect(again.status == 0, "\(again)")
            #expect(try decode(ImportSummary.self, from: again.stdout) == imported)

            // Cut into other batches (other idempotency keys), the service itself sees every
            // record again: duplicates, and the first revisions of corrected ones are stale.
            let rebatched = try await intake.trainctl(["intake", "import-evaluations", "demo/evaluations.jsonl", "--json", "--batch-size", "1500"])
            #expect(rebatched.status == 0, "\(rebatched)")
            let resent = try decode(ImportSummary.self, from: rebatched.stdout)
            #expect(resent.accepted == 0 && resent.replaced == 0 && resent.rejected == 0)
            #expect(resent.duplicate == lines.count - corrections && resent.stale == corrections)

            let early = try await intake.trainctl(["intake", "close-month", "2026-11"])
            #expect(early.status == 1 && early.stderr.contains("FAILED_PRECONDITION"), "\(early)")

            let closed = try await intake.trainctl(["intake", "close-month", "2026-10", "--json"])
            try #require(closed.status == 0, "\(closed)")
            let closedObject = try foundationObject(closed.stdout)
            #expect(closedObject["month"] as? String == "2026-10" && closedObject["applies_to_month"] as? String == "2026-11")
            #expect(closedObject["revision"] as? Int == 1)

            let listed = try await intake.trainctl(["intake", "tiers", "2026-10", "--json"])
            try #require(listed.status == 0, "\(listed)")
            let tiers = try decode(TiersDocument.self, from: listed.stdout)
            #expect(tiers.month == "2026-10" && tiers.applies_to_month == "2026-11" && tiers.revision == 1 && tiers.policy_version >= 1)
            #expect(closedObject["assigned"] as? Int == tiers.assignments.count)

            // Every agent in service at the end of October, as the generator made them.
            let center = DemoCenter(seed: 5, endMonth: YearMonth(index: 2026 * 12 + 9)  /* 2026-10 */, monthCount: 2)
            #expect(tiers.assignments.count == center.inService(on: center.windowEnd))
            #expect(Set(tiers.assignments.map(\.agent_id)).count == tiers.assignments.count)

            // Counts and averages from the file itself: the highest revision of each evaluation,
            // in the month of its local call time; tiers from the documented thresholds.
            var counting: [String: DemoLine] = [:]
            for line in lines where (counting[line.id]?.revision ?? 0) < line.revision { counting[line.id] = line }
            let october = Dictionary(grouping: counting.values.filter { $0.localMonth == "2026-10" }, by: \.agent)
            var tierCounts: [String: Int] = [:]
            var problems: [String] = []
            for assignment in tiers.assignments {
                tierCounts[assignment.tier, default: 0] += 1
                let scores = october[assignment.agent_id] ?? []
                if assignment.count != scores.count { problems.append("\(assignment.agent_id): count \(assignment.count), file \(scores.count)") }
                let expectedTier: String
                if assignment.count < 4 {
                    expectedTier = "insufficient_data"
                } else {
                    let mean = scores.reduce(0) { $0 + $1.total } / Double(scores.count)
                    if abs(assignment.average - mean) > 0.05 + 1e-9 { problems.append("\(assignment.agent_id): average \(assignment.average), file \(mean)") }
                    expectedTier = assignment.average >= 95 ? "advanced" : assignment.average >= 86 ? "standard" : "coaching"
                }
                if assignment.tier != expectedTier {
                    problems.append("\(assignment.agent_id): \(assignment.tier) at \(assignment.average) over \(assignment.count)")
                }
            }
            #expect(problems.isEmpty, "\(problems.count) problems: \(problems.prefix(5))")
            #expect(Set(tierCounts.keys).isSubset(of: ["advanced", "standard", "coaching", "insufficient_data"]))
            #expect((tierCounts["standard"] ?? 0) > (tierCounts["coaching"] ?? 0) && (tierCounts["advanced"] ?? 0) > 0)

            let coaching = try await intake.trainctl(["intake", "tiers", "2026-10", "--tier", "coaching", "--json"])
            #expect(coaching.status == 0, "\(coaching)")
            let coachingOnly = try decode(TiersDocument.self, from: coaching.stdout)
            #expect(coachingOnly.assignments.count == tierCounts["coaching"] && coachingOnly.assignments.allSatisfy { $0.tier == "coaching" })
        }
    }

    @Test func brokenLinesGoToTheRejectsFileAndStrictExitsTwo() async throws {
        try await RunningIntake.with(demoMonths: 1, seed: 9) { intake in
            try await intake.importReferenceData()
            // Four scored calls of the demo, not yet imported; line 2 loses its UTC offset
            // (trainctl refuses it), line 4 gets a total that is not its items' weighted sum
            // (the service refuses it).
            var lines = Array(try readLines(intake.file("demo/evaluations.jsonl")).prefix(4))
            let originalStart = try #require(try foundationObject(lines[1])["call_started_at"] as? String)
            let originalTotal = try #require(try foundationObject(lines[3])["total_score"] as? Double)
            lines[1] = try replacingValue(of: "call_started_at", in: lines[1], with: "\"\(originalStart.dropLast(6))\"")
            lines[3] = try replacingValue(of: "total_score", in: lines[3], with: "12.34")
            try writeFile(intake.file("calls.jsonl"), lines.joined(separator: "\n") + "\n")

            let run = try await intake.trainctl(["intake", "import-evaluations", "calls.jsonl", "--json"])
            #expect(run.status == 0, "\(run)")
            let summary = try decode(ImportSummary.self, from: run.stdout)
            #expect(summary.records == 4 && summary.accepted == 2 && summary.rejected == 2)
            #expect(summary.rejected_locally == 1 && summary.rejected_by_service == 1)
            #expect(summary.rejects_file == "calls.jsonl.rejects.jsonl")

            let rejects = try readLines(intake.file("calls.jsonl.rejects.jsonl"))
            try #require(rejects.count == 2, "\(rejects)")
            let localReject = try foundationObject(rejects[0]), serviceReject = try foundationObject(rejects[1])
            #expect(localReject["_line"] as? Int == 2 && serviceReject["_line"] as? Int == 4)
            // The original record stays whole beside the annotations.
            #expect(localReject["evaluation_id"] as? String == (try foundationObject(lines[1])["evaluation_id"] as? String))
            #expect((serviceReject["items"] as? [Any])?.count == 6 && serviceReject["total_score"] as? Double == 12.34)
            let localErrors = try #require(localReject["_errors"] as? [[String: String]])
            #expect(localErrors.map { $0["field"] } == ["call_started_at"])
            #expect(localErrors.first?["reason"]?.contains("UTC offset") == true)
            let serviceErrors = try #require(serviceReject["_errors"] as? [[String: String]])
            #expect(serviceErrors.map { $0["field"] } == ["total_score"])
            #expect(serviceErrors.first?["reason"]?.contains("weighted sum") == true)

            let strict = try await intake.trainctl(["intake", "import-evaluations", "calls.jsonl", "--strict"])
            #expect(strict.status == 2, "\(strict)")
            #expect(strict.stdout.contains("calls.jsonl.rejects.jsonl"))

            // Fixed in the rejects file (annotations left in), the two go in.
            let fixed = [
                try replacingValue(of: "call_started_at", in: rejects[0], with: "\"\(originalStart)\""),
                try replacingValue(of: "total_score", in: rejects[1], with: JSONValue.format(originalTotal)),
            ]
            try writeFile(intake.file("calls.jsonl.rejects.jsonl"), fixed.joined(separator: "\n") + "\n")
            let resent = try await intake.trainctl(["intake", "import-evaluations", "calls.jsonl.rejects.jsonl", "--json", "--strict"])
            #expect(resent.status == 0, "\(resent)")
            let resentSummary = try decode(ImportSummary.self, from: resent.stdout)
            #expect(resentSummary.accepted == 2 && resentSummary.rejected == 0 && resentSummary.rejects_file == nil)

            // Another QA system's CSV (BOM, CRLF, its own column names): the service's
            // violations come back under the file's column names.
            let agent = try #require(try foundationObject(lines[0])["agent_id"] as? String)
            let csv = "\u{FEFF}id,agent,started,scored,total,channel\r\n"
                + "X-1,\(agent),2026-10-20T09:00:00+08:00,2026-10-20T11:00:00+08:00,88.5,voice\r\n"
                + "X-2,NOBODY,2026-10-20T09:00:00+08:00,2026-10-20T11:00:00+08:00,90,\"voice\"\r\n"
                + "X-3,\(agent),2026-10-21T12:00:00+08:00,2026-10-21T11:00:00+08:00,90,chat\r\n"
            try writeFile(intake.file("other.csv"), csv)
            let map = ["--map", "id=evaluation_id", "--map", "agent=agent_id", "--map", "started=call_started_at",
                       "--map", "scored=scored_at", "--map", "total=total_score"]
            let mapped = try await intake.trainctl(["intake", "import-evaluations", "other.csv", "--json", "--strict"] + map)
            #expect(mapped.status == 2, "\(mapped)")
            let mappedSummary = try decode(ImportSummary.self, from: mapped.stdout)
            #expect(mappedSummary.accepted == 1 && mappedSummary.rejected_by_service == 2 && mappedSummary.rejected_locally == 0)
            let csvRejects = try readLines(intake.file("other.csv.rejects.jsonl")).map { try foundationObject($0) }
            try #require(csvRejects.count == 2)
            #expect(csvRejects.map { $0["_line"] as? Int } == [3, 4])
            #expect(csvRejects[0]["agent"] as? String == "NOBODY" && csvRejects[0]["id"] as? String == "X-2")
            #expect((csvRejects[0]["_raw"] as? String)?.hasPrefix("X-2,NOBODY,") == true)
            let fields = csvRejects.map { ($0["_errors"] as? [[String: String]] ?? []).compactMap { $0["field"] } }
            #expect(fields == [["agent"], ["started"]])
        }
    }

    @Test func withoutAServiceAnImportSaysSoAndExitsOne() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try writeFile(directory.file("one.jsonl"), documentedLine + "\n")
        let run = try await runTrainCtl(["intake", "import-evaluations", "one.jsonl", "--intake-socket", directory.file("none.sock")],
                                        in: directory.path)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("cannot connect to scoring-intake"))
        let missing = try await runTrainCtl(["intake", "import-evaluations", "nothing.jsonl", "--intake-socket", directory.file("none.sock")],
                                            in: directory.path)
        #expect(missing.status == 1 && missing.stderr.contains("no such file"), "\(missing)")
    }
}
