extension Placement {
    /// A month of a large center for timing placement: `agents` agents in teams of 12
    /// (each with a team leader), a queue per 250 agents (30 % of agents serve a second),
    /// five staggered 8.5-hour shift patterns five days a week, a forecast for every open
    /// queue-interval sized to leave the floor between no and some slack, and `sessions`
    /// sessions of five courses (new business, two electives, onboarding, an optional exam
    /// review with a few volunteers).
    ///
    /// Why in the library: the benchmark script and a correctness test build exactly the
    /// same case, and the generator is deterministic (a fixed-seed SplitMix64), so a timing
    /// is comparable across runs and machines.
    public static func benchmarkInput(agents agentCount: Int, sessions sessionCount: Int) -> Input {
        var random = SplitMix64(seed: 0x5EED_2024)
        let days = 30
        let teamCount = max(1, (agentCount + 11) / 12)
        let queueCount = max(2, agentCount / 250)
        let shiftStarts = [7 * 60, 9 * 60, 11 * 60, 13 * 60, 15 * 60]
        let shiftLength = 510

        func pad(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }

        var agents: [Agent] = []
        var shifts: [Shift] = []
        agents.reserveCapacity(agentCount)
        for n in 0..<agentCount {
            let team = n / 12
            let id = AgentID("A" + pad(n, 6))
            let draw = random.next(below: 100)
            let standing: AgentStanding = switch draw {
            case 0..<2: .onboarding
            case 2..<17: .inService(.advanced)
            case 17..<77: .inService(.standard)
            case 77..<97: .inService(.coaching)
            default: .inService(.insufficientData)
            }
            var queues = [QueueID("Q" + pad(team % queueCount, 3))]
            if random.next(below: 10) < 3 { queues.append(QueueID("Q" + pad((team + 1) % queueCount, 3))) }
            agents.append(Agent(
                id: id, team: TeamID("T" + pad(team, 5)), teamLeader: AgentID("TL" + pad(team, 5)), queues: queues,
                standing: standing))
            let start = standing == .onboarding ? 9 * 60 : shiftStarts[team % shiftStarts.count]
            for day in 0..<days where (day + team) % 7 >= 2 {
                shifts.append(Shift(agent: id, start: day * 1440 + start, end: day * 1440 + start + shiftLength))
            }
        }

        // Agents on the floor per queue and interval, to size forecasts against.
        let intervalCount = days * 1440 / Interval.minutes
        var onFloor = [Int](repeating: 0, count: queueCount * intervalCount)
        var queueIndex: [QueueID: Int] = [:]
        for q in 0..<queueCount { queueIndex[QueueID("Q" + pad(q, 3))] = q }
        var shiftCursor = 0
        for agent in agents {
            while shiftCursor < shifts.count, shifts[shiftCursor].agent == agent.id {
                defer { shiftCursor += 1 }
                guard !agent.isOnboarding else { continue }
                let range = shifts[shiftCursor].range
                let first = (range.start + Interval.minutes - 1) / Interval.minutes
                let last = range.end / Interval.minutes
                for queue in agent.queues {
                    guard let q = queueIndex[queue] else { continue }
                    for k in first..<last { onFloor[q * intervalCount + k] += 1 }
                }
            }
        }
        var forecasts: [QueueForecast] = []
        let handleTime = 300.0
        let shrinkage = 0.3
        for q in 0..<queueCount {
            for k in 0..<intervalCount where onFloor[q * intervalCount + k] > 0 {
                let scheduled = onFloor[q * intervalCount + k]
                let onPhones = Double(ErlangC.onPhones(forScheduled: scheduled, shrinkage: shrinkage))
                let occupancy = 0.70 + Double(random.next(below: 26)) / 100  // 0.70 … 0.95
                let load = onPhones * occupancy
                forecasts.append(QueueForecast(
                    queue: QueueID("Q" + pad(q, 3)), interval: Interval(k),
                    expectedContacts: load * Double(Interval.minutes * 60) / handleTime,
                    averageHandleTimeSeconds: handleTime, target: .eightyTwenty, shrinkage: shrinkage))
            }
        }

        // Courses and sessions, with seats for everyone bound plus a quarter.
        let courses = [
            Course(id: "C1-new-business", category: .mandatory, kind: .newBusiness),
            Course(id: "C2-difficult-calls", category: .elective, kind: .skillImprovement),
            Course(id: "C3-service-quality", category: .elective, kind: .serviceQualityImprovement),
            Course(id: "C4-onboarding", category: .mandatory, kind: .onboarding),
            Course(id: "C5-exam-review", category: .optional, kind: .serviceAwareness),
        ]
        var volunteers: [Volunteer] = []
        for agent in agents where !agent.isOnboarding && random.next(below: 100) == 0 {
            volunteers.append(Volunteer(agent: agent.id, course: "C5-exam-review"))
        }
        let onboardingSessions = max(1, sessionCount / 25)
        let reviewSessions = max(1, sessionCount / 50)
        let mainSessions = max(3, sessionCount - onboardingSessions - reviewSessions)
        let plan: [(course: Course, sessions: Int)] = [
            (courses[0], mainSessions - 2 * (mainSessions / 3)),
            (courses[1], mainSessions / 3),
            (courses[2], mainSessions / 3),
            (courses[3], onboardingSessions),
            (courses[4], reviewSessions),
        ]
        var sessions: [TrainingSession] = []
        var serial = 0
        for (course, count) in plan {
            let demand = course.category == .optional
                ? volunteers.count
                : agents.filter { course.binding(for: $0.standing) == .binds }.count
            let capacity = max(1, (demand * 5 / 4 + count - 1) / count)
            for _ in 0..<count {
                let day = random.next(below: days)
                let start = day * 1440 + 8 * 60 + random.next(below: 23) * 30  // 08:00 … 19:00
                let length = [60, 90, 120][random.next(below: 3)]
                // Every tenth session is co-delivered by a team leader, to exercise the soft rule.
                let staff: [AgentID] = serial % 10 == 0 ? [AgentID("TL" + pad(random.next(below: teamCount), 5))] : []
                sessions.append(TrainingSession(
                    id: SessionID("S" + pad(serial, 4)), course: course.id,
                    range: MinuteRange(start: start, end: start + length), capacity: capacity, staff: staff))
                serial += 1
            }
        }
        return Input(
            agents: agents, courses: courses, sessions: sessions, shifts: shifts, forecasts: forecasts,
            volunteers: volunteers)
    }
}

/// A small, fast, seedable generator (Steele, Lea & Flood's SplitMix64), so benchmark input
/// is the same on every machine; the standard library's generator cannot be seeded.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (bound > 0); the modulo bias is irrelevant for test data.
    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
