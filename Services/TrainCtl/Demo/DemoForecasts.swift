import Foundation

/// 30-minute forecasts of every queue for every interval of the plan month in which it is
/// open (08:00–21:00, every day), sized from the staffing: in each interval the contacts are
/// the most that a share of the queue's in-service agents on shift can answer within the
/// queue's target by Erlang C, after shrinkage. The share follows the day (peaks mid-morning
/// and mid-afternoon, quieter at opening and closing, a busier Monday, a quieter weekend):
/// training can be placed, but at peaks only a few agents of a queue can leave the floor.
///
/// Why from the staffing rather than the other way round: a workforce-management team
/// staffs to its forecast, so a demo whose forecast ignored its shifts would either break
/// the service level everywhere or never bind.
struct DemoForecasts {
    struct Forecast {
        let queue: Int
        let day: Int
        /// The interval of the day: 0 is 00:00–00:30.
        let interval: Int
        /// Expected contacts, in tenths.
        let contactTenths: Int
        let handleSeconds: Int
        let shrinkagePercent: Int
    }

    static let intervalMinutes = 30
    /// The share of the on-shift agents the forecast needs, per interval from 08:00 to 21:00.
    static let busyShare: [Double] = [
        0.52, 0.60, 0.67, 0.73, 0.78, 0.81, 0.80, 0.75, 0.66, 0.62, 0.65, 0.71, 0.76,
        0.78, 0.77, 0.74, 0.70, 0.66, 0.68, 0.66, 0.64, 0.62, 0.60, 0.57, 0.52, 0.46,
    ]

    let forecasts: [Forecast]

    init(seed: UInt64, workforce: DemoWorkforce) {
        let month = workforce.month
        let perDay = 24 * 60 / DemoForecasts.intervalMinutes
        let firstOpen = DemoWorkforce.opening.start / DemoForecasts.intervalMinutes
        let lastOpen = DemoWorkforce.opening.end / DemoForecasts.intervalMinutes  // exclusive
        // In-service agents of each queue on shift for the whole of each interval.
        var onShift = [Int](repeating: 0, count: workforce.queues.count * month.dates.count * perDay)
        for shift in workforce.shifts where !workforce.members[shift.member].onboarding {
            let base = (workforce.memberQueue[shift.member] * month.dates.count + shift.span.day) * perDay
            let first = (shift.span.start + DemoForecasts.intervalMinutes - 1) / DemoForecasts.intervalMinutes
            let last = min(perDay, shift.span.end / DemoForecasts.intervalMinutes)
            for interval in first..<max(first, last) { onShift[base + interval] += 1 }
        }

        var forecasts: [Forecast] = []
        forecasts.reserveCapacity(workforce.queues.count * month.dates.count * (lastOpen - firstOpen))
        for (q, queue) in workforce.queues.enumerated() {
            var staffing = DemoStaffing(queue: queue)
            for day in month.dates.indices {
                var random = SplitMix64(seed: seed, stream: "forecasts", index: q * 1000 + day)
                let weekday = month.dates[day].weekday
                let dayFactor = !month.isWorkingDay[day] ? 0.95 : weekday == 1 ? 1.03 : weekday == 5 ? 0.98 : 1.0
                let shrinkage = queue.shrinkagePercent + random.int(-2...2)
                for interval in firstOpen..<lastOpen {
                    let share = DemoForecasts.busyShare[min(interval - firstOpen, DemoForecasts.busyShare.count - 1)]
                    let busy = min(0.94, max(0.3, share * dayFactor + random.normal(deviation: 0.025)))
                    let agents = onShift[(q * month.dates.count + day) * perDay + interval]
                    let onPhones = Int((Double(agents) * Double(100 - shrinkage) / 100 * busy + 1e-9).rounded(.down))
                    // Up to the most those agents answer in time: a forecast is rarely exactly on the edge.
                    let load = staffing.largestLoad(onPhones: onPhones) * random.uniform(0.9, 1.0)
                    let tenths = Int((load * Double(DemoForecasts.intervalMinutes * 60) / Double(queue.handleSeconds) * 10).rounded(.down))
                    forecasts.append(Forecast(queue: q, day: day, interval: interval, contactTenths: max(0, tenths),
                                              handleSeconds: queue.handleSeconds, shrinkagePercent: shrinkage))
                }
            }
        }
        self.forecasts = forecasts
    }
}

/// Erlang C for one queue, the way the scheduling service computes it (Erlang B recursion,
/// service level 1 − C·e^(−(n − a)·T / AHT)), turned round: the largest offered load that
/// `n` agents on the phones still answer within the queue's target.
struct DemoStaffing {
    let target: Double
    let answerWithin: Double
    let handleSeconds: Double
    /// Largest load per number of agents, filled as asked.
    private var known: [Int: Double] = [:]

    init(queue: DemoWorkforce.Queue) {
        target = Double(queue.serviceLevelPercent) / 100
        answerWithin = Double(queue.answerWithinSeconds)
        handleSeconds = Double(queue.handleSeconds)
    }

    /// The share of contacts answered in time with `agents` on the phones and `load` Erlangs.
    func serviceLevel(agents: Int, load: Double) -> Double {
        if load <= 0 { return 1 }
        guard Double(agents) > load else { return 0 }
        var b = 1.0
        for n in 1...agents { b = load * b / (Double(n) + load * b) }
        let n = Double(agents)
        let c = min(max(n * b / (n - load * (1 - b)), 0), 1)
        return min(max(1 - c * exp(-(n - load) * answerWithin / handleSeconds), 0), 1)
    }

    /// The largest load (Erlangs) `agents` meet the target with, by bisection: the service
    /// level falls as the load grows.
    mutating func largestLoad(onPhones agents: Int) -> Double {
        guard agents > 0 else { return 0 }
        if let load = known[agents] { return load }
        var low = 0.0, high = Double(agents)
        for _ in 0..<40 {
            let middle = (low + high) / 2
            if serviceLevel(agents: agents, load: middle) >= target { low = middle } else { high = middle }
        }
        known[agents] = low
        return low
    }
}
