import CalendarDates
import Foundation
import TrainingWire

/// A notice as the memo its recipient reads (seed 004): at least two weeks before a session
/// every participant gets the time, the place and how to get there, why the course matters
/// and what it covers, what to prepare, and the trainer's name and short biography.
///
/// Training is not a punishment and not a repair shop for "faulty" staff: a memo to an
/// agent says why the course matters, never their tier or their scores. The contract keeps
/// `tier_reason` empty in a notice to an agent; this renderer does not print it there even
/// when it is set. Only the team leader's brief says why the agent is in the course.
///
/// One model, two renderings: `text` (a terminal, a plain-text mail) and `html` (a
/// self-contained printable document), so that both always hold the same elements.
struct NoticeMemo: Sendable, Equatable {
    /// One element of a memo, in reading order.
    enum Block: Sendable, Equatable {
        /// Running text.
        case paragraph(String)
        /// Text the reader must not miss (short notice).
        case attention(String)
        /// A labelled value; the value may span lines.
        case field(label: String, value: String)
        /// A labelled list (topics).
        case list(label: String, items: [String])
        /// A labelled address to open (an online session's link).
        case link(label: String, address: String)
        /// A labelled command to type.
        case command(label: String, command: String)
    }

    var noticeId: String
    var title: String
    /// "To: agent A10016 · notice n-12 · 2026-12".
    var heading: String
    var blocks: [Block]

    init(_ notice: Notice) {
        noticeId = notice.noticeId
        let course = notice.courseTitle.isEmpty ? notice.courseId : notice.courseTitle
        let recipient = notice.isToAgent ? "agent" : "team leader"
        heading = "To: \(recipient) \(notice.recipientId) · notice \(notice.noticeId) · \(notice.month)"
        var blocks: [Block] = []
        // A team leader's notice addressed to the agent (a service bug) is shown as the agent's memo.
        let kind = notice.isToAgent && (notice.kind == .noticeTeamLeaderBrief || notice.kind == .noticeGoalTalkReminder)
            ? .noticePlacement : notice.kind
        switch kind {
        case .noticePlacement:
            title = "Training notice: \(course)"
            blocks.append(.paragraph(notice.requirement == .attendanceVoluntary
                ? "Thank you for signing up: you have a seat in \(course). Below is what you need to know: "
                    + "why the course matters, what it covers, what to prepare, when and where it takes place, and who teaches it."
                : "You have a seat in \(course), part of your training this month. Below is what you need to know: "
                    + "why the course matters, what it covers, what to prepare, when and where it takes place, and who teaches it."))
            blocks += Self.shortNotice(notice, toAgent: true)
            blocks += Self.session(notice, when: "When")
            blocks.append(.paragraph("About a week before the session your team leader will talk with you about what you "
                + "would like to get out of it. We look forward to seeing you there."))
        case .noticeChange:
            title = "Training moved: \(course)"
            blocks.append(.paragraph("Your session of \(course) has moved to another time. Everything else stays as it was."))
            blocks += Self.shortNotice(notice, toAgent: true)
            blocks += Self.session(notice, when: "Now",
                                   before: [.field(label: "Was", value: Self.when(notice.previousStart, notice.previousEnd))])
        case .noticeCancellation:
            title = "Training cancelled: \(course)"
            blocks.append(.paragraph("Your seat in the session of \(course) below is cancelled."))
            blocks.append(.field(label: "Reason", value: notice.reason.isEmpty ? "not given" : notice.reason))
            blocks += Self.session(notice, when: "Was on")
        case .noticeTeamLeaderBrief:
            title = "Team leader brief: \(notice.agentId) in \(course)"
            blocks.append(.paragraph("\(Self.agent(notice)) has a seat in \(course). Please make sure they can attend, "
                + "and talk with them about their goals for it about a week before."))
            blocks += Self.shortNotice(notice, toAgent: false)
            if Self.showsTierReason(notice) {
                blocks.append(.field(label: "Why the agent is in the course",
                                     value: notice.tierReason.isEmpty ? "not given" : notice.tierReason))
            }
            blocks += Self.session(notice, when: "When")
            blocks.append(.paragraph("The agent's memo says why the course matters, never their tier or their scores. "
                + "Present it the same way: a chance to grow, not a punishment."))
        case .noticeGoalTalkReminder:
            title = "Goal talk: \(notice.agentId) before \(course)"
            blocks.append(.paragraph("\(Self.agent(notice)) attends \(course) on \(Self.day(notice.start)). Please talk with "
                + "them now about their goals for the session: what they want to get better at, and how you will both "
                + "know it worked. Then record the goals you agreed."))
            blocks.append(.command(label: "Record the goals", command: Self.goalsCommand(notice)))
            blocks += Self.shortNotice(notice, toAgent: false)
            blocks += Self.session(notice, when: "When")
            blocks.append(.paragraph("Training is not a punishment: talk about what the agent can gain, not about what went wrong."))
        case .unspecified:
            title = "Notice: \(course)"
            blocks += Self.shortNotice(notice, toAgent: notice.isToAgent)
            blocks += Self.session(notice, when: "When")
        }
        self.blocks = blocks
    }

    /// Only the team leader's brief says why the agent is in the course; never a notice to
    /// the agent, whatever it carries.
    static func showsTierReason(_ notice: Notice) -> Bool {
        notice.kind == .noticeTeamLeaderBrief && !notice.isToAgent
    }

    // MARK: - The parts of a memo

    /// What every memo says about the session: course, purpose, topics, preparation, time,
    /// place, trainer, required or voluntary.
    /// `before` goes just before the time (a change's old time).
    private static func session(_ notice: Notice, when label: String, before: [Block] = []) -> [Block] {
        var blocks: [Block] = [.field(label: "Course", value: notice.courseTitle.isEmpty ? notice.courseId : notice.courseTitle)]
        if !notice.purpose.isEmpty { blocks.append(.field(label: "Why it matters", value: notice.purpose)) }
        if !notice.topics.isEmpty { blocks.append(.list(label: "Topics", items: notice.topics)) }
        blocks.append(.field(label: "What to prepare", value: notice.preparation.isEmpty ? "nothing in particular" : notice.preparation))
        blocks += before
        blocks.append(.field(label: label, value: when(notice.start, notice.end)))
        if !notice.link.isEmpty {
            blocks.append(.link(label: "Online", address: notice.link))
        } else if !notice.site.isEmpty || !notice.roomId.isEmpty {
            blocks.append(.field(label: "Where", value: [notice.site, notice.roomId.isEmpty ? "" : "room \(notice.roomId)"]
                .filter { !$0.isEmpty }.joined(separator: ", ")))
            if !notice.directions.isEmpty { blocks.append(.field(label: "How to get there", value: notice.directions)) }
        } else {
            blocks.append(.field(label: "Where", value: "no room is booked: the trainer tells you where"))
        }
        blocks.append(.field(label: "Trainer", value: notice.trainerName.isEmpty ? "to be announced" : notice.trainerName))
        if !notice.trainerBiography.isEmpty { blocks.append(.field(label: "About the trainer", value: notice.trainerBiography)) }
        switch notice.requirement {
        case .attendanceRequired: blocks.append(.field(label: "Attendance", value: "required"))
        case .attendanceVoluntary: blocks.append(.field(label: "Attendance", value: "voluntary"))
        case .unspecified: break
        }
        return blocks
    }

    private static func shortNotice(_ notice: Notice, toAgent: Bool) -> [Block] {
        guard notice.shortNotice else { return [] }
        return [.attention(toAgent
            ? "Short notice: this memo reaches you later than it should before the session. We are sorry. "
                + "If the time is a problem for you, tell your team leader."
            : "Short notice: this seat was given later than the usual notice before the session.")]
    }

    /// "A10016 (team RS-01)".
    private static func agent(_ notice: Notice) -> String {
        notice.agentId + (notice.teamId.isEmpty ? "" : " (team \(notice.teamId))")
    }

    private static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// "Tuesday 2026-12-01".
    static func day(_ start: String) -> String {
        guard let time = LocalDateTime(start) else { return start }
        return "\(weekdays[time.date.weekday - 1]) \(time.date)"
    }

    /// "Tuesday 2026-12-01, 09:00–11:00", or both days when it ends on another.
    static func when(_ start: String, _ end: String) -> String {
        guard let first = LocalDateTime(start), let last = LocalDateTime(end) else {
            return start.isEmpty && end.isEmpty ? "not given" : "\(start) – \(end)"
        }
        if first.date == last.date { return "\(day(start)), \(first.timeOfDay)–\(last.timeOfDay)" }
        return "\(day(start)) \(first.timeOfDay) – \(day(end)) \(last.timeOfDay)"
    }

    /// The command that records the goals of the talk, ready to complete.
    static func goalsCommand(_ notice: Notice) -> String {
        ["trainctl", "schedule", "goals", notice.month, notice.sessionId, notice.agentId, "--goals", "THE GOALS YOU AGREED",
         "--by", notice.recipientId].map(ShellWord.quoted).joined(separator: " ")
    }

    // MARK: - Plain text

    /// The memo as plain text: title, heading, then the blocks; labels in a column.
    var text: String {
        let width = blocks.map { block -> Int in
            switch block {
            case .field(let label, _), .list(let label, _), .link(let label, _): DisplayWidth.of(label)
            case .paragraph, .attention, .command: 0
            }
        }.max() ?? 0
        let indent = String(repeating: " ", count: width + 2)
        func labelled(_ label: String, _ lines: [String]) -> String {
            let padded = label + String(repeating: " ", count: width + 2 - DisplayWidth.of(label))
            return lines.enumerated().map { ($0.offset == 0 ? padded : indent) + $0.element }.joined(separator: "\n")
        }
        let title = MemoText.clean(self.title)
        var parts = [title + "\n" + String(repeating: "=", count: max(8, min(72, DisplayWidth.of(title)))), MemoText.clean(heading)]
        var fields: [String] = []
        func flushFields() {
            if !fields.isEmpty { parts.append(fields.joined(separator: "\n")) }
            fields = []
        }
        for block in blocks {
            switch block {
            case .paragraph(let text):
                flushFields()
                parts.append(MemoText.clean(text))
            case .attention(let text):
                flushFields()
                parts.append("!! " + MemoText.clean(text))
            case .field(let label, let value):
                fields.append(labelled(label, MemoText.lines(value)))
            case .list(let label, let items):
                fields.append(labelled(label, items.map { "- " + MemoText.clean($0) }))
            case .link(let label, let address):
                fields.append(labelled(label, [MemoText.clean(address)]))
            case .command(let label, let command):
                flushFields()
                parts.append(label + ":\n    " + MemoText.clean(command))
            }
        }
        flushFields()
        return parts.joined(separator: "\n\n")
    }

    /// Memos one after another, separated by a rule.
    static func text(_ memos: [NoticeMemo]) -> String {
        memos.map(\.text).joined(separator: "\n\n" + String(repeating: "-", count: 72) + "\n\n")
    }

    // MARK: - HTML

    /// The memo as an HTML `<article>`; every text escaped.
    var html: String {
        var lines = ["<article class=\"memo\" id=\"notice-\(HTML.escape(noticeId))\">",
                     "<header><h1>\(HTML.text(title))</h1><p class=\"heading\">\(HTML.text(heading))</p></header>"]
        var inList = false
        func open() { if !inList { lines.append("<dl>"); inList = true } }
        func close() { if inList { lines.append("</dl>"); inList = false } }
        for block in blocks {
            switch block {
            case .paragraph(let text):
                close()
                lines.append("<p>\(HTML.text(text))</p>")
            case .attention(let text):
                close()
                lines.append("<p class=\"attention\"><strong>\(HTML.text(text))</strong></p>")
            case .field(let label, let value):
                open()
                lines.append("<dt>\(HTML.text(label))</dt><dd>\(HTML.text(value))</dd>")
            case .list(let label, let items):
                open()
                lines.append("<dt>\(HTML.text(label))</dt><dd><ul>" + items.map { "<li>\(HTML.text($0))</li>" }.joined() + "</ul></dd>")
            case .link(let label, let address):
                open()
                let shown = HTML.text(address)
                // Only web addresses become links: a "javascript:" address stays text.
                let value = HTML.isWebAddress(address) ? "<a href=\"\(HTML.escape(address))\">\(shown)</a>" : shown
                lines.append("<dt>\(HTML.text(label))</dt><dd>\(value)</dd>")
            case .command(let label, let command):
                close()
                lines.append("<p class=\"command-label\">\(HTML.text(label)):</p><pre class=\"command\"><code>\(HTML.escape(MemoText.clean(command)))</code></pre>")
            }
        }
        close()
        lines.append("</article>")
        return lines.joined(separator: "\n")
    }

    /// One self-contained, printable HTML document (no external style, script or image):
    /// each memo on its own page when printed.
    static func htmlDocument(_ memos: [NoticeMemo], title: String) -> String {
        """
        <!DOCTYPE html>
        <html>
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.text(title))</title>
        <style>
        body { font-family: "Noto Sans", "PingFang SC", "Microsoft YaHei", Arial, sans-serif; line-height: 1.5; color: #000; background: #fff; margin: 2em auto; max-width: 44em; padding: 0 1em; }
        article.memo { border-bottom: 1px solid #888; padding-bottom: 2em; margin-bottom: 2em; }
        article.memo:last-of-type { border-bottom: none; }
        h1 { font-size: 1.4em; margin: 0 0 .2em; }
        .heading { color: #444; margin-top: 0; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .3em 1.2em; }
        dt { font-weight: bold; }
        dd { margin: 0; white-space: normal; }
        dd ul { margin: 0; padding-left: 1.2em; }
        .attention { border-left: 4px solid #000; padding-left: .6em; }
        pre.command { background: #f3f3f3; padding: .6em; white-space: pre-wrap; word-break: break-all; }
        @media print {
          body { margin: 0; max-width: none; }
          article.memo { border-bottom: none; break-after: page; page-break-after: always; }
          article.memo:last-of-type { break-after: auto; page-break-after: auto; }
          a { color: #000; }
        }
        </style>
        </head>
        <body>
        \(memos.isEmpty ? "<p>No notices.</p>" : memos.map(\.html).joined(separator: "\n"))
        </body>
        </html>

        """
    }
}

/// Text of the service made safe to print: control characters (other than line breaks and
/// tabs) would drive a terminal or break a document, so they become U+FFFD.
enum MemoText {
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            let value = scalar.value
            let isControl = value < 0x20 || (0x7F...0x9F).contains(value)
            return isControl && scalar != "\n" && scalar != "\t" ? "\u{FFFD}" : scalar
        }))
    }

    /// A value's lines (CRLF or LF), cleaned.
    static func lines(_ text: String) -> [String] {
        let lines = text.replacingCRLF.split(separator: "\n", omittingEmptySubsequences: false).map { clean(String($0)) }
        return lines.isEmpty ? [""] : lines
    }
}

/// HTML escaping for text and attribute values.
enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as character references; control characters cleaned.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in MemoText.clean(text) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Escaped text whose line breaks stay visible.
    static func text(_ text: String) -> String {
        escape(text.replacingCRLF).replacingOccurrences(of: "\n", with: "<br>")
    }

    /// http and https addresses only.
    static func isWebAddress(_ address: String) -> Bool {
        let lower = address.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && !address.contains(where: { $0.isWhitespace })
    }
}

/// A word for a POSIX shell: as it is when it holds only safe characters, else in single quotes.
enum ShellWord {
    static func quoted(_ word: String) -> String {
        let safe = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./:@%+=,".unicodeScalars.contains(scalar))
        }
        return safe ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension String {
    fileprivate var replacingCRLF: String { replacingOccurrences(of: "\r\n", with: "\n") }
}
