import ArgumentParser
import Foundation
import RPCRuntime
import TrainingWire

/// `trainctl demo attendance MONTH --seed N`: records made-up but plausible attendance for
/// every session of a month that has taken place, as the trainers would.
///
/// Why in the demo: a training month is only worth looking at once people attended or did
/// not; this plays the trainers so the tally, the re-placements and the review have
/// something real to work on. Sessions go in time order and each session's participants are
/// read just before it, so an agent placed again after an absence is recorded in the later
/// session too. The same seed gives the same attendance for the same enrolment.
struct DemoAttendanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "Record demo attendance for every started session of a month (92% present, 3% late, 3% excused, 2% absent).")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Option(name: .long, help: "Seed: the same seed records the same attendance.")
    var seed: UInt64 = 1
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let month = self.month, seed = self.seed
        let counts = try await withService(endpoint) { session in
            let plan = try await session.call(TrainingSchedulingMethods.getMonthlyPlan, GetMonthlyPlanRequest(month: month))
            var counts = (sessions: 0, records: 0, replaced: 0, notStarted: 0)
            for planned in plan.sessions.sorted(by: { ($0.start, $0.sessionId) < ($1.start, $1.sessionId) }) {
                let schedule = try await session.call(
                    TrainingSchedulingMethods.getSessionSchedule, GetSessionScheduleRequest(month: month, sessionId: planned.sessionId))
                guard !schedule.cancelled, !schedule.participants.isEmpty else { continue }
                let records = schedule.participants.map { participant in
                    var random = SplitMix64(seed: seed, stream: "attendance:\(planned.sessionId)", index: participant.agentId.hashValueStable)
                    let draw = random.next() % 100
                    switch draw {
                    case 0..<92: return AttendanceRecord(agentId: participant.agentId, status: .attendancePresent)
                    case 92..<95: return AttendanceRecord(agentId: participant.agentId, status: .attendanceLate)
                    case 95..<98: return AttendanceRecord(agentId: participant.agentId, status: .attendanceExcused, reason: "Sick leave")
                    default: return AttendanceRecord(agentId: participant.agentId, status: .attendanceAbsent)
                    }
                }
                do {
                    let response = try await session.callReportingNothing(
                        TrainingSchedulingMethods.recordAttendance,
                        RecordAttendanceRequest(month: month, sessionId: planned.sessionId, records: records, recordedBy: planned.trainerId),
                        idempotencyKey: "demo-attendance-\(month)-\(planned.sessionId)")
                    counts.sessions += 1
                    counts.records += records.count
                    counts.replaced += response.replacedAgentIds.count
                } catch let error as RPCError where error.code == .failedPrecondition {
                    counts.notStarted += 1  // not started yet, or already complete
                } catch {
                    ServiceSession.report(error, method: TrainingSchedulingMethods.recordAttendance.path)
                    throw ExitCode.failure
                }
            }
            return counts
        }
        print("Recorded attendance of \(counts.sessions) sessions (\(counts.records) participants); "
            + "\(counts.replaced) absent agents placed again; \(counts.notStarted) sessions not started or already complete.")
    }
}

extension String {
    /// A hash that is the same in every process (Swift's `hashValue` is seeded per process).
    fileprivate var hashValueStable: Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: hash)
    }
}
