import CalendarDates
import Foundation
import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// The two-week follow-up meeting on the wire: listing the meetings due, held and overdue,
/// and recording one with the agent's answers and preferred way of learning.
///
/// Why the state is computed on read: "overdue" depends on which day it is, not on a write;
/// storing it would need a background job and could be stale. The rules of a meeting (the
/// five answers, the learning plan) are the domain's (`FollowUpMeeting.hold`); this type
/// only maps the wire, finds the row and stores the record in one transaction.
struct FollowUpHandlers: Sendable {
    let database: SQLiteDatabase
    let clock: ServiceClock
    let settings: ReviewSettings
    let repository: FollowUpRepository

    init(database: SQLiteDatabase, clock: ServiceClock, settings: ReviewSettings) {
        self.database = database
        self.clock = clock
        self.settings = settings
        self.repository = FollowUpRepository(policy: settings.policy)
    }

    var now: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    func register(in router: inout RPCRouter) {
        router.registerAsync(EffectivenessReviewMethods.listFollowUpMeetings, handler: listFollowUpMeetings)
        router.registerAsync(EffectivenessReviewMethods.recordFollowUpMeeting, handler: recordFollowUpMeeting)
    }

    func listFollowUpMeetings(_ request: ListFollowUpMeetingsRequest, _ context: CallContext) async throws -> FollowUpMeetingList {
        var problems: [FollowUpViolation] = []
        let month = request.month.isEmpty ? nil : YearMonth(request.month)
        if !request.month.isEmpty && month == nil { problems.append(FollowUpViolation("month", .inconsistent("must be a month YYYY-MM"))) }
        if !request.teamId.isEmpty { problems += FollowUpFields.identifier(request.teamId, "team_id") }
        guard problems.isEmpty else { throw ReviewCallError.invalid(problems) }
        let today = settings.today(clock.now())
        let team = request.teamId.isEmpty ? nil : request.teamId
        let stored = try await database.read(context) { db in try repository.meetings(dueIn: month, team: team, db) }
        return FollowUpMeetingList(meetings: stored.filter { request.state == .unspecified || $0.state(on: today) == request.state }.map {
            $0.wire(today: today)
        })
    }

    func recordFollowUpMeeting(_ request: RecordFollowUpMeetingRequest, _ context: CallContext) async throws -> TrainingWire.FollowUpMeeting {
        var problems = FollowUpFields.identifier(request.sessionId, "session_id") + FollowUpFields.identifier(request.agentId, "agent_id")
        problems += FollowUpFields.identifier(request.heldBy, "held_by")
        let today = settings.today(clock.now())
        let heldOn = LocalDate(request.heldOn)
        if let heldOn {
            if heldOn > today { problems.append(FollowUpViolation("held_on", .after(today))) }
        } else {
            problems.append(FollowUpViolation("held_on", .inconsistent("must be a date YYYY-MM-DD")))
        }
        let reached = GoalsReached(rawValue: Int(request.goalsReached.rawValue))
        if reached == nil { problems.append(FollowUpViolation("goals_reached", .required)) }
        let preference = LearningPreference(rawValue: Int(request.preference.rawValue))
        if preference == nil { problems.append(FollowUpViolation("preference", .required)) }
        // The answers' own rules (feeling 1-5, texts) are checked now, with every other
        // problem; the rule that needs the meeting's goals is checked once it is found.
        let answers = FollowUpAnswers(
            feeling: Int(clamping: request.feeling), learned: request.learned, goalsReached: reached ?? .noGoalsAgreed,
            futureChanges: request.futureChanges, managerSupport: request.managerSupport)
        problems += answers.violations(goals: "").filter { $0.field != "goals_reached" }
        guard problems.isEmpty, let heldOn, let preference else { throw ReviewCallError.invalid(problems) }
        let now = self.now, policy = settings.policy
        return try await database.idempotentWrite(context, now: now) { db in
            guard var stored = try repository.meeting(session: request.sessionId, agent: request.agentId, db) else {
                throw ReviewCallError.notFound(
                    "session_id", "no follow-up meeting for agent \(request.agentId) after session \(request.sessionId) (not completed, or not attended)")
            }
            if let held = stored.held {
                throw ReviewCallError.precondition("session_id", "the meeting was already held on \(held.record.heldOn) by \(held.heldBy)")
            }
            let record: FollowUpMeeting.Record?
            do throws(FollowUpError) {
                var meeting = try FollowUpMeeting(
                    sessionID: stored.sessionID, agentID: stored.agentID, teamLeaderID: request.heldBy, sessionOn: stored.sessionOn,
                    goals: stored.goals, policy: policy)
                try meeting.hold(on: heldOn, answers: answers, preference: preference, policy: policy)
                record = meeting.record
            } catch {
                throw ReviewCallError(error)
            }
            guard let record else { throw ReviewCallError.precondition("session_id", "the meeting was not recorded") }
            stored.held = .init(heldBy: request.heldBy, record: record)
            try repository.saveHeld(stored, now: now, db)
            return stored.wire(today: today)
        }
    }
}

extension StoredFollowUpMeeting {
    /// The meeting as the contract shows it on `today`.
    func wire(today: LocalDate) -> TrainingWire.FollowUpMeeting {
        var wire = TrainingWire.FollowUpMeeting(
            sessionId: sessionID, courseId: courseID, agentId: agentID, teamId: teamID, sessionOn: sessionOn.description,
            dueOn: dueOn.description, goals: goals, state: state(on: today))
        if let held {
            let answers = held.record.answers, plan = held.record.plan
            wire.heldBy = held.heldBy
            wire.heldOn = held.record.heldOn.description
            wire.answers = TrainingWire.FollowUpAnswers(
                feeling: UInt32(clamping: answers.feeling), learned: answers.learned,
                goalsReached: FollowUpGoalsReached(rawValue: Int32(answers.goalsReached.rawValue)) ?? .unspecified,
                futureChanges: answers.futureChanges, managerSupport: answers.managerSupport)
            wire.preference = TrainingWire.LearningPreference(rawValue: Int32(plan.preference.rawValue)) ?? .unspecified
            wire.proposedMethods = plan.methods.map { TrainingWire.LearningMethod(rawValue: Int32($0.rawValue)) ?? .unspecified }
            wire.practiceStartsOn = plan.practice.first.description
            wire.practiceEndsOn = plan.practice.last.description
        }
        return wire
    }
}

/// Why a call fails, mapped to one status each.
///
/// Why its own type: the domain's `FollowUpError` knows nothing of NOT_FOUND (a meeting that
/// does not exist is a storage fact), and every status here names its field, as the
/// contract promises.
enum ReviewCallError: Error, Sendable, RPCErrorConvertible {
    /// INVALID_ARGUMENT, every problem by field.
    case invalid([FollowUpViolation])
    /// FAILED_PRECONDITION: the input is fine, the meeting's state is not.
    case precondition(String, String)
    /// NOT_FOUND.
    case notFound(String, String)

    init(_ error: FollowUpError) {
        switch error {
        case .invalid(let violations): self = .invalid(violations)
        case .alreadyAnswered: self = .precondition("session_id", "the meeting was already held with other answers")
        case .reviewBeforeWindowEnds(let end): self = .precondition("session_id", "the follow-up window ends on \(end)")
        }
    }

    var rpcError: RPCError {
        switch self {
        case .invalid(let violations):
            let wire = violations.map(\.wire)
            return RPCError(.invalidArgument, violations.map(\.description).joined(separator: "; "), violations: wire)
        case .precondition(let subject, let message):
            return RPCError(.failedPrecondition, "\(subject): \(message)", violations: [Violation(subject: subject, description: message)])
        case .notFound(let subject, let message):
            return RPCError(.notFound, "\(subject): \(message)", violations: [Violation(subject: subject, description: message)])
        }
    }
}

extension FollowUpViolation {
    /// Subject the field, description the problem without the field's name.
    var wire: Violation {
        let text = description.hasPrefix(field + " ") ? String(description.dropFirst(field.count + 1)) : description
        return Violation(subject: field, description: text)
    }
}
