import Foundation
import TrainingScheduling

// scheduling-bench [AGENTS] [SESSIONS]: times the enrolment placement (Placement.place) for
// a month of 30-minute intervals with forecasts and shifts (Placement.benchmarkInput), and a
// re-run that keeps the previous placements. Prints one JSON line; driven by scripts/bench-scheduling.

let arguments = CommandLine.arguments
let agents = arguments.count > 1 ? Int(arguments[1]) ?? 10_000 : 10_000
let sessions = arguments.count > 2 ? Int(arguments[2]) ?? 400 : 400
let input = Placement.benchmarkInput(agents: agents, sessions: sessions)
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
let line: [String: Any] = [
    "agents": agents, "sessions": sessions, "shifts": input.shifts.count, "forecasts": input.forecasts.count,
    "place_seconds_median": samples.sorted()[samples.count / 2], "placed": result.placements.count, "bound": bound,
    "unplaced": result.unplaced.count, "rerun_seconds": rerunSeconds, "rerun_kept": rerun.placements.filter(\.kept).count,
]
let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
