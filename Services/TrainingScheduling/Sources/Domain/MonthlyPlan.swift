/// A session as a trainer drafts it for the month, before the plan is published.
public struct DraftSession: Hashable, Sendable {
    public var id: SessionID
    public var course: CourseID
    public var trainer: TrainerID
    /// nil for sessions that need no room (online, and methods that may happen at the desk).
    public var room: RoomID?
    public var time: MinuteRange
    public var capacity: Int
    /// Where to join an online session; empty otherwise.
    public var link: String

    public init(id: SessionID, course: CourseID, trainer: TrainerID, room: RoomID?, time: MinuteRange, capacity: Int, link: String = "") {
        self.id = id
        self.course = course
        self.trainer = trainer
        self.room = room
        self.time = time
        self.capacity = capacity
        self.link = link
    }
}

/// One reason a monthly plan cannot be published, with every session involved.
public struct PlanViolation: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Raw values fix the order of violations of the same session, so reports never reshuffle.
    public enum Kind: Int, Hashable, Comparable, Sendable, CaseIterable {
        case duplicateSession = 1
        case endBeforeStart = 2
        case capacityBelowOne = 3
        case unknownCourse = 4
        case unknownTrainer = 5
        case unknownRoom = 6
        case roomMissingForClassroom = 7
        case roomOnOnlineSession = 8
        case coursewareNotApproved = 9
        case trainerNotQualified = 10
        case outsideTrainerAvailability = 11
        case capacityAboveRoom = 12
        case trainerDoubleBooked = 13
        case roomDoubleBooked = 14

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var kind: Kind
    /// For the trainer who drafted the plan: what is wrong and with what.
    public var description: String
    /// The sessions involved, ascending; two for a double booking, otherwise one.
    public var sessions: [SessionID]

    public init(kind: Kind, description: String, sessions: [SessionID]) {
        self.kind = kind
        self.description = description
        self.sessions = sessions.sorted()
    }

    /// By first session, then kind, then the remaining sessions: a total order, so the same
    /// plan always gives the same report.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        let l = lhs.sessions.first?.rawValue ?? "", r = rhs.sessions.first?.rawValue ?? ""
        if l != r { return l < r }
        if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
        if lhs.sessions != rhs.sessions { return lhs.sessions.lexicographicallyPrecedes(rhs.sessions) }
        return lhs.description < rhs.description
    }
}

/// Refusal to publish: the handler maps it to FAILED_PRECONDITION with the whole list.
public struct PlanRejected: Error, Hashable, Sendable {
    public var violations: [PlanViolation]
}

/// A published monthly plan: validated once and then frozen (`let`), so what agents are
/// placed into is exactly what was checked.
public struct MonthlyPlan: Hashable, Sendable {
    /// Sorted by start, then id.
    public let sessions: [DraftSession]

    /// Validates the draft and freezes it, or throws every violation at once.
    public static func publish(
        sessions: [DraftSession], catalogue: [CatalogueCourse], trainers: [Trainer], rooms: [Room],
        courseware: [CoursewareVersion], timeText: (MinuteRange) -> String = { $0.description }
    ) throws(PlanRejected) -> MonthlyPlan {
        let found = violations(
            sessions: sessions, catalogue: catalogue, trainers: trainers, rooms: rooms, courseware: courseware, timeText: timeText)
        guard found.isEmpty else { throw PlanRejected(violations: found) }
        return MonthlyPlan(sessions: sessions.sorted { ($0.time.start, $0.id) < ($1.time.start, $1.id) })
    }

    /// Every reason the draft cannot be published, sorted (see `PlanViolation.<`).
    ///
    /// Why all of them: a trainer fixing a 400-session plan one error per round-trip would
    /// give up. Each overlapping pair is reported once, with both ids. A session with an
    /// unknown course, trainer or room still takes part in the checks that do not need the
    /// missing entry (a double booking is one whatever the trainer's record says). Catalogue
    /// entries with a repeated id: the first one counts (their own validation reports it).
    ///
    /// Cost: O(n log n + k) for n sessions and k overlapping pairs (sort each trainer's and
    /// room's sessions by start, then scan forward only while sessions still overlap), plus
    /// O(log a) per session for the availability look-up.
    /// `timeText` writes a session's time for people (the handlers give local date-times).
    public static func violations(
        sessions: [DraftSession], catalogue: [CatalogueCourse], trainers: [Trainer], rooms: [Room],
        courseware: [CoursewareVersion], timeText: (MinuteRange) -> String = { $0.description }
    ) -> [PlanViolation] {
        let courses = Dictionary(catalogue.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let trainerByID = Dictionary(trainers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let roomByID = Dictionary(rooms.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let approved = Set(courseware.filter(\.isApproved).map(\.course))
        var availability: [TrainerID: [MinuteRange]] = [:]
        for trainer in trainerByID.values { availability[trainer.id] = merged(trainer.availability) }

        var found: [PlanViolation] = []
        func report(_ kind: PlanViolation.Kind, _ session: DraftSession, _ text: String) {
            found.append(PlanViolation(kind: kind, description: "Session \(session.id): \(text)", sessions: [session.id]))
        }

        var seen: [SessionID: Int] = [:]
        for session in sessions { seen[session.id, default: 0] += 1 }
        for (id, count) in seen where count > 1 {
            found.append(PlanViolation(
                kind: .duplicateSession, description: "Session id \(id) is used by \(count) sessions.", sessions: [id]))
        }

        var byTrainer: [TrainerID: [DraftSession]] = [:]
        var byRoom: [RoomID: [DraftSession]] = [:]
        for session in sessions {
            let timeIsValid = session.time.end > session.time.start
            if !timeIsValid { report(.endBeforeStart, session, "it ends at \(session.time.end), not after its start \(session.time.start).") }
            if session.capacity < 1 { report(.capacityBelowOne, session, "capacity \(session.capacity) seats nobody.") }

            let course = courses[session.course]
            if let course {
                if course.method.requiresRoom && session.room == nil {
                    report(.roomMissingForClassroom, session, "course \(course.id) is delivered as \(course.method) and needs a room.")
                }
                if course.method.forbidsRoom, let room = session.room {
                    report(.roomOnOnlineSession, session, "course \(course.id) is online but room \(room) is booked.")
                }
            } else {
                report(.unknownCourse, session, "course \(session.course) is not in the catalogue.")
            }
            if course != nil && !approved.contains(session.course) {
                report(.coursewareNotApproved, session, "no courseware version of \(session.course) is approved by a department manager.")
            }

            if let trainer = trainerByID[session.trainer] {
                // An unknown course is reported once above, not again as a missing qualification.
                if course != nil && !trainer.qualifiedCourses.contains(session.course) {
                    report(.trainerNotQualified, session, "trainer \(trainer.id) is not qualified to teach \(session.course).")
                }
                if timeIsValid && !covers(availability[trainer.id] ?? [], session.time) {
                    report(.outsideTrainerAvailability, session, "\(timeText(session.time)) is outside trainer \(trainer.id)'s availability.")
                }
            } else {
                report(.unknownTrainer, session, "trainer \(session.trainer) is not known.")
            }

            if let roomID = session.room {
                if let room = roomByID[roomID] {
                    if session.capacity > room.capacity {
                        report(.capacityAboveRoom, session, "capacity \(session.capacity) is above room \(room.id)'s \(room.capacity).")
                    }
                } else {
                    report(.unknownRoom, session, "room \(roomID) is not known.")
                }
            }

            // Sessions without a valid time are reported above and cannot overlap anything meaningfully.
            if timeIsValid {
                byTrainer[session.trainer, default: []].append(session)
                if let room = session.room { byRoom[room, default: []].append(session) }
            }
        }

        for (trainer, own) in byTrainer {
            for (a, b) in overlappingPairs(own) {
                found.append(PlanViolation(
                    kind: .trainerDoubleBooked,
                    description: "Trainer \(trainer) is in sessions \(a.id) \(timeText(a.time)) and \(b.id) \(timeText(b.time)) at once.",
                    sessions: [a.id, b.id]))
            }
        }
        for (room, own) in byRoom {
            for (a, b) in overlappingPairs(own) {
                found.append(PlanViolation(
                    kind: .roomDoubleBooked,
                    description: "Room \(room) is booked for sessions \(a.id) \(timeText(a.time)) and \(b.id) \(timeText(b.time)) at once.",
                    sessions: [a.id, b.id]))
            }
        }
        return found.sorted()
    }

    /// Every pair of sessions whose times overlap, each once, smaller id first.
    /// After sorting by start, the sessions overlapping `i` among later ones are exactly the
    /// run that starts before `i` ends, so the scan stops at the first that does not.
    static func overlappingPairs(_ sessions: [DraftSession]) -> [(DraftSession, DraftSession)] {
        let sorted = sessions.sorted { ($0.time.start, $0.time.end, $0.id) < ($1.time.start, $1.time.end, $1.id) }
        var pairs: [(DraftSession, DraftSession)] = []
        for i in sorted.indices {
            var j = i + 1
            while j < sorted.count, sorted[j].time.start < sorted[i].time.end {
                let (a, b) = (sorted[i], sorted[j])
                pairs.append(a.id <= b.id ? (a, b) : (b, a))
                j += 1
            }
        }
        return pairs
    }

    /// Sorted spans with overlapping or touching ones joined, so that a session running from
    /// one availability block into the next adjacent one counts as available.
    static func merged(_ ranges: [MinuteRange]) -> [MinuteRange] {
        var result: [MinuteRange] = []
        for range in ranges.filter({ $0.end > $0.start }).sorted() {
            if let last = result.last, range.start <= last.end {
                result[result.count - 1].end = max(last.end, range.end)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// Whether one span of `merged` (sorted, disjoint) contains `time`: binary search for the
    /// last span starting at or before it.
    static func covers(_ merged: [MinuteRange], _ time: MinuteRange) -> Bool {
        var low = 0, high = merged.count
        while low < high {
            let mid = (low + high) / 2
            if merged[mid].start <= time.start { low = mid + 1 } else { high = mid }
        }
        return low > 0 && merged[low - 1].contains(time)
    }
}
