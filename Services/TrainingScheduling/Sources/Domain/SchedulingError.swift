/// Why a scheduling call refuses its input, in the domain's terms; handlers map every case
/// to INVALID_ARGUMENT (the input is wrong) except `unknownSession` (NOT_FOUND).
///
/// Why refuse rather than skip: a silently ignored session or forecast would produce a
/// plan that looks complete and is not.
public enum SchedulingError: Error, Hashable, Sendable {
    case duplicateAgent(AgentID)
    case duplicateCourse(CourseID)
    case duplicateSession(SessionID)
    /// A shift must start at or after the horizon's start and end after it starts.
    case invalidShift(AgentID, MinuteRange)
    /// A session must start at or after the horizon's start, end after it starts, and have
    /// a capacity of at least 0.
    case invalidSession(SessionID)
    /// A session of a course that is not in the plan.
    case unknownCourse(session: SessionID, course: CourseID)
    /// A forecast the staffing arithmetic cannot use (see `ErlangCError`).
    case invalidForecast(QueueID, Interval, ErlangCError)
    /// A forecast for an interval before the horizon's start (a negative index).
    case forecastBeforeHorizon(QueueID, Interval)
    /// Two forecasts for the same queue and interval: which one is meant?
    case duplicateForecast(QueueID, Interval)
    /// The maximum share of a team off the floor must lie in [0, 1].
    case shareOutsideUnitInterval(Double)
    /// Shifts or forecasts reach further than `FloorCoverage.maximumIntervals` (400 days):
    /// almost certainly minutes from the wrong epoch.
    case horizonTooLong(intervals: Int)
    /// A what-if names a session that is not in the input.
    case unknownSession(SessionID)
}
