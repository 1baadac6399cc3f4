import Foundation
import RPCRuntime
import TestSupport
import Testing
import TrainingWire

/// The two-week follow-up meeting with the real effectiveness-review process: the
/// scheduling service's `SessionCompleted` delivered straight to the review's inbox (as the
/// producer's delivery loop would), then the meetings listed and recorded on the wire.
@Suite("Review: the two-week follow-up meeting", .serialized)
struct ReviewFollowUpTests {
    static func expectStatus<T>(_ code: StatusCode, _ body: () async throws -> T) async throws -> RPCError? {
        try await SchedulingPlanTests.expectStatus(code, body)
    }

    /// One `SessionCompleted` as the scheduling service's outbox would send it.
    static func completed(
        _ sequence: Int, session: String = "S-QUAL-1", agent: String, attended: Bool = true, on date: String = "2026-12-03",
        goals: String = "", team: String = "t1"
    ) -> EventEnvelope {
        let event = SessionCompleted(
            sessionId: session, courseId: "C-QUAL", agentId: agent, attended: attended, excused: false, completedOn: date,
            criterionIds: ["phrasing"], metricIds: [], teamId: team, goals: goals, required: true, late: false)
        return EventEnvelope(
            eventId: "training.v1.TrainingScheduling/\(sequence)", type: SessionCompleted.protoName, producer: "training.v1.TrainingScheduling",
            subject: agent, sequence: UInt64(sequence), occurredAtUnixMs: 1_796_000_000_000, payload: event.serializedBytes())
    }

    static func start(_ directory: TemporaryDirectory, clock: String) async throws -> (ServiceProcess, RPCClient) {
        let review = try ServiceProcess("effectiveness-review", in: directory, socketName: "e", arguments: ["--clock-start", clock])
        try await review.waitUntilServing()
        return (review, try await RPCClient.connect(socketPath: review.socketPath, caller: "team-leader"))
    }

    static func record(
        session: String = "S-QUAL-1", agent: String, feeling: UInt32 = 4, goalsReached: FollowUpGoalsReached = .followUpGoalsPartlyReached,
        preference: LearningPreference = .demonstration, heldOn: String = "2026-12-17"
    ) -> RecordFollowUpMeetingRequest {
        RecordFollowUpMeetingRequest(
            sessionId: session, agentId: agent, heldBy: "lead-t1", heldOn: heldOn, feeling: feeling,
            learned: "Explain fees before the customer asks", goalsReached: goalsReached, futureChanges: "More role play",
            managerSupport: "Listen to two of my calls a week", preference: preference)
    }

    @Test("attendees get a meeting due 14 days later with their goals; the absent none; a duplicate adds nothing; recorded once; overdue later")
    func followUpMeetings() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var (review, client) = try await Self.start(directory, clock: "2026-12-17T10:00:00+08:00")
        let producer = try await RPCClient.connect(socketPath: review.socketPath, caller: "training.v1.TrainingScheduling")
        func deliver(_ envelopes: [EventEnvelope]) async throws -> [EventDisposition] {
            try await producer.call(EventInboxMethods.deliver, DeliverEventsRequest(events: envelopes)).acks.map(\.disposition)
        }
        let goals = "Explain the new card's fees without notes"
        #expect(try await deliver([
            Self.completed(1, agent: "a1", goals: goals), Self.completed(2, agent: "a2"), Self.completed(3, agent: "a3", attended: false),
            Self.completed(4, session: "S-QUAL-2", agent: "a4", on: "2026-12-10", team: "t2"),
        ]) == [.eventApplied, .eventApplied, .eventApplied, .eventApplied])
        // The same event again is a duplicate; another event for the same seat changes nothing.
        #expect(try await deliver([Self.completed(1, agent: "a1", goals: goals)]) == [.eventDuplicate])
        #expect(try await deliver([Self.completed(9, agent: "a1", on: "2026-12-05")]) == [.eventApplied])
        let bad = try await producer.call(EventInboxMethods.deliver, DeliverEventsRequest(events: [Self.completed(10, agent: "a5", on: "3 Dec")])).acks
        #expect(bad.map(\.disposition) == [.eventRejected] && bad.first?.reason.contains("completed_on") == true)

        let all = try await client.call(EffectivenessReviewMethods.listFollowUpMeetings, ListFollowUpMeetingsRequest()).meetings
        #expect(all.map(\.agentId) == ["a1", "a2", "a4"], "ordered by due date")
        let a1 = try #require(all.first { $0.agentId == "a1" })
        #expect(a1.sessionOn == "2026-12-03" && a1.dueOn == "2026-12-17" && a1.goals == goals && a1.courseId == "C-QUAL" && a1.teamId == "t1")
        #expect(a1.state == .followUpMeetingDue && a1.answers == nil && a1.heldOn.isEmpty && a1.proposedMethods.isEmpty)
        // On 2026-12-17 the meeting of the session of 2026-12-10 is not due for a week; the others are due today.
        #expect(all.allSatisfy { $0.state == .followUpMeetingDue })
        #expect(try await client.call(EffectivenessReviewMethods.listFollowUpMeetings, ListFollowUpMeetingsRequest(teamId: "t2")).meetings.map(\.agentId) == ["a4"])
        #expect(try await client.call(EffectivenessReviewMethods.listFollowUpMeetings, ListFollowUpMeetingsRequest(month: "2027-01")).meetings.isEmpty)
        let badMonth = try await Self.expectStatus(.invalidArgument) {
            try await client.call(EffectivenessReviewMethods.listFollowUpMeetings, ListFollowUpMeetingsRequest(month: "12/2026"))
        }
        #expect(badMonth?.violations.map(\.subject) == ["month"])

        // A feeling of 6 is refused naming the field; so is a verdict on goals never agreed (a2 had none).
        let badFeeling = try await Self.expectStatus(.invalidArgument) {
            try await client.call(EffectivenessReviewMethods.recordFollowUpMeeting, Self.record(agent: "a1", feeling: 6))
        }
        #expect(badFeeling?.violations.map(\.subject) == ["feeling"])
        let badGoals = try await Self.expectStatus(.invalidArgument) {
            try await client.call(EffectivenessReviewMethods.recordFollowUpMeeting, Self.record(agent: "a2"))
        }
        #expect(badGoals?.violations.map(\.subject) == ["goals_reached"])
        let future = try await Self.expectStatus(.invalidArgument) {
            try await client.call(EffectivenessReviewMethods.recordFollowUpMeeting, Self.record(agent: "a1", heldOn: "2026-12-18"))
        }
        #expect(future?.violations.map(\.subject) == ["held_on"])
        _ = try await Self.expectStatus(.notFound) {
            try await client.call(EffectivenessReviewMethods.recordFollowUpMeeting, Self.record(agent: "a3"))
        }

        // Held: the answers and a continuing-learning plan in the agent's way of learning.
        let held = try await client.call(EffectivenessReviewMethods.recordFollowUpMeeting, Self.record(agent: "a1"))
        #expect(held.state == .followUpMeetingHeld && held.heldBy == "lead-t1" && held.heldOn == "2026-12-17")
        #expect(held.answers?.feeling == 4 && held.answers?.goalsReached == .followUpGoalsPartlyReached)
        #expect(held.preference == .demonstration && held.proposedMethods == [.videos, .sideBySide])
        #expect(held.practiceStartsOn == "2026-12-17" && held.practiceEndsOn == "2027-01-15")
        let listening = try await client.call(
            EffectivenessReviewMethods.recordFollowUpMeeting,
            Self.record(agent: "a2", goalsReached: .followUpNoGoalsAgreed, preference: .listening), options: CallOptions(idempotencyKey: "a2-meeting"))
        #expect(listening.proposedMethods == [.recordedCalls, .podcasts])
        // A retry with its key gets the first answer; a second recording without it is refused.
        let retried = try await client.call(
            EffectivenessReviewMethods.recordFollowUpMeeting,
            Self.record(agent: "a2", goalsReached: .followUpNoGoalsAgreed, preference: .listening), options: CallOptions(idempotencyKey: "a2-meeting"))
        #expect(retried == listening)
        let twice = try await Self.expectStatus(.failedPrecondition) {
            try await client.call(EffectivenessReviewMethods.recordFollowUpMeeting, Self.record(agent: "a1", preference: .reading))
        }
        #expect(twice?.violations.map(\.subject) == ["session_id"])
        let stillHeld = try await client.call(EffectivenessReviewMethods.listFollowUpMeetings, ListFollowUpMeetingsRequest(state: .followUpMeetingHeld))
        #expect(stillHeld.meetings.map(\.agentId) == ["a1", "a2"] && stillHeld.meetings.first?.preference == .demonstration)
        await producer.close()
        await client.close()
        #expect(try await review.stop() == 0)

        // The same database a week later: a4's meeting (due 2026-12-24) is overdue on the 26th.
        (review, client) = try await Self.start(directory, clock: "2026-12-26T10:00:00+08:00")
        let overdue = try await client.call(EffectivenessReviewMethods.listFollowUpMeetings, ListFollowUpMeetingsRequest(state: .followUpMeetingOverdue))
        #expect(overdue.meetings.map(\.agentId) == ["a4"] && overdue.meetings.first?.dueOn == "2026-12-24")
        let due = try await client.call(EffectivenessReviewMethods.listFollowUpMeetings, ListFollowUpMeetingsRequest(state: .followUpMeetingDue))
        #expect(due.meetings.isEmpty)
        let december = try await client.call(EffectivenessReviewMethods.listFollowUpMeetings, ListFollowUpMeetingsRequest(month: "2026-12"))
        #expect(december.meetings.map(\.state) == [.followUpMeetingHeld, .followUpMeetingHeld, .followUpMeetingOverdue])
        await client.close()
        #expect(try await review.stop() == 0)
    }
}
