/// A trainer of the training department. Its own type so that a trainer id is never passed
/// where an agent or room id belongs.
public struct TrainerID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}

/// A training room at one of the center's sites.
public struct RoomID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}

/// One thing wrong with one field of a catalogue entry, for a person to fix.
///
/// Why a list rather than a thrown error: whoever edits the catalogue should see every
/// problem of an entry at once, not fix them one round-trip at a time. `SchedulingError`
/// has no such type (it refuses a whole call on the first malformed input).
public struct FieldViolation: Hashable, Sendable, CustomStringConvertible {
    /// The field at fault, e.g. "capacity", "topics[2]".
    public var subject: String
    public var description: String

    public init(subject: String, description: String) {
        self.subject = subject
        self.description = description
    }
}

/// How a course is delivered (seeds 002–004).
public enum CourseMethod: Int, Hashable, Sendable, CaseIterable {
    /// Group discussion, role play, writing exercises.
    case classroom = 1
    /// 录音培训: listening to and discussing call recordings together.
    case recordingReview = 2
    /// 情境模拟: scenario simulation.
    case simulation = 3
    /// 现场学习: sitting beside an experienced agent on the floor.
    case floorShadowing = 4
    case video = 5
    case audio = 6
    case reading = 7
    case online = 8

    /// Whether a session needs a training room. Group methods do; shadowing happens on the
    /// floor and video, audio and reading can be done at the desk, so a room is optional.
    public var requiresRoom: Bool {
        switch self {
        case .classroom, .recordingReview, .simulation: true
        case .floorShadowing, .video, .audio, .reading, .online: false
        }
    }

    /// Whether a room would be wrong: an online session booked into a room blocks the room
    /// for nothing (issue: "online sessions need no room").
    public var forbidsRoom: Bool { self == .online }
}

/// Who a course is meant for. Empty lists mean "everyone": a course for all departments
/// should not have to list them and go stale when one is added.
public struct CourseAudience: Hashable, Sendable {
    public var departments: [String]
    public var sites: [String]
    public var standings: [AgentStanding]
    /// Service-management courses are for team leaders and supervisors, not agents.
    public var forManagers: Bool

    public init(departments: [String] = [], sites: [String] = [], standings: [AgentStanding] = [], forManagers: Bool = false) {
        self.departments = departments
        self.sites = sites
        self.standings = standings
        self.forManagers = forManagers
    }
}

/// A course as the catalogue describes it: everything the notice memo and the
/// effectiveness review need, beyond the id, category and kind that placement uses.
public struct CatalogueCourse: Hashable, Sendable {
    public static let maximumTitleLength = 200

    public var id: CourseID
    public var title: String
    public var kind: CourseKind
    public var category: CourseCategory
    public var method: CourseMethod
    public var durationMinutes: Int
    /// Why the course matters to the participant: the memo says this, never "your score was low".
    public var purpose: String
    public var topics: [String]
    /// What participants prepare before the session.
    public var preparation: String
    /// Scorecard criteria (quality context's ids) the course should move: the review watches them.
    public var criterionIDs: [String]
    /// KPIs (e.g. AHT, FCR, complaints) the course should move.
    public var metricIDs: [String]
    public var audience: CourseAudience

    public init(
        id: CourseID, title: String, kind: CourseKind, category: CourseCategory, method: CourseMethod,
        durationMinutes: Int, purpose: String = "", topics: [String] = [], preparation: String = "",
        criterionIDs: [String] = [], metricIDs: [String] = [], audience: CourseAudience = CourseAudience()
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.category = category
        self.method = method
        self.durationMinutes = durationMinutes
        self.purpose = purpose
        self.topics = topics
        self.preparation = preparation
        self.criterionIDs = criterionIDs
        self.metricIDs = metricIDs
        self.audience = audience
    }

    /// What placement needs of the course, so the catalogue is the single source of truth.
    public var course: Course { Course(id: id, category: category, kind: kind) }

    /// Every problem with the entry's own fields; empty when it is usable.
    public var violations: [FieldViolation] {
        var found: [FieldViolation] = []
        if id.rawValue.isBlank { found.append(.init(subject: "id", description: "A course needs an id.")) }
        if title.isBlank { found.append(.init(subject: "title", description: "A course needs a title.")) }
        if title.count > Self.maximumTitleLength {
            found.append(.init(subject: "title", description: "The title is longer than \(Self.maximumTitleLength) characters."))
        }
        if durationMinutes <= 0 {
            found.append(.init(subject: "durationMinutes", description: "The duration must be more than 0 minutes."))
        }
        for (i, topic) in topics.enumerated() where topic.isBlank {
            found.append(.init(subject: "topics[\(i)]", description: "A topic must not be empty."))
        }
        for (i, id) in criterionIDs.enumerated() where id.isBlank {
            found.append(.init(subject: "criterionIDs[\(i)]", description: "A scorecard criterion id must not be empty."))
        }
        for (i, id) in metricIDs.enumerated() where id.isBlank {
            found.append(.init(subject: "metricIDs[\(i)]", description: "A KPI id must not be empty."))
        }
        return found
    }
}

/// One version of a course's courseware. A session may be published only if its course has
/// an approved version: the department manager reviews what trainers will teach (seed 003).
public struct CoursewareVersion: Hashable, Sendable {
    public var course: CourseID
    public var version: String
    /// The approving department manager; nil while not approved.
    public var approvedBy: String?
    /// When it was approved, in minutes of the planning horizon (negative: before it); nil while not approved.
    public var approvedOn: Int?

    public init(course: CourseID, version: String, approvedBy: String? = nil, approvedOn: Int? = nil) {
        self.course = course
        self.version = version
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
    }

    /// Both who and when: an approval without either cannot be audited.
    public var isApproved: Bool { approvedBy.map { !$0.isBlank } == true && approvedOn != nil }

    public var violations: [FieldViolation] {
        var found: [FieldViolation] = []
        if course.rawValue.isBlank { found.append(.init(subject: "course", description: "Courseware needs a course id.")) }
        if version.isBlank { found.append(.init(subject: "version", description: "Courseware needs a version.")) }
        if (approvedBy == nil) != (approvedOn == nil) {
            found.append(.init(subject: "approvedBy", description: "An approval needs both the approver and the date."))
        } else if let approver = approvedBy, approver.isBlank {
            found.append(.init(subject: "approvedBy", description: "The approver must not be empty."))
        }
        return found
    }
}

/// A trainer: who may teach what, and when.
public struct Trainer: Hashable, Sendable {
    /// The memo prints the biography; longer text does not fit it.
    public static let maximumBiographyLength = 500

    public var id: TrainerID
    public var name: String
    /// Short biography for the notice memo.
    public var biography: String
    public var qualifiedCourses: Set<CourseID>
    /// When the trainer can deliver, in minutes of the planning horizon.
    public var availability: [MinuteRange]

    public init(id: TrainerID, name: String, biography: String = "", qualifiedCourses: Set<CourseID>, availability: [MinuteRange]) {
        self.id = id
        self.name = name
        self.biography = biography
        self.qualifiedCourses = qualifiedCourses
        self.availability = availability
    }

    public var violations: [FieldViolation] {
        var found: [FieldViolation] = []
        if id.rawValue.isBlank { found.append(.init(subject: "id", description: "A trainer needs an id.")) }
        if name.isBlank { found.append(.init(subject: "name", description: "A trainer needs a name.")) }
        if biography.count > Self.maximumBiographyLength {
            found.append(.init(subject: "biography", description: "The biography is longer than \(Self.maximumBiographyLength) characters."))
        }
        for (i, range) in availability.enumerated() where range.end <= range.start {
            found.append(.init(subject: "availability[\(i)]", description: "Availability \(range) must end after it starts."))
        }
        return found
    }
}

/// A training room.
public struct Room: Hashable, Sendable {
    public var id: RoomID
    public var site: String
    public var capacity: Int
    /// How to get there: printed on the notice memo.
    public var directions: String

    public init(id: RoomID, site: String, capacity: Int, directions: String = "") {
        self.id = id
        self.site = site
        self.capacity = capacity
        self.directions = directions
    }

    public var violations: [FieldViolation] {
        var found: [FieldViolation] = []
        if id.rawValue.isBlank { found.append(.init(subject: "id", description: "A room needs an id.")) }
        if site.isBlank { found.append(.init(subject: "site", description: "A room needs a site.")) }
        if capacity < 1 { found.append(.init(subject: "capacity", description: "A room must seat at least 1 person.")) }
        return found
    }
}

extension String {
    /// Empty or only whitespace: a value a person would not recognise as filled in.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
