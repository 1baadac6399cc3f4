import Foundation
import ServiceKit

/// The scheduling service's own settings: where the intake listens (for month-to-date
/// tiers), the provisional day, the center's time zone, and the placement policy.
///
/// Each comes from the environment (`TRAINING_SCHEDULING_<NAME>`) or else from the
/// configuration file's `policies` object (`<name>` in snake case), or its default.
struct SchedulingSettings: Sendable {
    /// The intake's socket; nil: provisional placement is not possible (confirmed still is).
    var intakeSocket: String?
    /// The day of the month before on which next month is placed provisionally (1-28).
    var provisionalDay = 15
    /// The center's time zone: which day it is, for the provisional day.
    var timeZone = TimeZone(identifier: "UTC") ?? TimeZone.current
    var placement = Placement.Policy()
    /// How often the service looks whether a provisional placement is due.
    var checkIntervalSeconds = 60
    /// Working days (Monday-Friday) a trainer has to plan a coaching request (1-30).
    var coachingPlanWorkingDays = CoachingPolicy().planWorkingDays
    /// Notice lead time and the goal-talk reminder, in days before a session.
    var notice = NoticePlan.Policy()

    /// The service clock as local minutes since 1970-01-01 00:00 on the center's wall clock.
    func localMinutes(unixMilliseconds: Int64) -> Int {
        let seconds = Int(unixMilliseconds / 1000)
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let local = seconds + offset
        return local >= 0 ? local / 60 : (local - 59) / 60
    }

    /// The instant of a local minute (the offset of that moment; a repeated hour takes the first).
    func unixMilliseconds(localMinutes minutes: Int) -> Int64 {
        let guess = minutes * 60
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess)))
        return Int64(guess - offset) * 1000
    }

    static func resolve(policies: [String: ConfigurationValue], environment: [String: String]) throws(ConfigurationError) -> SchedulingSettings {
        var settings = SchedulingSettings()
        func value(_ name: String) -> (String, String)? {
            let key = "TRAINING_SCHEDULING_\(name.uppercased())"
            if let text = environment[key], !text.isEmpty { return (text, key) }
            switch policies[name] {
            case .string(let text)?: return (text, "policies.\(name)")
            case .number(let number)?: return (number == number.rounded() ? String(Int(number)) : String(number), "policies.\(name)")
            case .bool(let flag)?: return (String(flag), "policies.\(name)")
            default: return nil
            }
        }
        if let (text, _) = value("intake_socket") { settings.intakeSocket = text }
        if let (text, source) = value("provisional_day") {
            guard let day = Int(text), (1...28).contains(day) else { throw ConfigurationError(source, "must be a day 1-28, got \(text)") }
            settings.provisionalDay = day
        }
        if let (text, source) = value("time_zone") {
            guard let zone = TimeZone(identifier: text) else { throw ConfigurationError(source, "\(text) is not a time zone this host knows") }
            settings.timeZone = zone
        }
        if let (text, source) = value("allow_off_shift_training") {
            guard let flag = Bool(text) else { throw ConfigurationError(source, "must be true or false, got \(text)") }
            settings.placement.allowsOffShiftTraining = flag
        }
        if let (text, source) = value("max_team_share_off_floor") {
            guard let share = Double(text), (0...1).contains(share) else { throw ConfigurationError(source, "must be a share 0-1, got \(text)") }
            settings.placement.maximumTeamShareOffFloor = share
        }
        var leadDays = 14, goalTalkDays = 7
        if let (text, source) = value("notice_lead_days") {
            guard let days = Int(text), (1...90).contains(days) else { throw ConfigurationError(source, "must be 1-90 days, got \(text)") }
            leadDays = days
        }
        if let (text, source) = value("goal_talk_days") {
            guard let days = Int(text), (0...90).contains(days) else { throw ConfigurationError(source, "must be 0-90 days, got \(text)") }
            goalTalkDays = days
        }
        settings.notice = NoticePlan.Policy(leadDays: leadDays, goalTalkDays: goalTalkDays)
        if let (text, source) = value("provisional_check_seconds") {
            guard let seconds = Int(text), (1...86_400).contains(seconds) else { throw ConfigurationError(source, "must be 1-86400 seconds, got \(text)") }
            settings.checkIntervalSeconds = seconds
        }
        if let (text, source) = value("coaching_plan_working_days") {
            guard let days = Int(text), CoachingPolicy.planWorkingDaysRange.contains(days) else {
                throw ConfigurationError(source, "must be 1-30 working days, got \(text)")
            }
            settings.coachingPlanWorkingDays = days
        }
        return settings
    }
}
