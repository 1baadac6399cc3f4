/// A queue and the service level it must keep, from the workforce-management system.
///
/// Why the target lives on the queue: a center sets "80 % in 20 s" per line of business,
/// not per interval; the interval forecasts then carry only volume, handle time and shrinkage.
public struct ServiceQueue: Hashable, Sendable {
    public var id: QueueID
    public var name: String
    public var target: ServiceLevelTarget

    public init(id: QueueID, name: String, target: ServiceLevelTarget) {
        self.id = id
        self.name = name
        self.target = target
    }

    /// Subjects use the contract's field names.
    public static func violations(name: String, percent: Int, answerWithinSeconds: Int) -> [FieldViolation] {
        var found: [FieldViolation] = []
        if name.count > 200 { found.append(.init(subject: "name", description: "is longer than 200 characters")) }
        if !(1...99).contains(percent) {
            found.append(.init(subject: "service_level_percent", description: "must be 1-99 (the share answered in time), got \(percent)"))
        }
        if !(0...3600).contains(answerWithinSeconds) {
            found.append(.init(subject: "answer_within_seconds", description: "must be 0-3600, got \(answerWithinSeconds)"))
        }
        return found
    }
}

/// The rules of one agent's shifts of one month (minutes since the month's start).
public enum ShiftRules {
    public static let maximumShiftsPerMonth = 200
    public static let maximumShiftMinutes = 24 * 60

    /// Every problem, subjects relative to the agent's record ("shifts[2].end").
    /// `monthMinutes` is the month's length: a shift must start within it.
    public static func violations(_ shifts: [MinuteRange], monthMinutes: Int) -> [FieldViolation] {
        var found: [FieldViolation] = []
        if shifts.count > maximumShiftsPerMonth {
            found.append(.init(subject: "shifts", description: "must hold at most \(maximumShiftsPerMonth) shifts (it holds \(shifts.count))"))
        }
        for (i, shift) in shifts.enumerated() {
            if !(0..<monthMinutes).contains(shift.start) {
                found.append(.init(subject: "shifts[\(i)].start", description: "is not in the request's month"))
            }
            if shift.end <= shift.start {
                found.append(.init(subject: "shifts[\(i)].end", description: "must be after start"))
            } else if shift.end - shift.start > maximumShiftMinutes {
                found.append(.init(subject: "shifts[\(i)].end", description: "is more than 24 hours after start"))
            }
        }
        let ordered = shifts.enumerated().filter { $0.element.end > $0.element.start }.sorted { $0.element < $1.element }
        for (earlier, later) in zip(ordered, ordered.dropFirst()) where earlier.element.overlaps(later.element) {
            found.append(.init(subject: "shifts[\(later.offset)]", description: "overlaps shifts[\(earlier.offset)]"))
        }
        return found
    }
}

/// The volume side of one interval's forecast; the target comes from the queue.
public struct IntervalVolume: Hashable, Sendable {
    public var expectedContacts: Double
    public var averageHandleSeconds: Double
    public var shrinkage: Double

    public init(expectedContacts: Double, averageHandleSeconds: Double, shrinkage: Double) {
        self.expectedContacts = expectedContacts
        self.averageHandleSeconds = averageHandleSeconds
        self.shrinkage = shrinkage
    }

    public var violations: [FieldViolation] {
        var found: [FieldViolation] = []
        if !expectedContacts.isFinite || expectedContacts < 0 {
            found.append(.init(subject: "expected_contacts", description: "must be a finite number >= 0"))
        }
        if !averageHandleSeconds.isFinite || averageHandleSeconds <= 0 {
            found.append(.init(subject: "average_handle_seconds", description: "must be a finite number > 0"))
        }
        if !shrinkage.isFinite || shrinkage < 0 || shrinkage >= 1 {
            found.append(.init(subject: "shrinkage", description: "must be in [0, 1)"))
        }
        return found
    }

    public func forecast(queue: ServiceQueue, interval: Interval) -> QueueForecast {
        QueueForecast(
            queue: queue.id, interval: interval, expectedContacts: expectedContacts, averageHandleTimeSeconds: averageHandleSeconds,
            target: queue.target, shrinkage: shrinkage)
    }
}
