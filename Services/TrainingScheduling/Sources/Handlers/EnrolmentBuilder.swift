import CalendarDates
import Foundation
import Logging
import RPCRuntime
import SQLiteStorage
import ServiceKit
import ServiceLifecycle
import TrainingWire

/// Builds a month's enrolment from the best tiers there are: the closed month before if its
/// `MonthClosed` arrived, else month-to-date tiers read from the intake now.
///
/// Why here and not in the repository: the month-to-date tiers come over a socket, which a
/// transaction must never wait on; they are read first, then the placement runs in one
/// write (which still prefers closed tiers if they arrived meanwhile).
struct EnrolmentBuilder: Sendable {
    let database: SQLiteDatabase
    let clock: ServiceClock
    let settings: SchedulingSettings
    let repository = EnrolmentRepository()

    var now: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Builds the month (the provisional job's path).
    func build(_ month: PlanningMonth) async throws -> EnrolmentRun {
        let provisional = try await provisionalIfNeeded(month, context: nil)
        let settings = self.settings, now = self.now
        return try await database.write { db in try Self.place(month, provisional: provisional, settings: settings, now: now, db) }
    }

    /// Builds the month for a call: in the call's deadline, with its idempotency key.
    func build(_ month: PlanningMonth, context: CallContext) async throws -> TrainingWire.EnrolmentSummary {
        let provisional = try await provisionalIfNeeded(month, context: context)
        let settings = self.settings, now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            try Self.place(month, provisional: provisional, settings: settings, now: now, db).wire
        }
    }

    /// Confirmed tiers if the month before is closed, else the provisional ones given.
    private static func place(
        _ month: PlanningMonth, provisional: EnrolmentStandings?, settings: SchedulingSettings, now: Int64, _ db: SQLiteConnection
    ) throws -> EnrolmentRun {
        let repository = EnrolmentRepository()
        guard try repository.catalogue.isPublished(month: month.description, db) else {
            throw SchedulingCallError.precondition("month", "the plan of \(month) is not published; publish it (PublishMonthlyPlan) first")
        }
        guard let standings = try repository.confirmedStandings(for: month, db) ?? provisional else {
            throw SchedulingCallError.unavailable("intake", "no tiers for \(month): the month before is not closed")
        }
        return try repository.place(month: month, standings: standings, settings: settings, now: now, db).run
    }

    /// Nil when the plan is published and the month before closed (the write reads the
    /// closed tiers itself); else month-to-date tiers from the intake.
    private func provisionalIfNeeded(_ month: PlanningMonth, context: CallContext?) async throws -> EnrolmentStandings? {
        let key = month.description
        let repository = self.repository
        let check: @Sendable (SQLiteConnection) throws -> Bool = { db in
            guard try repository.catalogue.isPublished(month: key, db) else {
                throw SchedulingCallError.precondition("month", "the plan of \(month) is not published; publish it (PublishMonthlyPlan) first")
            }
            return try repository.confirmedStandings(for: month, db) != nil
        }
        let confirmed = if let context { try await database.read(context, check) } else { try await database.read(check) }
        return confirmed ? nil : try await provisionalStandings(month)
    }

    /// Month-to-date tiers of the month before, from the intake, with the roster as kept here.
    private func provisionalStandings(_ month: PlanningMonth) async throws -> EnrolmentStandings {
        guard let socket = settings.intakeSocket else {
            throw SchedulingCallError.unavailable(
                "intake", "the month before \(month) is not closed and no intake is configured for month-to-date tiers (TRAINING_SCHEDULING_INTAKE_SOCKET)")
        }
        let before = month.month.previous
        let response: GetMonthToDateTiersResponse
        do {
            let client = try await RPCClient.connect(socketPath: socket, caller: "training-scheduling")
            do {
                response = try await client.call(
                    ScoringIntakeMethods.getMonthToDateTiers, GetMonthToDateTiersRequest(month: before.description),
                    options: CallOptions(timeout: .seconds(60), caller: "training-scheduling"))
                await client.close()
            } catch {
                await client.close()
                throw error
            }
        } catch let error as RPCError where error.code != .unavailable {
            throw SchedulingCallError.unavailable("intake", "the intake refused month-to-date tiers of \(before): \(error.message)")
        } catch {
            throw SchedulingCallError.unavailable("intake", "the intake at \(socket) does not answer: \(error)")
        }
        let tiers = response.assignments.compactMap { assignment -> TierOfAgent? in
            guard let tier = AgentTier(rawValue: Int(assignment.tier.rawValue)) else { return nil }
            return TierOfAgent(
                agent: AgentID(assignment.agentId), tier: tier, team: TeamID(assignment.teamId),
                teamLeader: assignment.teamLeaderId.isEmpty ? nil : AgentID(assignment.teamLeaderId),
                department: assignment.department, site: assignment.site)
        }
        let roster = try await database.read { db in try repository.roster(db) }
        return EnrolmentStandings(
            agents: MonthEnrolment.agents(roster: roster, tiers: tiers), basis: .provisional, tiersFrom: "\(before) to \(response.asOf)")
    }

    /// The confirmation when the month before closes: the month's enrolment is placed again
    /// from the closed tiers if its plan is published, keeping every seat still valid (so
    /// only agents whose tier changed move). Runs inside the event's transaction.
    static func confirm(_ envelope: EventEnvelope, settings: SchedulingSettings, now: Int64, logger: Logger, _ db: SQLiteConnection) throws {
        let event = try MonthClosed(serializedBytes: envelope.payload)
        guard let month = PlanningMonth(event.appliesToMonth) else { return }
        let repository = EnrolmentRepository()
        guard try repository.catalogue.isPublished(month: month.description, db),
              let standings = try repository.confirmedStandings(for: month, db) else { return }
        if let run = try repository.run(month: month.description, db), run.basis == .confirmed, run.tiersFrom == standings.tiersFrom {
            return  // this revision was already applied (a stale or repeated event)
        }
        do {
            let run = try repository.place(month: month, standings: standings, settings: settings, now: now, db).run
            logger.info("enrolment confirmed", metadata: [
                "month": "\(month)", "tiers": "\(run.tiersFrom)", "standing_changes": "\(run.summary.standingChanges)",
                "kept": "\(run.summary.kept)", "newly_placed": "\(run.summary.newlyPlaced)", "unplaced": "\(run.summary.unplaced)",
            ])
        } catch let error as SchedulingError {
            // Stored data placement cannot use: the tiers still arrive; the operator sees why.
            logger.error("enrolment not confirmed", metadata: ["month": "\(month)", "error": "\(error)"])
        }
    }
}

/// Places next month provisionally on the provisional day, by itself.
///
/// Why a job: the 15th comes whether or not someone remembers it. Each check looks at the
/// center's date; from the provisional day on, if next month's plan is published and has no
/// enrolment yet, it is built (from closed tiers if the month is already closed). A failure
/// (intake down) is logged and tried again at the next check.
struct ProvisionalPlacement: Service {
    let builder: EnrolmentBuilder
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await check()
                do { try await Task.sleep(for: .seconds(builder.settings.checkIntervalSeconds)) } catch { break }
            }
        }
    }

    func check() async {
        let today = LocalDate.on(builder.clock.now(), in: builder.settings.timeZone)
        guard today.components.day >= builder.settings.provisionalDay, let next = PlanningMonth(today.yearMonth.next.description) else { return }
        let repository = builder.repository
        do {
            let canPlace = builder.settings.intakeSocket != nil
            let due = try await builder.database.read { db in
                try repository.catalogue.isPublished(month: next.description, db) && repository.run(month: next.description, db) == nil
                    // Without an intake for month-to-date tiers, only the close can place it.
                    && (canPlace || repository.isClosed(month: next.month.previous.description, db))
            }
            guard due else { return }
            let run = try await builder.build(next)
            logger.info("enrolment placed by the provisional job", metadata: [
                "month": "\(next)", "tiers": "\(run.tiersFrom)", "placed_bound": "\(run.summary.placedBound)", "unplaced": "\(run.summary.unplaced)",
            ])
        } catch {
            logger.warning("provisional placement not done; trying again at the next check", metadata: ["month": "\(next)", "error": "\(error)"])
        }
    }
}

extension LocalDate {
    /// The date on the wall clock of `zone` at `instant`.
    static func on(_ instant: Date, in zone: TimeZone) -> LocalDate {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        return LocalDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }
}
