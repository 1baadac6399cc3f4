import CalendarDates
/// Where an agent stands in the center's life cycle.
public enum AgentStatus: Int, Sendable, Hashable {
    /// A new hire in onboarding: takes no calls, is not tiered, is not floor coverage.
    case onboarding = 1
    case inService = 2
    /// Has left; kept for retention figures.
    case left = 3
}

/// One agent as the roster says from `effectiveDate` on.
///
/// Why versions: a month is grouped by the team an agent belonged to then, so a change
/// (team move, leaving) is kept as a new version with its effective date, never an overwrite.
public struct RosterEntry: Sendable, Hashable {
    public var agentID: String
    public var name: String
    public var teamID: String
    public var teamLeaderID: String
    public var department: String
    public var site: String
    public var queue: String
    public var hireDate: LocalDate
    public var status: AgentStatus
    public var leftOn: LocalDate?
    public var effectiveDate: LocalDate

    public init(
        agentID: String, name: String, teamID: String, teamLeaderID: String, department: String, site: String,
        queue: String, hireDate: LocalDate, status: AgentStatus, leftOn: LocalDate?, effectiveDate: LocalDate
    ) {
        self.agentID = agentID
        self.name = name
        self.teamID = teamID
        self.teamLeaderID = teamLeaderID
        self.department = department
        self.site = site
        self.queue = queue
        self.hireDate = hireDate
        self.status = status
        self.leftOn = leftOn
        self.effectiveDate = effectiveDate
    }

    /// Everything but the effective date: two versions with the same facts are the same entry.
    public func sameFacts(as other: RosterEntry) -> Bool {
        var other = other
        other.effectiveDate = effectiveDate
        return self == other
    }
}

/// A roster row as it arrives, before its dates and status are known to be valid.
public struct RosterSubmission: Sendable, Hashable {
    public var agentID: String
    public var name: String
    public var teamID: String
    public var teamLeaderID: String
    public var department: String
    public var site: String
    public var queue: String
    public var hireDate: String
    public var status: AgentStatus?
    public var leftOn: String
    public var effectiveDate: String

    public init(
        agentID: String, name: String, teamID: String, teamLeaderID: String, department: String, site: String,
        queue: String, hireDate: String, status: AgentStatus?, leftOn: String, effectiveDate: String
    ) {
        self.agentID = agentID
        self.name = name
        self.teamID = teamID
        self.teamLeaderID = teamLeaderID
        self.department = department
        self.site = site
        self.queue = queue
        self.hireDate = hireDate
        self.status = status
        self.leftOn = leftOn
        self.effectiveDate = effectiveDate
    }

    /// The validated entry, or every reason it is not one. `today` stands in for an empty effective date.
    public func validated(today: LocalDate) -> Result<RosterEntry, IntakeError> {
        var found: [DomainViolation] = []
        found += FieldRules.identifier(agentID, "agent_id", maximum: 64)
        found += FieldRules.identifier(name, "name", maximum: 200)
        found += FieldRules.identifier(teamID, "team_id", maximum: 64)
        found += FieldRules.identifier(teamLeaderID, "team_leader_id", maximum: 64)
        found += FieldRules.identifier(department, "department", maximum: 200)
        found += FieldRules.identifier(site, "site", maximum: 200)
        found += FieldRules.optionalText(queue, "queue", maximum: 200)
        let hire = LocalDate(hireDate)
        if hire == nil { found.append(DomainViolation("hire_date", "must be a date YYYY-MM-DD")) }
        var left: LocalDate?
        switch status {
        case nil:
            found.append(DomainViolation("status", "must be onboarding, in_service or left"))
        case .left:
            left = LocalDate(leftOn)
            if left == nil { found.append(DomainViolation("left_on", "must be a date YYYY-MM-DD when status is left")) }
        case .onboarding, .inService:
            if !leftOn.isEmpty { found.append(DomainViolation("left_on", "must be empty unless status is left")) }
        }
        if let hire, let left, left < hire { found.append(DomainViolation("left_on", "is before hire_date")) }
        let effective = effectiveDate.isEmpty ? today : LocalDate(effectiveDate)
        if effective == nil { found.append(DomainViolation("effective_date", "must be a date YYYY-MM-DD or empty")) }
        guard found.isEmpty, let hire, let status, let effective else { return .failure(.invalid(found)) }
        return .success(RosterEntry(
            agentID: agentID, name: name, teamID: teamID, teamLeaderID: teamLeaderID, department: department,
            site: site, queue: queue, hireDate: hire, status: status, leftOn: left, effectiveDate: effective))
    }
}

/// How a roster entry relates to the newest stored version of the agent.
public enum RosterDecision {
    public static func outcome(for entry: RosterEntry, newest: RosterEntry?) -> RecordOutcome {
        guard let newest else { return .accepted }
        if entry.effectiveDate < newest.effectiveDate { return .stale }
        if entry.sameFacts(as: newest) { return .duplicate }
        return .replaced
    }

    /// The version in force on `date`: the newest with an effective date on or before it.
    public static func version(on date: LocalDate, in history: [RosterEntry]) -> RosterEntry? {
        history.last { $0.effectiveDate <= date }
    }
}
