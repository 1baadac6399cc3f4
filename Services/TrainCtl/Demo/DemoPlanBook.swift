/// Who and what is booked when while the demo's plan is drafted: each trainer's and room's
/// half hours per day, a trainer's delivery minutes and site per day, and how many sessions
/// with agents from the floor overlap each half hour.
///
/// Why half-hour bit sets: every check of a candidate slot is then a few word operations,
/// so drafting stays linear in the sessions it places.
struct DemoPlanBook {
    struct Booking {
        let trainer: Int
        let room: Int?
        let span: DemoDaySpan
        let capacity: Int
        let window: DemoPlan.Window
    }

    private static let halfHoursPerDay = 48

    private let month: DemoMonth
    private let dayCount: Int
    /// Per course: the trainers qualified for it, in trainer order.
    private let qualified: [[Int]]
    /// Per trainer × day: their working hours, if they work that day.
    private let availability: [DemoDaySpan?]
    private var trainerBusy: [UInt64]
    private var trainerMinutes: [Int]
    /// Per trainer: minutes of delivery booked in the month.
    private var monthMinutes: [Int]
    /// Per trainer × day: the site of their room sessions that day, or −1.
    private var trainerSite: [Int]
    private var roomBusy: [UInt64]
    /// Per day × half hour: sessions with agents from the floor.
    private var floorSessions: [Int]
    /// Per site: its rooms.
    private let roomsAtSite: [[Int]]

    init(month: DemoMonth, trainers: DemoTrainers) {
        let dayCount = month.dates.count
        self.month = month
        self.dayCount = dayCount
        qualified = DemoCatalogue.courses.map { course in
            trainers.trainers.indices.filter { trainers.trainers[$0].qualifiedCourseIds.contains(course.id) }
        }
        var availability = [DemoDaySpan?](repeating: nil, count: trainers.trainers.count * dayCount)
        for (t, trainer) in trainers.trainers.enumerated() {
            for span in trainer.availability where span.day < dayCount { availability[t * dayCount + span.day] = span }
        }
        self.availability = availability
        trainerBusy = [UInt64](repeating: 0, count: trainers.trainers.count * dayCount)
        trainerMinutes = [Int](repeating: 0, count: trainers.trainers.count * dayCount)
        monthMinutes = [Int](repeating: 0, count: trainers.trainers.count)
        trainerSite = [Int](repeating: -1, count: trainers.trainers.count * dayCount)
        roomBusy = [UInt64](repeating: 0, count: DemoRooms.rooms.count * dayCount)
        floorSessions = [Int](repeating: 0, count: dayCount * DemoPlanBook.halfHoursPerDay)
        roomsAtSite = DemoRooms.sites.map { site in DemoRooms.rooms.indices.filter { DemoRooms.rooms[$0].site == site } }
    }

    /// Books the next session of a demand: its preferred window first, from the day its
    /// spread over the month suggests onwards; first within the limit of sessions taking
    /// agents off the floor at once, then beyond it. Nil when no trainer, room and time fit.
    mutating func place(course: DemoCatalogue.Course, courseIndex: Int, demand: DemoPlan.Demand) -> Booking? {
        let workingDays = month.workingDays
        let trainers = qualified[courseIndex]
        guard !workingDays.isEmpty, !trainers.isEmpty else { return nil }
        let preferred = (demand.dayOffset + demand.sessionsPlaced * workingDays.count / demand.expectedSessions) % workingDays.count
        let duration = course.durationMinutes
        // The least busy qualified trainer first, so that the month's delivery is shared.
        let byLoad = trainers.sorted { (monthMinutes[$0], $0) < (monthMinutes[$1], $1) }
        for keepsFloorLimit in [true, false] {
            for window in demand.windowOrder {
                for step in workingDays.indices {
                    let day = workingDays[(preferred + step) % workingDays.count]
                    // Alternate the first start tried, so that each shift pattern finds some sessions it fits.
                    let starts = window.starts, turn = demand.sessionsPlaced % starts.count
                    for start in starts[turn...] + starts[..<turn] where start >= window.bounds.start && start + duration <= window.bounds.end {
                        let span = DemoDaySpan(day: day, start: start, end: start + duration)
                        let mask = DemoPlanBook.halfHours(span)
                        if demand.fromFloor && keepsFloorLimit && !floorHasRoom(day: day, mask: mask) { continue }
                        var room: Int?
                        if let site = demand.site {
                            guard let free = freeRoom(site: site, day: day, mask: mask, groupSize: course.groupSize) else { continue }
                            room = free
                        }
                        for trainer in byLoad {
                            guard canTeach(trainer: trainer, span: span, mask: mask, site: demand.site) else { continue }
                            let capacity = room.map { min(course.groupSize, DemoRooms.rooms[$0].capacity) } ?? course.groupSize
                            book(trainer: trainer, room: room, span: span, mask: mask, site: demand.site, fromFloor: demand.fromFloor)
                            return Booking(trainer: trainer, room: room, span: span, capacity: capacity, window: window)
                        }
                    }
                }
            }
        }
        return nil
    }

    /// The half hours a span touches, as bits of its day.
    static func halfHours(_ span: DemoDaySpan) -> UInt64 {
        let first = span.start / 30
        let last = min(halfHoursPerDay, (span.end + 29) / 30)
        var mask: UInt64 = 0
        for half in first..<max(first, last) { mask |= 1 << UInt64(half) }
        return mask
    }

    private func floorHasRoom(day: Int, mask: UInt64) -> Bool {
        let base = day * DemoPlanBook.halfHoursPerDay
        for half in 0..<DemoPlanBook.halfHoursPerDay where mask & (1 << UInt64(half)) != 0 {
            if floorSessions[base + half] >= DemoPlan.floorSessionsAtOnce { return false }
        }
        return true
    }

    /// The free room of the site that suits the group best: the smallest that seats it
    /// whole, else the largest smaller one.
    private func freeRoom(site: Int, day: Int, mask: UInt64, groupSize: Int) -> Int? {
        guard site < roomsAtSite.count else { return nil }
        let free = roomsAtSite[site].filter { roomBusy[$0 * dayCount + day] & mask == 0 }
        let seatsAll = free.filter { DemoRooms.rooms[$0].capacity >= groupSize }
        if let best = seatsAll.min(by: { (DemoRooms.rooms[$0].capacity, $0) < (DemoRooms.rooms[$1].capacity, $1) }) { return best }
        return free.max { (DemoRooms.rooms[$0].capacity, -$0) < (DemoRooms.rooms[$1].capacity, -$1) }
    }

    private func canTeach(trainer: Int, span: DemoDaySpan, mask: UInt64, site: Int?) -> Bool {
        let cell = trainer * dayCount + span.day
        guard let hours = availability[cell], hours.start <= span.start, span.end <= hours.end,
              trainerBusy[cell] & mask == 0,
              trainerMinutes[cell] + span.end - span.start <= DemoPlan.trainerMinutesPerDay else { return false }
        if let site, trainerSite[cell] >= 0, trainerSite[cell] != site { return false }
        return true
    }

    private mutating func book(trainer: Int, room: Int?, span: DemoDaySpan, mask: UInt64, site: Int?, fromFloor: Bool) {
        let cell = trainer * dayCount + span.day
        trainerBusy[cell] |= mask
        trainerMinutes[cell] += span.end - span.start
        monthMinutes[trainer] += span.end - span.start
        if let site { trainerSite[cell] = site }
        if let room { roomBusy[room * dayCount + span.day] |= mask }
        if fromFloor {
            let base = span.day * DemoPlanBook.halfHoursPerDay
            for half in 0..<DemoPlanBook.halfHoursPerDay where mask & (1 << UInt64(half)) != 0 { floorSessions[base + half] += 1 }
        }
    }
}
