import CalendarDates
/// Weekly operational KPIs (Monday to Sunday) of every agent in service for at least three
/// days of a week inside the window, consistent with the agent's quality that month:
/// better agents handle a little faster, resolve more, please more and draw fewer complaints.
struct DemoKpis {
    struct Metric {
        let id: String
        let name: String
        let unit: String
        let direction: String
        let aggregation: String
    }

    static let metrics: [Metric] = [
        Metric(id: "aht_seconds", name: "Average handle time", unit: "seconds", direction: "lower_is_better", aggregation: "mean"),
        Metric(id: "csat", name: "Customer satisfaction", unit: "ratio", direction: "higher_is_better", aggregation: "rate"),
        Metric(id: "fcr", name: "First-contact resolution", unit: "ratio", direction: "higher_is_better", aggregation: "rate"),
        Metric(id: "complaints", name: "Complaints", unit: "count", direction: "lower_is_better", aggregation: "sum"),
    ]

    struct Sample {
        let agent: Int
        let weekStart: LocalDate
        /// In the order of `metrics`.
        let values: [String]
    }

    let center: DemoCenter
    let scores: DemoScores

    func generate() -> [Sample] {
        var samples: [Sample] = []
        var monday = center.windowStart.weekday == 1 ? center.windowStart : center.windowStart.monday.adding(days: 7)
        while monday.adding(days: 6) <= center.windowEnd {
            let sunday = monday.adding(days: 6)
            let month = monday.adding(days: 3).yearMonth  // the month holding the week's Thursday
            for (agentIndex, agent) in center.agents.enumerated() {
                guard let active = agent.activeDays(from: monday, to: sunday),
                      active.upperBound.dayNumber - active.lowerBound.dayNumber >= 2 else { continue }
                var random = SplitMix64(seed: center.seed, stream: "kpis", index: agentIndex * 10_000 + monday.dayNumber % 10_000)
                let quality = scores.monthlyMean(agent: agent, agentIndex: agentIndex, month: month)
                let department = DemoCenter.departments[agent.department]
                let gap = 92 - quality
                let handle = department.handleSeconds * (1 + 0.012 * gap) * max(0.7, random.normal(mean: 1, deviation: 0.06))
                let csat = min(0.99, max(0.5, 0.86 + 0.006 * (quality - 90) + random.normal(deviation: 0.025)))
                let fcr = min(0.97, max(0.4, 0.74 + 0.008 * (quality - 90) + random.normal(deviation: 0.04)))
                let complaints = random.poisson(0.25 + 0.05 * max(0, 90 - quality))
                samples.append(Sample(agent: agentIndex, weekStart: monday, values: [
                    DemoFormat.fixed(handle, 1), DemoFormat.fixed(csat, 3), DemoFormat.fixed(fcr, 3), String(complaints),
                ]))
            }
            monday = monday.adding(days: 7)
        }
        return samples
    }
}
