import ArgumentParser
import TrainingWire

/// One row per agent, the same in `tiers` and `close-month`.
enum TierTable {
    static func rendered(_ assignments: [TierAssignment]) -> String {
        Table(
            header: ["AGENT", "NAME", "TEAM", "DEPARTMENT", "TIER", "AVERAGE", "N", "SE", "BORDERLINE", "SUMMARY DUE", "PREVIOUS"],
            rows: assignments.map { assignment in
                [assignment.agentId, assignment.name, assignment.teamId, assignment.department,
                 assignment.tier.cliName ?? "-", assignment.count == 0 ? "-" : JSONValue.format(assignment.average),
                 String(assignment.count), assignment.count < 2 ? "-" : Format.fixed(assignment.standardError, 2),
                 assignment.borderline ? "yes" : "", assignment.problemSummaryDue.isEmpty ? "" : assignment.problemSummaryDue,
                 assignment.previousTier.cliName ?? ""]
            }).rendered
    }

    static func csv(month: String, appliesTo: String, revision: UInt32, _ assignments: [TierAssignment]) -> String {
        CSVWriter.document(
            header: ["month", "applies_to_month", "revision", "agent_id", "name", "team_id", "team_leader_id", "department", "site",
                     "tier", "average", "count", "standard_error", "borderline", "problem_summary_due", "previous_tier"],
            rows: assignments.map { assignment in
                [month, appliesTo, String(revision), assignment.agentId, assignment.name, assignment.teamId,
                 assignment.teamLeaderId, assignment.department, assignment.site, assignment.tier.cliName ?? "",
                 JSONValue.format(assignment.average), String(assignment.count), JSONValue.format(assignment.standardError),
                 String(assignment.borderline), assignment.problemSummaryDue, assignment.previousTier.cliName ?? ""]
            })
    }

    /// "advanced 120 · standard 310 · coaching 52 · insufficient_data 8"
    static func countsLine(_ counts: [(Tier, Int)]) -> String {
        counts.map { "\($0.0.cliName ?? "?") \(Format.count($0.1))" }.joined(separator: " · ")
    }

    /// Every tier with its count (zero when absent), in the contract's order.
    static func completeCounts(_ counts: [TierCount]) -> [(Tier, Int)] {
        Tier.allCases.filter { $0 != .unspecified }.map { tier in
            (tier, counts.filter { $0.tier == tier }.reduce(0) { $0 + Int($1.agents) })
        }
    }
}

/// `trainctl intake tiers YYYY-MM`
struct TiersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiers",
        abstract: "List the training tiers a closed month assigned (for the month after it).")

    @Argument(help: "The closed month, YYYY-MM.")
    var month: String
    @Option(name: .long, help: "Revision of the close (default: the latest).")
    var revision: UInt32 = 0
    @Option(name: .long, help: "Only this team.")
    var team: String?
    @Option(name: .long, help: "Only this department.")
    var department: String?
    @Option(name: .long, help: "Only this tier.")
    var tier: WireEnumArgument<Tier>?
    @OptionGroup var output: TableOutput
    @OptionGroup var endpoint: IntakeEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = ListTierAssignmentsRequest(
            month: month, revision: revision, teamId: team ?? "", department: department ?? "", tier: tier?.value ?? .unspecified)
        let response = try await withService(endpoint) { try await $0.call(ScoringIntakeMethods.listTierAssignments, request) }
        if output.json {
            printJSON(response.json)
        } else if output.csv {
            print(TierTable.csv(month: response.month, appliesTo: response.appliesToMonth, revision: response.revision, response.assignments))
        } else {
            print("Tiers for \(response.appliesToMonth) from the scores of \(response.month): revision \(response.revision), "
                + "policy version \(response.policyVersion), closed \(Format.localTime(unixMilliseconds: response.closedAtUnixMs))")
            var counts: [TierCount] = []
            for assignment in response.assignments { counts.append(TierCount(tier: assignment.tier, agents: 1)) }
            print(TierTable.countsLine(TierTable.completeCounts(counts)) + " (\(Format.count(response.assignments.count)) agents listed)")
            print("")
            print(TierTable.rendered(response.assignments))
        }
    }
}

/// `trainctl intake close-month YYYY-MM`
struct CloseMonthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close-month",
        abstract: "Close a month: next month's training tier for every in-service agent.",
        discussion: """
            Closing again makes a new revision; earlier ones stay readable. The month must have \
            ended on the center's calendar unless --force is given.
            """)

    @Argument(help: "The month to close, YYYY-MM.")
    var month: String
    @Flag(name: .long, help: "Close a month that has not ended yet.")
    var force = false
    @OptionGroup var output: TableOutput
    @OptionGroup var endpoint: IntakeEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let (closed, listed) = try await withService(endpoint) { session in
            let closed = try await session.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: month, force: force))
            let listed: ListTierAssignmentsResponse
            do {
                listed = try await session.callReportingNothing(
                    ScoringIntakeMethods.listTierAssignments, ListTierAssignmentsRequest(month: month, revision: closed.revision))
            } catch {
                ServiceSession.report(error, method: ScoringIntakeMethods.listTierAssignments.path)
                StandardError.line("note: \(month) was closed (revision \(closed.revision)); `trainctl intake tiers \(month)` lists it.")
                throw ExitCode.failure
            }
            return (closed, listed)
        }
        let counts = TierTable.completeCounts(closed.counts)
        if output.json {
            printJSON(.object([
                "month": .string(closed.month), "applies_to_month": .string(closed.appliesToMonth),
                "revision": .integer(Int64(closed.revision)), "policy_version": .integer(Int64(closed.policyVersion)),
                "closed_at_unix_ms": .integer(closed.closedAtUnixMs), "closed_at": instantJSON(closed.closedAtUnixMs),
                "assigned": .integer(Int64(closed.assigned)),
                "counts": .object(counts.map { JSONMember($0.0.cliName ?? "unspecified", .integer(Int64($0.1))) }),
                "changed": .array(closed.changed.map(\.json)),
                "assignments": .array(listed.assignments.map(\.json)),
            ]))
        } else if output.csv {
            print(TierTable.csv(month: closed.month, appliesTo: closed.appliesToMonth, revision: closed.revision, listed.assignments))
        } else {
            print("Closed \(closed.month): tiers for \(closed.appliesToMonth), revision \(closed.revision) "
                + "(policy version \(closed.policyVersion)), \(Format.count(closed.assigned)) agents")
            print(TierTable.countsLine(counts))
            if closed.revision > 1 {
                print("\(Format.count(closed.changed.count)) agent\(closed.changed.count == 1 ? "" : "s") changed tier since revision \(closed.revision - 1)")
            }
            print("")
            print(TierTable.rendered(listed.assignments))
        }
    }
}
