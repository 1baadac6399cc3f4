/// What became of a seat once its session took place.
public enum AttendanceMark: Int, Hashable, Sendable, CaseIterable {
    case present = 1
    case late = 2
    /// Absent without excuse: a required agent is placed again in a later session.
    case absent = 3
    /// Absent with an excuse (a reason is required).
    case excused = 4

    public var attended: Bool { self == .present || self == .late }
}

/// The month-end tally per team, department and the whole center, and the unexcused
/// absences the supervisor may act on under the center's rules.
///
/// Why required seats only: voluntary attendance is no one's obligation; counting it would
/// blur the figure the supervisor needs (who skipped what they had to attend).
public enum AttendanceTally {
    /// One required seat: recorded, or still pending (its session not complete).
    public struct Seat: Hashable, Sendable {
        public var team: String
        public var department: String
        public var mark: AttendanceMark?

        public init(team: String, department: String, mark: AttendanceMark?) {
            self.team = team
            self.department = department
            self.mark = mark
        }
    }

    public struct Group: Hashable, Sendable {
        public var name: String
        public var required = 0
        public var attended = 0
        public var excused = 0
        public var unexcused = 0
        public var pending = 0

        public init(name: String) { self.name = name }

        mutating func add(_ mark: AttendanceMark?) {
            guard let mark else {
                pending += 1
                return
            }
            required += 1
            switch mark {
            case .present, .late: attended += 1
            case .excused: excused += 1
            case .absent: unexcused += 1
            }
        }
    }

    /// The center, then teams and departments sorted by name.
    public static func groups(_ seats: [Seat]) -> (center: Group, teams: [Group], departments: [Group]) {
        var center = Group(name: "center")
        var teams: [String: Group] = [:], departments: [String: Group] = [:]
        for seat in seats {
            center.add(seat.mark)
            teams[seat.team, default: Group(name: seat.team)].add(seat.mark)
            departments[seat.department, default: Group(name: seat.department)].add(seat.mark)
        }
        return (center, teams.values.sorted { $0.name < $1.name }, departments.values.sorted { $0.name < $1.name })
    }
}
