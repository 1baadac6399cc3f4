import Testing
import TrainingWire

@testable import TrainCtl

/// The notice memo (seed 004): everything a participant needs, in text and HTML, and never
/// the agent's tier or scores.
@Suite("Notice memos")
struct NoticeMemoTests {
    static let tierReason = "coaching tier for 2026-12 (2026-11 closed, revision 1)"

    /// A placement with every field the contract has, including a tier reason the contract
    /// says an agent's notice never carries.
    static let placement = Notice(
        noticeId: "n-7", kind: .noticePlacement, recipientRole: .noticeToAgent, recipientId: "A10016", month: "2026-12",
        agentId: "A10016", teamId: "RS-01", sessionId: "2026-12-QA-WARMTH-01", courseId: "QA-WARMTH", courseTitle: "Warmth on the phone",
        purpose: "Callers remember how they were treated more than what they were told.",
        topics: ["greeting by name", "empathy phrases", "closing the call"], preparation: "Listen to two of your own calls.",
        start: "2026-12-01T09:00", end: "2026-12-01T11:00", site: "Chengdu Tower B", roomId: "R-301",
        directions: "Lift to floor 3, turn left.\nThe room is opposite the kitchen.", trainerName: "Liu Wei",
        trainerBiography: "Ten years on the phones, five as a quality coach.", requirement: .attendanceRequired, shortNotice: true,
        tierReason: tierReason, createdAtUnixMs: 1_794_000_000_000, sendAfterUnixMs: 1_794_000_000_000)

    /// Neither rendering of an agent's memo may speak of tiers or scores.
    static func expectNothingAboutTiers(_ rendering: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lower = rendering.lowercased()
        #expect(!rendering.contains(tierReason), sourceLocation: sourceLocation)
        #expect(!lower.contains("tier"), "\(rendering)", sourceLocation: sourceLocation)
        #expect(!lower.contains("score"), "\(rendering)", sourceLocation: sourceLocation)
        #expect(!lower.contains("revision"), sourceLocation: sourceLocation)
    }

    @Test func aPlacementMemoSaysEverythingTheAgentNeeds() {
        let memo = NoticeMemo(Self.placement)
        for rendering in [memo.text, memo.html] {
            for element in ["Warmth on the phone", "Callers remember how they were treated more than what they were told.",
                            "greeting by name", "empathy phrases", "closing the call", "Listen to two of your own calls.",
                            "Tuesday 2026-12-01, 09:00–11:00", "Chengdu Tower B", "room R-301", "Lift to floor 3, turn left.",
                            "The room is opposite the kitchen.", "Liu Wei", "Ten years on the phones, five as a quality coach.",
                            "required", "Short notice", "A10016", "n-7"] {
                #expect(rendering.contains(element), "missing \(element) in\n\(rendering)")
            }
            #expect(!rendering.contains("Online"))
        }
        // Text: labels in a column; a value of several lines is indented under the first.
        #expect(memo.text.contains("What to prepare    Listen to two of your own calls."), "\(memo.text)")
        #expect(memo.text.contains("How to get there   Lift to floor 3, turn left.\n                   The room is opposite the kitchen."),
                "\(memo.text)")
        #expect(memo.text.contains("Topics             - greeting by name\n                   - empathy phrases"), "\(memo.text)")
        #expect(memo.html.contains("<dt>Topics</dt><dd><ul><li>greeting by name</li><li>empathy phrases</li><li>closing the call</li></ul></dd>"))
        #expect(memo.html.contains("Lift to floor 3, turn left.<br>The room is opposite the kitchen."))
    }

    @Test func anAgentMemoNeverPrintsTheTierReasonEvenWhenTheServiceSendsOne() {
        for kind in [NoticeKind.noticePlacement, .noticeChange, .noticeCancellation] {
            var notice = Self.placement
            notice.kind = kind
            notice.previousStart = "2026-11-30T09:00"
            notice.previousEnd = "2026-11-30T11:00"
            notice.reason = "the trainer is ill"
            let memo = NoticeMemo(notice)
            Self.expectNothingAboutTiers(memo.text)
            Self.expectNothingAboutTiers(memo.html)
            Self.expectNothingAboutTiers(NoticeMemo.htmlDocument([memo], title: "Training notices 2026-12"))
            #expect(notice.json["tier_reason"] == .null)
        }
        // A brief addressed to the agent (a service bug) does not show it either.
        var misaddressed = Self.placement
        misaddressed.kind = .noticeTeamLeaderBrief
        Self.expectNothingAboutTiers(NoticeMemo(misaddressed).text)
        #expect(!NoticeMemo.showsTierReason(misaddressed))
    }

    @Test func theTeamLeaderBriefSaysWhyTheAgentIsInTheCourse() {
        var brief = Self.placement
        brief.noticeId = "n-8"
        brief.kind = .noticeTeamLeaderBrief
        brief.recipientRole = .noticeToTeamLeader
        brief.recipientId = "TL1"
        let memo = NoticeMemo(brief)
        for rendering in [memo.text, memo.html] {
            #expect(rendering.contains(Self.tierReason), "\(rendering)")
            #expect(rendering.contains("Why the agent is in the course"))
            #expect(rendering.contains("team leader TL1") && rendering.contains("A10016 (team RS-01)"))
            #expect(rendering.contains("Tuesday 2026-12-01, 09:00–11:00") && rendering.contains("Liu Wei"))
        }
        #expect(brief.json["tier_reason"] == .string(Self.tierReason))
    }

    @Test func theGoalTalkReminderAsksForTheGoalsAndHowToRecordThem() {
        var reminder = Self.placement
        reminder.kind = .noticeGoalTalkReminder
        reminder.recipientRole = .noticeToTeamLeader
        reminder.recipientId = "TL 1"
        reminder.tierReason = ""
        let memo = NoticeMemo(reminder)
        let command = "trainctl schedule goals 2026-12 2026-12-QA-WARMTH-01 A10016 --goals 'THE GOALS YOU AGREED' --by 'TL 1'"
        for rendering in [memo.text, memo.html.replacingOccurrences(of: "&#39;", with: "'")] {
            #expect(rendering.contains("goals for the session"), "\(rendering)")
            #expect(rendering.contains(command), "\(rendering)")
            #expect(rendering.contains("Warmth on the phone") && rendering.contains("Tuesday 2026-12-01"))
        }
    }

    @Test func aChangeGivesBothTimesAndACancellationItsReason() {
        var change = Self.placement
        change.kind = .noticeChange
        change.shortNotice = false
        change.previousStart = "2026-11-30T14:00"
        change.previousEnd = "2026-11-30T16:00"
        let moved = NoticeMemo(change).text
        #expect(moved.contains("Was                Monday 2026-11-30, 14:00–16:00\nNow                Tuesday 2026-12-01, 09:00–11:00"),
                "\(moved)")
        #expect(!moved.contains("Short notice"))

        var cancellation = Self.placement
        cancellation.kind = .noticeCancellation
        cancellation.reason = "the trainer is ill; a new session follows"
        let cancelled = NoticeMemo(cancellation)
        #expect(cancelled.title == "Training cancelled: Warmth on the phone")
        #expect(cancelled.text.contains("Reason             the trainer is ill; a new session follows"), "\(cancelled.text)")
        #expect(cancelled.html.contains("<dt>Reason</dt><dd>the trainer is ill; a new session follows</dd>"))
    }

    @Test func anOnlineSessionGivesItsLinkAndAVolunteerIsThanked() {
        var online = Self.placement
        online.site = ""
        online.roomId = ""
        online.directions = ""
        online.link = "https://meet.example.com/r?id=7&lang=zh"
        online.requirement = .attendanceVoluntary
        online.shortNotice = false
        let memo = NoticeMemo(online)
        #expect(memo.text.contains("Online             https://meet.example.com/r?id=7&lang=zh"), "\(memo.text)")
        #expect(memo.text.contains("Attendance         voluntary") && memo.text.contains("Thank you for signing up"))
        #expect(!memo.text.contains("Where"))
        #expect(memo.html.contains("<a href=\"https://meet.example.com/r?id=7&amp;lang=zh\">https://meet.example.com/r?id=7&amp;lang=zh</a>"))
    }

    @Test func htmlEscapesEverythingTheServiceSends() {
        var hostile = Self.placement
        hostile.courseTitle = "<script>alert(\"x\")</script> & Co's"
        hostile.purpose = "1 < 2 > 0"
        hostile.topics = ["<b>bold</b>"]
        hostile.trainerName = "\"Liu\" <liu@example.com>"
        hostile.link = "javascript:alert(1)"
        hostile.noticeId = "n-1\" onload=\"x"
        let document = NoticeMemo.htmlDocument([NoticeMemo(hostile)], title: "Notices <2026-12>")
        #expect(!document.contains("<script>") && !document.contains("<b>") && !document.contains("<liu@"), "\(document)")
        #expect(document.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s"))
        #expect(document.contains("1 &lt; 2 &gt; 0") && document.contains("&lt;b&gt;bold&lt;/b&gt;"))
        #expect(document.contains("&quot;Liu&quot; &lt;liu@example.com&gt;"))
        #expect(document.contains("<title>Notices &lt;2026-12&gt;</title>"))
        #expect(document.contains("id=\"notice-n-1&quot; onload=&quot;x\""))
        // Not a web address: shown, not linked.
        #expect(document.contains("<dd>javascript:alert(1)</dd>") && !document.contains("href=\"javascript"))
        // Self-contained and printable: no outside resources, each memo on its own page.
        #expect(document.hasPrefix("<!DOCTYPE html>") && document.contains("<meta charset=\"utf-8\">"))
        #expect(!document.contains("<link") && !document.contains(" src=") && !document.contains("<script"))
        #expect(document.contains("@media print") && document.contains("page-break-after: always"))
    }

    @Test func controlCharactersNeverReachTheTerminalOrTheDocument() {
        var notice = Self.placement
        notice.courseTitle = "Warmth\u{1B}[2J\u{07}"
        let memo = NoticeMemo(notice)
        #expect(!memo.text.contains("\u{1B}") && !memo.html.contains("\u{1B}") && !memo.text.contains("\u{07}"))
        #expect(memo.text.contains("Warmth\u{FFFD}[2J\u{FFFD}"))
    }

    @Test func textMemosFollowOneAnotherSeparatedByARule() {
        var second = Self.placement
        second.noticeId = "n-9"
        let text = NoticeMemo.text([NoticeMemo(Self.placement), NoticeMemo(second)])
        #expect(text.components(separatedBy: String(repeating: "-", count: 72)).count == 2)
        #expect(text.contains("notice n-7") && text.contains("notice n-9"))
    }

    @Test func noticeIdsBecomeSafeFileNames() {
        #expect(MemoFiles.fileName("n-12") == "n-12")
        #expect(MemoFiles.fileName("../../etc/passwd") == "_._.._etc_passwd")
        #expect(MemoFiles.fileName(".hidden") == "_hidden")
        #expect(MemoFiles.fileName("座席 1") == "___1")
    }
}
