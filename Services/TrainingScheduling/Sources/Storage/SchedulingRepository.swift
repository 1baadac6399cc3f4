import Foundation
import SQLiteStorage

/// What happened to one record of a catalogue batch.
enum CatalogueOutcome: Hashable, Sendable {
    case accepted
    case duplicate
    case replaced
    case rejected([FieldViolation])
}

/// A month's plan as stored: a draft or a published (frozen) plan.
struct StoredPlan: Sendable {
    var published: Bool
    var publishedAt: Int64
    /// Draft: in the order sent. Published: sorted by start, then id.
    var sessions: [DraftSession]
}

/// The scheduling service's SQL, one function per unit of work, each run inside a
/// transaction the caller owns (a group commit on the writer, or a read snapshot).
///
/// Times: trainer availability is stored in local minutes since 1970-01-01 00:00 (the
/// wall clock of the center); sessions in minutes since the start of their month, as the
/// domain uses them.
struct SchedulingRepository: Sendable {
    /// Migration 3: the catalogue, trainers, rooms, drafts and published plans.
    static let schema = """
        CREATE TABLE courses (
            course_id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            kind INTEGER NOT NULL,
            category INTEGER NOT NULL,
            method INTEGER NOT NULL,
            duration_minutes INTEGER NOT NULL,
            purpose TEXT NOT NULL,
            topics TEXT NOT NULL,          -- JSON array of strings
            preparation TEXT NOT NULL,
            criterion_ids TEXT NOT NULL,   -- JSON array of strings
            metric_ids TEXT NOT NULL,      -- JSON array of strings
            departments TEXT NOT NULL,     -- JSON array of strings
            sites TEXT NOT NULL,           -- JSON array of strings
            for_managers INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE courseware_versions (
            course_id TEXT NOT NULL REFERENCES courses (course_id),
            version TEXT NOT NULL,
            approved_by TEXT NOT NULL,
            approved_ms INTEGER NOT NULL,
            PRIMARY KEY (course_id, version)
        ) STRICT;
        CREATE TABLE trainers (
            trainer_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            biography TEXT NOT NULL,
            updated_ms INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE trainer_qualifications (
            trainer_id TEXT NOT NULL REFERENCES trainers (trainer_id) ON DELETE CASCADE,
            course_id TEXT NOT NULL,
            PRIMARY KEY (trainer_id, course_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE trainer_availability (
            trainer_id TEXT NOT NULL REFERENCES trainers (trainer_id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            start_minute INTEGER NOT NULL,  -- local minutes since 1970-01-01 00:00
            end_minute INTEGER NOT NULL,
            PRIMARY KEY (trainer_id, position)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE rooms (
            room_id TEXT PRIMARY KEY,
            site TEXT NOT NULL,
            capacity INTEGER NOT NULL,
            directions TEXT NOT NULL,
            updated_ms INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE draft_months (
            month TEXT PRIMARY KEY,         -- YYYY-MM
            drafted_ms INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE draft_sessions (
            month TEXT NOT NULL REFERENCES draft_months (month),
            position INTEGER NOT NULL,      -- order sent; ids may repeat in a draft
            session_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            trainer_id TEXT NOT NULL,
            room_id TEXT,
            start_minute INTEGER NOT NULL,  -- minutes since the month's first day 00:00
            end_minute INTEGER NOT NULL,
            capacity INTEGER NOT NULL,
            PRIMARY KEY (month, position)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE published_plans (
            month TEXT PRIMARY KEY,
            published_ms INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE published_sessions (
            month TEXT NOT NULL REFERENCES published_plans (month),
            session_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            trainer_id TEXT NOT NULL,
            room_id TEXT,
            start_minute INTEGER NOT NULL,
            end_minute INTEGER NOT NULL,
            capacity INTEGER NOT NULL,
            PRIMARY KEY (month, session_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX published_sessions_by_start ON published_sessions (month, start_minute, session_id);
        """

    // MARK: Courses

    func putCourses(_ courses: [Result<CatalogueCourse, FieldViolations>], now: Int64, _ db: SQLiteConnection) throws -> [CatalogueOutcome] {
        try courses.map { submitted in
            let course: CatalogueCourse
            switch submitted {
            case .failure(let problems): return .rejected(problems.violations)
            case .success(let valid): course = valid
            }
            let stored = try self.course(course.id, db)
            if stored == course { return .duplicate }
            try db.run(
                """
                INSERT INTO courses (course_id, title, kind, category, method, duration_minutes, purpose, topics, preparation,
                    criterion_ids, metric_ids, departments, sites, for_managers, updated_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (course_id) DO UPDATE SET title = excluded.title, kind = excluded.kind, category = excluded.category,
                    method = excluded.method, duration_minutes = excluded.duration_minutes, purpose = excluded.purpose,
                    topics = excluded.topics, preparation = excluded.preparation, criterion_ids = excluded.criterion_ids,
                    metric_ids = excluded.metric_ids, departments = excluded.departments, sites = excluded.sites,
                    for_managers = excluded.for_managers, updated_ms = excluded.updated_ms
                """,
                [.text(course.id.rawValue), .text(course.title), .integer(Int64(course.kind.rawValue)),
                 .integer(Int64(course.category.rawValue)), .integer(Int64(course.method.rawValue)),
                 .integer(Int64(course.durationMinutes)), .text(course.purpose), .text(Self.json(course.topics)),
                 .text(course.preparation), .text(Self.json(course.criterionIDs)), .text(Self.json(course.metricIDs)),
                 .text(Self.json(course.audience.departments)), .text(Self.json(course.audience.sites)),
                 .integer(course.audience.forManagers ? 1 : 0), .integer(now)])
            return stored == nil ? .accepted : .replaced
        }
    }

    private static let courseColumns = """
        course_id, title, kind, category, method, duration_minutes, purpose, topics, preparation, criterion_ids, metric_ids,
        departments, sites, for_managers
        """

    func course(_ id: CourseID, _ db: SQLiteConnection) throws -> CatalogueCourse? {
        try db.query("SELECT \(Self.courseColumns) FROM courses WHERE course_id = ?", [.text(id.rawValue)], row: Self.course).first ?? nil
    }

    func courses(_ db: SQLiteConnection) throws -> [CatalogueCourse] {
        try db.query("SELECT \(Self.courseColumns) FROM courses ORDER BY course_id", [], row: Self.course).compactMap { $0 }
    }

    /// nil for a row this version cannot read (an enum value it does not know).
    private static func course(_ row: Statement) -> CatalogueCourse? {
        guard let kind = CourseKind(rawValue: row.int(at: 2)), let category = CourseCategory(rawValue: row.int(at: 3)),
              let method = CourseMethod(rawValue: row.int(at: 4)) else { return nil }
        return CatalogueCourse(
            id: CourseID(row.text(at: 0)), title: row.text(at: 1), kind: kind, category: category, method: method,
            durationMinutes: row.int(at: 5), purpose: row.text(at: 6), topics: strings(row.text(at: 7)),
            preparation: row.text(at: 8), criterionIDs: strings(row.text(at: 9)), metricIDs: strings(row.text(at: 10)),
            audience: CourseAudience(departments: strings(row.text(at: 11)), sites: strings(row.text(at: 12)), forManagers: row.int(at: 13) != 0))
    }

    // MARK: Courseware

    /// The first approval of the version, or nil if this call approved it.
    func approveCourseware(course: CourseID, version: String, approvedBy: String, now: Int64, _ db: SQLiteConnection) throws -> (approvedBy: String, at: Int64)? {
        let existing = try db.query(
            "SELECT approved_by, approved_ms FROM courseware_versions WHERE course_id = ? AND version = ?",
            [.text(course.rawValue), .text(version)], row: { ($0.text(at: 0), $0.int64(at: 1)) }).first
        if let existing { return (existing.0, existing.1) }
        try db.run("INSERT INTO courseware_versions (course_id, version, approved_by, approved_ms) VALUES (?, ?, ?, ?)",
                   [.text(course.rawValue), .text(version), .text(approvedBy), .integer(now)])
        return nil
    }

    /// Every approved version. Only approval matters to publication, so `approvedOn` is 0.
    func courseware(_ db: SQLiteConnection) throws -> [CoursewareVersion] {
        try db.query("SELECT course_id, version, approved_by FROM courseware_versions ORDER BY course_id, version", [], row: {
            CoursewareVersion(course: CourseID($0.text(at: 0)), version: $0.text(at: 1), approvedBy: $0.text(at: 2), approvedOn: 0)
        })
    }

    // MARK: Trainers

    func putTrainers(_ trainers: [Result<Trainer, FieldViolations>], now: Int64, _ db: SQLiteConnection) throws -> [CatalogueOutcome] {
        try trainers.map { submitted in
            let trainer: Trainer
            switch submitted {
            case .failure(let problems): return .rejected(problems.violations)
            case .success(let valid): trainer = valid
            }
            let stored = try self.trainers(only: trainer.id, db).first
            if stored == trainer { return .duplicate }
            let id = SQLValue.text(trainer.id.rawValue)
            try db.run("DELETE FROM trainer_qualifications WHERE trainer_id = ?", [id])
            try db.run("DELETE FROM trainer_availability WHERE trainer_id = ?", [id])
            try db.run(
                """
                INSERT INTO trainers (trainer_id, name, biography, updated_ms) VALUES (?, ?, ?, ?)
                ON CONFLICT (trainer_id) DO UPDATE SET name = excluded.name, biography = excluded.biography, updated_ms = excluded.updated_ms
                """, [id, .text(trainer.name), .text(trainer.biography), .integer(now)])
            for course in trainer.qualifiedCourses {
                try db.run("INSERT INTO trainer_qualifications (trainer_id, course_id) VALUES (?, ?)", [id, .text(course.rawValue)])
            }
            for (position, range) in trainer.availability.enumerated() {
                try db.run("INSERT INTO trainer_availability (trainer_id, position, start_minute, end_minute) VALUES (?, ?, ?, ?)",
                           [id, .integer(Int64(position)), .integer(Int64(range.start)), .integer(Int64(range.end))])
            }
            return stored == nil ? .accepted : .replaced
        }
    }

    /// Every trainer (or only `id`), availability in local minutes since 1970-01-01.
    /// Trainers with availability in minutes since `startMinute` (a month's start), as the
    /// domain counts; it is stored on the local clock since 1970.
    func trainers(from startMinute: Int, _ db: SQLiteConnection) throws -> [Trainer] {
        try trainers(db).map { trainer in
            var shifted = trainer
            shifted.availability = trainer.availability.map { MinuteRange(start: $0.start - startMinute, end: $0.end - startMinute) }
            return shifted
        }
    }

    func trainers(only id: TrainerID? = nil, _ db: SQLiteConnection) throws -> [Trainer] {
        let filter = id == nil ? "" : " WHERE trainer_id = ?"
        let values: [SQLValue] = id.map { [.text($0.rawValue)] } ?? []
        var trainers = try db.query("SELECT trainer_id, name, biography FROM trainers\(filter) ORDER BY trainer_id", values, row: {
            Trainer(id: TrainerID($0.text(at: 0)), name: $0.text(at: 1), biography: $0.text(at: 2), qualifiedCourses: [], availability: [])
        })
        var index: [TrainerID: Int] = [:]
        for (i, trainer) in trainers.enumerated() { index[trainer.id] = i }
        for (trainer, course) in try db.query("SELECT trainer_id, course_id FROM trainer_qualifications\(filter)", values, row: {
            (TrainerID($0.text(at: 0)), CourseID($0.text(at: 1)))
        }) {
            if let i = index[trainer] { trainers[i].qualifiedCourses.insert(course) }
        }
        for (trainer, range) in try db.query(
            "SELECT trainer_id, start_minute, end_minute FROM trainer_availability\(filter) ORDER BY trainer_id, position", values,
            row: { (TrainerID($0.text(at: 0)), MinuteRange(start: $0.int(at: 1), end: $0.int(at: 2))) }) {
            if let i = index[trainer] { trainers[i].availability.append(range) }
        }
        return trainers
    }

    // MARK: Rooms

    func putRooms(_ rooms: [Result<Room, FieldViolations>], now: Int64, _ db: SQLiteConnection) throws -> [CatalogueOutcome] {
        try rooms.map { submitted in
            let room: Room
            switch submitted {
            case .failure(let problems): return .rejected(problems.violations)
            case .success(let valid): room = valid
            }
            let stored = try db.query("SELECT room_id, site, capacity, directions FROM rooms WHERE room_id = ?", [.text(room.id.rawValue)], row: Self.room).first
            if stored == room { return .duplicate }
            try db.run(
                """
                INSERT INTO rooms (room_id, site, capacity, directions, updated_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (room_id) DO UPDATE SET site = excluded.site, capacity = excluded.capacity,
                    directions = excluded.directions, updated_ms = excluded.updated_ms
                """,
                [.text(room.id.rawValue), .text(room.site), .integer(Int64(room.capacity)), .text(room.directions), .integer(now)])
            return stored == nil ? .accepted : .replaced
        }
    }

    func rooms(_ db: SQLiteConnection) throws -> [Room] {
        try db.query("SELECT room_id, site, capacity, directions FROM rooms ORDER BY room_id", [], row: Self.room)
    }

    private static func room(_ row: Statement) -> Room {
        Room(id: RoomID(row.text(at: 0)), site: row.text(at: 1), capacity: row.int(at: 2), directions: row.text(at: 3))
    }

    // MARK: Plans

    /// The month's published plan, or else its draft; nil if neither exists.
    func plan(month: String, _ db: SQLiteConnection) throws -> StoredPlan? {
        if let published = try db.query("SELECT published_ms FROM published_plans WHERE month = ?", [.text(month)], row: { $0.int64(at: 0) }).first {
            let sessions = try db.query(
                "SELECT \(Self.sessionColumns) FROM published_sessions WHERE month = ? ORDER BY start_minute, session_id",
                [.text(month)], row: Self.session)
            return StoredPlan(published: true, publishedAt: published, sessions: sessions)
        }
        guard try !db.query("SELECT 1 FROM draft_months WHERE month = ?", [.text(month)], row: { $0.int(at: 0) }).isEmpty else { return nil }
        let sessions = try db.query(
            "SELECT \(Self.sessionColumns) FROM draft_sessions WHERE month = ? ORDER BY position", [.text(month)], row: Self.session)
        return StoredPlan(published: false, publishedAt: 0, sessions: sessions)
    }

    func isPublished(month: String, _ db: SQLiteConnection) throws -> Bool {
        try !db.query("SELECT 1 FROM published_plans WHERE month = ?", [.text(month)], row: { $0.int(at: 0) }).isEmpty
    }

    func replaceDraft(month: String, sessions: [DraftSession], now: Int64, _ db: SQLiteConnection) throws {
        try db.run("DELETE FROM draft_sessions WHERE month = ?", [.text(month)])
        try db.run("INSERT INTO draft_months (month, drafted_ms) VALUES (?, ?) ON CONFLICT (month) DO UPDATE SET drafted_ms = excluded.drafted_ms",
                   [.text(month), .integer(now)])
        let insert = try db.statement(
            "INSERT INTO draft_sessions (month, position, \(Self.sessionColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for (position, session) in sessions.enumerated() {
            try insert.run([.text(month), .integer(Int64(position))] + Self.values(session))
        }
    }

    func storePublished(month: String, plan: MonthlyPlan, now: Int64, _ db: SQLiteConnection) throws {
        try db.run("INSERT INTO published_plans (month, published_ms) VALUES (?, ?)", [.text(month), .integer(now)])
        let insert = try db.statement("INSERT INTO published_sessions (month, \(Self.sessionColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for session in plan.sessions { try insert.run([.text(month)] + Self.values(session)) }
    }

    private static let sessionColumns = "session_id, course_id, trainer_id, room_id, start_minute, end_minute, capacity, link"

    private static func values(_ session: DraftSession) -> [SQLValue] {
        [.text(session.id.rawValue), .text(session.course.rawValue), .text(session.trainer.rawValue),
         session.room.map { .text($0.rawValue) } ?? .null, .integer(Int64(session.time.start)), .integer(Int64(session.time.end)),
         .integer(Int64(session.capacity)), .text(session.link)]
    }

    private static func session(_ row: Statement) -> DraftSession {
        DraftSession(
            id: SessionID(row.text(at: 0)), course: CourseID(row.text(at: 1)), trainer: TrainerID(row.text(at: 2)),
            room: row.isNull(at: 3) ? nil : RoomID(row.text(at: 3)), time: MinuteRange(start: row.int(at: 4), end: row.int(at: 5)),
            capacity: row.int(at: 6), link: row.text(at: 7))
    }

    // MARK: JSON lists

    private static func json(_ strings: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(strings), as: UTF8.self)) ?? "[]"
    }

    private static func strings(_ json: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }
}

/// The problems of a rejected record, as an Error so that a batch can carry `Result`s.
struct FieldViolations: Error, Hashable, Sendable {
    var violations: [FieldViolation]
}
