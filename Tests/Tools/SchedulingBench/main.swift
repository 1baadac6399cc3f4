import Foundation
import TrainingScheduling

// scheduling-bench [AGENTS] [SESSIONS] [--end-to-end] [--notice-case] [--skip-domain] [--keep]
//
// Domain mode (always, unless --skip-domain): times the enrolment placement
// (Placement.place) for a month of 30-minute intervals with forecasts and shifts
// (Placement.benchmarkInput), and a re-run that keeps the previous placements.
//
// --end-to-end: also starts the real `training-scheduling` executable (beside this binary),
// loads the same case over its socket (queues, forecasts, shifts, courses, courseware,
// trainers, the monthly plan; roster and tiers as the intake's events) and times
// BuildEnrolment for "2026-12" over RPC: the first build and re-builds. See EndToEnd.swift.
// The service's roster names one queue per agent, where the generator gives 30 % of agents
// two; so it runs twice: forecasts as generated (keys e2e_*), and forecasts re-sized to the
// one-queue floor (keys e2e_resized_*), which keeps the floor's slack and thus the work.
// Each end-to-end run also counts the notices the first build wrote (ListNotices), pages
// through the pending notices (ListPendingNotices, 1,000 per call) and acknowledges 1,000.
// --end-to-end or --notice-case: the notice case (keys notice_case_*), each agent bound by
// one course so that the first build makes about 10,000 placements and writes their notices,
// timed on fresh copies of the loaded database, with and without team leaders. See NoticeCase.swift.
// --keep leaves the temporary directories (socket, database, service log) in place.
//
// Prints one JSON line; driven by scripts/bench-scheduling.

let arguments = CommandLine.arguments.dropFirst()
let flags = Set(arguments.filter { $0.hasPrefix("--") })
let numbers = arguments.filter { !$0.hasPrefix("--") }.compactMap { Int($0) }
let known: Set<String> = ["--end-to-end", "--notice-case", "--skip-domain", "--keep"]
if let unknown = flags.subtracting(known).first {
    FileHandle.standardError.write(Data("scheduling-bench: unknown option \(unknown)\n".utf8))
    exit(64)
}
let agents = numbers.count > 0 ? numbers[0] : 10_000
let sessions = numbers.count > 1 ? numbers[1] : 400
let input = Placement.benchmarkInput(agents: agents, sessions: sessions)
var line: [String: Any] = [
    "agents": agents, "sessions": sessions, "shifts": input.shifts.count, "forecasts": input.forecasts.count,
]

if !flags.contains("--skip-domain") {
    var samples: [Double] = []
    var last: Placement.Result?
    for _ in 0..<5 {
        let start = ContinuousClock.now
        last = try Placement.place(input)
        samples.append((ContinuousClock.now - start) / .seconds(1))
    }
    guard let result = last else { exit(1) }
    var again = input
    again.previous = result.placements.map(\.seat)
    let rerunStart = ContinuousClock.now
    let rerun = try Placement.place(again)
    let rerunSeconds = (ContinuousClock.now - rerunStart) / .seconds(1)
    let bound = result.placements.count + result.unplaced.count
    line.merge([
        "place_seconds_median": samples.sorted()[samples.count / 2], "placed": result.placements.count, "bound": bound,
        "unplaced": result.unplaced.count, "rerun_seconds": rerunSeconds, "rerun_kept": rerun.placements.filter(\.kept).count,
    ]) { $1 }
}

if flags.contains("--end-to-end") {
    do {
        let asGenerated = try await EndToEnd.run(input, forecasts: .asGenerated, keep: flags.contains("--keep"))
        line.merge(asGenerated.json(prefix: "e2e_")) { $1 }
        let resized = try await EndToEnd.run(input, forecasts: .resizedToOneQueue, keep: flags.contains("--keep"))
        line.merge(resized.json(prefix: "e2e_resized_")) { $1 }
    } catch {
        FileHandle.standardError.write(Data("scheduling-bench: end-to-end run failed: \(error)\n".utf8))
        exit(1)
    }
}

if flags.contains("--end-to-end") || flags.contains("--notice-case") {
    do {
        let notices = try await EndToEnd.runNoticeCase(input, keep: flags.contains("--keep"))
        line.merge(notices.json) { $1 }
    } catch {
        FileHandle.standardError.write(Data("scheduling-bench: notice case failed: \(error)\n".utf8))
        exit(1)
    }
}

let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
