/// The trainer's draft plan for the plan month: sessions of every course of the catalogue,
/// enough seats for every agent a course can bind (every in-service agent taken as standard
/// tier, the most the tiers can ask) with a margin for shifts and floor coverage, and a few
/// sessions of each optional course for volunteers and team leaders.
///
/// The rules it keeps are those publication checks: a qualified trainer within their
/// working hours, no trainer or room in two sessions at once, a room for classroom,
/// recording-review and simulation sessions (at most its seats) and none otherwise, every
/// session inside the month. Beyond them it plans as a training manager would: room
/// sessions at each site in proportion to the agents there, spread over the working days,
/// in the morning, afternoon and evening windows that the early and late shifts can attend
/// (onboarding and team-leader sessions in the day only), a trainer at one site a day and at
/// most six hours of delivery a day, and not too many sessions taking agents off the floor
/// at the same time.
///
/// Deterministic: courses, sites and trainers are visited in fixed orders; the seed only
/// shifts where in the month each course starts.
struct DemoPlan {
    struct Session {
        let id: String
        let course: Int
        let trainer: Int
        /// Index into `DemoRooms.rooms`; nil for a session without a room.
        let room: Int?
        let span: DemoDaySpan
        let capacity: Int
    }

    /// Seats planned per seat a course can bind: room for agents whose shifts or queue
    /// coverage rule out some sessions.
    static let seatMargin = 1.25
    /// At most this many hours of delivery per trainer and day.
    static let trainerMinutesPerDay = 6 * 60
    /// Sessions with agents from the floor overlapping any half hour, before the plan has to
    /// accept more.
    static let floorSessionsAtOnce = 2

    /// A part of the day that agents of some shift patterns can attend whole.
    enum Window: Int, CaseIterable {
        case morning, afternoon, evening

        /// Earliest start and latest end, minutes of the day.
        var bounds: (start: Int, end: Int) {
            switch self {
            case .morning: (9 * 60, 13 * 60)
            case .afternoon: (13 * 60, 17 * 60)
            case .evening: (17 * 60 + 30, 21 * 60)
            }
        }

        /// Starts to try, most useful first (10:00 suits both the 08:00, 09:00 and 10:00 shifts).
        var starts: [Int] {
            switch self {
            case .morning: [9 * 60, 10 * 60, 11 * 60]
            case .afternoon: [13 * 60, 15 * 60, 14 * 60, 13 * 60 + 30, 15 * 60 + 30]
            case .evening: [18 * 60, 19 * 60, 18 * 60 + 30, 17 * 60 + 30]
            }
        }
    }

    /// Share of a course's in-service sessions per window: the early shifts (08:00–10:00
    /// starts) attend mornings, the late ones (12:00, 13:00) evenings, everyone afternoons.
    static let floorWindows: [(Window, Double)] = [(.morning, 0.35), (.afternoon, 0.35), (.evening, 0.30)]
    /// New hires train 09:00–18:00 and team leaders work days: no evenings.
    static let dayWindows: [(Window, Double)] = [(.morning, 0.5), (.afternoon, 0.5)]

    let sessions: [Session]
    /// Per course: the agents it can bind (every in-service agent as standard tier).
    let boundAgents: [Int]

    init(seed: UInt64, center: DemoCenter, workforce: DemoWorkforce, trainers: DemoTrainers) {
        let month = workforce.month
        let sites = DemoRooms.sites
        // Bound agents per course and site (agents of a site without rooms count at the first).
        var inService = [Int](repeating: 0, count: max(1, sites.count))
        var onboarding = inService
        for member in workforce.members {
            let site = sites.firstIndex(of: center.teams[member.team].site) ?? 0
            if member.onboarding { onboarding[site] += 1 } else { inService[site] += 1 }
        }
        var demands: [Demand] = []
        var bound: [Int] = []
        for (c, course) in DemoCatalogue.courses.enumerated() {
            let bySite = course.bindsAtMost(onboarding: true) ? onboarding : course.bindsAtMost(onboarding: false) ? inService : nil
            bound.append(bySite?.reduce(0, +) ?? 0)
            let fromFloor = course.kind != .onboarding && !course.forManagers
            let windows = fromFloor ? DemoPlan.floorWindows : DemoPlan.dayWindows
            let rank = bySite == nil ? 2 : course.kind == .onboarding ? 1 : 0
            if let bySite {
                // Room courses per site, the others from one pool.
                let targets = course.method.needsRoom ? bySite : [bySite.reduce(0, +)]
                for (site, agents) in targets.enumerated() where agents > 0 {
                    let seats = Int((Double(agents) * DemoPlan.seatMargin).rounded(.up))
                    demands.append(Demand(course: c, site: course.method.needsRoom ? site : nil, rank: rank, windows: windows,
                                          seats: seats, sessions: nil, fromFloor: fromFloor))
                }
            } else if course.voluntarySessions > 0 {
                // Voluntary: a few sessions, at the course's own site if it names one, else
                // one site after the other.
                var perSite = [course.voluntarySessions]
                if course.method.needsRoom {
                    let ownSite = course.sites.compactMap { sites.firstIndex(of: $0) }.first
                    perSite = [Int](repeating: 0, count: max(1, sites.count))
                    for index in 0..<course.voluntarySessions { perSite[ownSite ?? index % perSite.count] += 1 }
                }
                for (site, count) in perSite.enumerated() where count > 0 {
                    demands.append(Demand(course: c, site: course.method.needsRoom ? site : nil, rank: rank, windows: windows,
                                          seats: 0, sessions: count, fromFloor: fromFloor))
                }
            }
        }
        boundAgents = bound

        var book = DemoPlanBook(month: month, trainers: trainers)
        // Fixed order: mandatory and elective in-service courses, onboarding, then voluntary; by
        // catalogue order within. One session per demand and round, so that no course takes
        // all the good slots.
        demands = demands.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }.map(\.element)
        for index in demands.indices {
            var random = SplitMix64(seed: seed, stream: "plan", index: index)
            demands[index].dayOffset = random.int(0...max(0, month.workingDays.count - 1))
        }
        var placed: [(course: Int, trainer: Int, room: Int?, span: DemoDaySpan, capacity: Int)] = []
        var open = demands.indices.filter { !demands[$0].isMet }
        while !open.isEmpty {
            for index in open {
                let course = DemoCatalogue.courses[demands[index].course]
                guard let booking = book.place(course: course, courseIndex: demands[index].course, demand: demands[index]) else {
                    demands[index].exhausted = true
                    continue
                }
                demands[index].record(booking.window, capacity: booking.capacity)
                placed.append((demands[index].course, booking.trainer, booking.room, booking.span, booking.capacity))
            }
            open = open.filter { !demands[$0].isMet && !demands[$0].exhausted }
        }

        // Ids in the order of the month: <month>-<course>-<nn>.
        placed.sort { lhs, rhs in
            (lhs.span.day, lhs.span.start, DemoCatalogue.courses[lhs.course].id, lhs.trainer)
                < (rhs.span.day, rhs.span.start, DemoCatalogue.courses[rhs.course].id, rhs.trainer)
        }
        var numbers = [Int](repeating: 0, count: DemoCatalogue.courses.count)
        sessions = placed.map { session in
            numbers[session.course] += 1
            let id = "\(month.month)-\(DemoCatalogue.courses[session.course].id)-\(Digits.padded(numbers[session.course], 2))"
            return Session(id: id, course: session.course, trainer: session.trainer, room: session.room, span: session.span,
                           capacity: session.capacity)
        }
    }

    /// Seats one course needs at one site (or anywhere), and how far the plan has come.
    struct Demand {
        let course: Int
        /// Index into `DemoRooms.sites` for a room course; nil: no room.
        let site: Int?
        /// 0: binds agents in service, 1: onboarding, 2: voluntary.
        let rank: Int
        let windows: [(Window, Double)]
        /// Seats to offer, for a course that binds agents.
        let seats: Int
        /// Sessions to hold instead, for a course that binds nobody.
        let sessions: Int?
        /// Whether its participants come off the floor.
        let fromFloor: Bool
        var dayOffset = 0
        var seatsPlaced = 0
        var sessionsPlaced = 0
        var perWindow = [Int](repeating: 0, count: Window.allCases.count)
        var exhausted = false

        var isMet: Bool { sessions.map { sessionsPlaced >= $0 } ?? (seatsPlaced >= seats) }

        /// The sessions it will take, for spreading them over the month.
        var expectedSessions: Int {
            let groupSize = DemoCatalogue.courses[course].groupSize
            return max(1, sessions ?? (seats + groupSize - 1) / max(1, groupSize))
        }

        /// The windows to try, the one furthest behind its share first.
        var windowOrder: [Window] {
            let next = sessionsPlaced + 1
            return windows.sorted { lhs, rhs in
                let l = lhs.1 * Double(next) - Double(perWindow[lhs.0.rawValue])
                let r = rhs.1 * Double(next) - Double(perWindow[rhs.0.rawValue])
                return l != r ? l > r : lhs.0.rawValue < rhs.0.rawValue
            }.map(\.0)
        }

        mutating func record(_ window: Window, capacity: Int) {
            seatsPlaced += capacity
            sessionsPlaced += 1
            perWindow[window.rawValue] += 1
        }
    }
}
