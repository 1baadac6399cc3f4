import Foundation
import TrainingWire

/// Fixed-point text without Foundation's formatter (which is slow for 100,000 values and
/// may follow the machine's locale).
enum DemoFormat {
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        guard decimals > 0 else { return sign + String(magnitude) }
        return sign + String(magnitude / scale) + "." + Digits.padded(magnitude % scale, decimals)
    }
}

/// Writes the demo center as the files a QA system and an HR export would hand over, the
/// training-scheduling inputs for the month after the window, and a README naming them and
/// the trainctl commands that import them, in order.
struct DemoFiles {
    let center: DemoCenter
    let evaluations: [DemoEvaluation]
    let kpis: [DemoKpis.Sample]
    let scheduling: DemoSchedulingFiles
    let command: String

    struct Written {
        let name: String
        let records: Int
        let what: String
    }

    func write(to directory: URL) throws -> [Written] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [Written] = []
        func save(_ name: String, _ bytes: [UInt8], records: Int, what: String) throws {
            try Data(bytes).write(to: directory.appendingPathComponent(name))
            written.append(Written(name: name, records: records, what: what))
        }

        // The plan month's year too: its due dates and working days follow the calendar.
        let years = Array(Set(center.months.map(\.year) + [scheduling.month.month.year])).sorted()
        for year in years {
            let days = ChinaCalendar.exceptions(in: year)
            try save("calendar-\(year).json", Array(calendarJSON(year: year, days: days).utf8), records: days.count,
                     what: "the center's \(year) calendar (\(ChinaCalendar.timeZone)): holidays and make-up working days")
        }
        try save("scorecard.json", Array(scorecardJSON().utf8), records: DemoScorecard.criteria.count,
                 what: "the QA scorecard: six lines, the total is their weighted sum")
        try save("metrics.json", Array(metricsJSON().utf8), records: DemoKpis.metrics.count,
                 what: "the KPI definitions: handle time, satisfaction, first-contact resolution, complaints")
        try save("roster.csv", rosterCSV(), records: center.rosterRows.count,
                 what: "the roster with its history (hires, in service, transfers, leavers), oldest first")
        try save("evaluations.jsonl", evaluationsJSONL(), records: evaluations.count,
                 what: "scored calls, one per line; corrections (revision 2) come later in the file")
        try save("kpis.csv", kpisCSV(), records: kpis.count * DemoKpis.metrics.count, what: "weekly KPIs per agent")
        for file in scheduling.files() {
            try save(file.name, file.bytes, records: file.records, what: file.what)
        }
        let readme = self.readme(years: years)
        try save("README.txt", Array(readme.utf8), records: 0, what: "this list and the commands to import it")
        return written
    }

    // MARK: - Reference data

    private func calendarJSON(year: Int, days: [CalendarDay]) -> String {
        JSONValue.object([
            "time_zone": .string(ChinaCalendar.timeZone), "year": .integer(Int64(year)),
            "days": .array(days.map { day in
                .object(["date": .string(day.date), "kind": day.kind.json, "name": .string(day.name)])
            }),
        ]).rendered(pretty: true) + "\n"
    }

    private func scorecardJSON() -> String {
        JSONValue.object([
            "scorecard_id": .string(DemoScorecard.id), "version": .integer(Int64(DemoScorecard.version)),
            "name": .string(DemoScorecard.name), "total_is_weighted_sum": .bool(true),
            "criteria": .array(DemoScorecard.criteria.map { line in
                .object([
                    "criterion_id": .string(line.id), "name": .string(line.name), "max_score": .number(DemoScorecard.maxScore),
                    "weight": .number(line.weight), "critical": .bool(line.critical),
                ])
            }),
        ]).rendered(pretty: true) + "\n"
    }

    private func metricsJSON() -> String {
        JSONValue.array(DemoKpis.metrics.map { metric in
            .object([
                "metric_id": .string(metric.id), "name": .string(metric.name), "unit": .string(metric.unit),
                "direction": .string(metric.direction), "aggregation": .string(metric.aggregation),
            ])
        }).rendered(pretty: true) + "\n"
    }

    // MARK: - Records

    private func rosterCSV() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(center.rosterRows.count * 120)
        let header = ["agent_id", "name", "team_id", "team_leader_id", "department", "site", "queue", "hire_date", "status", "left_on", "effective_date"]
        output += Array((CSVWriter.line(header) + "\n").utf8)
        for row in center.rosterRows {
            let agent = center.agents[row.agent]
            let team = center.teams[row.team]
            let fields = [
                agent.id, agent.name, team.id, team.leaderId, DemoCenter.departments[team.department].name, team.site, agent.queue,
                agent.hireDate.description, row.status, row.leftOn?.description ?? "", row.effectiveDate.description,
            ]
            output += Array((CSVWriter.line(fields) + "\n").utf8)
        }
        return output
    }

    private func evaluationsJSONL() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(evaluations.count * 900)
        let offset = ChinaCalendar.utcOffsetSeconds
        // The item objects' constant parts, built once.
        let itemPrefixes = DemoScorecard.criteria.map { line in
            "{\"criterion_id\":\"\(line.id)\",\"name\":\"\(line.name)\",\"score\":"
        }
        let itemSuffixes = DemoScorecard.criteria.map { line in
            ",\"max_score\":\(JSONValue.format(DemoScorecard.maxScore)),\"critical\":\(line.critical)}"
        }
        for evaluation in evaluations {
            var line = "{\"evaluation_id\":\"\(evaluation.id)\",\"revision\":\(evaluation.revision)"
            line += ",\"agent_id\":\"\(center.agents[evaluation.agent].id)\",\"call_id\":\"\(evaluation.callId)\""
            line += ",\"evaluator_id\":\"\(evaluation.evaluatorId)\""
            line += ",\"call_started_at\":\"\(RFC3339.format(unixMilliseconds: evaluation.callStartedAt, offsetSeconds: offset))\""
            line += ",\"scored_at\":\"\(RFC3339.format(unixMilliseconds: evaluation.scoredAt, offsetSeconds: offset))\""
            line += ",\"scorecard_id\":\"\(DemoScorecard.id)\",\"scorecard_version\":\(DemoScorecard.version)"
            line += ",\"total_score\":\(JSONValue.format(evaluation.total)),\"channel\":\"\(evaluation.channel)\",\"items\":["
            for (index, score) in evaluation.scores.enumerated() {
                if index > 0 { line += "," }
                line += itemPrefixes[index] + String(score) + itemSuffixes[index]
            }
            line += "]}\n"
            output += Array(line.utf8)
        }
        return output
    }

    private func kpisCSV() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(kpis.count * DemoKpis.metrics.count * 48)
        output += Array("agent_id,metric_id,period_start,period_end,value\n".utf8)
        for sample in kpis {
            let agentId = center.agents[sample.agent].id
            let start = sample.weekStart.description, end = sample.weekStart.adding(days: 6).description
            for (metric, value) in zip(DemoKpis.metrics, sample.values) {
                output += Array("\(agentId),\(metric.id),\(start),\(end),\(value)\n".utf8)
            }
        }
        return output
    }

    // MARK: - README

    private func readme(years: [Int]) -> String {
        let first = center.months.first.map(\.description) ?? "", last = center.months.last.map(\.description) ?? ""
        let calendars = years.map { "calendar-\($0).json" }
        let hires = center.agents.count(where: { !$0.preexisting })
        let leavers = center.agents.count(where: { $0.leftOn != nil })
        let corrections = evaluations.count(where: { $0.revision > 1 })
        return """
            Demo call center: \(center.months.count) months, \(first) to \(last)
            Generated by: \(command)

            \(center.inService(on: center.windowStart)) agents in service at the start, \(center.inService(on: center.windowEnd)) at the end;
            \(DemoCenter.departments.count) departments, \(center.teams.count) teams, \(Set(center.teams.map(\.site)).count) sites;
            \(hires) new hires (\(DemoCenter.hiresPerMonth) a month), \(leavers) leavers;
            \(evaluations.count) evaluations, of which \(corrections) corrections (revision 2).
            Times are local to the center (\(ChinaCalendar.timeZone), +08:00).

            Files
              \(calendars.joined(separator: ", "))
                  the center's calendar per year: holidays and make-up working days (调休)
              scorecard.json     the QA scorecard: six lines scored 0-10; the total is the weighted sum
              metrics.json       KPI definitions: aht_seconds, csat, fcr, complaints
              roster.csv         agents, teams, team leaders, status history, oldest first
              evaluations.jsonl  scored calls, one per line; corrections (revision 2) come later
              kpis.csv           weekly KPIs per agent

            Import, in this order, with scoring-intake running (its clock must be past \(last);
            for other dates start it with --clock-start):
              trainctl intake import-calendar \(calendars.joined(separator: " "))
              trainctl intake import-scorecard scorecard.json
              trainctl intake import-metrics metrics.json
              trainctl intake import-roster roster.csv
              trainctl intake import-evaluations evaluations.jsonl
              trainctl intake import-kpis kpis.csv

            Then close the months, oldest first, and read the tiers:
              for m in \(center.months.map(\.description).joined(separator: " ")); do trainctl intake close-month $m >/dev/null; done
              trainctl intake tiers \(last)
              trainctl intake averages \(last) --by department

            """ + "\n" + scheduling.readme()
    }
}
