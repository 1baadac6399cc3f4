// Foundation only for `exp`: the standard library has no elementary functions on Linux.
import Foundation

/// Input that no queue can have: the staffing arithmetic refuses it rather than return
/// a number that looks like an answer.
public enum ErlangCError: Error, Hashable, Sendable {
    /// Contacts must be finite and not negative.
    case negativeContacts(Double)
    /// A call that takes no time (or a NaN) makes the offered load meaningless.
    case nonPositiveAverageHandleTime(Double)
    /// The interval the contacts arrive in must be a positive length.
    case nonPositiveIntervalLength(Double)
    /// "x % answered": x must lie strictly between 0 and 1, else every or no staffing meets it.
    case targetOutsideOpenUnitInterval(Double)
    /// "answered within t seconds": t must be finite and not negative.
    case negativeAnswerTime(Double)
    /// Shrinkage of 100 % would need infinitely many scheduled agents.
    case shrinkageOutsideUnitInterval(Double)
    /// The target could not be met with any staffing the search tried (a target so close
    /// to 1 that the arithmetic cannot tell the difference).
    case targetUnreachable
}

/// The Erlang C queueing model: how many agents a queue needs so that a share of its
/// contacts is answered within a given time (e.g. 80 % in 20 s).
///
/// Why Erlang B first: the textbook formula with `aⁿ/n!` overflows a `Double` at a few
/// hundred agents; the Erlang B recursion stays in (0, 1] for any load, and Erlang C
/// follows from it exactly. Large outsourcing queues run hundreds of agents.
public enum ErlangC {
    /// Offered load in Erlangs: the number of agents that would be busy all interval long
    /// if no contact ever waited (contacts × handle time / interval length).
    public static func offeredLoad(
        contacts: Double, averageHandleTimeSeconds: Double, intervalSeconds: Double
    ) throws(ErlangCError) -> Double {
        guard contacts.isFinite, contacts >= 0 else { throw .negativeContacts(contacts) }
        guard averageHandleTimeSeconds.isFinite, averageHandleTimeSeconds > 0 else {
            throw .nonPositiveAverageHandleTime(averageHandleTimeSeconds)
        }
        guard intervalSeconds.isFinite, intervalSeconds > 0 else { throw .nonPositiveIntervalLength(intervalSeconds) }
        return contacts * averageHandleTimeSeconds / intervalSeconds
    }

    /// Erlang B (blocking probability) for `agents` servers and `offeredLoad` Erlangs, by
    /// the recursion B(0) = 1, B(n) = a·B(n−1) / (n + a·B(n−1)). Every step stays in (0, 1].
    public static func erlangB(agents: Int, offeredLoad a: Double) -> Double {
        var b = 1.0
        if agents <= 0 { return b }
        for n in 1...agents {
            b = a * b / (Double(n) + a * b)
        }
        return b
    }

    /// Erlang C from Erlang B: the probability that a contact has to wait,
    /// C = n·B / (n − a·(1 − B)). With no more agents than the load (n ≤ a) the queue grows
    /// without bound and every contact waits: 1.
    public static func erlangC(agents n: Int, offeredLoad a: Double, erlangB b: Double) -> Double {
        guard Double(n) > a else { return 1 }
        let c = Double(n) * b / (Double(n) - a * (1 - b))
        return min(max(c, 0), 1)
    }

    /// The probability that a contact has to wait.
    public static func erlangC(agents: Int, offeredLoad a: Double) -> Double {
        erlangC(agents: agents, offeredLoad: a, erlangB: erlangB(agents: agents, offeredLoad: a))
    }

    /// The share of contacts answered within `answerWithinSeconds`:
    /// SL(n) = 1 − C·exp(−(n − a)·T / AHT). No load: everything is answered at once.
    /// Too few agents (n ≤ a): nothing is guaranteed, 0.
    public static func serviceLevel(
        agents n: Int, offeredLoad a: Double, averageHandleTimeSeconds aht: Double, answerWithinSeconds t: Double
    ) -> Double {
        if a <= 0 { return 1 }
        guard Double(n) > a else { return 0 }
        return serviceLevel(agents: n, offeredLoad: a, erlangC: erlangC(agents: n, offeredLoad: a), aht: aht, t: t)
    }

    private static func serviceLevel(agents n: Int, offeredLoad a: Double, erlangC c: Double, aht: Double, t: Double) -> Double {
        let level = 1 - c * exp(-(Double(n) - a) * t / aht)
        return min(max(level, 0), 1)
    }

    /// Average speed of answer in seconds: C·AHT / (n − a). Infinite when n ≤ a (the queue
    /// never drains); 0 with no load.
    public static func averageSpeedOfAnswer(agents n: Int, offeredLoad a: Double, averageHandleTimeSeconds aht: Double) -> Double {
        if a <= 0 { return 0 }
        guard Double(n) > a else { return .infinity }
        return erlangC(agents: n, offeredLoad: a) * aht / (Double(n) - a)
    }

    /// The fewest agents taking contacts (before shrinkage) that meet the forecast's target:
    /// the smallest n > a with SL(n) ≥ target. No contacts: 0.
    ///
    /// Why incremental: SL(n) rises with n for n > a, so the search walks up from ⌊a⌋ + 1,
    /// extending the Erlang B recursion one step per candidate instead of restarting it.
    public static func requiredAgentsOnPhones(forecast: QueueForecast) throws(ErlangCError) -> Int {
        try forecast.validate()
        let a = try offeredLoad(
            contacts: forecast.expectedContacts, averageHandleTimeSeconds: forecast.averageHandleTimeSeconds,
            intervalSeconds: Double(Interval.minutes * 60))
        if a == 0 { return 0 }
        var n = Int(a.rounded(.down)) + 1
        var b = erlangB(agents: n, offeredLoad: a)
        // A generous ceiling: the wait tail decays like exp(−(n − a)²/2a), so a + 40·√a + 100
        // meets any representable target; beyond it the target is unreachable in practice.
        let ceiling = n + Int((40 * a.squareRoot()).rounded(.up)) + 100
        while n <= ceiling {
            let c = erlangC(agents: n, offeredLoad: a, erlangB: b)
            let level = serviceLevel(
                agents: n, offeredLoad: a, erlangC: c, aht: forecast.averageHandleTimeSeconds,
                t: forecast.target.answerWithinSeconds)
            if level >= forecast.target.fraction { return n }
            n += 1
            b = a * b / (Double(n) + a * b)
        }
        throw .targetUnreachable
    }

    /// The agents to have on shift for the forecast: the agents on phones divided by
    /// (1 − shrinkage), rounded up, because breaks, meetings and absence take a share of
    /// everyone scheduled.
    public static func requiredAgents(forecast: QueueForecast) throws(ErlangCError) -> Int {
        let onPhones = try requiredAgentsOnPhones(forecast: forecast)
        return scheduled(forOnPhones: onPhones, shrinkage: forecast.shrinkage)
    }

    /// Agents on shift needed for `onPhones` agents taking contacts.
    ///
    /// Why the tolerance: 14 / (1 − 0.3) may come out as 20.000000000000004 and must not
    /// round up to 21.
    static func scheduled(forOnPhones onPhones: Int, shrinkage: Double) -> Int {
        Int((Double(onPhones) / (1 - shrinkage) - 1e-9).rounded(.up))
    }

    /// Agents taking contacts out of `scheduled` agents on shift: the inverse of
    /// `scheduled(forOnPhones:shrinkage:)`, rounded down so a what-if never flatters.
    static func onPhones(forScheduled scheduled: Int, shrinkage: Double) -> Int {
        max(0, Int((Double(scheduled) * (1 - shrinkage) + 1e-9).rounded(.down)))
    }

    /// The service level a queue-interval keeps with `scheduled` agents on shift and on the
    /// floor (shrinkage applied as in `requiredAgents`).
    public static func serviceLevel(scheduled: Int, forecast: QueueForecast) throws(ErlangCError) -> Double {
        try forecast.validate()
        let a = try offeredLoad(
            contacts: forecast.expectedContacts, averageHandleTimeSeconds: forecast.averageHandleTimeSeconds,
            intervalSeconds: Double(Interval.minutes * 60))
        return serviceLevel(
            agents: onPhones(forScheduled: scheduled, shrinkage: forecast.shrinkage), offeredLoad: a,
            averageHandleTimeSeconds: forecast.averageHandleTimeSeconds,
            answerWithinSeconds: forecast.target.answerWithinSeconds)
    }
}
