import ArgumentParser
import Testing
import TrainingWire

@testable import TrainCtl

/// The attendance records of `trainctl schedule attendance` (arguments and CSV file) and
/// the stages and sessions of `trainctl schedule coaching`.
@Suite("Attendance and coaching arguments")
struct ScheduleWorkArgumentTests {
    @Test func recordsFromArguments() throws {
        let records = try AttendanceInput.parse(arguments: [
            "A1=present", "A2=late:the bus: line 7 was late", "A3=EXCUSED:doctor's appointment", "A4=attendance_absent", " A5 = absent : overslept",
        ])
        #expect(records == [
            AttendanceRecord(agentId: "A1", status: .attendancePresent),
            AttendanceRecord(agentId: "A2", status: .attendanceLate, reason: "the bus: line 7 was late"),
            AttendanceRecord(agentId: "A3", status: .attendanceExcused, reason: "doctor's appointment"),
            AttendanceRecord(agentId: "A4", status: .attendanceAbsent),
            AttendanceRecord(agentId: "A5", status: .attendanceAbsent, reason: "overslept"),
        ])
        #expect(AttendanceStatus.cliNames == ["present", "late", "absent", "excused"])
    }

    @Test func everyProblemOfTheArgumentsIsNamed() {
        #expect(throws: AttendanceInput.ArgumentError(problems: [
            "A1: expected AGENT=STATUS[:REASON], e.g. A10016=present or A10017=excused:sick leave (a CSV file is given alone)",
            "=present: names no agent",
            "A5=sick: status must be one of present, late, absent, excused (got \"sick\")",
            "A6=excused: an excused absence needs a reason",
            "A7=unspecified: status must be one of present, late, absent, excused (got \"unspecified\")",
            "A8=present:late again: A8 is already given (A8=absent): one record per agent",
        ])) {
            try AttendanceInput.parse(arguments: ["A1", "=present", "A5=sick", "A6=excused", "A7=unspecified", "A8=absent", "A8=present:late again"])
        }
        let long = String(repeating: "x", count: 501)
        #expect(throws: AttendanceInput.ArgumentError(problems: ["A1=late:\(long): the reason must be at most 500 characters"])) {
            try AttendanceInput.parse(arguments: ["A1=late:\(long)"])
        }
        let many = (1...1_001).map { "A\($0)=present" }
        #expect(throws: AttendanceInput.ArgumentError.self) { try AttendanceInput.parse(arguments: many) }
        #expect((try? AttendanceInput.parse(arguments: Array(many.prefix(1_000))))?.count == 1_000)
    }

    @Test func aSingleArgumentWithoutEqualsIsAFile() {
        #expect(AttendanceInput.isFile(["attendance.csv"]))
        #expect(!AttendanceInput.isFile(["A1=present"]))
        #expect(!AttendanceInput.isFile(["attendance.csv", "A1=present"]))
        #expect(!AttendanceInput.isFile([]))
    }

    @Test func recordsFromACSVFile() throws {
        let text = "\u{FEFF}status,agent_id,reason,room\n"
            + "present,A1,,R1\n"
            + "late,A2,\"stuck in the lift, 10 minutes\",R1\n"
            + "EXCUSED,A3,sick leave,R1\n"
            + "excused,A4,,R1\n"
            + "sick,A5,,R1\n"
            + "absent,A1,,R1\n"
            + "\n"
            + "absent,,,R1\n"
            + "absent,A6\n"
        let file = try AttendanceInput.parse(path: "attendance.csv", bytes: bytes(text))
        #expect(file.notes == ["ignoring column room"])
        #expect(file.records.map(\.line) == [2, 3, 4, 5, 6, 7, 9, 10])
        #expect(file.records.map(\.message) == [
            AttendanceRecord(agentId: "A1", status: .attendancePresent),
            AttendanceRecord(agentId: "A2", status: .attendanceLate, reason: "stuck in the lift, 10 minutes"),
            AttendanceRecord(agentId: "A3", status: .attendanceExcused, reason: "sick leave"),
            nil, nil, nil, nil, nil,
        ])
        #expect(file.records.map(\.errors) == [
            [], [], [],
            [FieldError(field: "reason", reason: "an excused absence needs a reason")],
            [FieldError(field: "status", reason: "must be one of present, late, absent, excused")],
            [FieldError(field: "agent_id", reason: "A1 is already on line 2: one record per agent")],
            [FieldError(field: "agent_id", reason: "is required")],
            [FieldError(field: "", reason: "has 2 fields; the header has 4")],
        ])
    }

    @Test func aFileWithoutTheStatusColumnIsRefusedWhole() {
        #expect(throws: InputFileError("attendance.csv: the header lacks column status (it has agent_id, reason)")) {
            try AttendanceInput.parse(path: "attendance.csv", bytes: bytes("agent_id,reason\nA1,\n"))
        }
    }

    @Test func coachingStagesAndSessions() throws {
        #expect(try CoachingArguments.stage(" Phrasing drills | 2026-12-01|2026-12-07 | 10 calls | checked against the list")
            == CoachingStage(title: "Phrasing drills", startDate: "2026-12-01", endDate: "2026-12-07", checks: "10 calls | checked against the list"))
        #expect(throws: ValidationError.self) { try CoachingArguments.stage("Drills|2026-12-01|2026-12-07") }
        #expect(throws: ValidationError.self) { try CoachingArguments.stage("Drills|2026-12-08|2026-12-07|calls") }
        #expect(throws: ValidationError.self) { try CoachingArguments.stage("Drills|1 Dec|2026-12-07|calls") }
        #expect(throws: ValidationError.self) { try CoachingArguments.stage("|2026-12-01|2026-12-07|calls") }
        #expect(throws: ValidationError.self) { try CoachingArguments.stage("Drills|2026-12-01|2026-12-07| ") }
        #expect(try CoachingArguments.session("2026-12-03T10:00/2026-12-03T11:00")
            == LocalTimeRange(start: "2026-12-03T10:00", end: "2026-12-03T11:00"))
        #expect(throws: ValidationError.self) { try CoachingArguments.session("2026-12-03T11:00/2026-12-03T10:00") }
        #expect(throws: ValidationError.self) { try CoachingArguments.session("2026-12-03T10:00") }
        #expect(throws: ValidationError.self) { try CoachingArguments.session("2026-12-03 10:00/2026-12-03 11:00") }
        #expect(CoachingPriority.cliNames == ["low", "normal", "high"])
        #expect(CoachingRequestState.cliNames == ["requested", "planned", "delivered", "closed", "cancelled"])
        #expect(NoticeKind.cliNames == ["placement", "team_leader_brief", "change", "cancellation", "goal_talk_reminder"])
        #expect(NoticeRecipientRole.cliNames == ["agent", "team_leader"] && ProblemSummaryState.cliNames == ["missing", "on_time", "late"])
    }
}
