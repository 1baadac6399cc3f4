import CalendarDates
/// A made-up but realistic 500-seat call center over a window of months: six departments
/// of teams of 12–15 agents at the start (hires and leavers move them between about 11
/// and 17 later) on three sites, 30 new hires a month (onboarding for their
/// first month), nearly half of them gone within a year, tenured attrition, a few team
/// transfers, and each agent's quality traits that the scores are drawn from.
///
/// Everything comes from `SplitMix64` streams of the seed, and only arrays are iterated,
/// so the same seed gives the same center byte for byte.
struct DemoCenter {
    struct Department {
        let code: String
        let name: String
        let queues: [String]
        /// Share of contacts by chat and by email (the rest are voice).
        let chatShare: Double
        let emailShare: Double
        /// Average handle time of a seasoned agent, seconds.
        let handleSeconds: Double
        let initialAgents: Int
        let sites: [String]
    }

    struct Team {
        let id: String
        let leaderId: String
        let department: Int
        let site: String
    }

    /// One person's time at the center within (or starting before) the window.
    struct Agent {
        let id: String
        let name: String
        let department: Int
        let queue: String
        let hireDate: LocalDate
        /// First day taking calls: the first of the month after the hire (onboarding before).
        let inServiceFrom: LocalDate
        /// Nil: still employed at the end of the window.
        var leftOn: LocalDate?
        /// Team moves, oldest first; the first holds from the start.
        var teams: [(from: LocalDate, team: Int)]
        /// Hired before the window: on the roster, in service, from its first day.
        let preexisting: Bool
        /// The agent's long-run mean total score once fully trained (0–100).
        let quality: Double
        /// Per criterion, a fraction added to the agent's item scores (strengths, weaknesses).
        let criterionOffsets: [Double]
        /// How often a call fails the critical compliance line.
        let complianceFailRate: Double
        /// Evaluations in a full month (4–20).
        let monthlyEvaluations: Int

        func team(on date: LocalDate) -> Int {
            teams.last(where: { $0.from <= date })?.team ?? teams.first?.team ?? 0
        }

        /// The days within [first, last] on which the agent takes calls (in service, not yet gone).
        func activeDays(from first: LocalDate, to last: LocalDate) -> ClosedRange<LocalDate>? {
            let start = max(first, inServiceFrom)
            let end = min(last, leftOn.map { $0.adding(days: -1) } ?? last)
            return start <= end ? start...end : nil
        }

        /// Months since the agent started taking calls (0 in the first month), for the
        /// new-hire learning curve.
        func serviceMonths(at month: YearMonth) -> Int {
            (month.year - inServiceFrom.year) * 12 + month.month - inServiceFrom.month
        }
    }

    /// One line of roster.csv: the agent as of `effectiveDate`.
    struct RosterRow {
        let agent: Int
        let effectiveDate: LocalDate
        let team: Int
        let status: String
        let leftOn: LocalDate?
    }

    static let departments: [Department] = [
        Department(code: "RS", name: "Retail Support", queues: ["retail-general", "retail-vip"], chatShare: 0.15, emailShare: 0.03,
                   handleSeconds: 330, initialAgents: 110, sites: ["Shanghai", "Chengdu"]),
        Department(code: "CS", name: "Card Services", queues: ["cards-activation", "cards-disputes"], chatShare: 0.20, emailShare: 0.05,
                   handleSeconds: 360, initialAgents: 95, sites: ["Shanghai"]),
        Department(code: "LM", name: "Loans & Mortgages", queues: ["loans-service", "mortgage-service"], chatShare: 0.10, emailShare: 0.08,
                   handleSeconds: 420, initialAgents: 85, sites: ["Chengdu"]),
        Department(code: "WM", name: "Wealth Management", queues: ["wealth-advisory"], chatShare: 0.05, emailShare: 0.10,
                   handleSeconds: 480, initialAgents: 80, sites: ["Shanghai"]),
        Department(code: "CO", name: "Collections", queues: ["collections-early", "collections-late"], chatShare: 0.05, emailShare: 0.02,
                   handleSeconds: 300, initialAgents: 70, sites: ["Wuhan"]),
        Department(code: "DC", name: "Digital Channels", queues: ["app-support", "web-chat"], chatShare: 0.65, emailShare: 0.15,
                   handleSeconds: 280, initialAgents: 60, sites: ["Wuhan", "Chengdu"]),
    ]

    static let hiresPerMonth = 30
    /// Share of new hires who leave within their first year, and when (weights by month
    /// since hire, 0 = during onboarding): most leave early.
    static let newHireAttrition = 0.45
    static let newHireLeaveMonthWeights = [0.10, 0.16, 0.14, 0.12, 0.10, 0.09, 0.08, 0.06, 0.05, 0.04, 0.03, 0.03]
    /// Monthly chance that a tenured agent leaves.
    static let tenuredMonthlyAttrition = 0.045
    static let transfersPerMonth = 2

    let seed: UInt64
    let months: [YearMonth]
    let calendar: ChinaCalendar.Lookup
    private(set) var teams: [Team] = []
    private(set) var agents: [Agent] = []
    private(set) var rosterRows: [RosterRow] = []

    var windowStart: LocalDate { months.first?.firstDay ?? LocalDate(dayNumber: 0) }
    var windowEnd: LocalDate { months.last?.lastDay ?? LocalDate(dayNumber: 0) }

    init(seed: UInt64, endMonth: YearMonth, monthCount: Int) {
        self.seed = seed
        self.months = (0..<monthCount).map { endMonth.adding(months: $0 - monthCount + 1) }
        let firstYear = months.first?.year ?? endMonth.year
        self.calendar = ChinaCalendar.Lookup(years: (firstYear - 1)...(endMonth.year + 1))
        buildTeams()
        hireInitialStaff()
        runMonths()
        buildRoster()
    }

    // MARK: - Organisation

    private mutating func buildTeams() {
        var leaderNumber = 101
        for (departmentIndex, department) in DemoCenter.departments.enumerated() {
            let teamCount = Int((Double(department.initialAgents) / 13.5).rounded())
            for number in 1...max(1, teamCount) {
                teams.append(Team(
                    id: "\(department.code)-\(Digits.padded(number, 2))", leaderId: "TL\(leaderNumber)",
                    department: departmentIndex, site: department.sites[(number - 1) % department.sites.count]))
                leaderNumber += 1
            }
        }
    }

    private func teams(of department: Int) -> [Int] {
        teams.indices.filter { teams[$0].department == department }
    }

    /// Agents employed on `date`, per team (indexed like `teams`).
    private func teamHeadcounts(on date: LocalDate) -> [Int] {
        var counts = [Int](repeating: 0, count: teams.count)
        for agent in agents where agent.hireDate <= date && (agent.leftOn.map { $0 > date } ?? true) {
            counts[agent.team(on: date)] += 1
        }
        return counts
    }

    // MARK: - People

    private mutating func hireInitialStaff() {
        var random = SplitMix64(seed: seed, stream: "initial-staff")
        for (departmentIndex, department) in DemoCenter.departments.enumerated() {
            let departmentTeams = teams(of: departmentIndex)
            for position in 0..<department.initialAgents {
                // Tenure: a quarter hired within the year before the window, the rest 1–8 years.
                let daysBefore = random.chance(0.25) ? random.int(32...365) : random.int(366...2900)
                let hireDate = calendar.workingDay(onOrAfter: windowStart.adding(days: -daysBefore))
                let team = departmentTeams[position % departmentTeams.count]
                let inService = hireDate.yearMonth.adding(months: 1).firstDay
                addAgent(department: departmentIndex, team: team, hireDate: hireDate,
                         inServiceFrom: min(inService, windowStart), preexisting: true, random: &random)
            }
        }
    }

    private mutating func addAgent(
        department: Int, team: Int, hireDate: LocalDate, inServiceFrom: LocalDate, preexisting: Bool, random: inout SplitMix64
    ) {
        let number = agents.count + 1
        var traits = SplitMix64(seed: seed, stream: "agent-traits", index: number)
        // Most agents' means lie in 85–98; a tail of about one in twelve lies in 72–85.
        let quality = traits.chance(0.08) ? traits.uniform(72, 85) : min(99, max(85, traits.normal(mean: 92.5, deviation: 3.0)))
        var offsets = DemoScorecard.criteria.map { _ in traits.normal(deviation: 0.04) }
        // Centre the offsets (weighted) so that they shape the profile, not the mean.
        let weightedMean = zip(offsets, DemoScorecard.criteria).reduce(0) { $0 + $1.0 * $1.1.weight } / DemoScorecard.totalWeight
        offsets = offsets.map { $0 - weightedMean }
        let failRate = 0.004 + 0.02 * max(0, (90 - quality) / 15)
        agents.append(Agent(
            id: "A\(10_000 + number)", name: DemoNames.name(&traits), department: department,
            queue: random.pick(DemoCenter.departments[department].queues), hireDate: hireDate, inServiceFrom: inServiceFrom,
            leftOn: nil, teams: [(hireDate, team)], preexisting: preexisting, quality: quality,
            criterionOffsets: offsets, complianceFailRate: failRate, monthlyEvaluations: traits.int(6...18)))
    }

    /// Month by month: leavers, new hires into the emptiest teams, a few transfers.
    private mutating func runMonths() {
        var random = SplitMix64(seed: seed, stream: "months")
        for month in months {
            // Tenured leavers (a new hire's first year is decided at the hire).
            let yearAgo = month.adding(months: -12).firstDay
            for index in agents.indices where agents[index].leftOn == nil && (agents[index].preexisting || agents[index].hireDate < yearAgo) {
                if random.chance(DemoCenter.tenuredMonthlyAttrition) {
                    agents[index].leftOn = randomWorkingDay(in: month, after: month.firstDay, random: &random)
                }
            }
            // New hires: one cohort starting on the month's first working day, each into the
            // emptiest team of the department furthest below its size.
            let cohortStart = calendar.workingDay(onOrAfter: month.firstDay)
            var counts = teamHeadcounts(on: cohortStart)
            for _ in 0..<DemoCenter.hiresPerMonth {
                let department = emptiestDepartment(counts)
                let team = teams(of: department).min { (counts[$0], $0) < (counts[$1], $1) } ?? 0
                counts[team] += 1
                addAgent(department: department, team: team, hireDate: cohortStart,
                         inServiceFrom: month.adding(months: 1).firstDay, preexisting: false, random: &random)
                if random.chance(DemoCenter.newHireAttrition) {
                    let leaveMonth = month.adding(months: random.weightedIndex(DemoCenter.newHireLeaveMonthWeights))
                    if leaveMonth <= (months.last ?? month) {
                        agents[agents.count - 1].leftOn = randomWorkingDay(in: leaveMonth, after: cohortStart, random: &random)
                    }
                }
            }
            // Transfers: a seasoned agent moves from a department's fullest team to its emptiest.
            for _ in 0..<DemoCenter.transfersPerMonth {
                let candidates = teams(of: random.int(0...(DemoCenter.departments.count - 1)))
                guard let fullest = candidates.max(by: { (counts[$0], $1) < (counts[$1], $0) }),
                      let emptiest = candidates.min(by: { (counts[$0], $0) < (counts[$1], $1) }),
                      counts[fullest] > counts[emptiest] + 1 else { continue }
                let movable = agents.indices.filter { index in
                    let agent = agents[index]
                    return agent.inServiceFrom < cohortStart && (agent.leftOn.map { $0 > cohortStart } ?? true)
                        && agent.team(on: cohortStart) == fullest && agent.teams.count == 1
                }
                guard !movable.isEmpty else { continue }
                agents[random.pick(movable)].teams.append((cohortStart, emptiest))
                counts[fullest] -= 1
                counts[emptiest] += 1
            }
        }
    }

    /// The department furthest below its starting size, in proportion.
    private func emptiestDepartment(_ teamCounts: [Int]) -> Int {
        var best = 0
        var bestShortfall = -Double.infinity
        for (index, department) in DemoCenter.departments.enumerated() {
            let active = teams(of: index).reduce(0) { $0 + teamCounts[$1] }
            let shortfall = Double(department.initialAgents - active) / Double(department.initialAgents)
            if shortfall > bestShortfall {
                best = index
                bestShortfall = shortfall
            }
        }
        return best
    }

    private func randomWorkingDay(in month: YearMonth, after earliest: LocalDate, random: inout SplitMix64) -> LocalDate {
        let days = (0..<month.dayCount).map { month.firstDay.adding(days: $0) }.filter { $0 > earliest && calendar.isWorkingDay($0) }
        return days.isEmpty ? month.lastDay : random.pick(days)
    }

    // MARK: - Roster history

    /// Every change as a dated row, oldest first: what the roster import sends, in order.
    private mutating func buildRoster() {
        var rows: [RosterRow] = []
        for (index, agent) in agents.enumerated() {
            if agent.preexisting {
                rows.append(RosterRow(agent: index, effectiveDate: windowStart, team: agent.team(on: windowStart), status: "in_service", leftOn: nil))
            } else {
                rows.append(RosterRow(agent: index, effectiveDate: agent.hireDate, team: agent.team(on: agent.hireDate), status: "onboarding", leftOn: nil))
                if agent.inServiceFrom <= windowEnd, agent.leftOn.map({ $0 > agent.inServiceFrom }) ?? true {
                    rows.append(RosterRow(agent: index, effectiveDate: agent.inServiceFrom, team: agent.team(on: agent.inServiceFrom),
                                          status: "in_service", leftOn: nil))
                }
            }
            for move in agent.teams.dropFirst() where move.from > windowStart && (agent.leftOn.map { move.from < $0 } ?? true) {
                rows.append(RosterRow(agent: index, effectiveDate: move.from, team: move.team,
                                      status: move.from < agent.inServiceFrom ? "onboarding" : "in_service", leftOn: nil))
            }
            if let leftOn = agent.leftOn {
                rows.append(RosterRow(agent: index, effectiveDate: leftOn, team: agent.team(on: leftOn), status: "left", leftOn: leftOn))
            }
        }
        rosterRows = rows.enumerated().sorted { lhs, rhs in
            (lhs.element.effectiveDate, lhs.element.agent, lhs.offset) < (rhs.element.effectiveDate, rhs.element.agent, rhs.offset)
        }.map(\.element)
    }

    /// Agents on the floor (in service) on a day.
    func inService(on date: LocalDate) -> Int {
        agents.count(where: { $0.inServiceFrom <= date && ($0.leftOn.map { $0 > date } ?? true) })
    }
}

/// Chinese personal names: a common surname and one or two given characters.
enum DemoNames {
    private static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
    private static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华玲婷雪琳晨宇欣怡佳浩然雨思梦诗俊鹏飞颖慧晶博文轩子涵若琪嘉怡宁凯瑶倩")

    static func name(_ random: inout SplitMix64) -> String {
        // Surnames are listed roughly by frequency: favour the front of the list.
        let surnameIndex = min(surnames.count - 1, Int(Double(surnames.count) * random.unit() * random.unit() * 1.6))
        var name = String(surnames[surnameIndex]) + String(random.pick(given))
        if random.chance(0.7) { name += String(random.pick(given)) }
        return name
    }
}
