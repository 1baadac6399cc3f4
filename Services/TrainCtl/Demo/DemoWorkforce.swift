/// The workforce-management side of the plan month: who is on the roster (its newest
/// entry per agent, as the scheduling service will know it), the queues they serve with
/// their service-level targets, and every agent's shifts.
///
/// Shifts: five days a week. Most agents rest on the calendar's rest days (weekends and
/// holidays) and so also work its make-up working days (调休); about one in five works a
/// rota with two rest days in the week and covers the weekends. Starts are staggered over
/// five patterns of 8–9 hours (breaks included) so that the queues, open 08:00–21:00 every
/// day, are staffed early and late. New hires in onboarding train 09:00–18:00 on working days.
struct DemoWorkforce {
    /// An agent on the roster in the plan month.
    struct Member {
        let agent: Int
        let team: Int
        let onboarding: Bool
    }

    struct Queue {
        let id: String
        let name: String
        let serviceLevelPercent: Int
        let answerWithinSeconds: Int
        let handleSeconds: Int
        /// The share of scheduled time lost to breaks, meetings and absence, in hundredths.
        let shrinkagePercent: Int
    }

    struct Shift {
        let member: Int
        let span: DemoDaySpan
    }

    /// Shift patterns (minutes of the day) and the share of agents on each.
    static let patterns: [(start: Int, end: Int, weight: Double)] = [
        (8 * 60, 17 * 60, 0.20), (9 * 60, 18 * 60, 0.30), (10 * 60, 19 * 60, 0.15), (12 * 60, 21 * 60, 0.20), (13 * 60, 21 * 60, 0.15),
    ]
    static let onboardingHours = (start: 9 * 60, end: 18 * 60)
    static let opening = (start: 8 * 60, end: 21 * 60)
    /// Share of agents on a weekend rota (rest on two consecutive weekdays instead).
    static let rotaShare = 0.22

    let month: DemoMonth
    /// In roster order (agent index).
    let members: [Member]
    /// Every queue of the departments, in their order.
    let queues: [Queue]
    /// Per member: the index of their queue in `queues`.
    let memberQueue: [Int]
    /// By member, then day.
    let shifts: [Shift]

    init(center: DemoCenter, month: DemoMonth) {
        self.month = month
        // The newest roster row of each agent says who is on the roster and how.
        var latest = [Int](repeating: -1, count: center.agents.count)
        for (index, row) in center.rosterRows.enumerated() { latest[row.agent] = index }
        members = latest.compactMap { index -> Member? in
            guard index >= 0 else { return nil }
            let row = center.rosterRows[index]
            switch row.status {
            case "in_service": return Member(agent: row.agent, team: row.team, onboarding: false)
            case "onboarding": return Member(agent: row.agent, team: row.team, onboarding: true)
            default: return nil
            }
        }
        var queues: [Queue] = []
        for department in DemoCenter.departments {
            for id in department.queues where !queues.contains(where: { $0.id == id }) {
                queues.append(DemoWorkforce.queue(id, department: department))
            }
        }
        self.queues = queues
        memberQueue = members.map { member in queues.firstIndex { $0.id == center.agents[member.agent].queue } ?? 0 }
        shifts = DemoWorkforce.shifts(seed: center.seed, members: members, month: month)
    }

    // MARK: - Queues

    private static let queueProfiles: [Queue] = [
        Queue(id: "retail-general", name: "Retail banking, general", serviceLevelPercent: 80, answerWithinSeconds: 20,
              handleSeconds: 300, shrinkagePercent: 30),
        Queue(id: "retail-vip", name: "Retail banking, VIP line", serviceLevelPercent: 90, answerWithinSeconds: 15,
              handleSeconds: 360, shrinkagePercent: 28),
        Queue(id: "cards-activation", name: "Card activation and PIN", serviceLevelPercent: 80, answerWithinSeconds: 20,
              handleSeconds: 210, shrinkagePercent: 27),
        Queue(id: "cards-disputes", name: "Card disputes and chargebacks", serviceLevelPercent: 80, answerWithinSeconds: 30,
              handleSeconds: 400, shrinkagePercent: 32),
        Queue(id: "loans-service", name: "Personal loans servicing", serviceLevelPercent: 80, answerWithinSeconds: 30,
              handleSeconds: 380, shrinkagePercent: 30),
        Queue(id: "mortgage-service", name: "Mortgage servicing", serviceLevelPercent: 80, answerWithinSeconds: 30,
              handleSeconds: 420, shrinkagePercent: 31),
        Queue(id: "wealth-advisory", name: "Wealth advisory line", serviceLevelPercent: 85, answerWithinSeconds: 20,
              handleSeconds: 420, shrinkagePercent: 33),
        Queue(id: "collections-early", name: "Collections, early arrears", serviceLevelPercent: 75, answerWithinSeconds: 30,
              handleSeconds: 270, shrinkagePercent: 26),
        Queue(id: "collections-late", name: "Collections, late arrears", serviceLevelPercent: 70, answerWithinSeconds: 60,
              handleSeconds: 330, shrinkagePercent: 28),
        Queue(id: "app-support", name: "Mobile app support", serviceLevelPercent: 80, answerWithinSeconds: 20,
              handleSeconds: 240, shrinkagePercent: 29),
        Queue(id: "web-chat", name: "Web chat", serviceLevelPercent: 80, answerWithinSeconds: 60,
              handleSeconds: 300, shrinkagePercent: 25),
    ]

    /// The queue's profile, or one derived from its department for a queue not listed.
    private static func queue(_ id: String, department: DemoCenter.Department) -> Queue {
        if let known = queueProfiles.first(where: { $0.id == id }) { return known }
        return Queue(id: id, name: "\(department.name), \(id)", serviceLevelPercent: 80, answerWithinSeconds: 20,
                     handleSeconds: min(420, max(180, Int(department.handleSeconds))), shrinkagePercent: 30)
    }

    // MARK: - Shifts

    private static func shifts(seed: UInt64, members: [Member], month: DemoMonth) -> [Shift] {
        var shifts: [Shift] = []
        shifts.reserveCapacity(members.count * 23)
        let patternWeights = patterns.map(\.weight)
        for (index, member) in members.enumerated() {
            var random = SplitMix64(seed: seed, stream: "shifts", index: member.agent)
            if member.onboarding {
                for day in month.workingDays {
                    shifts.append(Shift(member: index, span: DemoDaySpan(day: day, start: onboardingHours.start, end: onboardingHours.end)))
                }
                continue
            }
            let pattern = patterns[random.weightedIndex(patternWeights)]
            // Rota agents rest on two consecutive weekdays (1 = Monday … 4 = Thursday starts the pair).
            let rotaRest = random.chance(rotaShare) ? random.int(1...4) : nil
            for day in month.dates.indices {
                let works: Bool
                if let rest = rotaRest {
                    let weekday = month.dates[day].weekday
                    works = weekday != rest && weekday != rest + 1
                } else {
                    works = month.isWorkingDay[day]
                }
                if works { shifts.append(Shift(member: index, span: DemoDaySpan(day: day, start: pattern.start, end: pattern.end))) }
            }
        }
        return shifts
    }
}
