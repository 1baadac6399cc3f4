import RPCRuntime
import TrainingWire

// Enrolment types to the wire. Times become the center's local date-times again.

extension EnrolmentRun {
    var wire: TrainingWire.EnrolmentSummary {
        TrainingWire.EnrolmentSummary(
            month: month, basis: basis == .confirmed ? TrainingWire.EnrolmentBasis.confirmed : .provisional, tiersFrom: tiersFrom,
            bound: UInt32(clamping: summary.bound), placedBound: UInt32(clamping: summary.placedBound),
            placedVoluntary: UInt32(clamping: summary.placedVoluntary), waiting: UInt32(clamping: summary.waiting),
            unplaced: UInt32(clamping: summary.unplaced), kept: UInt32(clamping: summary.kept),
            newlyPlaced: UInt32(clamping: summary.newlyPlaced), dropped: UInt32(clamping: summary.dropped),
            standingChanges: UInt32(clamping: summary.standingChanges), builtAtUnixMs: builtAt)
    }
}

extension PlanningMonth {
    func local(_ minute: Int) -> String { LocalDateTime(minutes: startMinute + minute).description }
}

extension StoredEnrolment {
    func wire(month: PlanningMonth) -> TrainingWire.Enrolment {
        TrainingWire.Enrolment(
            agentId: agent.rawValue, teamId: team.rawValue, courseId: course.rawValue, sessionId: session.rawValue,
            start: month.local(time.start), end: month.local(time.end), trainerId: trainer.rawValue, roomId: room?.rawValue ?? "",
            requirement: required ? .attendanceRequired : .attendanceVoluntary, withOwnTeamLeader: withOwnTeamLeader,
            placedAtUnixMs: placedAt, shortNotice: shortNotice, goals: goals, goalsAgreedBy: goalsAgreedBy,
            attendance: attendance.map { TrainingWire.AttendanceStatus(rawValue: Int32($0.rawValue)) ?? .unspecified } ?? .unspecified)
    }
}

extension StoredUnplaced {
    var wire: UnplacedEnrolment {
        UnplacedEnrolment(agentId: agent.rawValue, teamId: team.rawValue, courseId: course.rawValue, reason: reason.wire)
    }
}

extension Placement.Reason {
    var wire: UnplacedReason {
        UnplacedReason(rawValue: Int32(EnrolmentRepository.code(self))) ?? .unspecified
    }

    /// For a FAILED_PRECONDITION that says why a sign-up cannot be seated.
    var explanation: String {
        switch self {
        case .noSessionScheduled: "the course has no such session"
        case .noSessionWithinShifts: "the session is outside the agent's shifts"
        case .clashesWithOtherTraining: "the session overlaps the agent's other training"
        case .noSeat: "the session is full"
        case .coverage: "taking the agent off the floor then would break a queue's or team's coverage"
        case .noLaterSession: "the session has already started"
        }
    }
}

extension StoredWaiting {
    var wire: WaitingEntry {
        WaitingEntry(
            agentId: agent.rawValue, sessionId: session.rawValue, courseId: course.rawValue, position: UInt32(clamping: position),
            signedUpAtUnixMs: signedUpAt)
    }
}

extension IntervalOutlook {
    func wire(month: PlanningMonth) -> TrainingWire.IntervalOutlook {
        var wire = TrainingWire.IntervalOutlook()
        wire.intervalStart = month.local(interval.range.start)
        wire.keepsCoverage = keepsCoverage
        switch scope {
        case let .queue(queue, onFloor, required, serviceLevel):
            wire.queueId = queue.rawValue
            wire.onFloor = UInt32(clamping: max(0, onFloor))
            wire.required = UInt32(clamping: required)
            wire.serviceLevel = serviceLevel
        case let .team(team, onShift, inTraining, allowed):
            wire.teamId = team.rawValue
            wire.onShift = UInt32(clamping: onShift)
            wire.inTraining = UInt32(clamping: inTraining)
            wire.allowedInTraining = UInt32(clamping: allowed)
        }
        return wire
    }
}

/// Stored data placement cannot use (it was checked on the way in, so this is rare):
/// FAILED_PRECONDITION naming the record; an unknown session is NOT_FOUND.
extension SchedulingError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .unknownSession(let session): RPCError(.notFound, "no session \(session)")
        default: RPCError(.failedPrecondition, "the stored data cannot be placed: \(self)", violations: [Violation(subject: "month", description: "\(self)")])
        }
    }
}
