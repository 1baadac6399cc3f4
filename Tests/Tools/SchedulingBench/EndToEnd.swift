import Foundation
import NIOCore
import RPCRuntime
import TrainingScheduling
import TrainingWire

#if canImport(Glibc)
import Glibc
#endif

/// The end-to-end figures: the same case as `Placement.benchmarkInput`, loaded into the real
/// `training-scheduling` process over its socket, then BuildEnrolment timed over RPC.
struct EndToEndFigures: Sendable {
    /// Catalogue, courseware, trainers, queues, forecasts, shifts and the draft plan.
    var loadSeconds = 0.0
    var forecastCalls = 0, forecastsSeconds = 0.0
    var shiftCalls = 0, shiftsSeconds = 0.0
    /// One RosterChanged per agent, delivered to EventInbox/Deliver in batches.
    var rosterEvents = 0, rosterSeconds = 0.0
    /// MonthClosed (revision 1) before the plan is published: only the replica of the tiers.
    var tierAssignments = 0, monthClosedSeconds = 0.0
    var publishSeconds = 0.0
    /// The first BuildEnrolment (places everyone) and the re-builds (keep every seat).
    var buildSeconds = 0.0
    var rebuildSamples: [Double] = []
    var bound = 0, placedBound = 0, unplaced = 0, rebuildKept = 0, rebuildNewlyPlaced = 0
    var basis = ""
    /// MonthClosed revision 2 with the plan published: the event's own transaction re-places
    /// the month (the confirmation path of docs/events.md), keeping every seat.
    var confirmSeconds = 0.0, confirmKept = 0
    /// One SignUp (each sign-up re-places the month in its transaction): the last attempt's time.
    var signUpSeconds: Double?
    var signUpOutcome = ""
    var signUpAttempts = 0
    /// Placement.place alone on exactly what the service places (one queue per agent, no
    /// co-delivering staff, no volunteers): what the service adds is the difference.
    var sameInputPlaceSeconds = 0.0, sameInputPlacedBound = 0, sameInputBound = 0
    var trainers = 0
    /// The notices the first build wrote, counted with ListNotices for the month right after
    /// it (one response, read over a connection that accepts frames above the default 16 MiB),
    /// and the new seats they are about (the first build's newly_placed).
    var notices = 0, noticesByKind: [String: Int] = [:], noticePlacements = 0
    var listNoticesSeconds = 0.0, listNoticesBytes = 0
    /// At the end: ListPendingNotices paged through (1,000 per call) until a short page, then
    /// one AcknowledgeNotices of the first 1,000 pending ids.
    var pendingNotices = 0, pendingCalls = 0, pendingSeconds = 0.0
    var acknowledgeSeconds = 0.0, acknowledged = 0

    var rebuildMedian: Double { rebuildSamples.sorted()[rebuildSamples.count / 2] }

    var unplacedByReason: [String: Int] = [:]

    /// The figures as JSON keys, each with `prefix` ("e2e_"): one line holds both variants.
    func json(prefix: String) -> [String: Any] {
        var json: [String: Any] = [
            "e2e_load_seconds": loadSeconds, "e2e_forecasts_seconds": forecastsSeconds, "e2e_forecast_calls": forecastCalls,
            "e2e_shifts_seconds": shiftsSeconds, "e2e_shift_calls": shiftCalls,
            "e2e_roster_events": rosterEvents, "e2e_roster_events_seconds": rosterSeconds,
            "e2e_tier_assignments": tierAssignments, "e2e_month_closed_seconds": monthClosedSeconds,
            "e2e_publish_seconds": publishSeconds,
            "e2e_build_seconds": buildSeconds, "e2e_rebuild_seconds_median": rebuildMedian, "e2e_rebuild_seconds": rebuildSamples,
            "e2e_rebuild_kept": rebuildKept, "e2e_rebuild_newly_placed": rebuildNewlyPlaced,
            "e2e_bound": bound, "e2e_placed_bound": placedBound, "e2e_unplaced": unplaced, "e2e_basis": basis,
            "e2e_month_closed_confirm_seconds": confirmSeconds, "e2e_month_closed_confirm_kept": confirmKept,
            "e2e_same_input_place_seconds": sameInputPlaceSeconds, "e2e_same_input_placed_bound": sameInputPlacedBound,
            "e2e_same_input_bound": sameInputBound, "e2e_trainers": trainers, "e2e_unplaced_by_reason": unplacedByReason,
            "e2e_notices": notices, "e2e_notices_by_kind": noticesByKind, "e2e_notices_placements": noticePlacements,
            "e2e_list_notices_seconds": listNoticesSeconds, "e2e_list_notices_bytes": listNoticesBytes,
            "e2e_pending_notices": pendingNotices, "e2e_pending_calls": pendingCalls, "e2e_pending_seconds": pendingSeconds,
            "e2e_acknowledge_seconds": acknowledgeSeconds, "e2e_acknowledged": acknowledged,
        ]
        if let signUpSeconds {
            json["e2e_sign_up_seconds"] = signUpSeconds
            json["e2e_sign_up_outcome"] = signUpOutcome
            json["e2e_sign_up_attempts"] = signUpAttempts
        }
        return Dictionary(uniqueKeysWithValues: json.map { (prefix + $0.key.dropFirst("e2e_".count), $0.value) })
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@MainActor
enum EndToEnd {
    nonisolated static let month = "2026-12"
    nonisolated static let monthBefore = "2026-11"
    nonisolated static let clockStart = "2026-11-20T10:00:00+08:00"
    nonisolated static let producer = "training.v1.ScoringIntake"
    nonisolated static let department = "Customer Service"
    nonisolated static let site = "Main"
    static let rebuilds = 5
    static let eventsPerDeliver = 500
    static var options: CallOptions { CallOptions(timeout: .seconds(120), caller: "scheduling-bench") }

    static func seconds(since start: ContinuousClock.Instant) -> Double { (ContinuousClock.now - start) / .seconds(1) }

    static func run(_ input: Placement.Input, forecasts: Requests.Forecasts, keep: Bool) async throws -> EndToEndFigures {
        var figures = EndToEndFigures()
        let plan = Requests(input, forecasts: forecasts)
        figures.trainers = plan.trainers.count
        figures.sameInputPlaceSeconds = try sameInputPlacement(plan.serviceInput, into: &figures)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sched-bench-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let service = try ServiceUnderTest(directory: directory)
        defer {
            service.stop()
            if keep {
                FileHandle.standardError.write("scheduling-bench: kept \(directory)\n")
            } else {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        do {
            try await service.waitUntilServing()
            let client = try await RPCClient.connect(socketPath: service.socketPath, caller: "scheduling-bench")
            do {
                try await drive(client, socketPath: service.socketPath, plan, &figures)
                await client.close()
            } catch {
                await client.close()
                throw error
            }
        } catch {
            throw BenchFailure("\(error)\n--- training-scheduling log (tail) ---\n\(service.logTail)")
        }
        return figures
    }

    /// The intake's events, numbered in the order the bench sends them.
    struct Intake {
        let occurredAt: Int64
        var sequence: UInt64 = 0

        mutating func envelope(_ type: String, subject: String, payload: [UInt8]) -> EventEnvelope {
            sequence += 1
            return EventEnvelope(
                eventId: "\(producer)/\(sequence)", type: type, producer: producer, subject: subject, sequence: sequence,
                occurredAtUnixMs: occurredAt + Int64(sequence), payload: payload)
        }
    }

    /// Loads the case, delivers the roster and the close of the month before, publishes the
    /// plan: everything before the first BuildEnrolment. Returns the intake's numbering.
    static func load(_ client: RPCClient, _ plan: Requests, _ figures: inout EndToEndFigures) async throws -> Intake {
        let method = TrainingSchedulingMethods.self
        let loadStart = ContinuousClock.now
        try check(try await client.call(method.putQueues, PutQueuesRequest(queues: plan.queues), options: options), "PutQueues")
        try check(try await client.call(method.putCourses, PutCoursesRequest(courses: plan.courses), options: options), "PutCourses")
        for course in plan.courses {
            _ = try await client.call(
                method.approveCourseware,
                ApproveCoursewareRequest(courseId: course.courseId, version: "v1", approvedBy: "Bench Department Manager"), options: options)
        }
        try check(try await client.call(method.putTrainers, PutTrainersRequest(trainers: plan.trainers), options: options), "PutTrainers")
        let forecastsStart = ContinuousClock.now
        for chunk in plan.forecasts.chunked(1000) {
            try check(try await client.call(method.putForecasts, PutForecastsRequest(month: month, forecasts: Array(chunk)), options: options), "PutForecasts")
            figures.forecastCalls += 1
        }
        figures.forecastsSeconds = seconds(since: forecastsStart)
        let shiftsStart = ContinuousClock.now
        for chunk in plan.shifts.chunked(1000) {
            try check(try await client.call(method.putShifts, PutShiftsRequest(month: month, agents: Array(chunk)), options: options), "PutShifts")
            figures.shiftCalls += 1
        }
        figures.shiftsSeconds = seconds(since: shiftsStart)
        let drafted = try await client.call(method.draftSessions, DraftSessionsRequest(month: month, sessions: plan.sessions), options: options)
        guard drafted.sessions == plan.sessions.count else { throw BenchFailure("DraftSessions stored \(drafted.sessions) of \(plan.sessions.count)") }
        figures.loadSeconds = seconds(since: loadStart)

        // The intake's events: the roster, then the close of the month before (plan not yet published).
        var intake = Intake(occurredAt: plan.occurredAt)
        let roster = plan.roster.map { entry in
            intake.envelope(RosterChanged.protoName, subject: entry.agentId, payload: RosterChanged(entry: entry).serializedBytes())
        }
        let rosterStart = ContinuousClock.now
        for chunk in roster.chunked(eventsPerDeliver) { try await deliver(client, Array(chunk)) }
        figures.rosterSeconds = seconds(since: rosterStart)
        figures.rosterEvents = roster.count

        let closed = MonthClosed(month: monthBefore, appliesToMonth: month, revision: 1, policyVersion: 1, assignments: plan.tiers)
        let closedEnvelope = intake.envelope(MonthClosed.protoName, subject: "month:\(monthBefore)", payload: closed.serializedBytes())
        let closedStart = ContinuousClock.now
        try await deliver(client, [closedEnvelope])
        figures.monthClosedSeconds = seconds(since: closedStart)
        figures.tierAssignments = plan.tiers.count

        let publishStart = ContinuousClock.now
        let published = try await client.call(method.publishMonthlyPlan, PublishMonthlyPlanRequest(month: month), options: options)
        figures.publishSeconds = seconds(since: publishStart)
        guard published.sessions == plan.sessions.count else { throw BenchFailure("published \(published.sessions) of \(plan.sessions.count) sessions") }
        return intake
    }

    /// Loads the case, then times the events, publication, the builds and the confirmation,
    /// the notices the first build wrote, and the messaging system's side of them.
    static func drive(_ client: RPCClient, socketPath: String, _ plan: Requests, _ figures: inout EndToEndFigures) async throws {
        let method = TrainingSchedulingMethods.self
        var intake = try await load(client, plan, &figures)

        // The first build places everyone; each re-build keeps every seat.
        let buildStart = ContinuousClock.now
        let first = try await client.call(method.buildEnrolment, BuildEnrolmentRequest(month: month), options: options)
        figures.buildSeconds = seconds(since: buildStart)
        figures.bound = Int(first.bound)
        figures.placedBound = Int(first.placedBound)
        figures.unplaced = Int(first.unplaced)
        figures.basis = first.basis.protoName
        figures.noticePlacements = Int(first.newlyPlaced)

        // What the first build wrote for the messaging system.
        let listed = try await listNotices(socketPath: socketPath)
        figures.notices = listed.notices.count
        figures.noticesByKind = listed.byKind
        figures.listNoticesSeconds = listed.seconds
        figures.listNoticesBytes = listed.bytes

        for _ in 0..<rebuilds {
            let start = ContinuousClock.now
            let again = try await client.call(method.buildEnrolment, BuildEnrolmentRequest(month: month), options: options)
            figures.rebuildSamples.append(seconds(since: start))
            figures.rebuildKept = Int(again.kept)
            figures.rebuildNewlyPlaced = Int(again.newlyPlaced)
            guard again.placedBound == first.placedBound, again.bound == first.bound else {
                throw BenchFailure("a re-build changed the enrolment: \(again) after \(first)")
            }
        }

        // The confirmation path: a re-close (revision 2, same tiers) with the plan published
        // re-places the month inside the Deliver call's transaction.
        let reclosed = MonthClosed(month: monthBefore, appliesToMonth: month, revision: 2, policyVersion: 1, assignments: plan.tiers)
        let reclosedEnvelope = intake.envelope(MonthClosed.protoName, subject: "month:\(monthBefore)", payload: reclosed.serializedBytes())
        let confirmStart = ContinuousClock.now
        try await deliver(client, [reclosedEnvelope])
        figures.confirmSeconds = seconds(since: confirmStart)
        let after = try await client.call(method.getEnrolment, GetEnrolmentRequest(month: month), options: options)
        guard let summary = after.summary, summary.tiersFrom.hasSuffix("revision 2") else {
            throw BenchFailure("the re-close did not confirm the enrolment again: \(String(describing: after.summary))")
        }
        figures.confirmKept = Int(summary.kept)
        for unplaced in after.unplaced { figures.unplacedByReason[unplaced.reason.protoName, default: 0] += 1 }

        // A volunteer's sign-up for a session within one of their shifts: each call re-places the
        // month in its transaction, refused or not. Up to 10 candidates, until one gets in.
        for candidate in plan.signUpCandidates.prefix(10) {
            let start = ContinuousClock.now
            figures.signUpAttempts += 1
            do {
                let response = try await client.call(
                    method.signUp, SignUpRequest(month: month, sessionId: candidate.session, agentId: candidate.agent), options: options)
                figures.signUpSeconds = seconds(since: start)
                figures.signUpOutcome = response.outcome.protoName
                break
            } catch let error as RPCError where error.code == .failedPrecondition {
                figures.signUpSeconds = seconds(since: start)
                figures.signUpOutcome = "FAILED_PRECONDITION"  // e.g. coverage: try the next one
            }
        }

        // The messaging system: every pending notice, 1,000 per call, then one acknowledgement
        // of 1,000 of them.
        var firstPage: [String] = []
        var afterID = ""
        let pendingStart = ContinuousClock.now
        while true {
            let page = try await client.call(
                method.listPendingNotices, ListPendingNoticesRequest(limit: 1000, afterNoticeId: afterID), options: options)
            figures.pendingCalls += 1
            figures.pendingNotices += page.notices.count
            if firstPage.isEmpty { firstPage = page.notices.map(\.noticeId) }
            guard page.notices.count == 1000, let last = page.notices.last else { break }
            afterID = last.noticeId
        }
        figures.pendingSeconds = seconds(since: pendingStart)
        guard firstPage.count == 1000 else { throw BenchFailure("only \(firstPage.count) pending notices to acknowledge") }
        let acknowledgeStart = ContinuousClock.now
        let acknowledged = try await client.call(method.acknowledgeNotices, AcknowledgeNoticesRequest(noticeIds: firstPage), options: options)
        figures.acknowledgeSeconds = seconds(since: acknowledgeStart)
        figures.acknowledged = Int(acknowledged.accepted)
        guard acknowledged.accepted == 1000 else { throw BenchFailure("AcknowledgeNotices accepted \(acknowledged.accepted) of 1000") }
    }

    /// Every notice of the month, paging ListNotices 10,000 at a time. Times the calls alone
    /// (not the connect); bytes are the pages' total.
    static func listNotices(socketPath: String) async throws -> (notices: [Notice], byKind: [String: Int], seconds: Double, bytes: Int) {
        let reader = try await RPCClient.connect(socketPath: socketPath, caller: "scheduling-bench")
        do {
            let start = ContinuousClock.now
            var notices: [Notice] = [], bytes = 0, after = ""
            repeat {
                let page = try await reader.call(
                    TrainingSchedulingMethods.listNotices, ListNoticesRequest(month: month, limit: 10_000, afterNoticeId: after), options: options)
                notices += page.notices
                bytes += page.serializedBytes().count
                after = page.nextAfterNoticeId
            } while !after.isEmpty
            let elapsed = seconds(since: start)
            await reader.close()
            var byKind: [String: Int] = [:]
            for notice in notices { byKind[notice.kind.protoName, default: 0] += 1 }
            return (notices, byKind, elapsed, bytes)
        } catch {
            await reader.close()
            throw error
        }
    }

    static func deliver(_ client: RPCClient, _ events: [EventEnvelope]) async throws {
        let response = try await client.call(EventInboxMethods.deliver, DeliverEventsRequest(events: events), options: options)
        let applied = response.acks.filter { $0.disposition == .eventApplied }.count
        guard applied == events.count else {
            let rejected = response.acks.first { $0.disposition != .eventApplied }
            throw BenchFailure("Deliver applied \(applied) of \(events.count) events; first other: \(String(describing: rejected))")
        }
    }

    static func check(_ response: BatchResponse, _ call: String) throws {
        guard response.rejected == 0 else {
            let first = response.results.first { $0.outcome == .rejected }
            throw BenchFailure("\(call) rejected \(response.rejected) records; first: \(String(describing: first))")
        }
    }

    /// Placement.place on what the service will place, for comparison (median of 3).
    static func sameInputPlacement(_ input: Placement.Input, into figures: inout EndToEndFigures) throws -> Double {
        var samples: [Double] = []
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let result = try Placement.place(input)
            samples.append(seconds(since: start))
            let summary = MonthEnrolment.summary(of: result, agents: input.agents, previousStandings: [:])
            figures.sameInputPlacedBound = summary.placedBound
            figures.sameInputBound = summary.bound
        }
        return samples.sorted()[1]
    }
}

/// The wire requests for the benchmark case, built before anything is timed.
struct Requests {
    var queues: [TrainingWire.ServiceQueue] = []
    var courses: [TrainingWire.CatalogueCourse] = []
    var trainers: [TrainingWire.Trainer] = []
    var forecasts: [IntervalForecast] = []
    var shifts: [AgentShifts] = []
    var sessions: [PlannedSession] = []
    var roster: [RosterEntry] = []
    var tiers: [TierAssignment] = []
    var occurredAt: Int64 = 0
    /// Volunteers with a session of their course that lies within one of their shifts.
    var signUpCandidates: [(agent: String, session: String)] = []
    /// What the service will place: agents as the roster and tiers give them back.
    var serviceInput: Placement.Input

    /// Minute 0 is the month's first day 00:00, local.
    static let monthStartDay = LocalClock.days(year: 2026, month: 12, day: 1)

    static func local(_ minute: Int) -> String { LocalClock.format(minutes: monthStartDay * 1440 + minute) }

    /// How the benchmark's forecasts reach the service.
    enum Forecasts {
        /// As generated: sized against the floor with 30 % of agents serving two queues.
        case asGenerated
        /// Each queue-interval's contacts scaled by the agents on the phones with one queue
        /// per agent (the service's roster) over those the generator counted, so the floor
        /// keeps the slack the generator gave it (the same occupancy draw).
        case resizedToOneQueue
    }

    /// `teamLeaders: false` sends every roster entry and tier without a team leader: each new
    /// seat then gets its memo only (no brief, no goal-talk reminder), for the notice case.
    init(_ input: Placement.Input, forecasts mode: Forecasts, teamLeaders: Bool = true) {
        serviceInput = input
        occurredAt = Int64((ISO8601DateFormatter().date(from: EndToEnd.clockStart)?.timeIntervalSince1970 ?? 0) * 1000)

        // Queues: every queue an agent serves, with the target of its forecasts (80 % in 20 s).
        var targets: [QueueID: ServiceLevelTarget] = [:]
        for forecast in input.forecasts where targets[forecast.queue] == nil { targets[forecast.queue] = forecast.target }
        let queueIDs = Set(input.agents.flatMap(\.queues)).union(targets.keys).sorted()
        queues = queueIDs.map { id in
            let target = targets[id] ?? .eightyTwenty
            return TrainingWire.ServiceQueue(
                queueId: id.rawValue, name: "Queue \(id.rawValue)", serviceLevelPercent: UInt32((target.fraction * 100).rounded()),
                answerWithinSeconds: UInt32(target.answerWithinSeconds.rounded()))
        }
        var domainForecasts = input.forecasts
        if mode == .resizedToOneQueue { domainForecasts = Self.resizedToOneQueue(input) }
        serviceInput.forecasts = domainForecasts
        forecasts = domainForecasts.map { forecast in
            IntervalForecast(
                queueId: forecast.queue.rawValue, start: Self.local(forecast.interval.range.start), expectedContacts: forecast.expectedContacts,
                averageHandleSeconds: forecast.averageHandleTimeSeconds, shrinkage: forecast.shrinkage)
        }

        // Shifts, one record per agent in the order the agents come.
        var shiftsOf: [AgentID: [LocalTimeRange]] = [:]
        for shift in input.shifts {
            shiftsOf[shift.agent, default: []].append(LocalTimeRange(start: Self.local(shift.range.start), end: Self.local(shift.range.end)))
        }
        shifts = input.agents.compactMap { agent in
            shiftsOf[agent.id].map { AgentShifts(agentId: agent.id.rawValue, shifts: $0) }
        }

        // Courses: online (no room), the duration of their first session; courseware approved separately.
        var firstLength: [CourseID: Int] = [:]
        for session in input.sessions where firstLength[session.course] == nil { firstLength[session.course] = session.range.end - session.range.start }
        courses = input.courses.map { course in
            TrainingWire.CatalogueCourse(
                courseId: course.id.rawValue, title: "Benchmark course \(course.id.rawValue)",
                kind: TrainingWire.CourseKind(rawValue: Int32(course.kind.rawValue)) ?? .unspecified,
                category: TrainingWire.CourseCategory(rawValue: Int32(course.category.rawValue)) ?? .unspecified,
                method: .online, durationMinutes: UInt32(firstLength[course.id] ?? 60))
        }

        // Trainers: a pool that never double-books, each qualified for every course and
        // available the whole month; sessions go to the first trainer free at their start.
        var busyUntil: [Int] = []
        var trainerOf: [SessionID: Int] = [:]
        for session in input.sessions.sorted(by: { ($0.range.start, $0.id) < ($1.range.start, $1.id) }) {
            if let free = busyUntil.firstIndex(where: { $0 <= session.range.start }) {
                busyUntil[free] = session.range.end
                trainerOf[session.id] = free
            } else {
                busyUntil.append(session.range.end)
                trainerOf[session.id] = busyUntil.count - 1
            }
        }
        func trainerID(_ n: Int) -> String { "TR" + String(n) }
        let allCourses = input.courses.map(\.id.rawValue)
        let lastDay = LocalClock.daysInMonth(year: 2026, month: 12)
        trainers = (0..<busyUntil.count).map { n in
            TrainingWire.Trainer(
                trainerId: trainerID(n), name: "Trainer \(n)", qualifiedCourseIds: allCourses,
                availability: [LocalTimeRange(start: Self.local(0), end: Self.local(lastDay * 1440))])
        }
        sessions = input.sessions.map { session in
            PlannedSession(
                sessionId: session.id.rawValue, courseId: session.course.rawValue, trainerId: trainerID(trainerOf[session.id] ?? 0),
                roomId: "", start: Self.local(session.range.start), end: Self.local(session.range.end), capacity: UInt32(session.capacity))
        }

        // The intake's view: a roster entry per agent (its first queue: the roster names one)
        // and a tier for each agent in service.
        for agent in input.agents {
            let leader = teamLeaders ? agent.teamLeader?.rawValue ?? "" : ""
            roster.append(RosterEntry(
                agentId: agent.id.rawValue, name: "Agent \(agent.id.rawValue)", teamId: agent.team.rawValue, teamLeaderId: leader,
                department: EndToEnd.department, site: EndToEnd.site, queue: agent.queues.first?.rawValue ?? "",
                hireDate: agent.isOnboarding ? "2026-11-02" : "2024-03-01", status: agent.isOnboarding ? .onboarding : .inService,
                effectiveDate: agent.isOnboarding ? "2026-11-02" : "2026-11-01"))
            if case .inService(let tier) = agent.standing {
                tiers.append(TierAssignment(
                    agentId: agent.id.rawValue, name: "Agent \(agent.id.rawValue)", teamId: agent.team.rawValue, teamLeaderId: leader,
                    department: EndToEnd.department, site: EndToEnd.site, tier: Tier(rawValue: Int32(tier.rawValue)) ?? .unspecified,
                    average: 90, count: tier == .insufficientData ? 1 : 12, standardError: 1.5, borderline: false,
                    problemSummaryDue: tier == .coaching ? "2026-12-05" : ""))
            }
        }

        // Volunteers and a session of their course that lies within one of their shifts.
        var rangesOf: [AgentID: [MinuteRange]] = [:]
        for shift in input.shifts { rangesOf[shift.agent, default: []].append(shift.range) }
        for volunteer in input.volunteers {
            let own = rangesOf[volunteer.agent] ?? []
            if let session = input.sessions.first(where: { session in
                session.course == volunteer.course && own.contains { $0.contains(session.range) }
            }) {
                signUpCandidates.append((volunteer.agent.rawValue, session.id.rawValue))
            }
        }

        // The same case as the service sees it: one queue per agent, no co-delivering staff,
        // no volunteers before the first build, department and site as sent.
        serviceInput.agents = input.agents.map { agent in
            var seen = agent
            seen.queues = Array(agent.queues.prefix(1))
            if !teamLeaders { seen.teamLeader = nil }
            seen.department = EndToEnd.department
            seen.site = EndToEnd.site
            return seen
        }
        serviceInput.sessions = input.sessions.map { session in
            var seen = session
            seen.staff = []
            return seen
        }
        serviceInput.volunteers = []
        serviceInput.previous = []
    }
}

extension Requests {
    /// The generator's forecasts, each scaled to the agents on the phones when every agent
    /// serves only their first queue (counted as `Placement.benchmarkInput` counts).
    static func resizedToOneQueue(_ input: Placement.Input) -> [QueueForecast] {
        var scheduledAll: [QueueID: [Int: Int]] = [:], scheduledFirst: [QueueID: [Int: Int]] = [:]
        var agentOf: [AgentID: Agent] = [:]
        for agent in input.agents { agentOf[agent.id] = agent }
        for shift in input.shifts {
            guard let agent = agentOf[shift.agent], !agent.isOnboarding else { continue }
            let first = (shift.range.start + Interval.minutes - 1) / Interval.minutes, last = shift.range.end / Interval.minutes
            for (n, queue) in agent.queues.enumerated() {
                for k in first..<max(first, last) {
                    scheduledAll[queue, default: [:]][k, default: 0] += 1
                    if n == 0 { scheduledFirst[queue, default: [:]][k, default: 0] += 1 }
                }
            }
        }
        func onPhones(_ scheduled: Int, _ shrinkage: Double) -> Int {
            max(0, Int((Double(scheduled) * (1 - shrinkage) + 1e-9).rounded(.down)))
        }
        return input.forecasts.map { forecast in
            var resized = forecast
            let all = onPhones(scheduledAll[forecast.queue]?[forecast.interval.index] ?? 0, forecast.shrinkage)
            let first = onPhones(scheduledFirst[forecast.queue]?[forecast.interval.index] ?? 0, forecast.shrinkage)
            resized.expectedContacts = all > 0 ? forecast.expectedContacts * Double(first) / Double(all) : 0
            return resized
        }
    }
}

/// Local wall-clock date-times "YYYY-MM-DDTHH:MM" from minutes since 1970-01-01 00:00 (no zone).
enum LocalClock {
    /// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        let next = month == 12 ? days(year: year + 1, month: 1, day: 1) : days(year: year, month: month + 1, day: 1)
        return next - days(year: year, month: month, day: 1)
    }

    static func format(minutes: Int) -> String {
        let day = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
        let minute = minutes - day * 1440
        let (y, m, d) = civil(day)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(minute / 60)):\(two(minute % 60))"
    }
}

/// The real `training-scheduling` executable, started beside this binary with a temporary
/// socket and database (as Tests/TestSupport/ServiceProcess.swift does for the tests).
@MainActor
final class ServiceUnderTest {
    let process = Process()
    let socketPath: String
    let databasePath: String
    let logPath: String
    private var stopped = false

    /// Where `swift build` put the products: `TRAINING_BIN_DIR`, else beside this binary.
    static var productsDirectory: String {
        if let directory = ProcessInfo.processInfo.environment["TRAINING_BIN_DIR"], !directory.isEmpty { return directory }
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    init(directory: String) throws {
        let executable = "\(Self.productsDirectory)/training-scheduling"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchFailure("\(executable) is missing: build the training-scheduling product with the same scratch path first")
        }
        socketPath = "\(directory)/s.sock"
        databasePath = "\(directory)/training-scheduling.sqlite"
        logPath = "\(directory)/training-scheduling.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--socket", socketPath, "--database", databasePath, "--clock-start", EndToEnd.clockStart]
        // No intake (the bench plays it with events) and none of the caller's scheduling
        // settings; the provisional day after the clock's date, so that the provisional job
        // never builds the month behind the bench's back.
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TRAINING_SCHEDULING_") }
        environment["TRAINING_SCHEDULING_PROVISIONAL_DAY"] = "28"
        process.environment = environment
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardError = log
        process.standardOutput = log
        try process.run()
    }

    var logTail: String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
    }

    func waitUntilServing(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw BenchFailure("training-scheduling exited with \(process.terminationStatus) before serving") }
            do {
                let client = try await RPCClient.connect(socketPath: socketPath, caller: "scheduling-bench")
                let response = try await client.call(HealthMethods.check, HealthCheckRequest(), options: CallOptions(timeout: .seconds(1)))
                await client.close()
                if response.status == .serving { return }
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchFailure("training-scheduling not serving after \(timeout): \(String(describing: lastError))")
    }

    /// SIGTERM, then wait (SIGKILL after 20 s).
    func stop() {
        guard !stopped else { return }
        stopped = true
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

extension FileHandle {
    func write(_ text: String) { write(Data(text.utf8)) }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
