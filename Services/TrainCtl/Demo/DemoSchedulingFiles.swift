import CalendarDates

/// The training-scheduling inputs for the plan month, the month after the demo's window:
/// the course catalogue and its approved courseware, trainers and their hours, rooms, the
/// workforce-management export (queues, shifts, forecasts) and the trainer's draft plan,
/// as the CSV files `trainctl schedule` imports (RFC 4180, lists separated by ';', times
/// "YYYY-MM-DDTHH:MM" local to the center).
struct DemoSchedulingFiles {
    struct File {
        let name: String
        let bytes: [UInt8]
        let records: Int
        let what: String
    }

    let center: DemoCenter
    let month: DemoMonth
    let workforce: DemoWorkforce
    let trainers: DemoTrainers
    let courseware: DemoCourseware
    let forecasts: DemoForecasts
    let plan: DemoPlan

    /// The month after the window.
    static func planMonth(of center: DemoCenter) -> YearMonth {
        (center.months.last ?? YearMonth(index: 0)).adding(months: 1)
    }

    init(center: DemoCenter) {
        self.center = center
        month = DemoMonth(DemoSchedulingFiles.planMonth(of: center), calendar: center.calendar)
        workforce = DemoWorkforce(center: center, month: month)
        trainers = DemoTrainers(seed: center.seed, month: month)
        courseware = DemoCourseware(seed: center.seed)
        forecasts = DemoForecasts(seed: center.seed, workforce: workforce)
        plan = DemoPlan(seed: center.seed, center: center, workforce: workforce, trainers: trainers)
    }

    var sessionsFileName: String { "sessions-\(month.month).csv" }

    func files() -> [File] {
        let courses = DemoCatalogue.courses
        return [
            File(name: "courses.csv", bytes: coursesCSV(), records: courses.count,
                 what: "the course catalogue: kinds, categories, methods, purposes, scorecard lines and KPIs"),
            File(name: "courseware.csv", bytes: coursewareCSV(), records: courseware.approvals.count,
                 what: "one courseware version per course, approved by a department manager"),
            File(name: "trainers.csv", bytes: trainersCSV(), records: trainers.trainers.count,
                 what: "trainers with their biographies and the courses they may teach"),
            File(name: "trainer-availability.csv", bytes: availabilityCSV(), records: trainers.trainers.reduce(0) { $0 + $1.availability.count },
                 what: "the trainers' working hours on \(month.month)'s working days"),
            File(name: "rooms.csv", bytes: roomsCSV(), records: DemoRooms.rooms.count,
                 what: "training rooms at the three sites, with seats and directions"),
            File(name: "queues.csv", bytes: queuesCSV(), records: workforce.queues.count,
                 what: "the queues agents serve and their service-level targets"),
            File(name: "shifts.csv", bytes: shiftsCSV(), records: workforce.shifts.count,
                 what: "every rostered agent's shifts in \(month.month)"),
            File(name: "forecasts.csv", bytes: forecastsCSV(), records: forecasts.forecasts.count,
                 what: "30-minute contact forecasts per queue while it is open in \(month.month)"),
            File(name: sessionsFileName, bytes: sessionsCSV(), records: plan.sessions.count,
                 what: "the trainer's draft plan for \(month.month): \(plan.sessions.count) sessions, \(seats) seats"),
        ]
    }

    /// Seats of the draft plan.
    var seats: Int { plan.sessions.reduce(0) { $0 + $1.capacity } }

    // MARK: - Files

    private func csv(_ header: [String], _ rows: [[String]]) -> [UInt8] {
        var text = CSVWriter.line(header) + "\n"
        for row in rows { text += CSVWriter.line(row) + "\n" }
        return Array(text.utf8)
    }

    private func coursesCSV() -> [UInt8] {
        csv(["course_id", "title", "kind", "category", "method", "duration_minutes", "purpose", "topics", "preparation",
             "criterion_ids", "metric_ids", "departments", "sites", "for_managers"],
            DemoCatalogue.courses.map { course in
                [course.id, course.title, course.kind.rawValue, course.category.rawValue, course.method.rawValue,
                 String(course.durationMinutes), course.purpose, course.topics.joined(separator: ";"), course.preparation,
                 course.criterionIds.joined(separator: ";"), course.metricIds.joined(separator: ";"),
                 course.departments.joined(separator: ";"), course.sites.joined(separator: ";"), String(course.forManagers)]
            })
    }

    private func coursewareCSV() -> [UInt8] {
        csv(["course_id", "version", "approved_by"], courseware.approvals.map { [$0.courseId, $0.version, $0.approvedBy] })
    }

    private func trainersCSV() -> [UInt8] {
        csv(["trainer_id", "name", "biography", "qualified_course_ids"], trainers.trainers.map { trainer in
            [trainer.id, trainer.name, trainer.biography, trainer.qualifiedCourseIds.joined(separator: ";")]
        })
    }

    private func availabilityCSV() -> [UInt8] {
        csv(["trainer_id", "start", "end"], trainers.trainers.flatMap { trainer in
            trainer.availability.map { span in
                [trainer.id, month.dateTime(day: span.day, minute: span.start), month.dateTime(day: span.day, minute: span.end)]
            }
        })
    }

    private func roomsCSV() -> [UInt8] {
        csv(["room_id", "site", "capacity", "directions"], DemoRooms.rooms.map { [$0.id, $0.site, String($0.capacity), $0.directions] })
    }

    private func queuesCSV() -> [UInt8] {
        csv(["queue_id", "name", "service_level_percent", "answer_within_seconds"], workforce.queues.map { queue in
            [queue.id, queue.name, String(queue.serviceLevelPercent), String(queue.answerWithinSeconds)]
        })
    }

    private func shiftsCSV() -> [UInt8] {
        var output = Array("agent_id,start,end\n".utf8)
        output.reserveCapacity(workforce.shifts.count * 42)
        for shift in workforce.shifts {
            let agentId = center.agents[workforce.members[shift.member].agent].id
            let span = shift.span
            output += Array("\(agentId),\(month.dateTime(day: span.day, minute: span.start)),\(month.dateTime(day: span.day, minute: span.end))\n".utf8)
        }
        return output
    }

    private func forecastsCSV() -> [UInt8] {
        var output = Array("queue_id,start,expected_contacts,average_handle_seconds,shrinkage\n".utf8)
        output.reserveCapacity(forecasts.forecasts.count * 56)
        for forecast in forecasts.forecasts {
            let queue = workforce.queues[forecast.queue].id
            let start = month.dateTime(day: forecast.day, minute: forecast.interval * DemoForecasts.intervalMinutes)
            let contacts = "\(forecast.contactTenths / 10).\(forecast.contactTenths % 10)"
            let shrinkage = DemoFormat.fixed(Double(forecast.shrinkagePercent) / 100, 2)
            output += Array("\(queue),\(start),\(contacts),\(forecast.handleSeconds),\(shrinkage)\n".utf8)
        }
        return output
    }

    private func sessionsCSV() -> [UInt8] {
        csv(["session_id", "course_id", "trainer_id", "room_id", "start", "end", "capacity"], plan.sessions.map { session in
            [session.id, DemoCatalogue.courses[session.course].id, trainers.trainers[session.trainer].id,
             session.room.map { DemoRooms.rooms[$0].id } ?? "",
             month.dateTime(day: session.span.day, minute: session.span.start), month.dateTime(day: session.span.day, minute: session.span.end),
             String(session.capacity)]
        })
    }

    // MARK: - README

    /// The README's part on training scheduling: the files and the commands, in order.
    func readme() -> String {
        let p = month.month.description
        let inService = workforce.members.count(where: { !$0.onboarding })
        let onboarding = workforce.members.count - inService
        let binding = DemoCatalogue.courses.indices.filter { plan.boundAgents[$0] > 0 }.count
        let described: [(String, String)] = [
            ("courses.csv", "the catalogue: kind, category, method, duration, purpose, topics, preparation,\n"
                + "scorecard lines and KPIs it should move, departments and sites it is for"),
            ("courseware.csv", "one approved courseware version per course (department managers)"),
            ("trainers.csv", "trainers, biographies (printed on the notice memo), qualified courses"),
            ("trainer-availability.csv", "the trainers' working hours on \(p)'s working days"),
            ("rooms.csv", "training rooms per site: seats and directions"),
            ("queues.csv", "queues and their service-level targets (e.g. 80 % in 20 s)"),
            ("shifts.csv", "every rostered agent's shifts in \(p)"),
            ("forecasts.csv", "30-minute forecasts per queue while it is open (08:00-21:00)"),
            (sessionsFileName, "the draft plan: sessions within trainer hours, rooms and shifts"),
        ]
        let width = described.map(\.0.count).max() ?? 0
        let fileList = described.map { name, text in
            let indent = "\n  " + String(repeating: " ", count: width + 2)
            return "  " + name + String(repeating: " ", count: width + 2 - name.count)
                + text.split(separator: "\n").joined(separator: indent)
        }.joined(separator: "\n")
        return """
            Training scheduling for \(p), the month after the window
            \(inService) agents in service and \(onboarding) in onboarding on the roster; \(DemoCatalogue.courses.count) courses, \
            \(binding) of which bind agents;
            \(plan.sessions.count) sessions with \(seats) seats in the draft plan; \(trainers.trainers.count) trainers, \
            \(DemoRooms.rooms.count) rooms, \(workforce.queues.count) queues.

            Files
            \(fileList)

            Import, in this order, with training-scheduling running and the months above closed
            (the tiers and the roster reach it as the intake's events):
              trainctl schedule import courses courses.csv
              trainctl schedule import courseware courseware.csv
              trainctl schedule import trainers trainers.csv --availability trainer-availability.csv
              trainctl schedule import rooms rooms.csv
              trainctl schedule import queues queues.csv
              trainctl schedule import shifts shifts.csv
              trainctl schedule import forecasts forecasts.csv
              trainctl schedule draft \(p) \(sessionsFileName)
              trainctl schedule publish \(p)
              trainctl schedule enrol \(p)

            """
    }
}
