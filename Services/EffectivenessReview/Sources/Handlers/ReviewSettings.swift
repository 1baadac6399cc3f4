import CalendarDates
import Foundation
import ServiceKit

/// The review service's settings: the center's time zone and its follow-up policy.
///
/// Why settings and not constants: which day it is (and so whether a meeting is overdue)
/// depends on the center's zone, and the meeting's delay and the practice month are the
/// center's policy (`FollowUpPolicy`); the defaults are seed 004's (14 days, 30 days).
struct ReviewSettings: Sendable {
    var timeZone = TimeZone(identifier: "UTC") ?? TimeZone.current
    var policy = FollowUpPolicy()

    /// The center's date at `instant`, on the wall clock of `timeZone`.
    func today(_ instant: Date) -> LocalDate {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: instant)
        return LocalDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// From `TRAINING_REVIEW_<NAME>` in the environment, else `policies.<name>` of the
    /// configuration file: `time_zone`, `meeting_after_days`, `practice_days`.
    static func resolve(policies: [String: ConfigurationValue], environment: [String: String]) throws(ConfigurationError) -> ReviewSettings {
        var settings = ReviewSettings()
        func value(_ name: String) -> (String, String)? {
            let key = "TRAINING_REVIEW_\(name.uppercased())"
            if let text = environment[key], !text.isEmpty { return (text, key) }
            switch policies[name] {
            case .string(let text)?: return (text, "policies.\(name)")
            case .number(let number)?: return (number == number.rounded() ? String(Int(number)) : String(number), "policies.\(name)")
            default: return nil
            }
        }
        if let (text, source) = value("time_zone") {
            guard let zone = TimeZone(identifier: text) else { throw ConfigurationError(source, "\(text) is not a time zone this host knows") }
            settings.timeZone = zone
        }
        if let (text, source) = value("meeting_after_days") {
            guard let days = Int(text), FollowUpPolicy.meetingAfterDaysRange.contains(days) else {
                throw ConfigurationError(source, "must be \(FollowUpPolicy.meetingAfterDaysRange.lowerBound)-\(FollowUpPolicy.meetingAfterDaysRange.upperBound) days, got \(text)")
            }
            settings.policy.meetingAfterDays = days
        }
        if let (text, source) = value("practice_days") {
            guard let days = Int(text), FollowUpPolicy.practiceDaysRange.contains(days) else {
                throw ConfigurationError(source, "must be \(FollowUpPolicy.practiceDaysRange.lowerBound)-\(FollowUpPolicy.practiceDaysRange.upperBound) days, got \(text)")
            }
            settings.policy.practiceDays = days
        }
        return settings
    }
}
