import ArgumentParser
import Foundation
import TrainingWire

/// How `memos` prints: plain text or one HTML document.
enum MemoFormat: String, Sendable, CaseIterable, ExpressibleByArgument {
    case text
    case html

    var fileExtension: String { self == .html ? "html" : "txt" }
}

/// `trainctl schedule memos MONTH [--agent ID] [--session ID] [--format text|html] [--out DIR]`
struct MemosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memos",
        abstract: "Every notice of a month as the memo its recipient reads (ListNotices).",
        discussion: """
            A memo to an agent (placement, change, cancellation) says what the course is, why it \
            matters, its topics, what to prepare, when and where (or the link), the trainer and \
            their biography, whether it is required, and whether it comes at short notice; a \
            change gives the old and the new time, a cancellation the reason. It never says the \
            agent's tier or scores. The team leader's brief says why the agent is in the course; \
            the goal-talk reminder asks the team leader to agree the agent's goals and record \
            them with `trainctl schedule goals`. Text by default, one memo after another; \
            --format html prints one printable HTML document; --out DIR writes one file per \
            notice instead (NOTICE_ID.txt or NOTICE_ID.html). --json prints the notices.
            """)

    @Argument(help: "The month of the sessions, YYYY-MM.")
    var month: String
    @Option(name: .long, help: "Only notices about this agent.")
    var agent: String?
    @Option(name: .long, help: "Only notices about this session.")
    var session: String?
    @Option(name: .long, help: "text or html.")
    var format: MemoFormat = .text
    @Option(name: .long, help: "Write one file per notice into this directory (created if missing).")
    var out: String?
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
        if output.json, out != nil { throw ValidationError("--json prints the notices; it does not go with --out") }
        if let agent, agent.trimmingSpaces.isEmpty { throw ValidationError("--agent must name an agent") }
        if let session, session.trimmingSpaces.isEmpty { throw ValidationError("--session must name a session") }
    }

    func run() async throws {
        let (month, agent, session) = (self.month, self.agent, self.session)
        let list = try await withService(endpoint) { service in
            // Page through the month (a large center's month does not fit one answer).
            var all = NoticeList()
            var after = ""
            repeat {
                let page = try await service.call(
                    TrainingSchedulingMethods.listNotices,
                    ListNoticesRequest(month: month, agentId: agent ?? "", sessionId: session ?? "", limit: 5000, afterNoticeId: after))
                all.notices += page.notices
                after = page.nextAfterNoticeId
            } while !after.isEmpty
            return all
        }
        for notice in list.notices where notice.isToAgent && !notice.tierReason.isEmpty {
            StandardError.line("warning: notice \(notice.noticeId) to agent \(notice.recipientId) carries a tier reason; "
                + "it is not printed (the contract keeps it empty in a notice to an agent)")
        }
        if output.json {
            printJSON(list.json)
            return
        }
        if list.notices.isEmpty {
            StandardError.line("No notices for \(month)" + (agent.map { " about agent \($0)" } ?? "")
                + (session.map { " in session \($0)" } ?? "") + ".")
        }
        let memos = list.notices.map(NoticeMemo.init)
        guard let out else {
            switch format {
            case .text: if !memos.isEmpty { print(NoticeMemo.text(memos)) }
            case .html: print(NoticeMemo.htmlDocument(memos, title: "Training notices \(month)"), terminator: "")
            }
            return
        }
        let written: [(notice: Notice, file: String)]
        do {
            written = try MemoFiles.write(memos, notices: list.notices, format: format, to: out)
        } catch {
            StandardError.line("error: \(error)")
            throw ExitCode.failure
        }
        print("Wrote \(EnrolmentText.plural(written.count, "memo")) of \(month) to \(out).")
        guard !written.isEmpty else { return }
        print("")
        print(Table(header: ["NOTICE", "KIND", "TO", "AGENT", "SESSION", "FILE"], rows: written.map { notice, file in
            [notice.noticeId, notice.kind.cliName ?? "-", notice.recipientId, notice.agentId, notice.sessionId, file]
        }).rendered)
    }
}

/// The files of `memos --out`.
enum MemoFiles {
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// A notice id as a file name: characters other than letters, digits, `-`, `_` and `.`
    /// become `_`, and a leading dot too (no hidden files, no `..`).
    static func fileName(_ noticeId: String) -> String {
        var name = String(noticeId.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        })
        if name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return name.isEmpty ? "_" : name
    }

    /// Writes each memo as `DIR/NOTICE_ID.EXT` (a self-contained document for HTML). Two ids
    /// that give the same name get `-2`, `-3`…; returns the paths written, in order.
    static func write(_ memos: [NoticeMemo], notices: [Notice], format: MemoFormat, to directory: String) throws -> [(notice: Notice, file: String)] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(description: "\(directory): cannot create the directory: \(error.localizedDescription)")
        }
        var used: Set<String> = []
        var written: [(notice: Notice, file: String)] = []
        for (memo, notice) in zip(memos, notices) {
            let base = fileName(memo.noticeId)
            var name = "\(base).\(format.fileExtension)"
            var suffix = 2
            while !used.insert(name.lowercased()).inserted {
                name = "\(base)-\(suffix).\(format.fileExtension)"
                suffix += 1
            }
            let path = (directory as NSString).appendingPathComponent(name)
            let content = format == .html ? NoticeMemo.htmlDocument([memo], title: memo.title) : memo.text + "\n"
            do {
                try Data(content.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw WriteError(description: "\(path): cannot be written: \(error.localizedDescription)")
            }
            written.append((notice, path))
        }
        return written
    }
}

/// `trainctl schedule notices …`
struct NoticesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract: "Notices due for the messaging system, and acknowledging them as sent.",
        subcommands: [PendingNoticesCommand.self, AcknowledgeNoticesCommand.self])
}

/// `trainctl schedule notices pending [--limit N] [--after ID]`
struct PendingNoticesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pending",
        abstract: "Notices due and not yet acknowledged, oldest first (ListPendingNotices).",
        discussion: "A notice stays pending until it is acknowledged (`trainctl schedule notices ack ID…`).")

    @Option(name: .long, help: "At most this many notices, 1 to 1,000 (default: the service's, 100).")
    var limit: UInt32?
    @Option(name: .long, help: "Only notices after this notice id (paging).")
    var after: String?
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        if let limit { guard (1...1_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1,000") } }
    }

    func run() async throws {
        let request = ListPendingNoticesRequest(limit: limit ?? 0, afterNoticeId: after ?? "")
        let list = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.listPendingNotices, request) }
        if output.json {
            printJSON(list.json)
            return
        }
        print("\(EnrolmentText.plural(list.notices.count, "notice")) pending" + (after.map { " after \($0)" } ?? ""))
        guard !list.notices.isEmpty else { return }
        print("")
        print(Table(header: ["NOTICE", "KIND", "TO", "RECIPIENT", "AGENT", "SESSION", "TIME", "SHORT NOTICE", "DUE"],
                    rows: list.notices.map { notice in
            [notice.noticeId, notice.kind.cliName ?? "-", notice.recipientRole.cliName ?? "-", notice.recipientId, notice.agentId,
             notice.sessionId, LocalDateTime.span(notice.start, notice.end), notice.shortNotice ? "yes" : "",
             Format.localTime(unixMilliseconds: notice.sendAfterUnixMs)]
        }).rendered)
        if let last = list.notices.last, limit.map({ list.notices.count >= Int($0) }) ?? (list.notices.count >= 100) {
            print("More may follow: --after \(last.noticeId)")
        }
    }
}

/// `trainctl schedule notices ack ID…`
struct AcknowledgeNoticesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Mark notices as sent (AcknowledgeNotices).",
        discussion: "Each id is acknowledged now, was already acknowledged (nothing changes), or is rejected (no such notice).")

    @Argument(help: "The notice ids, 1 to 1,000.")
    var noticeIds: [String] = []
    @Flag(name: .long, help: "Exit 2 if any id was rejected.")
    var strict = false
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        guard (1...1_000).contains(noticeIds.count) else { throw ValidationError("name 1 to 1,000 notices (got \(noticeIds.count))") }
    }

    func run() async throws {
        let request = AcknowledgeNoticesRequest(noticeIds: noticeIds)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.acknowledgeNotices, request) }
        if output.json {
            printJSON(.object([
                "acknowledged": .integer(Int64(response.accepted)), "already_acknowledged": .integer(Int64(response.duplicate)),
                "rejected": .integer(Int64(response.rejected)), "results": .array(response.results.map(\.json)),
            ]))
        } else {
            print("\(Format.count(response.accepted)) acknowledged, \(Format.count(response.duplicate)) already acknowledged, "
                + "\(Format.count(response.rejected)) rejected")
            print("")
            print(Table(header: ["NOTICE", "OUTCOME", "DETAIL"], rows: response.results.map { result in
                [result.id, Self.outcome(result.outcome), ScheduleRecords.problems(result.violations)]
            }).rendered)
        }
        if strict, response.rejected > 0 { throw ExitCode(2) }
    }

    static func outcome(_ outcome: RecordOutcome) -> String {
        switch outcome {
        case .accepted: "acknowledged"
        case .duplicate: "already acknowledged"
        case .rejected: "rejected"
        default: outcome.cliName ?? "-"
        }
    }
}

/// `trainctl schedule short-notice MONTH`
struct ShortNoticeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "short-notice",
        abstract: "Seats placed later than the lead time before their session, per team (GetShortNoticeReport).",
        discussion: "Late notice makes training look like an interruption: the supervisor's view of where it happens.")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = GetShortNoticeReportRequest(month: month)
        let report = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.getShortNoticeReport, request) }
        if output.json {
            printJSON(report.json)
            return
        }
        let placements = report.teams.reduce(0) { $0 + Int($1.placements) }
        print("Short notice in \(report.month) (lead time \(report.leadDays) days): \(Format.count(report.shortNotice.count)) of "
            + "\(EnrolmentText.plural(placements, "seat")) placed later")
        if !report.teams.isEmpty {
            print("")
            print(Table(header: ["TEAM", "SEATS", "SHORT NOTICE", "SHARE"], rows: report.teams.map { team in
                [team.teamId, Format.count(team.placements), Format.count(team.shortNotice),
                 team.placements == 0 ? "-" : Format.fixed(Double(team.shortNotice) * 100 / Double(team.placements), 1) + "%"]
            }).rendered)
        }
        if !report.shortNotice.isEmpty {
            print("")
            print("Short-notice seats:")
            print(Table(header: ["AGENT", "TEAM", "SESSION", "COURSE", "TIME", "ATTENDANCE", "PLACED"], rows: report.shortNotice.map { seat in
                [seat.agentId, seat.teamId.isEmpty ? "-" : seat.teamId, seat.sessionId, seat.courseId, LocalDateTime.span(seat.start, seat.end),
                 EnrolmentText.attendance(seat), Format.localTime(unixMilliseconds: seat.placedAtUnixMs)]
            }).rendered)
        }
    }
}

/// `trainctl schedule goals MONTH SESSION AGENT --goals TEXT --by TEAM_LEADER`
struct GoalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goals",
        abstract: "Record the goals an agent and their team leader agreed for a session (RecordGoals).",
        discussion: "About a week before the session (the goal-talk reminder says when). A later call replaces the goals; the review service reads them.")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Argument(help: "The session id.")
    var sessionId: String
    @Argument(help: "The agent id.")
    var agentId: String
    @Option(name: .long, help: "The goals agreed, 1 to 2,000 characters.")
    var goals: String
    @Option(name: .long, help: "The team leader who agreed them.")
    var by: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
        try validatedText(goals, "--goals", maximum: 2_000)
        try validatedId(by, "--by")
    }

    func run() async throws {
        let request = RecordGoalsRequest(month: month, sessionId: sessionId, agentId: agentId, goals: goals, agreedBy: by)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.recordGoals, request) }
        if output.json {
            printJSON(.object([
                "month": .string(month), "session_id": .string(sessionId), "agent_id": .string(agentId), "goals": .string(goals),
                "agreed_by": .string(by), "recorded_at_unix_ms": .integer(response.recordedAtUnixMs),
                "recorded_at": instantJSON(response.recordedAtUnixMs),
            ]))
        } else {
            print("Recorded the goals of \(agentId) for \(sessionId) (\(month)), agreed with \(by), "
                + "at \(Format.localTime(unixMilliseconds: response.recordedAtUnixMs)).")
        }
    }
}

// MARK: - Shared by the commands of notices, attendance and coaching

/// Checks a required free text: not only spaces, at most `maximum` characters.
func validatedText(_ text: String, _ label: String, maximum: Int) throws {
    guard !text.trimmingSpaces.isEmpty else { throw ValidationError("\(label) must not be empty") }
    guard text.count <= maximum else { throw ValidationError("\(label) must be at most \(Format.count(maximum)) characters (got \(Format.count(text.count)))") }
}

/// Checks an id argument: 1 to 64 characters, no control characters, not only spaces.
func validatedId(_ text: String, _ label: String) throws {
    guard !text.trimmingSpaces.isEmpty, text.count <= 64,
          !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
        throw ValidationError("\(label) must be an id: 1 to 64 characters without control characters (got \"\(text)\")")
    }
}

/// Per-record outcomes of a BatchResponse, for tables.
enum ScheduleRecords {
    /// "subject: description; …", or "" when there is none.
    static func problems(_ violations: [Violation]) -> String {
        violations.map { $0.subject.isEmpty ? $0.description : "\($0.subject): \($0.description)" }.joined(separator: "; ")
    }
}
