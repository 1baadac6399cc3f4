import CalendarDates
import Foundation
import SQLiteStorage
import Synchronization

/// What validating an evaluation needs to know, kept in memory: the agents on the roster,
/// the stored scorecards and the center's time zone.
///
/// Why: validation used to run on the single writer thread, with lookups, and was half of
/// its work at 1,000-evaluation batches. Reference data changes rarely and only through
/// this process, so it is loaded once and updated after each commit that changes it; the
/// rules then run on the callers' threads, in parallel, and the writer only stores.
/// An evaluation that races a roster import may be rejected as "not on the roster" and
/// succeed when resent; it is never accepted wrongly, because agents are never removed.
final class ReferenceData: Sendable {
    struct Snapshot: Sendable {
        var agents: Set<String> = []
        var scorecards: [ScorecardKey: Scorecard] = [:]
        var timeZone: TimeZone?
    }

    struct ScorecardKey: Hashable, Sendable {
        var id: String
        var version: Int
    }

    private let state = Mutex(Snapshot())

    var snapshot: Snapshot { state.withLock { $0 } }

    /// Loads everything from the database; called at start.
    func load(_ db: SQLiteConnection, repository: IntakeRepository) throws {
        var loaded = Snapshot()
        loaded.agents = Set(try db.query("SELECT DISTINCT agent_id FROM roster_versions", [], row: { $0.text(at: 0) }))
        for (id, version) in try db.query("SELECT scorecard_id, version FROM scorecards", [], row: { ($0.text(at: 0), $0.int(at: 1)) }) {
            loaded.scorecards[ScorecardKey(id: id, version: version)] = try repository.scorecard(id, version: version, db)
        }
        loaded.timeZone = try repository.timeZoneIdentifier(db).flatMap { TimeZone(identifier: $0) }
        state.withLock { $0 = loaded }
    }

    func addAgents(_ ids: some Sequence<String>) {
        state.withLock { $0.agents.formUnion(ids) }
    }

    func addScorecard(_ scorecard: Scorecard) {
        state.withLock { $0.scorecards[ScorecardKey(id: scorecard.scorecardID, version: scorecard.version)] = scorecard }
    }

    func setTimeZone(_ identifier: String) {
        state.withLock { $0.timeZone = TimeZone(identifier: identifier) }
    }
}

/// An evaluation that passed every rule, with what storing it needs computed in advance.
struct PreparedEvaluation: Sendable {
    var evaluation: Evaluation
    var digest: Int64
    var items: [UInt8]
    var day: LocalDate
    /// The time zone the day was computed in; the writer recomputes if it changed meanwhile.
    var timeZone: String
}
