import ArgumentParser
import RPCRuntime
import TrainingWire

/// `trainctl schedule …`: the training-scheduling service, for people (tables) and scripts
/// (`--json`, exit codes).
///
/// Exit codes of every subcommand: 0 done; 1 the service could not be reached, answered
/// an error, or a file could not be read; 2 the plan breaks rules (`validate`, `publish`,
/// `move`) or `--strict` and some record was rejected; 64 a usage error.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Import the catalogue and workforce data; draft, check and publish monthly plans; place and read enrolments; notices, attendance and coaching.",
        subcommands: [
            ScheduleImportCommand.self, DraftCommand.self, ValidatePlanCommand.self, PublishPlanCommand.self,
            PlanCommand.self, EnrolCommand.self, EnrolmentCommand.self, AgentScheduleCommand.self,
            TeamScheduleCommand.self, SessionScheduleCommand.self, SignUpCommand.self, WithdrawCommand.self,
            CancelSessionCommand.self, MoveSessionCommand.self, WhatIfCommand.self, MemosCommand.self, NoticesCommand.self,
            ShortNoticeCommand.self, GoalsCommand.self, AttendanceCommand.self, TallyCommand.self, CoachingCommand.self,
        ])
}

/// `trainctl schedule import …`
struct ScheduleImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import courses, trainers, rooms, queues, courseware approvals, shifts or forecasts from CSV.",
        subcommands: [
            ImportCoursesCommand.self, ImportTrainersCommand.self, ImportRoomsCommand.self, ImportQueuesCommand.self,
            ImportCoursewareCommand.self, ImportShiftsCommand.self, ImportForecastsCommand.self,
        ])
}

/// Where training-scheduling listens and how long to wait for it.
struct SchedulingEndpoint: ParsableArguments, ServiceTarget {
    @Option(name: .customLong("scheduling-socket"),
            help: "Socket of training-scheduling (default: $TRAINING_SCHEDULING_SOCKET, else var/run/training-scheduling.sock).")
    var schedulingSocket: String?
    @Option(name: .customLong("timeout-ms"), help: "How long to wait for each call, in milliseconds.")
    var timeoutMs: Int64 = 60_000

    var socketPath: String { ServiceEndpoints.resolve(schedulingSocket, "TRAINING_SCHEDULING_SOCKET", "training-scheduling") }
    var serviceName: String { "training-scheduling" }
    var socketHint: String { "--scheduling-socket or TRAINING_SCHEDULING_SOCKET" }

    func validate() throws {
        guard timeoutMs > 0 else { throw ValidationError("--timeout-ms must be positive") }
    }
}

// MARK: - Violations of a plan's rules

/// One violation of PublishMonthlyPlan, ValidateMonthlyPlan or MoveSession: subject
/// "sessions S1,S2" (the sessions involved) and description "<kind>: <explanation>".
struct PlanViolation: Sendable, Equatable {
    var subject: String
    var sessions: [String]
    var kind: String
    var explanation: String

    init(_ violation: Violation) {
        subject = violation.subject
        sessions = violation.subject.hasPrefix("sessions ")
            ? violation.subject.dropFirst("sessions ".count).split(separator: ",").map { String($0) } : []
        let description = violation.description
        if let colon = description.range(of: ": "),
           description[..<colon.lowerBound].allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) }),
           colon.lowerBound > description.startIndex {
            kind = String(description[..<colon.lowerBound])
            explanation = String(description[colon.upperBound...])
        } else {
            kind = ""
            explanation = description
        }
    }

    /// Whether an error is the refusal of a plan for its rules (not, say, "already published").
    static func ofPlan(_ error: any Error) -> [PlanViolation]? {
        guard let error = error as? RPCError, error.code == .failedPrecondition else { return nil }
        let violations = error.violations.map(PlanViolation.init)
        return violations.contains(where: { !$0.sessions.isEmpty }) ? violations : nil
    }

    var json: JSONValue {
        .object([
            "subject": .string(subject), "sessions": .array(sessions.map(JSONValue.string)),
            "kind": .optionalString(kind), "description": .string(kind.isEmpty ? explanation : "\(kind): \(explanation)"),
        ])
    }

    static func table(_ violations: [PlanViolation]) -> String {
        Table(header: ["SESSIONS", "PROBLEM", "DETAIL"], rows: violations.map { violation in
            [violation.sessions.isEmpty ? violation.subject : violation.sessions.joined(separator: ", "),
             violation.kind.isEmpty ? "-" : violation.kind, violation.explanation]
        }).rendered
    }
}

/// Calls `method`; a refusal for the plan's rules is returned (not reported), other errors
/// are reported and become exit code 1.
func callAllowingPlanViolations<Request, Response>(
    _ session: ServiceSession, _ method: RPCMethod<Request, Response>, _ request: Request
) async throws -> Result<Response, PlanRefusal> {
    do {
        return .success(try await session.callReportingNothing(method, request))
    } catch {
        if let violations = PlanViolation.ofPlan(error) { return .failure(PlanRefusal(violations: violations)) }
        ServiceSession.report(error, method: method.path)
        throw ExitCode.failure
    }
}

struct PlanRefusal: Error, Sendable {
    var violations: [PlanViolation]
}

/// Exit code 2: the plan breaks rules.
let planBreaksRules = ExitCode(2)
