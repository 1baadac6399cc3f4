import Foundation
import SQLiteStorage
import TrainingWire

/// Notices, goals and attendance: what the people around a seat are told and what became
/// of it.
///
/// Notices are stored as the very `Notice` message the messaging system receives (its
/// protobuf bytes), so that what was listed once is what is listed again, whatever the
/// catalogue says later: a memo is a record of what was sent.
struct NoticeRepository: Sendable {
    /// Migration 5 (with `EventOutbox.schema`: scheduling now emits events).
    static let schema = """
        ALTER TABLE draft_sessions ADD COLUMN link TEXT NOT NULL DEFAULT '';
        ALTER TABLE published_sessions ADD COLUMN link TEXT NOT NULL DEFAULT '';
        ALTER TABLE enrolments ADD COLUMN short_notice INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE notices (
            number INTEGER PRIMARY KEY,    -- the notice id is "n-<number>"
            month TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            kind INTEGER NOT NULL,         -- NoticeKind of the contract
            send_after_ms INTEGER NOT NULL,
            created_ms INTEGER NOT NULL,
            acknowledged_ms INTEGER,
            body BLOB NOT NULL             -- the Notice message, without acknowledged_at
        ) STRICT;
        CREATE INDEX notices_pending ON notices (number) WHERE acknowledged_ms IS NULL;
        CREATE INDEX notices_by_month ON notices (month, number);
        CREATE INDEX notices_by_seat ON notices (month, agent_id, session_id);
        CREATE TABLE goals (
            month TEXT NOT NULL,
            session_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            goals TEXT NOT NULL,
            agreed_by TEXT NOT NULL,
            recorded_ms INTEGER NOT NULL,
            PRIMARY KEY (month, session_id, agent_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE attendance (
            month TEXT NOT NULL,
            session_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            status INTEGER NOT NULL,       -- AttendanceStatus of the contract
            reason TEXT NOT NULL,
            required INTEGER NOT NULL,
            team_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_ms INTEGER NOT NULL,
            PRIMARY KEY (month, session_id, agent_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE completed_sessions (
            month TEXT NOT NULL,
            session_id TEXT NOT NULL,
            completed_ms INTEGER NOT NULL,
            PRIMARY KEY (month, session_id)
        ) STRICT, WITHOUT ROWID;
        """

    static func id(_ number: Int64) -> String { "n-\(number)" }

    static func number(_ id: String) -> Int64? {
        guard id.hasPrefix("n-"), let number = Int64(id.dropFirst(2)), number > 0 else { return nil }
        return number
    }

    // MARK: Writing

    /// What a notice prints, looked up once per run.
    struct Context {
        let month: PlanningMonth
        let settings: SchedulingSettings
        let now: Int64
        let tierReason: (AgentID) -> String
        let team: (AgentID) -> String
        var sessions: [SessionID: DraftSession]
        let courses: [CourseID: CatalogueCourse]
        let trainers: [TrainerID: Trainer]
        let rooms: [RoomID: Room]
    }

    /// Writes the notices of one run. Pending reminders of seats that went away or moved are
    /// withdrawn first (never sent: the seat they were about no longer holds).
    func write(_ items: [NoticePlan.Item], _ context: Context, _ db: SQLiteConnection) throws {
        guard !items.isEmpty else { return }
        let key = context.month.description
        for item in items where item.kind == .cancellation || item.kind == .change {
            try db.run("""
                DELETE FROM notices WHERE month = ? AND agent_id = ? AND session_id = ? AND kind = ? AND acknowledged_ms IS NULL
                """, [.text(key), .text(item.agent.rawValue), .text(item.session.rawValue), .integer(Int64(NoticePlan.Kind.goalTalkReminder.rawValue))])
        }
        let insert = try db.statement("""
            INSERT INTO notices (number, month, agent_id, session_id, kind, send_after_ms, created_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var number = (try db.query("SELECT COALESCE(MAX(number), 0) FROM notices", [], row: { $0.int64(at: 0) }).first ?? 0)
        for item in items {
            number += 1
            let sendAfter = max(context.now, context.settings.unixMilliseconds(localMinutes: context.month.startMinute + item.sendAfterMinute))
            let notice = Self.notice(item, id: Self.id(number), sendAfter: sendAfter, context)
            try insert.run([
                .integer(number), .text(key), .text(item.agent.rawValue), .text(item.session.rawValue), .integer(Int64(item.kind.rawValue)),
                .integer(sendAfter), .integer(context.now), .blob(notice.serializedBytes()),
            ])
        }
    }

    static func notice(_ item: NoticePlan.Item, id: String, sendAfter: Int64, _ context: Context) -> Notice {
        let session = context.sessions[item.session]
        let course = session.flatMap { context.courses[$0.course] }
        let trainer = session.flatMap { context.trainers[$0.trainer] }
        let room = session?.room.flatMap { context.rooms[$0] }
        let range = item.range ?? session?.time
        var notice = Notice()
        notice.noticeId = id
        notice.kind = NoticeKind(rawValue: Int32(item.kind.rawValue)) ?? .unspecified
        notice.recipientRole = item.kind.toTeamLeader ? .noticeToTeamLeader : .noticeToAgent
        notice.recipientId = item.recipient.rawValue
        notice.month = context.month.description
        notice.agentId = item.agent.rawValue
        notice.teamId = context.team(item.agent)
        notice.sessionId = item.session.rawValue
        notice.courseId = session?.course.rawValue ?? ""
        notice.courseTitle = course?.title ?? ""
        notice.purpose = course?.purpose ?? ""
        notice.topics = course?.topics ?? []
        notice.preparation = course?.preparation ?? ""
        if let range {
            notice.start = context.month.local(range.start)
            notice.end = context.month.local(range.end)
        }
        if let previous = item.previousRange {
            notice.previousStart = context.month.local(previous.start)
            notice.previousEnd = context.month.local(previous.end)
        }
        notice.site = room?.site ?? ""
        notice.roomId = room?.id.rawValue ?? ""
        notice.directions = room?.directions ?? ""
        notice.link = session?.link ?? ""
        notice.trainerName = trainer?.name ?? ""
        notice.trainerBiography = trainer?.biography ?? ""
        notice.requirement = item.required ? .attendanceRequired : .attendanceVoluntary
        notice.shortNotice = item.shortNotice
        // The tier goes to the team leader's brief only (seed 004).
        if item.kind == .teamLeaderBrief { notice.tierReason = item.required ? context.tierReason(item.agent) : "signed up (voluntary)" }
        notice.reason = item.reason
        notice.createdAtUnixMs = context.now
        notice.sendAfterUnixMs = sendAfter
        return notice
    }

    // MARK: Reading

    private static func notices(_ rows: [(Int64?, [UInt8])]) throws -> [Notice] {
        try rows.map { acknowledged, body in
            var notice = try Notice(serializedBytes: body)
            notice.acknowledgedAtUnixMs = acknowledged ?? 0
            return notice
        }
    }

    func pending(now: Int64, after: Int64, limit: Int, _ db: SQLiteConnection) throws -> [Notice] {
        try Self.notices(db.query("""
            SELECT acknowledged_ms, body FROM notices WHERE acknowledged_ms IS NULL AND number > ? AND send_after_ms <= ?
            ORDER BY number LIMIT ?
            """, [.integer(after), .integer(now), .integer(Int64(limit))]) { (nil, $0.blob(at: 1)) })
    }

    func list(month: String, agent: AgentID?, session: SessionID?, after: Int64 = 0, limit: Int = Int.max, _ db: SQLiteConnection) throws -> [Notice] {
        var sql = "SELECT acknowledged_ms, body FROM notices WHERE month = ? AND number > ?"
        var values: [SQLValue] = [.text(month), .integer(after)]
        if let agent { sql += " AND agent_id = ?"; values.append(.text(agent.rawValue)) }
        if let session { sql += " AND session_id = ?"; values.append(.text(session.rawValue)) }
        sql += " ORDER BY number LIMIT ?"
        values.append(.integer(Int64(min(limit, Int(Int32.max)))))
        return try Self.notices(db.query(sql, values) { ($0.isNull(at: 0) ? nil : $0.int64(at: 0), $0.blob(at: 1)) })
    }

    enum Acknowledgement { case now, already, unknown }

    func acknowledge(_ number: Int64, now: Int64, _ db: SQLiteConnection) throws -> Acknowledgement {
        guard let stored = try db.query("SELECT acknowledged_ms FROM notices WHERE number = ?", [.integer(number)], row: { $0.isNull(at: 0) }).first
        else { return .unknown }
        guard stored else { return .already }
        try db.run("UPDATE notices SET acknowledged_ms = ? WHERE number = ?", [.integer(now), .integer(number)])
        return .now
    }
}
