import CalendarDates

// The training part of an agent's performance record (seed 002: training results are
// recorded as an input to the agent's performance evaluation).

/// One agent's training record for one month.
///
/// Why counts and not a grade: performance management weighs them with everything else it
/// knows; this service reports what happened (required trainings missed, targets reached,
/// follow-ups done) and leaves the judgment to the people who own the evaluation.
public struct PerformanceRecord: Hashable, Sendable {
    public var agentID: String
    public var agentName: String
    public var month: YearMonth
    /// Sessions in the month the agent was bound to attend.
    public var trainingsRequired: Int
    /// Of those, attended.
    public var trainingsRequiredAttended: Int
    /// Sessions attended voluntarily (not required).
    public var trainingsVoluntaryAttended: Int
    /// Targets reviewed in the month (by review date), and how they came out.
    public var targetsReviewed: Int
    public var targetsAchieved: Int
    public var targetsPartlyAchieved: Int
    /// Follow-up meetings due in the month, and how many of them were held.
    public var meetingsDue: Int
    public var meetingsHeld: Int
    /// Surveys sent in the month, and how many were answered.
    public var surveysSent: Int
    public var surveysAnswered: Int

    public init(
        agentID: String, agentName: String, month: YearMonth, trainingsRequired: Int = 0, trainingsRequiredAttended: Int = 0,
        trainingsVoluntaryAttended: Int = 0, targetsReviewed: Int = 0, targetsAchieved: Int = 0, targetsPartlyAchieved: Int = 0,
        meetingsDue: Int = 0, meetingsHeld: Int = 0, surveysSent: Int = 0, surveysAnswered: Int = 0
    ) {
        self.agentID = agentID
        self.agentName = agentName
        self.month = month
        self.trainingsRequired = trainingsRequired
        self.trainingsRequiredAttended = trainingsRequiredAttended
        self.trainingsVoluntaryAttended = trainingsVoluntaryAttended
        self.targetsReviewed = targetsReviewed
        self.targetsAchieved = targetsAchieved
        self.targetsPartlyAchieved = targetsPartlyAchieved
        self.meetingsDue = meetingsDue
        self.meetingsHeld = meetingsHeld
        self.surveysSent = surveysSent
        self.surveysAnswered = surveysAnswered
    }

    /// The CSV header, in `csvFields` order.
    public static let csvHeader = [
        "agent_id", "agent_name", "month", "trainings_required", "trainings_required_attended", "trainings_voluntary_attended",
        "targets_reviewed", "targets_achieved", "targets_partly_achieved", "meetings_due", "meetings_held", "surveys_sent",
        "surveys_answered",
    ]

    /// This record's fields, unquoted.
    public var csvFields: [String] {
        [agentID, agentName, month.description] + [
            trainingsRequired, trainingsRequiredAttended, trainingsVoluntaryAttended, targetsReviewed, targetsAchieved,
            targetsPartlyAchieved, meetingsDue, meetingsHeld, surveysSent, surveysAnswered,
        ].map(String.init)
    }
}

/// One agent's part in one session, from `SessionCompleted`.
public struct TrainingAttendanceFact: Hashable, Sendable {
    public var agentID: String
    public var sessionID: String
    public var on: LocalDate
    /// The course bound the agent (else they volunteered).
    public var required: Bool
    public var attended: Bool

    public init(agentID: String, sessionID: String, on: LocalDate, required: Bool, attended: Bool) {
        self.agentID = agentID
        self.sessionID = sessionID
        self.on = on
        self.required = required
        self.attended = attended
    }
}

/// Builds and writes performance records (pure).
public enum PerformanceRecords {
    /// The month's record of every agent in `agents` (id → name) and of every agent any
    /// fact names, sorted by agent id. Facts are placed in months by their own dates:
    /// sessions by session day, reviews by review day, meetings by due day, surveys by the
    /// day sent. A session listed twice for an agent counts once.
    public static func build(
        month: YearMonth, agents: [String: String], attendance: [TrainingAttendanceFact], reviews: [TargetReview],
        meetings: [FollowUpMeeting], surveys: [FollowUpSurvey]
    ) -> [PerformanceRecord] {
        var records: [String: PerformanceRecord] = [:]
        func update(_ agentID: String, _ change: (inout PerformanceRecord) -> Void) {
            var record = records[agentID] ?? PerformanceRecord(agentID: agentID, agentName: agents[agentID] ?? "", month: month)
            change(&record)
            records[agentID] = record
        }
        for (agentID, _) in agents { update(agentID) { _ in } }

        var seenSessions: Set<[String]> = []
        for fact in attendance where fact.on.yearMonth == month && seenSessions.insert([fact.agentID, fact.sessionID]).inserted {
            update(fact.agentID) { record in
                if fact.required {
                    record.trainingsRequired += 1
                    if fact.attended { record.trainingsRequiredAttended += 1 }
                } else if fact.attended {
                    record.trainingsVoluntaryAttended += 1
                }
            }
        }
        for review in reviews where review.reviewedOn.yearMonth == month {
            update(review.agentID) { record in
                record.targetsReviewed += 1
                if review.outcome == .achieved { record.targetsAchieved += 1 }
                if review.outcome == .partlyAchieved { record.targetsPartlyAchieved += 1 }
            }
        }
        for meeting in meetings where meeting.dueOn.yearMonth == month {
            update(meeting.agentID) { record in
                record.meetingsDue += 1
                if meeting.isHeld { record.meetingsHeld += 1 }
            }
        }
        for survey in surveys where survey.sentOn.yearMonth == month {
            update(survey.agentID) { record in
                record.surveysSent += 1
                if survey.isAnswered { record.surveysAnswered += 1 }
            }
        }
        return records.values.sorted { $0.agentID < $1.agentID }
    }

    /// The records as CSV (RFC 4180): the header, then one line per record, each line ended
    /// by CRLF.
    ///
    /// Why RFC 4180 to the letter: the file goes to another department's tool (a
    /// spreadsheet or an HR system); names with commas or quotes must arrive as one field.
    public static func csv(_ records: [PerformanceRecord]) -> String {
        ([PerformanceRecord.csvHeader] + records.map(\.csvFields)).map { $0.map(csvField).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One field: in double quotes, with quotes doubled, when it holds a comma, a double
    /// quote, a line break (CR or LF), or starts or ends with a space (kept exact by
    /// readers that trim unquoted fields); otherwise as is.
    public static func csvField(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || field.unicodeScalars.first == " " || field.unicodeScalars.last == " "
        guard needsQuotes else { return field }
        var quoted = "\""
        for scalar in field.unicodeScalars {
            if scalar == "\"" { quoted.unicodeScalars.append("\"") }
            quoted.unicodeScalars.append(scalar)
        }
        quoted.unicodeScalars.append("\"")
        return quoted
    }
}
