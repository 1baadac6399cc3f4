import Foundation
import Testing
import TrainingWire

@testable import TrainCtl

/// The evaluation line of docs/scoring-intake.md, as a QA system would export it.
let documentedLine = #"""
{"evaluation_id": "E-1001", "revision": 1, "agent_id": "A0001", "call_id": "C-88", "evaluator_id": "QA-7", "call_started_at": "2026-10-31T23:30:00+08:00", "scored_at": "2026-11-01T10:00:00+08:00", "scorecard_id": "voice", "total_score": 91.5, "channel": "voice", "items": [{"criterion_id": "standard_phrasing", "name": "标准话术", "score": 15, "max_score": 16, "critical": false}]}
"""#

func parseEvaluations(_ text: String, format: InputFormat = .jsonl, map: [String] = []) throws(InputFileError) -> InputFile<Evaluation> {
    let fieldMap = try FieldMap(arguments: map, knownNames: EvaluationFile.mappableNames)
    return try EvaluationFile.parse(path: "in.\(format.rawValue)", bytes: bytes(text), format: format, map: fieldMap)
}

@Suite("Evaluation files")
struct EvaluationFileTests {
    @Test func theDocumentedLineBecomesTheEvaluation() throws {
        let file = try parseEvaluations(documentedLine + "\n")
        #expect(file.records.count == 1)
        let evaluation = try #require(file.records.first?.message)
        #expect(file.records[0].id == "E-1001" && file.records[0].line == 1 && file.records[0].errors.isEmpty)
        #expect(evaluation.evaluationId == "E-1001" && evaluation.revision == 1 && evaluation.agentId == "A0001")
        #expect(evaluation.callId == "C-88" && evaluation.evaluatorId == "QA-7")
        #expect(evaluation.callStartedAtUnixMs == 1_793_460_600_000)  // 2026-10-31T15:30:00Z
        #expect(evaluation.scoredAtUnixMs == 1_793_498_400_000)
        #expect(evaluation.scorecardId == "voice" && evaluation.scorecardVersion == 1)  // defaults to 1 with a scorecard
        #expect(evaluation.totalScore == 91.5 && evaluation.channel == .voice)
        #expect(evaluation.items == [ItemScore(criterionId: "standard_phrasing", name: "标准话术", score: 15, maxScore: 16, critical: false)])
    }

    @Test func defaultsAndLenientTypes() throws {
        // Revision omitted, no scorecard (version 0), ids as integers, numbers as text, critical as "yes".
        let line = #"{"evaluation_id": 77, "agent_id": "A1", "call_started_at": "2026-10-01T09:00:00Z", "scored_at": "2026-10-01T10:00:00Z", "#
            + #""total_score": " 88.5 ", "channel": "CHAT", "items": [{"criterion_id": "c", "score": "4", "max_score": 5, "critical": "yes"}]}"#
        let evaluation = try #require(try parseEvaluations(line).records.first?.message)
        #expect(evaluation.evaluationId == "77" && evaluation.revision == 1 && evaluation.scorecardVersion == 0)
        #expect(evaluation.totalScore == 88.5 && evaluation.channel == .chat)
        #expect(evaluation.items.first?.score == 4 && evaluation.items.first?.critical == true)
    }

    @Test func everyProblemOfALineIsNamedByItsField() throws {
        let line = #"{"evaluation_id": "", "revision": 1.5, "agent_id": "A1", "call_started_at": "2026-10-01 09:00:00", "#
            + #""scored_at": "yesterday", "total_score": "high", "channel": "phone", "#
            + #""items": [{"criterion_id": "c", "max_score": 5}, 3]}"#
        let record = try #require(try parseEvaluations(line).records.first)
        #expect(record.message == nil)
        let errors = Dictionary(record.errors.map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
        #expect(errors["evaluation_id"] == "is required")
        #expect(errors["revision"] == "must be a whole number ≥ 1")
        #expect(errors["call_started_at"] == RFC3339.ParseError.missingOffset.description)
        #expect(errors["scored_at"] == RFC3339.ParseError.malformed.description)
        #expect(errors["total_score"] == "must be a number")
        #expect(errors["channel"] == "must be one of voice, chat, email")
        #expect(errors["items[0].score"] == "is required")
        #expect(errors["items[1]"] == "must be an object")
        #expect(errors.count == 8)
    }

    @Test func linesAreNumberedAsInTheFile() throws {
        let good = #"{"evaluation_id": "E1", "agent_id": "A1", "call_started_at": "2026-10-01T09:00:00Z", "scored_at": "2026-10-01T10:00:00Z", "total_score": 90, "channel": "voice"}"#
        let text = "\u{FEFF}" + good + "\r\n\r\n   \n{\"evaluation_id\": \"E2\",}\n[1]\n{\"_line\": 3, \"_raw\": \"x\"}\n" + good.replacingOccurrences(of: "E1", with: "E3")
        let file = try parseEvaluations(text)
        #expect(file.records.map(\.line) == [1, 4, 5, 6, 7])
        #expect(file.records.map { $0.message != nil } == [true, false, false, false, true])
        #expect(file.records[0].id == "E1" && file.records[4].id == "E3")
        #expect(file.records[1].errors == [FieldError(field: "", reason: "not valid JSON at character 24: a member name (a string) is expected")])
        #expect(file.records[2].errors.first?.reason == "the line must hold a JSON object")
        #expect(file.records[3].errors.first?.reason.hasPrefix("holds only trainctl's annotations") == true)
        #expect(file.locallyRejected == 3 && file.valid.count == 2)
    }

    @Test func csvColumnsInAnyOrderWithQuotesCRLFAndABOM() throws {
        let text = "\u{FEFF}channel,total_score,scored_at,call_started_at,agent_id,evaluation_id,call_id,extra\r\n"
            + "voice,91.5,2026-10-01T10:00:00+08:00,2026-10-01T09:00:00+08:00,A1,E1,\"C,1\",x\r\n"
            + "email,80,2026-10-02T10:00:00Z,2026-10-02T09:00:00Z,A2,\"E\"\"2\",,y\r\n"
            + "chat,70,2026-10-02T10:00:00Z\r\n"
        let file = try parseEvaluations(text, format: .csv)
        #expect(file.header.first == "channel")
        #expect(file.notes == ["ignoring column extra"])
        #expect(file.records.map(\.line) == [2, 3, 4])
        let first = try #require(file.records[0].message)
        #expect(first.channel == .voice && first.totalScore == 91.5 && first.agentId == "A1" && first.callId == "C,1")
        #expect(first.callStartedAtUnixMs == 1_790_816_400_000)
        #expect(file.records[1].message?.evaluationId == "E\"2")
        #expect(file.records[2].errors == [FieldError(field: "", reason: "has 3 fields; the header has 8")])
    }

    @Test func aCSVHeaderWithoutARequiredColumnIsRefusedAsAWhole() throws {
        do {
            _ = try parseEvaluations("evaluation_id,agent_id,call_started_at,scored_at,channel\nE1,A1,x,y,voice\n", format: .csv)
            Issue.record("a file without total_score was read")
        } catch {
            #expect(error.description.contains("lacks column total_score"))
            #expect(error.description.contains("--map"))
        }
        #expect(throws: InputFileError.self) { try parseEvaluations("", format: .csv) }
        #expect(throws: InputFileError.self) {
            try parseEvaluations("evaluation_id,agent_id,call_started_at,scored_at,total_score,channel,agent_id\n", format: .csv)
        }
    }

    @Test func mapRenamesTheirFieldsAndColumnsAndErrorsUseTheirNames() throws {
        let line = #"{"id": "E1", "agent": "A1", "call_started_at": "2026-10-01T09:00:00Z", "scored_at": "2026-10-01T10:00:00Z", "#
            + #""total": 90, "channel": "voice", "lines": [{"criterion_id": "c", "pts": 9, "max_score": 10}, {"criterion_id": "d", "max_score": 10}]}"#
        let map = ["id=evaluation_id", "agent=agent_id", "total=total_score", "lines=items", "pts=score"]
        let record = try #require(try parseEvaluations(line, map: map).records.first)
        #expect(record.message == nil && record.errors.count == 1)
        #expect(record.errors.first?.reason == "is required")
        #expect(record.errors.first?.field.hasPrefix("lines[1].") == true)
        let fixed = line.replacingOccurrences(of: #""criterion_id": "d", "#, with: #""criterion_id": "d", "pts": 7, "#)
        let evaluation = try #require(try parseEvaluations(fixed, map: map).records.first?.message)
        #expect(evaluation.evaluationId == "E1" && evaluation.agentId == "A1" && evaluation.totalScore == 90)
        #expect(evaluation.items.map(\.score) == [9, 7])

        let csv = try parseEvaluations("id,agent,start,scored_at,total,channel\nE1,A1,2026-10-01T09:00:00Z,2026-10-01T10:00:00Z,,voice\n",
                                       format: .csv, map: ["id=evaluation_id", "agent=agent_id", "start=call_started_at", "total=total_score"])
        #expect(csv.header == ["id", "agent", "start", "scored_at", "total", "channel"])
        #expect(csv.records.first?.errors == [FieldError(field: "total", reason: "is required")])
    }

    /// A field the file lacks is named as the file would name it under --map, as the
    /// service's violations are (`FieldMap.fileSubject`).
    @Test func aMissingMappedFieldIsNamedByTheFilesName() throws {
        let line = #"{"id": "E1", "agent_id": "A1", "start": "2026-10-01T09:00:00Z", "scored_at": "2026-10-01T10:00:00Z", "#
            + #""channel": "voice", "items": [{"criterion_id": "c", "max_score": 10}]}"#
        let record = try #require(try parseEvaluations(line, map: ["id=evaluation_id", "total=total_score", "pts=score", "start=call_started_at"]).records.first)
        #expect(Set(record.errors.map(\.field)) == ["total", "items[0].pts"])
        #expect(Set(record.errors.map(\.reason)) == ["is required"])
    }

    @Test func badMapArgumentsAreRefused() {
        for arguments in [["score"], ["=total_score"], ["score="], ["score=points"], ["a=total_score", "a=agent_id"]] {
            #expect(throws: InputFileError.self, "\(arguments)") {
                try FieldMap(arguments: arguments, knownNames: EvaluationFile.mappableNames)
            }
        }
    }

    /// trainctl's own example, `--map score=total_score`, on a file in the documented JSON
    /// Lines shape (whose items also have a `score`): the rename of the evaluation's field
    /// should not turn every item's score into a total.
    @Test func mappingTheEvaluationsScoreLeavesItemScoresAlone() throws {
        let line = documentedLine.replacingOccurrences(of: #""total_score""#, with: #""score""#)
        let file = try parseEvaluations(line, map: ["score=total_score"])
        #expect(file.records.first?.errors == [])
        #expect(file.records.first?.message?.items.first?.score == 15)
        #expect(file.records.first?.message?.totalScore ?? 91.5 == 91.5)
    }

    @Test func serverSubjectsAreNamedAsInTheFile() throws {
        let map = try FieldMap(arguments: ["lines=items", "pts=score", "start=call_started_at", "total=total_score"],
                               knownNames: EvaluationFile.mappableNames)
        #expect(map.fileSubject("items[2].score") == "lines[2].pts")
        #expect(map.fileSubject("items[0].max_score") == "lines[0].max_score")
        #expect(map.fileSubject("items") == "lines")
        #expect(map.fileSubject("call_started_at_unix_ms") == "start")
        #expect(map.fileSubject("scored_at_unix_ms") == "scored_at")
        #expect(map.fileSubject("total_score") == "total")
        #expect(map.fileSubject("revision") == "revision")
        #expect(map.fileSubject("") == "")
        #expect(FieldMap().fileSubject("items[1].criterion_id") == "items[1].criterion_id")
        #expect(map.ours("pts") == "score" && map.theirs("score") == "pts" && map.ours("score") == "score")
    }
}

@Suite("Rejects file lines")
struct RejectLineTests {
    @Test func aJSONLineKeepsItsMembersInOrderAndGainsLineAndErrors() throws {
        let text = "\n" + #"{"evaluation_id": "E9", "total_score": 120.5, "_line": 99, "items": [], "_errors": [], "extra": {"k": null}}"#
        let file = try parseEvaluations(text)
        let record = try #require(file.records.first)
        let errors = [FieldError(field: "total_score", reason: "must be between 0 and 100"), FieldError(field: "", reason: "x\"y")]
        let line = file.rejectLine(for: record, errors: errors)
        #expect(line == #"{"evaluation_id":"E9","total_score":120.5,"items":[],"extra":{"k":null},"_line":2,"#
            + #""_errors":[{"field":"total_score","reason":"must be between 0 and 100"},{"field":"","reason":"x\"y"}]}"#)
        #expect(!line.contains("\n"))
    }

    @Test func anUnreadableJSONLineIsKeptRaw() throws {
        let file = try parseEvaluations("{\"evaluation_id\": \"E1\"\n")
        let record = try #require(file.records.first)
        let object = try foundationObject(file.rejectLine(for: record, errors: record.errors))
        #expect(object["_raw"] as? String == "{\"evaluation_id\": \"E1\"")
        #expect(object["_line"] as? Int == 1)
        let errors = try #require(object["_errors"] as? [[String: Any]])
        #expect((errors.first?["reason"] as? String)?.hasPrefix("not valid JSON at character") == true)
    }

    @Test func aCSVRowBecomesAnObjectOfTheFilesColumns() throws {
        let text = "evaluation_id,agent,call_started_at,scored_at,total_score,channel\nE1,A1,bad,2026-10-01T10:00:00Z,90,\"vo,ice\"\nE2,A2,x,y,1,voice,surplus\n"
        let file = try parseEvaluations(text, format: .csv, map: ["agent=agent_id"])
        let first = try foundationObject(file.rejectLine(for: file.records[0], errors: file.records[0].errors))
        #expect(first["evaluation_id"] as? String == "E1" && first["agent"] as? String == "A1" && first["channel"] as? String == "vo,ice")
        #expect(first["_raw"] as? String == "E1,A1,bad,2026-10-01T10:00:00Z,90,\"vo,ice\"")
        #expect(first["_line"] as? Int == 2)
        let reasons = (first["_errors"] as? [[String: String]] ?? []).map { "\($0["field"] ?? "?"): \($0["reason"] ?? "?")" }
        #expect(reasons == ["call_started_at: \(RFC3339.ParseError.malformed)", "channel: must be one of voice, chat, email"])
        let second = try foundationObject(file.rejectLine(for: file.records[1], errors: file.records[1].errors))
        #expect(second["_extra_1"] as? String == "surplus" && second["_line"] as? Int == 3)
    }

    /// The rejects file is meant to be fixed and imported again: its lines read back as the
    /// original records, trainctl's annotations ignored.
    @Test func aRejectLineReadsBackAsTheRecord() throws {
        let file = try parseEvaluations(documentedLine)
        let record = try #require(file.records.first)
        let line = file.rejectLine(for: record, errors: [FieldError(field: "agent_id", reason: "is not on the roster")])
        let again = try parseEvaluations(line)
        #expect(again.records.first?.errors == [])
        #expect(again.records.first?.message == record.message)
    }
}

@Suite("Roster, KPI and reference files")
struct ReferenceFileTests {
    @Test func rosterColumnsInAnyOrderAndTheLeftOnRules() throws {
        let text = "status,left_on,agent_id,name,team_id,team_leader_id,department,site,hire_date,queue\n"
            + "in_service,,A1,\"王, 芳\",T1,L1,Retail,Chengdu,2025-03-01,vip\n"
            + "left,,A2,B,T1,L1,Retail,Chengdu,2025-03-01,\n"
            + "in_service,2026-01-01,A3,C,T1,L1,Retail,Chengdu,2025-02-30,\n"
            + "LEFT,2026-02-01,A4,D,T1,L1,Retail,Chengdu,2025-03-01,\n"
        let file = try RosterCSV.parse(path: "r.csv", bytes: bytes(text), map: FieldMap(), effectiveDate: "2026-01-05")
        let first = try #require(file.records[0].message)
        #expect(first.agentId == "A1" && first.name == "王, 芳" && first.queue == "vip" && first.status == .inService)
        #expect(first.hireDate == "2025-03-01" && first.effectiveDate == "2026-01-05")
        #expect(file.records[1].errors == [FieldError(field: "left_on", reason: "is required when status is left")])
        #expect(Set(file.records[2].errors) == [FieldError(field: "hire_date", reason: "must be a date YYYY-MM-DD"),
                                                FieldError(field: "left_on", reason: "must be empty unless status is left")])
        #expect(file.records[3].message?.status == .left && file.records[3].message?.leftOn == "2026-02-01")
        #expect(throws: InputFileError.self) {
            try RosterCSV.parse(path: "r.csv", bytes: bytes("agent_id,name\nA1,x\n"), map: FieldMap(), effectiveDate: nil)
        }
    }

    @Test func kpiPeriodsAreChecked() throws {
        let text = "value,period_end,period_start,metric_id,agent_id\n0.9,2026-10-11,2026-10-05,csat,A1\n1,2026-10-01,2026-10-05,csat,A1\n"
        let file = try KpiCSV.parse(path: "k.csv", bytes: bytes(text), map: FieldMap())
        #expect(file.records[0].message?.value == 0.9 && file.records[0].id == "A1/csat/2026-10-05")
        #expect(file.records[1].errors == [FieldError(field: "period_end", reason: "is before period_start")])
    }

    @Test func aScorecardDocumentNamesEveryBadFieldByItsPath() throws {
        let document = try JSONParser.parse(#"{"scorecard_id": "s", "criteria": [{"criterion_id": "a", "max_score": 10, "weight": 1}, {"max_score": "x"}, 5]}"#)
        do {
            _ = try ScorecardFile.scorecard(from: document, path: "s.json")
            Issue.record("a broken scorecard was accepted")
        } catch {
            #expect(Set(error.errors.map(\.field)) == ["version", "criteria[1].criterion_id", "criteria[1].max_score", "criteria[2]"])
        }
        let good = try JSONParser.parse(#"{"scorecard_id": "s", "version": 2, "total_is_weighted_sum": true, "criteria": [{"criterion_id": "a", "max_score": 10, "weight": 1.5}]}"#)
        let scorecard = try ScorecardFile.scorecard(from: good, path: "s.json")
        #expect(scorecard.version == 2 && scorecard.totalIsWeightedSum && scorecard.criteria.first?.weight == 1.5)
    }

    @Test func aCalendarDayOutsideItsYearIsRefused() throws {
        let document = try JSONParser.parse(#"{"time_zone": "Asia/Shanghai", "year": 2026, "days": [{"date": "2027-01-01", "kind": "holiday"}, {"date": "2026-10-01", "kind": "feast"}]}"#)
        do {
            _ = try CalendarFile.request(from: document, path: "c.json")
            Issue.record("a broken calendar was accepted")
        } catch {
            #expect(error.errors == [FieldError(field: "days[0].date", reason: "is not in 2026"),
                                     FieldError(field: "days[1].kind", reason: "must be one of working_day, rest_day, holiday, makeup_working_day")])
        }
    }

    @Test func theFormatComesFromTheExtensionUnlessGiven() throws {
        #expect(try InputFormat.of(path: "x.JSONL", explicit: nil) == .jsonl)
        #expect(try InputFormat.of(path: "x.ndjson", explicit: nil) == .jsonl)
        #expect(try InputFormat.of(path: "x.csv", explicit: nil) == .csv)
        #expect(try InputFormat.of(path: "x.txt", explicit: .csv) == .csv)
        #expect(throws: InputFileError.self) { try InputFormat.of(path: "x.txt", explicit: nil) }
    }
}
