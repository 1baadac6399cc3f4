import CSQLite
import Foundation
import Logging
import NIOCore
import RPCRuntime
import SQLiteStorage
import ScoringIntake
import TrainingWire

#if canImport(Glibc)
import Glibc
#endif

// intake-bench: the scoring intake's ingest and month-close speed, against a raw
// sqlite3 C-API insert of the same rows in the same run. Prints one JSON line per
// measurement. Driven by scripts/bench-intake.
//
//   intake-bench --service PATH batches   [--evaluations N] [--batch 1000] [--in-flight 2]
//   intake-bench raw                      [--evaluations N]
//   intake-bench --service PATH single    [--clients 32] [--seconds 5]
//   intake-bench --service PATH close     [--agents 10000] [--evaluations 1000000]

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else { return fallback }
    return value
}
func text(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
func emit(_ fields: [String: Any]) {
    if let json = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) {
        FileHandle.standardOutput.write(json + Data("\n".utf8))
    }
}
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

let criteria = ["standard_phrasing", "business_accuracy", "compliance", "service_warmth", "resolution", "timeliness"]
let october1 = Int64(1_790_784_000_000)  // 2026-10-01T00:00:00+08:00

/// Evaluation `index` of `agents` agents in October 2026, 6 items whose weighted sum is the total.
func evaluation(_ index: Int, agents: Int, prefix: String) -> TrainingWire.Evaluation {
    let scores = (0..<6).map { Double(12 + (index + $0 * 7) % 5) }
    let total = scores.reduce(0, +) * 100 / 96
    let call = october1 + Int64(index % 28) * 86_400_000 + Int64(index % 36_000) * 1000
    return TrainingWire.Evaluation(
        evaluationId: "\(prefix)-\(index)", revision: 1, agentId: "agent-\(index % agents)", callId: "call-\(index)",
        evaluatorId: "qa-\(index % 40)", callStartedAtUnixMs: call, scoredAtUnixMs: call + 3_600_000,
        scorecardId: "voice", scorecardVersion: 1, totalScore: total,
        items: zip(criteria, scores).map { ItemScore(criterionId: $0, name: $0, score: $1, maxScore: 16, critical: $0 == "compliance") },
        channel: .voice)
}

/// Starts the intake on a temporary socket and database, seeded with a calendar, a
/// scorecard and `agents` agents.
func startService(agents: Int) async throws -> (Process, RPCClient, String) {
    guard let path = text("--service") else { throw RPCError(.invalidArgument, "--service PATH of scoring-intake is required") }
    let directory = "/tmp/ib.\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let socket = "\(directory)/i.sock"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = ["--socket", socket, "--database", "\(directory)/intake.sqlite", "--log-level", "warning"]
    try process.run()
    var client: RPCClient?
    for _ in 0..<500 where client == nil {
        client = try? await RPCClient.connect(socketPath: socket, caller: "bench")
        if client == nil { try await Task.sleep(for: .milliseconds(10)) }
    }
    guard let client else { throw RPCError(.unavailable, "the service did not start") }
    _ = try await client.call(ScoringIntakeMethods.putCalendar, PutCalendarRequest(timeZone: "Asia/Shanghai", year: 2026))
    _ = try await client.call(ScoringIntakeMethods.putCalendar, PutCalendarRequest(timeZone: "Asia/Shanghai", year: 2027))
    _ = try await client.call(ScoringIntakeMethods.putScorecard, PutScorecardRequest(scorecard: TrainingWire.Scorecard(
        scorecardId: "voice", version: 1, name: "Voice",
        criteria: criteria.map { Criterion(criterionId: $0, name: $0, maxScore: 16, weight: 100.0 / 96, critical: $0 == "compliance") },
        totalIsWeightedSum: true)))
    for start in stride(from: 0, to: agents, by: 5000) {
        let roster = (start..<min(agents, start + 5000)).map {
            TrainingWire.RosterEntry(agentId: "agent-\($0)", name: "Agent \($0)", teamId: "team-\($0 / 13)", teamLeaderId: "lead-\($0 / 13)",
                                     department: "dept-\($0 % 6)", site: "site-\($0 % 3)", hireDate: "2024-01-01", status: .inService,
                                     effectiveDate: "2026-01-01")
        }
        _ = try await client.call(ScoringIntakeMethods.upsertRoster, UpsertRosterRequest(agents: roster))
    }
    return (process, client, directory)
}

func stopService(_ process: Process, _ client: RPCClient, _ directory: String) async {
    await client.close()
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    if ProcessInfo.processInfo.environment["INTAKE_BENCH_KEEP"] == nil {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Sends `total` evaluations in batches of `batch`, `inFlight` batches at a time. The
/// requests are encoded before the clock starts: the QA system's encoding runs on its own
/// machine, not on the service's cores.
func ingest(_ client: RPCClient, total: Int, batch: Int, inFlight: Int, agents: Int, prefix: String) async throws -> Double {
    let payloads = (0..<(total / batch)).map { number in
        SubmitEvaluationsRequest(evaluations: (0..<batch).map { evaluation(number * batch + $0, agents: agents, prefix: prefix) })
            .serializedBytes()
    }
    let path = ScoringIntakeMethods.submitEvaluations.path
    let options = CallOptions(timeout: .seconds(120))
    @Sendable func send(_ payload: [UInt8]) async throws {
        let frame = try await client.rawCall(method: path, payload: payload, options: options).get()
        if let status = frame.status, status.code != .ok { throw RPCError(status: status) }
        try check(try BatchResponse(serializedBytes: frame.payload))
    }
    let started = now()
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        for _ in 0..<min(inFlight, payloads.count) {
            let payload = payloads[next]
            next += 1
            group.addTask { try await send(payload) }
        }
        while try await group.next() != nil, next < payloads.count {
            let payload = payloads[next]
            next += 1
            group.addTask { try await send(payload) }
        }
        try await group.waitForAll()
    }
    return now() - started
}

func check(_ response: BatchResponse) throws {
    guard response.rejected == 0 else {
        throw RPCError(.internal, "rejected: \(response.results.first { $0.outcome == .rejected }?.violations ?? [])")
    }
}

/// The same rows inserted with the sqlite3 C API: prepared statement, 1,000 rows per
/// transaction, the service's own schema and indexes, WAL and synchronous=FULL.
func rawInsert(total: Int) throws -> Double {
    let directory = "/tmp/ib.raw.\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = "\(directory)/raw.sqlite"
    let schema = try SQLiteDatabase(path: path, migrations: ScoringIntakeService.migrations, logger: Logger(label: "bench"))
    schema.close()
    var db: OpaquePointer?
    guard sqlite3_open(path, &db) == SQLITE_OK, let db else { throw RPCError(.internal, "open failed") }
    defer { sqlite3_close(db) }
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nil, nil, nil)
    var statement: OpaquePointer?
    let sql = """
        INSERT INTO evaluations (evaluation_id, revision, agent_id, call_id, evaluator_id, call_started_ms, scored_ms,
            scorecard_id, scorecard_version, total, channel, items, digest, local_day, local_month, counting, received_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
        """
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw RPCError(.internal, "prepare failed") }
    defer { sqlite3_finalize(statement) }
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    // The same blob size as the service's item encoding of 6 items.
    let blob = [UInt8](repeating: 7, count: 8 + criteria.reduce(0) { $0 + 8 + $1.utf8.count * 2 + 8 + 8 + 8 + 1 })
    let rows = (0..<total).map { evaluation($0, agents: 10_000, prefix: "raw") }
    let started = now()
    for chunk in stride(from: 0, to: total, by: 1000) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", nil, nil, nil)
        for row in rows[chunk..<min(total, chunk + 1000)] {
            sqlite3_bind_text(statement, 1, row.evaluationId, -1, transient)
            sqlite3_bind_int64(statement, 2, Int64(row.revision))
            sqlite3_bind_text(statement, 3, row.agentId, -1, transient)
            sqlite3_bind_text(statement, 4, row.callId, -1, transient)
            sqlite3_bind_text(statement, 5, row.evaluatorId, -1, transient)
            sqlite3_bind_int64(statement, 6, row.callStartedAtUnixMs)
            sqlite3_bind_int64(statement, 7, row.scoredAtUnixMs)
            sqlite3_bind_text(statement, 8, row.scorecardId, -1, transient)
            sqlite3_bind_int64(statement, 9, Int64(row.scorecardVersion))
            sqlite3_bind_double(statement, 10, row.totalScore)
            sqlite3_bind_int64(statement, 11, 1)
            blob.withUnsafeBytes { _ = sqlite3_bind_blob(statement, 12, $0.baseAddress, Int32($0.count), transient) }
            sqlite3_bind_int64(statement, 13, Int64(row.callStartedAtUnixMs &* 31))
            sqlite3_bind_int64(statement, 14, Int64(20_727 + (row.callStartedAtUnixMs - october1) / 86_400_000))
            sqlite3_bind_int64(statement, 15, 2026 * 12 + 9)
            sqlite3_bind_int64(statement, 16, 0)
            guard sqlite3_step(statement) == SQLITE_DONE else { throw RPCError(.internal, "insert failed") }
            sqlite3_reset(statement)
        }
        sqlite3_exec(db, "COMMIT", nil, nil, nil)
    }
    return now() - started
}

let mode = arguments.last { ["batches", "raw", "single", "close"].contains($0) } ?? "batches"
switch mode {
case "raw":
    let total = option("--evaluations", 200_000)
    let seconds = try rawInsert(total: total)
    emit(["measure": "raw_sqlite_insert", "evaluations": total, "seconds": seconds, "per_second": Double(total) / seconds])
case "batches":
    let total = option("--evaluations", 200_000)
    let batch = option("--batch", 1000)
    let (process, client, directory) = try await startService(agents: 10_000)
    let seconds = try await ingest(client, total: total, batch: batch, inFlight: option("--in-flight", 2), agents: 10_000, prefix: "b")
    emit(["measure": "submit_evaluations_batches", "evaluations": total, "batch": batch, "seconds": seconds, "per_second": Double(total) / seconds])
    await stopService(process, client, directory)
case "single":
    let clients = option("--clients", 32)
    let duration = Double(option("--seconds", 5))
    let (process, seedClient, directory) = try await startService(agents: 1000)
    let connections = try await (0..<clients).asyncMap { _ in try await RPCClient.connect(socketPath: seedClient.socketPath) }
    let started = now()
    let counts = try await withThrowingTaskGroup(of: Int.self) { group in
        for (number, connection) in connections.enumerated() {
            group.addTask {
                var sent = 0
                while now() - started < duration {
                    let request = SubmitEvaluationsRequest(evaluations: [evaluation(number * 10_000_000 + sent, agents: 1000, prefix: "s")])
                    try check(try await connection.call(ScoringIntakeMethods.submitEvaluations, request))
                    sent += 1
                }
                return sent
            }
        }
        var total = 0
        for try await count in group { total += count }
        return total
    }
    let seconds = now() - started
    emit(["measure": "single_evaluation_calls", "clients": clients, "calls": counts, "seconds": seconds, "per_second": Double(counts) / seconds])
    for connection in connections { await connection.close() }
    await stopService(process, seedClient, directory)
case "close":
    let agents = option("--agents", 10_000)
    let total = option("--evaluations", 1_000_000)
    let (process, client, directory) = try await startService(agents: agents)
    let ingestSeconds = try await ingest(client, total: total, batch: 5000, inFlight: 2, agents: agents, prefix: "c")
    var samples: [Double] = []
    for _ in 0..<3 {
        let started = now()
        let closed = try await client.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: "2026-10", force: true), options: CallOptions(timeout: .seconds(60)))
        samples.append(now() - started)
        guard closed.assigned == UInt32(agents) else { throw RPCError(.internal, "assigned \(closed.assigned) of \(agents)") }
    }
    emit(["measure": "close_month", "agents": agents, "evaluations": total, "ingest_seconds": ingestSeconds,
          "close_seconds_median": samples.sorted()[1], "close_seconds": samples])
    await stopService(process, client, directory)
default:
    break
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
