import Foundation
import TestSupport
import Testing

/// `trainctl schedule` as a training manager uses it, against the real `training-scheduling`
/// executable: the catalogue, trainers with availability, rooms and courseware approvals
/// imported from CSV files; a draft refused for a double-booked trainer; a fixed draft
/// published; every answer also read as `--json`.
@Suite("trainctl schedule against the real training-scheduling", .serialized)
struct TrainCtlScheduleTests {
    struct Run: CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let stdout: String
        let stderr: String

        var description: String { "trainctl \(arguments.joined(separator: " ")) exited \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }

        /// Standard output as a JSON object (Foundation's reading, not trainctl's).
        func object(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            let value = try? JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(value as? [String: Any], "not a JSON object: \(self)", sourceLocation: sourceLocation)
        }
    }

    /// Runs the built trainctl in `directory` against `socket`, outputs captured in files.
    static func trainctl(_ arguments: [String], in directory: TemporaryDirectory, socket: String) throws -> Run {
        try trainctl(arguments + ["--scheduling-socket", socket], in: directory)
    }

    /// Runs the built trainctl in `directory` with exactly these arguments.
    static func trainctl(_ arguments: [String], in directory: TemporaryDirectory) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ServiceProcess.executable("trainctl"))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path, isDirectory: true)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "TRAINING_SCHEDULING_SOCKET")
        process.environment = environment
        let token = UUID().uuidString.prefix(8)
        let outPath = directory.file(".out-\(token)"), errPath = directory.file(".err-\(token)")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Run(arguments: arguments, status: process.terminationStatus,
                   stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    static func write(_ directory: TemporaryDirectory, _ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory.file(name)))
    }

    static let courses = """
        course_id,title,kind,category,method,duration_minutes,purpose,topics,preparation,criterion_ids,metric_ids,departments,sites,for_managers
        C-PHRASING,标准话术,service_quality_improvement,mandatory,classroom,120,"Say it right, the first time",greeting;closing,Listen to two calls,standard_phrasing,csat,Voice,,false
        C-ONLINE,Online refresher,skill_improvement,elective,online,60,,,,,,,,
        C-BAD,Kind misspelt,new-business,mandatory,classroom,60,,,,,,,,

        """

    static let trainers = """
        trainer_id,name,biography,qualified_course_ids
        T1,Li Na,"Ten years on the phones, five training",C-PHRASING;C-ONLINE
        T2,Wang Wei,,C-ONLINE

        """

    /// T1 works on 1 and 2 December only.
    static let availability = """
        trainer_id,start,end
        T1,2026-12-01T09:00,2026-12-01T18:00
        T2,2026-12-01T08:00,2026-12-03T20:00
        T1,2026-12-02T09:00,2026-12-02T18:00

        """

    static let rooms = """
        room_id,site,capacity,directions
        R1,Chengdu,12,"Tower B, 3rd floor"
        R2,Chengdu,20,

        """

    static let courseware = """
        course_id,version,approved_by
        C-PHRASING,v1,manager-zhang
        C-ONLINE,2026.1,manager-zhang
        C-NONE,v1,manager-zhang

        """

    /// S1 and S2 overlap with the same trainer; S4 is on a day T1 does not work.
    static let conflicting = """
        session_id,course_id,trainer_id,room_id,start,end,capacity
        S1,C-PHRASING,T1,R1,2026-12-01T09:00,2026-12-01T11:00,10
        S2,C-PHRASING,T1,R2,2026-12-01T10:00,2026-12-01T12:00,10
        S3,C-ONLINE,T2,,2026-12-02T14:00,2026-12-02T15:00,30
        S4,C-PHRASING,T1,R1,2026-12-03T09:00,2026-12-03T11:00,12

        """

    static let fixed = """
        session_id,course_id,trainer_id,room_id,start,end,capacity
        S1,C-PHRASING,T1,R1,2026-12-01T09:00,2026-12-01T11:00,10
        S2,C-PHRASING,T1,R2,2026-12-01T13:00,2026-12-01T15:00,10
        S3,C-ONLINE,T2,,2026-12-02T14:00,2026-12-02T15:00,30
        S4,C-PHRASING,T1,R1,2026-12-02T09:00,2026-12-02T11:00,12

        """

    @Test func importDraftRefuseAndPublishAMonthlyPlan() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let service = try ServiceProcess("training-scheduling", in: directory, arguments: ["--clock-start", "2026-11-10T10:00:00+08:00"])
        try await service.waitUntilServing()
        func trainctl(_ arguments: String...) throws -> Run {
            try Self.trainctl(arguments, in: directory, socket: service.socketPath)
        }
        for (name, text) in [("courses.csv", Self.courses), ("trainers.csv", Self.trainers), ("availability.csv", Self.availability),
                             ("rooms.csv", Self.rooms), ("courseware.csv", Self.courseware), ("conflicting.csv", Self.conflicting),
                             ("fixed.csv", Self.fixed)] {
            try Self.write(directory, name, text)
        }

        // Courses: the misspelt kind never leaves trainctl; its line goes to the rejects file.
        let courses = try trainctl("schedule", "import", "courses", "courses.csv", "--json")
        #expect(courses.status == 0, "\(courses)")
        let coursesSummary = try courses.object()
        #expect(coursesSummary["command"] as? String == "import-courses")
        #expect(coursesSummary["records"] as? Int == 3 && coursesSummary["accepted"] as? Int == 2)
        #expect(coursesSummary["rejected"] as? Int == 1 && coursesSummary["rejected_locally"] as? Int == 1)
        #expect(coursesSummary["complete"] as? Bool == true && coursesSummary["error"] is NSNull)
        #expect(coursesSummary["rejects_file"] as? String == "courses.csv.rejects.jsonl")
        let rejects = try String(contentsOfFile: directory.file("courses.csv.rejects.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(rejects.count == 1)
        #expect(rejects.first??["course_id"] as? String == "C-BAD" && rejects.first??["_line"] as? Int == 4)
        let rejectErrors = rejects.first??["_errors"] as? [[String: Any]] ?? []
        #expect(rejectErrors.map { $0["field"] as? String } == ["kind"])
        #expect((rejectErrors.first?["reason"] as? String)?.hasPrefix("must be one of new_business, new_campaign") == true)
        // --strict: the same import (nothing stored twice) exits 2 for the rejected line.
        let strict = try trainctl("schedule", "import", "courses", "courses.csv", "--strict")
        #expect(strict.status == 2, "\(strict)")
        #expect(strict.stdout.contains("rejected   1 (1 by trainctl, 0 by the service)"), "\(strict)")

        // Trainers with their availability from the second file.
        let trainers = try trainctl("schedule", "import", "trainers", "trainers.csv", "--availability", "availability.csv", "--json")
        #expect(trainers.status == 0, "\(trainers)")
        let trainersSummary = try trainers.object()
        #expect(trainersSummary["accepted"] as? Int == 2 && trainersSummary["rejected"] as? Int == 0)
        let rooms = try trainctl("schedule", "import", "rooms", "rooms.csv", "--json")
        #expect(rooms.status == 0, "\(rooms)")
        #expect(try rooms.object()["accepted"] as? Int == 2)
        // The same rooms again: the idempotent batch gets its first answer back.
        #expect(try trainctl("schedule", "import", "rooms", "rooms.csv", "--json").object()["accepted"] as? Int == 2)

        // Courseware: one call per line; an unknown course is rejected by the service, the rest approved.
        let approvals = try trainctl("schedule", "import", "courseware", "courseware.csv", "--json")
        #expect(approvals.status == 0, "\(approvals)")
        let approvalSummary = try approvals.object()
        #expect(approvalSummary["approved"] as? Int == 2 && approvalSummary["rejected_by_service"] as? Int == 1)
        let results = approvalSummary["results"] as? [[String: Any]] ?? []
        #expect(results.map { $0["outcome"] as? String } == ["approved", "approved", "rejected"])
        #expect(results.map { $0["line"] as? Int } == [2, 3, 4])
        #expect(results.first?["approved_by"] as? String == "manager-zhang" && results.first?["approved_at"] is String)
        let notFound = (results.last?["errors"] as? [[String: Any]])?.first?["reason"] as? String ?? ""
        #expect(notFound.contains("NOT_FOUND"), "\(approvals)")
        let again = try trainctl("schedule", "import", "courseware", "courseware.csv", "--strict")
        #expect(again.status == 2, "\(again)")
        #expect(again.stdout.contains("0 approved, 2 already approved, 1 rejected"), "\(again)")

        // A draft with a line that cannot be read: nothing is sent, the line and column are named.
        try Self.write(directory, "broken.csv", Self.conflicting.replacingOccurrences(of: "2026-12-01T10:00", with: "2026-12-01 10:00"))
        let broken = try trainctl("schedule", "draft", "2026-12", "broken.csv")
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("broken.csv line 3: start: must be a local time YYYY-MM-DDTHH:MM"), "\(broken)")
        let noPlan = try trainctl("schedule", "plan", "2026-12")
        #expect(noPlan.status == 1 && noPlan.stderr.contains("NOT_FOUND"), "\(noPlan)")
        // A field the service refuses (a start outside the month) is named by the file's line too.
        try Self.write(directory, "november.csv", Self.conflicting.replacingOccurrences(of: "2026-12-03T09:00", with: "2026-11-30T09:00"))
        let november = try trainctl("schedule", "draft", "2026-12", "november.csv")
        #expect(november.status == 1)
        #expect(november.stderr.contains("november.csv line 5: start: "), "\(november)")

        // The conflicting draft: stored, then refused on publishing with every violation.
        let drafted = try trainctl("schedule", "draft", "2026-12", "conflicting.csv", "--json")
        #expect(drafted.status == 0, "\(drafted)")
        #expect(try drafted.object()["sessions"] as? Int == 4)
        let draftPlan = try trainctl("schedule", "plan", "2026-12", "--json").object()
        #expect(draftPlan["state"] as? String == "draft" && draftPlan["published_at"] is NSNull)
        #expect((draftPlan["sessions"] as? [[String: Any]])?.map { $0["session_id"] as? String } == ["S1", "S2", "S3", "S4"])

        let refused = try trainctl("schedule", "publish", "2026-12")
        #expect(refused.status == 2, "\(refused)")
        let doubleBooked = refused.stdout.split(separator: "\n").first { $0.contains("trainer_double_booked") } ?? ""
        #expect(doubleBooked.contains("S1") && doubleBooked.contains("S2"), "\(refused)")
        #expect(refused.stdout.contains("outside_trainer_availability"), "\(refused)")
        #expect(refused.stderr.contains("FAILED_PRECONDITION"), "\(refused)")
        let refusedJSON = try trainctl("schedule", "publish", "2026-12", "--json")
        #expect(refusedJSON.status == 2)
        let refusal = try refusedJSON.object()
        #expect(refusal["published"] as? Bool == false)
        let violations = (refusal["violations"] as? [[String: Any]] ?? []).map { violation in
            "\((violation["sessions"] as? [String] ?? []).joined(separator: "+")) \(violation["kind"] as? String ?? "-")"
        }
        #expect(violations.contains("S1+S2 trainer_double_booked"), "\(violations)")
        #expect(violations.contains("S4 outside_trainer_availability"), "\(violations)")
        #expect(!violations.contains { $0.hasPrefix("S3 ") }, "\(violations)")

        // Fixed: S2 in the afternoon, S4 on a day T1 works. Published and frozen.
        #expect(try trainctl("schedule", "draft", "2026-12", "fixed.csv").status == 0)
        let published = try trainctl("schedule", "publish", "2026-12", "--json")
        #expect(published.status == 0, "\(published)")
        let publication = try published.object()
        #expect(publication["published"] as? Bool == true && publication["sessions"] as? Int == 4)
        #expect((publication["published_at"] as? String)?.hasPrefix("2026-11-10T02:00") == true, "\(published)")
        #expect((publication["violations"] as? [Any])?.isEmpty == true)

        let plan = try trainctl("schedule", "plan", "2026-12", "--json").object()
        #expect(plan["state"] as? String == "published" && plan["published_at"] is String)
        let sessions = plan["sessions"] as? [[String: Any]] ?? []
        #expect(sessions.map { $0["session_id"] as? String } == ["S1", "S2", "S4", "S3"])  // by start
        #expect(sessions.last?["room_id"] is NSNull && sessions.last?["capacity"] as? Int == 30)
        // --csv is the draft file's format: the fixed file again, by start.
        let csv = try trainctl("schedule", "plan", "2026-12", "--csv")
        let fixedLines = Self.fixed.split(separator: "\n").map(String.init)
        #expect(csv.stdout.split(separator: "\n").map(String.init) == [fixedLines[0], fixedLines[1], fixedLines[2], fixedLines[4], fixedLines[3]])
        let table = try trainctl("schedule", "plan", "2026-12")
        #expect(table.stdout.contains("Plan of 2026-12: published") && table.stdout.contains("2026-12-01 13:00–15:00"), "\(table)")
        // Frozen: a new draft is refused.
        let redraft = try trainctl("schedule", "draft", "2026-12", "conflicting.csv")
        #expect(redraft.status == 1 && redraft.stderr.contains("FAILED_PRECONDITION"), "\(redraft)")

        #expect(try await service.stop() == 0)
    }

    @Test func withoutTheServiceACommandSaysWhereItLookedAndExitsOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try Self.trainctl(["schedule", "plan", "2026-12"], in: directory, socket: directory.file("none.sock"))
        #expect(run.status == 1)
        #expect(run.stderr.contains("cannot connect to training-scheduling at \(directory.file("none.sock"))"), "\(run)")
        #expect(run.stderr.contains("--scheduling-socket or TRAINING_SCHEDULING_SOCKET"), "\(run)")
        let usage = try Self.trainctl(["schedule", "move", "2026-12", "S1", "2026-12-01T10:00", "2026-12-01 11:00"], in: directory,
                                      socket: directory.file("none.sock"))
        #expect(usage.status == 64 && usage.stderr.contains("END must be a local time"), "\(usage)")
    }
}
