import Testing
@testable import TrainingScheduling

/// The benchmark case at a tenth of its size, checked for correctness (not timed: the lead's
/// benchmark script times the full 10,000 × 400 case in release mode). Every rule is
/// re-checked here from the raw input with plain loops, independently of `FloorCoverage`.
@Suite struct PlacementBenchmarkTests {
    @Test func aThousandAgentsArePlacedWithoutBreakingAnyRule() throws {
        let input = Placement.benchmarkInput(agents: 1_000, sessions: 400)
        #expect(input.agents.count == 1_000 && input.sessions.count == 400)
        let result = try Placement.place(input)

        let agents = Dictionary(uniqueKeysWithValues: input.agents.map { ($0.id, $0) })
        let sessions = Dictionary(uniqueKeysWithValues: input.sessions.map { ($0.id, $0) })
        let courses = Dictionary(uniqueKeysWithValues: input.courses.map { ($0.id, $0) })
        let shifts = Dictionary(grouping: input.shifts, by: \.agent)
        let volunteers = Set(input.volunteers)

        // Every bound (agent, course) is placed once or listed once as unplaced; nothing else is placed.
        var bound = Set<Placement.Volunteer>()
        for agent in input.agents {
            for course in input.courses where course.binding(for: agent.standing) == .binds {
                bound.insert(Placement.Volunteer(agent: agent.id, course: course.id))
            }
        }
        let placedPairs = result.placements.map { Placement.Volunteer(agent: $0.agent, course: $0.course) }
        let unplacedPairs = result.unplaced.map { Placement.Volunteer(agent: $0.agent, course: $0.course) }
        #expect(Set(placedPairs).count == placedPairs.count)
        #expect(Set(placedPairs).isDisjoint(with: unplacedPairs))
        #expect(bound.isSubset(of: Set(placedPairs).union(unplacedPairs)))
        #expect(Set(placedPairs).isSubset(of: bound.union(volunteers)))
        #expect(result.placements.count > 2_000)

        var seatsTaken: [SessionID: Int] = [:]
        var busy: [AgentID: [MinuteRange]] = [:]
        for placed in result.placements {
            let session = try #require(sessions[placed.session])
            #expect(session.course == placed.course)
            #expect(courses[placed.course] != nil)
            seatsTaken[placed.session, default: 0] += 1
            // Within one shift (the benchmark's shifts never touch).
            #expect(shifts[placed.agent, default: []].contains { $0.range.contains(session.range) })
            busy[placed.agent, default: []].append(session.range)
        }
        for (id, taken) in seatsTaken {
            #expect(taken <= sessions[id]?.capacity ?? 0)
        }
        for (_, ranges) in busy {
            let sorted = ranges.sorted()
            for (earlier, later) in zip(sorted, sorted.dropFirst()) {
                #expect(earlier.end <= later.start)
            }
        }

        // Coverage, from scratch: on the floor = serves the queue, not onboarding, a shift covers
        // the whole interval, and not in a session touching the interval.
        var training: [AgentID: [MinuteRange]] = [:]
        for placed in result.placements {
            if let session = sessions[placed.session] { training[placed.agent, default: []].append(session.range) }
        }
        // Intervals the schedule already leaves short may stay short, but nobody may leave them.
        var onFloor: [QueueID: [Int: Int]] = [:]
        var inTraining: [QueueID: [Int: Int]] = [:]
        for agent in input.agents where !agent.isOnboarding {
            for shift in shifts[agent.id, default: []] {
                var k = (shift.range.start + 29) / 30
                while (k + 1) * 30 <= shift.range.end {
                    let slot = MinuteRange(start: k * 30, end: k * 30 + 30)
                    let away = training[agent.id, default: []].contains { $0.overlaps(slot) }
                    for queue in Set(agent.queues) {
                        if away { inTraining[queue, default: [:]][k, default: 0] += 1 }
                        else { onFloor[queue, default: [:]][k, default: 0] += 1 }
                    }
                    k += 1
                }
            }
        }
        var broken = 0
        var trainedIntervals = 0
        for forecast in input.forecasts {
            let required = try ErlangC.requiredAgents(forecast: forecast)
            let away = inTraining[forecast.queue]?[forecast.interval.index] ?? 0
            let left = onFloor[forecast.queue]?[forecast.interval.index] ?? 0
            if away > 0 { trainedIntervals += 1 }
            if away > 0 && left < required { broken += 1 }
        }
        #expect(broken == 0)
        #expect(trainedIntervals > 100)
        // Coverage did bind somewhere: the case is tight enough to test the rule.
        #expect(result.unplaced.contains { $0.reason == .coverage })

        // The team-leader flag tells the truth: the leader is staff or a participant of the session.
        var present: [SessionID: Set<AgentID>] = [:]
        for session in input.sessions { present[session.id] = Set(session.staff) }
        for placed in result.placements { present[placed.session, default: []].insert(placed.agent) }
        for placed in result.placements {
            let leader = agents[placed.agent]?.teamLeader
            let withLeader = leader.map { present[placed.session, default: []].contains($0) } ?? false
            #expect(placed.withOwnTeamLeader == withLeader)
        }

        // Re-running with the result as previous placements keeps every seat.
        var again = input
        again.previous = result.placements.map(\.seat)
        let rerun = try Placement.place(again)
        #expect(rerun.placements.map(\.seat) == result.placements.map(\.seat))
        #expect(rerun.placements.allSatisfy { $0.kept })
        #expect(rerun.dropped.isEmpty)
    }
}
