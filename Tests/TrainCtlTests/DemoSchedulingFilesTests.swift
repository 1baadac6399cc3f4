import CalendarDates
import Foundation
import TestSupport
import Testing

@testable import TrainCtl

/// The training-scheduling inputs of a year of the demo center (window 2025-11 to 2026-10,
/// plan month 2026-11), generated once for the suite and read back from their CSV bytes.
private let planDemo: PlanDemo = PlanDemo(seed: 7, endMonth: YearMonth(index: 2026 * 12 + 9), months: 12)

/// The files as text tables, and what the roster says about the plan month, taken from the
/// center's roster rows rather than from the code that wrote the files.
private struct PlanDemo {
    let center: DemoCenter
    let month: YearMonth
    let files: [String: [UInt8]]
    /// Agent id → status of the newest roster row ("in_service", "onboarding"), leavers left out.
    let rosterStatus: [String: String]
    /// Agent id → queue.
    let rosterQueue: [String: String]

    init(seed: UInt64, endMonth: YearMonth, months: Int) {
        center = DemoCenter(seed: seed, endMonth: endMonth, monthCount: months)
        month = endMonth.adding(months: 1)
        files = Dictionary(uniqueKeysWithValues: DemoSchedulingFiles(center: center).files().map { ($0.name, $0.bytes) })
        var status: [String: String] = [:]
        var queue: [String: String] = [:]
        for row in center.rosterRows {
            let agent = center.agents[row.agent]
            status[agent.id] = row.status
            queue[agent.id] = agent.queue
        }
        rosterStatus = status.filter { $0.value != "left" }
        rosterQueue = queue
    }

    var inService: [String] { rosterStatus.filter { $0.value == "in_service" }.keys.sorted() }
    var onboarding: [String] { rosterStatus.filter { $0.value == "onboarding" }.keys.sorted() }

    /// The rows of a file by column name; records the problem and answers [] if it is not CSV.
    func table(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: String]] {
        guard let bytes = files[name] else {
            Issue.record("no file \(name)", sourceLocation: sourceLocation)
            return []
        }
        guard let records = try? CSVReader.records(bytes), let header = records.first?.fields else {
            Issue.record("\(name) is not CSV", sourceLocation: sourceLocation)
            return []
        }
        return records.dropFirst().map { record in
            if let error = record.error { Issue.record("\(name) line \(record.line): \(error)", sourceLocation: sourceLocation) }
            if record.fields.count != header.count {
                Issue.record("\(name) line \(record.line): \(record.fields.count) fields", sourceLocation: sourceLocation)
            }
            return Dictionary(zip(header, record.fields), uniquingKeysWith: { first, _ in first })
        }
    }
}

/// "YYYY-MM-DDTHH:MM" as minutes since 1970-01-01 00:00 local, and the date.
private func localTime(_ text: String?) -> (minute: Int, date: LocalDate)? {
    guard let text, text.count == 16, Array(text)[10] == "T", let date = LocalDate(String(text.prefix(10))) else { return nil }
    let clock = text.suffix(5).split(separator: ":")
    guard clock.count == 2, let hour = Int(clock[0]), let minute = Int(clock[1]), (0..<24).contains(hour), (0..<60).contains(minute),
          clock[0].count == 2, clock[1].count == 2 else { return nil }
    return (date.dayNumber * 1440 + hour * 60 + minute, date)
}

private func list(_ field: String?) -> [String] {
    (field ?? "").split(separator: ";").map(String.init)
}

/// Erlang C as the trade computes it, written here independently of the generator: the
/// agents to have on shift for a forecast (on the phones for the target, then shrinkage).
private func requiredOnShift(contacts: Double, handleSeconds: Double, target: Double, within: Double, shrinkage: Double) -> Int {
    let load = contacts * handleSeconds / 1800
    guard load > 0 else { return 0 }
    var agents = Int(load) + 1
    while agents < 10_000 {
        var blocking = 1.0
        for n in 1...agents { blocking = load * blocking / (Double(n) + load * blocking) }
        let n = Double(agents)
        let waiting = n * blocking / (n - load * (1 - blocking))
        if 1 - waiting * exp(-(n - load) * within / handleSeconds) >= target { break }
        agents += 1
    }
    return Int((Double(agents) / (1 - shrinkage) - 1e-9).rounded(.up))
}

@Suite("Demo training-scheduling files")
struct DemoSchedulingFilesTests {
    static let methodsWithRoom: Set = ["classroom", "recording_review", "simulation"]

    @Test func theSameSeedWritesTheSameFilesAndAnotherSeedOtherPeople() {
        let end = YearMonth(index: 2026 * 12 + 9)
        let first = PlanDemo(seed: 3, endMonth: end, months: 2).files
        let again = PlanDemo(seed: 3, endMonth: end, months: 2).files
        let other = PlanDemo(seed: 4, endMonth: end, months: 2).files
        #expect(Set(first.keys) == ["courses.csv", "courseware.csv", "trainers.csv", "trainer-availability.csv", "rooms.csv",
                                    "queues.csv", "shifts.csv", "forecasts.csv", "sessions-2026-11.csv"])
        #expect(first == again)
        for name in ["shifts.csv", "forecasts.csv", "sessions-2026-11.csv", "trainers.csv", "courseware.csv"] {
            #expect(first[name] != other[name], "\(name) is the same for seeds 3 and 4")
        }
        for name in ["courses.csv", "rooms.csv", "queues.csv"] {
            #expect(first[name] == other[name], "\(name) depends on the seed")
        }
    }

    @Test func theCommandWritesThemWithTheImportCommandsInOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try await runTrainCtl(["demo", "generate", "--seed", "2", "--months", "1", "--end-month", "2026-12", "--out", "d"],
                                        in: directory.path)
        #expect(run.status == 0, "\(run)")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: directory.file("d")))
        // The plan month is in the next year: its calendar comes too.
        #expect(files.isSuperset(of: ["calendar-2026.json", "calendar-2027.json", "courses.csv", "sessions-2027-01.csv", "shifts.csv"]))
        let readme = try String(contentsOfFile: directory.file("d/README.txt"), encoding: .utf8)
        let commands = [
            "trainctl intake import-calendar calendar-2026.json calendar-2027.json",
            "trainctl schedule import courses courses.csv", "trainctl schedule import courseware courseware.csv",
            "trainctl schedule import trainers trainers.csv --availability trainer-availability.csv",
            "trainctl schedule import rooms rooms.csv", "trainctl schedule import queues queues.csv",
            "trainctl schedule import shifts shifts.csv", "trainctl schedule import forecasts forecasts.csv",
            "trainctl schedule draft 2027-01 sessions-2027-01.csv", "trainctl schedule publish 2027-01", "trainctl schedule enrol 2027-01",
        ]
        let positions = commands.map { readme.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(zip(commands, positions).filter { $0.1 == nil }.map(\.0))")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted(), "the commands are out of order")
    }

    @Test func theCatalogueUsesTheScorecardTheMetricsAndTheRoster() {
        let demo = planDemo
        let courses = demo.table("courses.csv")
        #expect((15...20).contains(courses.count))
        let kinds: Set = ["new_business", "new_campaign", "skill_improvement", "service_quality_improvement", "service_awareness",
                          "customer_service_skills", "internal_service", "team_collaboration", "problem_solving", "service_management",
                          "onboarding", "complaint_handling", "stress_and_emotion_management", "career_development"]
        let methods: Set = ["classroom", "recording_review", "simulation", "floor_shadowing", "video", "audio", "reading", "online"]
        let criteria = Set(DemoScorecard.criteria.map(\.id))
        let metrics = Set(DemoKpis.metrics.map(\.id))
        let departments = Set(DemoCenter.departments.map(\.name))
        let sites = Set(demo.center.teams.map(\.site))
        var problems: [String] = []
        for course in courses {
            let id = course["course_id"] ?? ""
            if !kinds.contains(course["kind"] ?? "") { problems.append("\(id): kind \(course["kind"] ?? "")") }
            if !["mandatory", "elective", "optional"].contains(course["category"] ?? "") { problems.append("\(id): category") }
            if !methods.contains(course["method"] ?? "") { problems.append("\(id): method") }
            if !(30...480).contains(Int(course["duration_minutes"] ?? "") ?? 0) { problems.append("\(id): duration") }
            if (course["title"] ?? "").isEmpty || (course["purpose"] ?? "").isEmpty || list(course["topics"]).isEmpty {
                problems.append("\(id): title, purpose or topics missing")
            }
            if !Set(list(course["criterion_ids"])).isSubset(of: criteria) { problems.append("\(id): criteria \(course["criterion_ids"] ?? "")") }
            if !Set(list(course["metric_ids"])).isSubset(of: metrics) { problems.append("\(id): metrics \(course["metric_ids"] ?? "")") }
            if !Set(list(course["departments"])).isSubset(of: departments) { problems.append("\(id): departments") }
            if !Set(list(course["sites"])).isSubset(of: sites) { problems.append("\(id): sites") }
            if !["true", "false"].contains(course["for_managers"] ?? "") { problems.append("\(id): for_managers") }
        }
        #expect(problems.isEmpty, "\(problems)")
        #expect(Set(courses.compactMap { $0["kind"] }) == kinds, "not every kind is in the catalogue")
        #expect(Set(courses.compactMap { $0["category"] }) == ["mandatory", "elective", "optional"])
        #expect(courses.contains { !list($0["departments"]).isEmpty } && courses.contains { $0["for_managers"] == "true" })

        // One approved courseware version per course, by a named manager.
        let courseware = demo.table("courseware.csv")
        #expect(courseware.compactMap { $0["course_id"] }.sorted() == courses.compactMap { $0["course_id"] }.sorted())
        #expect(courseware.allSatisfy { !($0["version"] ?? "").isEmpty && !($0["approved_by"] ?? "").isEmpty })
    }

    @Test func everyCourseHasAtLeastTwoQualifiedTrainers() {
        let demo = planDemo
        let trainers = demo.table("trainers.csv")
        #expect((6...10).contains(trainers.count))
        var qualified: [String: Int] = [:]
        for trainer in trainers {
            for course in Set(list(trainer["qualified_course_ids"])) { qualified[course, default: 0] += 1 }
            let biography = trainer["biography"] ?? ""
            #expect(!biography.isEmpty && biography.count <= 500 && !(trainer["name"] ?? "").isEmpty)
        }
        let courses = demo.table("courses.csv").compactMap { $0["course_id"] }
        let uncovered = courses.filter { qualified[$0, default: 0] < 2 }
        #expect(uncovered.isEmpty, "courses with fewer than two trainers: \(uncovered)")
        #expect(Set(qualified.keys).isSubset(of: Set(courses)), "a trainer is qualified for a course not in the catalogue")
    }

    /// What PublishMonthlyPlan checks, checked on the files: every rule, every session.
    @Test func theDraftPlanKeepsEveryPublicationRule() throws {
        let demo = planDemo
        let sessions = demo.table("sessions-2026-11.csv")
        let courses = Dictionary(uniqueKeysWithValues: demo.table("courses.csv").compactMap { row in row["course_id"].map { ($0, row) } })
        let approved = Set(demo.table("courseware.csv").compactMap { $0["course_id"] })
        let rooms = Dictionary(uniqueKeysWithValues: demo.table("rooms.csv").compactMap { row -> (String, Int)? in
            guard let id = row["room_id"], let capacity = Int(row["capacity"] ?? "") else { return nil }
            return (id, capacity)
        })
        #expect(rooms.values.allSatisfy { (12...30).contains($0) } && Set(demo.table("rooms.csv").compactMap { $0["site"] }) == ["Shanghai", "Chengdu", "Wuhan"])
        var qualified: [String: Set<String>] = [:]
        for trainer in demo.table("trainers.csv") {
            if let id = trainer["trainer_id"] { qualified[id] = Set(list(trainer["qualified_course_ids"])) }
        }
        var availability: [String: [(Int, Int)]] = [:]
        for span in demo.table("trainer-availability.csv") {
            guard let id = span["trainer_id"], let start = localTime(span["start"]), let end = localTime(span["end"]) else {
                Issue.record("availability \(span) does not read")
                continue
            }
            #expect(start.date.yearMonth == demo.month && demo.center.calendar.isWorkingDay(start.date) && end.minute > start.minute)
            availability[id, default: []].append((start.minute, end.minute))
        }

        #expect(sessions.count > 100)
        #expect(Set(sessions.compactMap { $0["session_id"] }).count == sessions.count, "session ids repeat")
        var problems: [String] = []
        var byTrainer: [String: [(id: String, start: Int, end: Int)]] = [:]
        var byRoom: [String: [(id: String, start: Int, end: Int)]] = [:]
        for session in sessions {
            let id = session["session_id"] ?? ""
            guard let courseId = session["course_id"], let course = courses[courseId], let trainer = session["trainer_id"],
                  let start = localTime(session["start"]), let end = localTime(session["end"]), let capacity = Int(session["capacity"] ?? "")
            else {
                problems.append("\(id): does not read or names an unknown course")
                continue
            }
            if !approved.contains(courseId) { problems.append("\(id): courseware not approved") }
            if qualified[trainer]?.contains(courseId) != true { problems.append("\(id): \(trainer) not qualified for \(courseId)") }
            if start.date.yearMonth != demo.month || end.minute <= start.minute || end.date != start.date {
                problems.append("\(id): not a span of one day of \(demo.month)")
            }
            if end.minute - start.minute != Int(course["duration_minutes"] ?? "") { problems.append("\(id): not the course's duration") }
            if !(availability[trainer] ?? []).contains(where: { $0.0 <= start.minute && end.minute <= $0.1 }) {
                problems.append("\(id): outside \(trainer)'s availability")
            }
            if capacity < 1 { problems.append("\(id): capacity \(capacity)") }
            let room = session["room_id"] ?? ""
            let needsRoom = Self.methodsWithRoom.contains(course["method"] ?? "")
            if needsRoom != !room.isEmpty { problems.append("\(id): room '\(room)' for a \(course["method"] ?? "") course") }
            if !room.isEmpty {
                if let seats = rooms[room] {
                    if capacity > seats { problems.append("\(id): capacity \(capacity) above the room's \(seats)") }
                } else {
                    problems.append("\(id): unknown room \(room)")
                }
                byRoom[room, default: []].append((id, start.minute, end.minute))
            }
            byTrainer[trainer, default: []].append((id, start.minute, end.minute))
        }
        for (owner, spans) in byTrainer.merging(byRoom, uniquingKeysWith: +) {
            let sorted = spans.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
            for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.start < earlier.end {
                problems.append("\(owner) in \(earlier.id) and \(later.id) at once")
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems: \(problems.prefix(8))")
    }

    /// Seats for every agent a course can bind: every in-service agent taken as standard
    /// tier (mandatory and elective courses bind them all), onboarding courses for the new
    /// hires in onboarding.
    @Test func everyCourseHasASeatForEveryAgentItCanBind() {
        let demo = planDemo
        var seats: [String: Int] = [:]
        for session in demo.table("sessions-2026-11.csv") {
            seats[session["course_id"] ?? "", default: 0] += Int(session["capacity"] ?? "") ?? 0
        }
        let inService = demo.inService.count, onboarding = demo.onboarding.count
        #expect(inService > 450 && onboarding > 15)
        var short: [String] = []
        var bindingCourses = 0
        for course in demo.table("courses.csv") {
            let kind = course["kind"] ?? ""
            let category = ["new_business", "new_campaign"].contains(kind) ? "mandatory" : course["category"] ?? ""
            let bound = category == "optional" ? 0 : kind == "onboarding" ? onboarding : inService
            if bound > 0 { bindingCourses += 1 }
            let id = course["course_id"] ?? ""
            if seats[id, default: 0] < bound { short.append("\(id): \(seats[id, default: 0]) seats for \(bound) agents") }
            if seats[id, default: 0] == 0 { short.append("\(id): no session") }
        }
        #expect(short.isEmpty, "\(short)")
        #expect(bindingCourses >= 6)
    }

    /// Sessions are held when agents can attend: on working days, and each session that takes
    /// agents from the floor (or new hires from onboarding) within enough of their shifts to fill it.
    @Test func everySessionFallsWithinTheShiftsOfEnoughAgents() {
        let demo = planDemo
        var shifts: [String: [(Int, Int)]] = [:]
        for shift in demo.table("shifts.csv") {
            guard let agent = shift["agent_id"], let start = localTime(shift["start"]), let end = localTime(shift["end"]) else { continue }
            shifts[agent, default: []].append((start.minute, end.minute))
        }
        let courses = Dictionary(uniqueKeysWithValues: demo.table("courses.csv").compactMap { row in row["course_id"].map { ($0, row) } })
        var problems: [String] = []
        for session in demo.table("sessions-2026-11.csv") {
            guard let course = courses[session["course_id"] ?? ""], let start = localTime(session["start"]), let end = localTime(session["end"]),
                  let capacity = Int(session["capacity"] ?? "") else { continue }
            let id = session["session_id"] ?? ""
            if !demo.center.calendar.isWorkingDay(start.date) { problems.append("\(id): on a rest day") }
            guard course["category"] != "optional" || ["new_business", "new_campaign"].contains(course["kind"] ?? "") else { continue }
            let audience = course["kind"] == "onboarding" ? demo.onboarding : demo.inService
            let fitting = audience.count { agent in
                (shifts[agent] ?? []).contains { $0.0 <= start.minute && end.minute <= $0.1 }
            }
            if fitting < capacity { problems.append("\(id): within the shifts of \(fitting) agents, \(capacity) seats") }
        }
        #expect(problems.isEmpty, "\(problems.count) problems: \(problems.prefix(8))")
    }

    @Test func everyRosteredAgentHasShiftsOfEightToNineHoursFiveDaysAWeek() {
        let demo = planDemo
        var shifts: [String: [(start: Int, end: Int)]] = [:]
        var problems: [String] = []
        for shift in demo.table("shifts.csv") {
            guard let agent = shift["agent_id"], let start = localTime(shift["start"]), let end = localTime(shift["end"]) else {
                problems.append("\(shift) does not read")
                continue
            }
            if start.date.yearMonth != demo.month || !(480...540).contains(end.minute - start.minute) {
                problems.append("\(agent): shift \(shift["start"] ?? "")-\(shift["end"] ?? "")")
            }
            shifts[agent, default: []].append((start.minute, end.minute))
        }
        let rostered = Set(demo.inService + demo.onboarding)
        let missing = rostered.filter { (shifts[$0] ?? []).isEmpty }
        #expect(missing.isEmpty, "agents without shifts: \(missing.sorted().prefix(5))")
        #expect(Set(shifts.keys).isSubset(of: rostered), "shifts for agents not on the roster")
        let days = demo.month.dayCount
        for (agent, ofAgent) in shifts {
            let sorted = ofAgent.sorted { $0.start < $1.start }
            if zip(sorted, sorted.dropFirst()).contains(where: { $1.start < $0.end }) { problems.append("\(agent): overlapping shifts") }
            // Five days a week, give or take the holidays and make-up working days of the month.
            if !(Double(days) * 4.0 / 7 - 4...Double(days) * 6.0 / 7 + 1).contains(Double(ofAgent.count)) {
                problems.append("\(agent): \(ofAgent.count) shifts in \(days) days")
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems: \(problems.prefix(5))")
        // Weekends are staffed, thinly.
        let weekend = demo.table("shifts.csv").count { localTime($0["start"])?.date.isWeekend == true }
        #expect(weekend > 0 && weekend < demo.table("shifts.csv").count / 5)
    }

    /// Every queue has a target and a forecast for every interval it is open, and the agents
    /// on shift meet the forecast's Erlang C requirement everywhere, with room to train at
    /// most times but not at all of them.
    @Test func everyQueueHasTargetsAndForecastsTheShiftsCanMeet() {
        let demo = planDemo
        let queues = Dictionary(uniqueKeysWithValues: demo.table("queues.csv").compactMap { row -> (String, (Double, Double))? in
            guard let id = row["queue_id"], let percent = Double(row["service_level_percent"] ?? ""),
                  let within = Double(row["answer_within_seconds"] ?? "") else { return nil }
            return (id, (percent / 100, within))
        })
        let rosterQueues = Set(demo.rosterStatus.keys.compactMap { demo.rosterQueue[$0] })
        #expect(rosterQueues.isSubset(of: Set(queues.keys)), "queues without a row: \(rosterQueues.subtracting(queues.keys))")
        #expect(queues.values.allSatisfy { (0.7...0.9).contains($0.0) && (10...60).contains($0.1) })

        // In-service agents of each queue on shift for the whole of each interval.
        var onShift: [String: Int] = [:]
        let inService = Set(demo.inService)
        for shift in demo.table("shifts.csv") {
            guard let agent = shift["agent_id"], inService.contains(agent), let queue = demo.rosterQueue[agent],
                  let start = localTime(shift["start"]), let end = localTime(shift["end"]) else { continue }
            var interval = (start.minute + 29) / 30 * 30
            while interval + 30 <= end.minute {
                onShift["\(queue) \(interval)", default: 0] += 1
                interval += 30
            }
        }
        var forecastIntervals: [String: Int] = [:]
        var problems: [String] = []
        var slacks: [Int] = []
        for forecast in demo.table("forecasts.csv") {
            guard let queue = forecast["queue_id"], let target = queues[queue], let start = localTime(forecast["start"]),
                  let contacts = Double(forecast["expected_contacts"] ?? ""), let handle = Double(forecast["average_handle_seconds"] ?? ""),
                  let shrinkage = Double(forecast["shrinkage"] ?? "") else {
                problems.append("\(forecast) does not read")
                continue
            }
            forecastIntervals[queue, default: 0] += 1
            if start.date.yearMonth != demo.month || start.minute % 30 != 0 || contacts < 0 || !(180...420).contains(handle)
                || !(0.2...0.4).contains(shrinkage) {
                problems.append("\(queue) \(forecast["start"] ?? ""): out of range")
            }
            let agents = onShift["\(queue) \(start.minute)", default: 0]
            let required = requiredOnShift(contacts: contacts, handleSeconds: handle, target: target.0, within: target.1, shrinkage: shrinkage)
            if required > agents { problems.append("\(queue) \(forecast["start"] ?? ""): \(required) needed, \(agents) on shift") }
            slacks.append(agents - required)
        }
        #expect(problems.isEmpty, "\(problems.count) problems: \(problems.prefix(5))")
        // Open 08:00-21:00 (26 intervals) every day of the month.
        let expected = demo.month.dayCount * 26
        #expect(queues.keys.allSatisfy { forecastIntervals[$0] == expected }, "\(forecastIntervals), expected \(expected) each")
        // Coverage binds sometimes: some intervals have no agent to spare, most have several.
        let tight = slacks.count { $0 <= 1 }, roomy = slacks.count { $0 >= 4 }
        #expect(tight > 0 && tight < slacks.count / 4, "\(tight) of \(slacks.count) intervals with at most one agent to spare")
        #expect(roomy > slacks.count / 2, "\(roomy) of \(slacks.count) intervals with four or more to spare")
    }
}
