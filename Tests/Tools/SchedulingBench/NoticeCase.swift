import Foundation
import RPCRuntime
import TrainingScheduling
import TrainingWire

/// The notice case: what the first BuildEnrolment of a month costs when it makes about
/// 10,000 placements and writes their notices (issue target: "Notices for 10,000
/// placements: under 1 s").
///
/// The benchmark case with only the courses that bind everyone they apply to (new business
/// for every agent in service, onboarding for every new hire): each of the 10,000 agents is
/// bound by exactly one course, so the first build places about one seat per agent. Same
/// agents, shifts and sessions of those courses; forecasts re-sized to one queue per agent.
///
/// A notice cannot be switched off, so its cost is measured two ways, each on a fresh copy of
/// the same loaded database (the first build can only happen once per database):
/// - the first build against the re-builds on the same database: a re-build keeps every seat
///   and writes no notice (ListNotices is counted again after them and reported), so the
///   difference is the notices plus what a first placement does that a re-placement does not;
/// - the same case with no team leader on the roster ("memo only"): each new seat gets its
///   memo, but no brief and no goal-talk reminder, so the two first builds differ by two
///   notices per seat and nothing else (the placement is the same: no session has staff).
struct NoticeCaseFigures: Sendable {
    struct Variant: Sendable {
        var loadSeconds = 0.0
        /// The first BuildEnrolment, one per fresh copy of the loaded database.
        var buildSamples: [Double] = []
        /// The re-builds after each first build (keep every seat, write no notice).
        var rebuildSamples: [Double] = []
        var bound = 0, placedBound = 0, newlyPlaced = 0, unplaced = 0
        /// ListNotices for the month after the first build, and after the re-builds.
        var notices = 0, noticesByKind: [String: Int] = [:], noticesAfterRebuilds = 0

        static func median(_ samples: [Double]) -> Double { samples.isEmpty ? 0 : samples.sorted()[samples.count / 2] }

        func json(_ prefix: String) -> [String: Any] {
            [
                prefix + "load_seconds": loadSeconds,
                prefix + "build_seconds": Self.median(buildSamples), prefix + "build_seconds_samples": buildSamples,
                prefix + "rebuild_seconds_median": Self.median(rebuildSamples), prefix + "rebuild_seconds": rebuildSamples,
                prefix + "bound": bound, prefix + "placed_bound": placedBound, prefix + "newly_placed": newlyPlaced, prefix + "unplaced": unplaced,
                prefix + "notices": notices, prefix + "notices_by_kind": noticesByKind, prefix + "notices_after_rebuilds": noticesAfterRebuilds,
            ]
        }
    }

    var agents = 0, sessions = 0, courses: [String] = []
    var rounds = 0
    /// Placement.place alone on the same input, in process (median of 3).
    var placeSeconds = 0.0, placePlacedBound = 0, placeBound = 0
    var withLeaders = Variant(), memoOnly = Variant()

    var json: [String: Any] {
        var json: [String: Any] = [
            "notice_case_agents": agents, "notice_case_sessions": sessions, "notice_case_courses": courses, "notice_case_rounds": rounds,
            "notice_case_place_seconds": placeSeconds, "notice_case_place_placed_bound": placePlacedBound, "notice_case_place_bound": placeBound,
        ]
        json.merge(withLeaders.json("notice_case_")) { $1 }
        json.merge(memoOnly.json("notice_case_memo_only_")) { $1 }
        return json
    }
}

extension EndToEnd {
    /// Fresh services (database copies) per variant and round.
    static let noticeRounds = 3
    static let noticeRebuilds = 3

    /// The benchmark case with only the courses whose effective category is mandatory: each
    /// agent is bound by exactly one of them (new business in service, onboarding for new hires).
    nonisolated static func oneBindingCourse(_ input: Placement.Input) -> Placement.Input {
        var only = input
        only.courses = input.courses.filter { CourseBinding.effectiveCategory($0.category, kind: $0.kind) == .mandatory }
        let kept = Set(only.courses.map(\.id))
        only.sessions = input.sessions.filter { kept.contains($0.course) }
        only.volunteers = []
        only.previous = []
        return only
    }

    static func runNoticeCase(_ input: Placement.Input, keep: Bool) async throws -> NoticeCaseFigures {
        let caseInput = oneBindingCourse(input)
        var figures = NoticeCaseFigures()
        figures.agents = caseInput.agents.count
        figures.sessions = caseInput.sessions.count
        figures.courses = caseInput.courses.map(\.id.rawValue)
        figures.rounds = noticeRounds
        let plans = [
            Requests(caseInput, forecasts: .resizedToOneQueue, teamLeaders: true),
            Requests(caseInput, forecasts: .resizedToOneQueue, teamLeaders: false),
        ]
        var scratch = EndToEndFigures()
        figures.placeSeconds = try sameInputPlacement(plans[0].serviceInput, into: &scratch)
        figures.placePlacedBound = scratch.sameInputPlacedBound
        figures.placeBound = scratch.sameInputBound

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sched-bench-notices-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer {
            if keep {
                FileHandle.standardError.write("scheduling-bench: kept \(root)\n")
            } else {
                try? FileManager.default.removeItem(atPath: root)
            }
        }

        // Load each variant once, up to the published plan; stop the service; keep its database.
        var variants = [NoticeCaseFigures.Variant(), NoticeCaseFigures.Variant()]
        var snapshots: [String] = []
        for (n, plan) in plans.enumerated() {
            let directory = "\(root)/loaded-\(n)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let service = try ServiceUnderTest(directory: directory)
            defer { service.stop() }
            try await withService(service) { client in
                var loaded = EndToEndFigures()
                _ = try await load(client, plan, &loaded)
                variants[n].loadSeconds = loaded.loadSeconds
            }
            service.stop()
            snapshots.append(directory)
        }

        // Each round: a fresh copy of each variant's database, the first build, its notices,
        // the re-builds and the notices again. Variants alternate, so that a slow spell of the
        // machine falls on both.
        let method = TrainingSchedulingMethods.self
        for round in 0..<noticeRounds {
            for n in plans.indices {
                let directory = "\(root)/round-\(round)-\(n)"
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                for suffix in ["", "-wal"] {
                    let from = "\(snapshots[n])/training-scheduling.sqlite\(suffix)"
                    if FileManager.default.fileExists(atPath: from) {
                        try FileManager.default.copyItem(atPath: from, toPath: "\(directory)/training-scheduling.sqlite\(suffix)")
                    }
                }
                let service = try ServiceUnderTest(directory: directory)
                defer { service.stop() }
                try await withService(service) { client in
                    let start = ContinuousClock.now
                    let first = try await client.call(method.buildEnrolment, BuildEnrolmentRequest(month: month), options: options)
                    variants[n].buildSamples.append(seconds(since: start))
                    let listed = try await listNotices(socketPath: service.socketPath)
                    for _ in 0..<noticeRebuilds {
                        let start = ContinuousClock.now
                        let again = try await client.call(method.buildEnrolment, BuildEnrolmentRequest(month: month), options: options)
                        variants[n].rebuildSamples.append(seconds(since: start))
                        guard again.newlyPlaced == 0, again.kept == first.placedBound + first.placedVoluntary else {
                            throw BenchFailure("a re-build of the notice case changed seats: \(again) after \(first)")
                        }
                    }
                    let afterRebuilds = try await listNotices(socketPath: service.socketPath)
                    if round > 0, variants[n].placedBound != Int(first.placedBound) || variants[n].notices != listed.notices.count {
                        throw BenchFailure("the notice case differs between fresh copies: \(first)")
                    }
                    variants[n].bound = Int(first.bound)
                    variants[n].placedBound = Int(first.placedBound)
                    variants[n].newlyPlaced = Int(first.newlyPlaced)
                    variants[n].unplaced = Int(first.unplaced)
                    variants[n].notices = listed.notices.count
                    variants[n].noticesByKind = listed.byKind
                    variants[n].noticesAfterRebuilds = afterRebuilds.notices.count
                }
                service.stop()
            }
        }
        guard variants[0].placedBound == variants[1].placedBound else {
            throw BenchFailure("the memo-only variant placed \(variants[1].placedBound), the other \(variants[0].placedBound)")
        }
        figures.withLeaders = variants[0]
        figures.memoOnly = variants[1]
        return figures
    }

    /// Waits for `service`, connects, runs `body`; a failure carries the service's log tail.
    static func withService(_ service: ServiceUnderTest, _ body: (RPCClient) async throws -> Void) async throws {
        do {
            try await service.waitUntilServing()
            let client = try await RPCClient.connect(socketPath: service.socketPath, caller: "scheduling-bench")
            do {
                try await body(client)
                await client.close()
            } catch {
                await client.close()
                throw error
            }
        } catch {
            throw BenchFailure("\(error)\n--- training-scheduling log (tail) ---\n\(service.logTail)")
        }
    }
}
