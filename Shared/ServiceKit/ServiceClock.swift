import Foundation

/// The time as the service sees it.
///
/// Why not `Date()` everywhere: the domain runs on weeks (14-day notices, 28-day
/// follow-ups, month closes). Tests and the demo start the clock at a chosen instant and
/// let it run from there; production uses the real clock. Every rule that asks "now"
/// asks this.
public struct ServiceClock: Sendable {
    /// Seconds added to the real time.
    public let offset: TimeInterval

    /// The real clock.
    public static let system = ServiceClock(offset: 0)

    public init(offset: TimeInterval) {
        self.offset = offset
    }

    /// A clock that reads `start` now and runs at real speed from there.
    public init(startingAt start: Date, realNow: Date = Date()) {
        self.offset = start.timeIntervalSince(realNow)
    }

    public func now() -> Date {
        Date().addingTimeInterval(offset)
    }
}
