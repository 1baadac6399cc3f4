import ArgumentParser
import Foundation
import RPCRuntime
import TrainingWire

/// Options every batched import takes.
struct ImportOptions: ParsableArguments {
    @Option(name: .customLong("rejects"), help: "Where rejected records are written (default: <input>.rejects.jsonl).")
    var rejects: String?
    @Flag(name: .long, help: "Exit 2 if any record was rejected (by trainctl or by the service).")
    var strict = false
    @Flag(name: .long, help: "Print the summary as one JSON document.")
    var json = false
    @Flag(name: .customLong("dry-run"), help: ArgumentHelp("Parse and count the records; connect to nothing, send nothing.", visibility: .hidden))
    var dryRun = false
}

/// Reads and parses an input file, or says why not and exits 1. Big files take a while:
/// on a terminal, "reading…" says so.
func loadInput<Message>(_ parse: () throws(InputFileError) -> InputFile<Message>) throws -> InputFile<Message> {
    let showing = StandardError.isTerminal
    if showing { StandardError.write("reading…") }
    let result: Result<InputFile<Message>, InputFileError>
    do {
        result = .success(try parse())
    } catch {
        result = .failure(error)
    }
    if showing { StandardError.write("\r        \r") }
    switch result {
    case .success(let file):
        return file
    case .failure(let error):
        StandardError.line("error: \(error)")
        throw ExitCode.failure
    }
}

/// One call of an import: its request and, for each record of the request in order, the
/// input records it was made from (one; or several when lines are grouped into one record,
/// such as an agent's shifts of a month).
struct ImportBatch<Request: Sendable>: Sendable {
    var request: Request
    /// Indices into `InputFile.records`, one list per record of the request.
    var sources: [[Int]]
}

/// Sends the valid records of an input file in batches, each with an idempotency key
/// derived from the file's content hash, the options that shape the requests and the
/// batch number, so that running the same import again (after a crash, a lost
/// connection) stores nothing twice: batches already stored get their first answer back.
///
/// Records that did not parse never leave this process. Every rejected record, here or by
/// the service, goes to the rejects file with its line number and errors. Outcomes are
/// counted in input records: a request record made of several lines counts once per line.
struct BatchImport<Message: Sendable, Request: WireMessage> {
    let command: String
    let noun: String
    let method: RPCMethod<Request, BatchResponse>
    /// The most records one call takes.
    let batchSize: Int
    /// Everything besides the file's bytes that changes what is sent (format, --map…).
    let fingerprint: String
    /// The calls, in order, from the valid records (their indices in the file and messages).
    let plan: ([(record: Int, message: Message)]) -> [ImportBatch<Request>]
    /// How the records are grouped into calls, for the idempotency key.
    let shape: String
    /// The service's violation subjects in the file's words (see `FieldMap.fileSubject`).
    var fieldMap = FieldMap()
    /// Which input records a violation of a rejected request record concerns, and how to
    /// name its field; nil: every source record, the subject in the file's words.
    var locate: (@Sendable (_ violation: Violation, _ sources: [Int]) -> [(record: Int, error: FieldError)])?

    /// One request record per input record, `batchSize` of them per call, in file order.
    init(
        command: String, noun: String, method: RPCMethod<Request, BatchResponse>, batchSize: Int, fingerprint: String,
        makeRequest: @escaping ([Message]) -> Request, fieldMap: FieldMap = FieldMap()
    ) {
        self.command = command
        self.noun = noun
        self.method = method
        self.batchSize = batchSize
        self.fingerprint = fingerprint
        self.shape = "batch=\(batchSize)"
        self.fieldMap = fieldMap
        self.plan = { sendable in
            stride(from: 0, to: sendable.count, by: batchSize).map { start in
                let batch = sendable[start..<min(sendable.count, start + batchSize)]
                return ImportBatch(request: makeRequest(batch.map(\.message)), sources: batch.map { [$0.record] })
            }
        }
    }

    /// Calls planned by `plan`: grouped records, one month per call…; `shape` names the
    /// grouping for the idempotency key.
    init(
        command: String, noun: String, method: RPCMethod<Request, BatchResponse>, batchSize: Int, fingerprint: String,
        shape: String, plan: @escaping ([(record: Int, message: Message)]) -> [ImportBatch<Request>],
        locate: (@Sendable (Violation, [Int]) -> [(record: Int, error: FieldError)])? = nil
    ) {
        self.command = command
        self.noun = noun
        self.method = method
        self.batchSize = batchSize
        self.fingerprint = fingerprint
        self.shape = shape
        self.plan = plan
        self.locate = locate
    }

    struct Totals {
        var accepted = 0, duplicate = 0, replaced = 0, stale = 0, rejectedByServer = 0

        mutating func count(_ outcome: RecordOutcome, _ records: Int) {
            switch outcome {
            case .accepted: accepted += records
            case .duplicate: duplicate += records
            case .replaced: replaced += records
            case .stale: stale += records
            case .rejected: rejectedByServer += records
            case .unspecified: break
            }
        }
    }

    /// A rejected request record's violations, on the input records they concern; a source
    /// record no violation names is said to be rejected with the others of its group.
    private func errors(of result: RecordResult, sources: [Int]) -> [(record: Int, error: FieldError)] {
        var located: [(record: Int, error: FieldError)] = []
        for violation in result.violations {
            if let locate {
                located += locate(violation, sources)
            } else {
                located += sources.map { ($0, FieldError(field: fieldMap.fileSubject(violation.subject), reason: violation.description)) }
            }
        }
        if located.isEmpty { located = sources.map { ($0, FieldError(field: "", reason: "rejected by the service")) } }
        let named = Set(located.map(\.record))
        for record in sources where !named.contains(record) {
            let what = result.id.isEmpty ? "its group" : result.id
            located.append((record, FieldError(field: "", reason: "not stored: rejected with the other lines of \(what)")))
        }
        return located
    }

    func run(_ file: InputFile<Message>, endpoint: some ServiceTarget, options: ImportOptions) async throws {
        for note in file.notes { StandardError.line("note: \(file.path): \(note)") }
        let sendable: [(record: Int, message: Message)] = file.records.enumerated().compactMap { index, record in
            record.message.map { (index, $0) }
        }
        let batches = plan(sendable)
        let batchCount = batches.count
        if options.dryRun {
            try reportDryRun(file, valid: sendable.count, batchCount: batchCount, options: options)
            return
        }

        var totals = Totals()
        var serverErrors: [Int: [FieldError]] = [:]  // by record index
        var batchesSent = 0
        var failure: String?
        if !sendable.isEmpty, let session = try? await ServiceSession.connect(endpoint) {  // (it says why not)
            let keyBase = "\(command):" + String(idempotencyHash(file).prefix(32))
            var progress = ProgressBar(total: sendable.count, noun: noun)
            var done = 0
            progress.update(0)
            for (batchIndex, batch) in batches.enumerated() {
                let key = "\(keyBase):\(batchIndex + 1)/\(batchCount)"
                let response: BatchResponse
                do {
                    response = try await send(batch.request, key: key, session: session)
                } catch {
                    progress.finish()
                    ServiceSession.report(error, method: method.path)
                    failure = "batch \(batchIndex + 1) of \(batchCount) failed: \(error)"
                    break
                }
                batchesSent += 1
                for result in response.results {
                    let position = Int(result.index)
                    guard batch.sources.indices.contains(position) else { continue }
                    let sources = batch.sources[position]
                    totals.count(result.outcome, sources.count)
                    guard result.outcome == .rejected else { continue }
                    for (record, error) in errors(of: result, sources: sources) { serverErrors[record, default: []].append(error) }
                }
                done += batch.sources.reduce(0) { $0 + $1.count }
                progress.update(done)
            }
            progress.finish()
            await session.close()
        } else if !sendable.isEmpty {
            failure = "nothing was sent: the service could not be reached"
        }

        // Every rejected record, in file order.
        var rejectLines: [String] = []
        for (index, record) in file.records.enumerated() {
            if record.message == nil {
                rejectLines.append(file.rejectLine(for: record, errors: record.errors))
            } else if let errors = serverErrors[index] {
                rejectLines.append(file.rejectLine(for: record, errors: errors))
            }
        }
        let rejectsPath = options.rejects ?? file.path + ".rejects.jsonl"
        let rejectsWritten = try RejectsFile.write(rejectLines, to: rejectsPath)

        let rejected = file.locallyRejected + totals.rejectedByServer
        if options.json {
            printJSON(.object([
                "command": .string(command), "file": .string(file.path), "dry_run": .bool(false),
                "complete": .bool(failure == nil), "records": .integer(Int64(file.records.count)),
                "batches": .integer(Int64(batchCount)), "batches_sent": .integer(Int64(batchesSent)),
                "accepted": .integer(Int64(totals.accepted)), "duplicate": .integer(Int64(totals.duplicate)),
                "replaced": .integer(Int64(totals.replaced)), "stale": .integer(Int64(totals.stale)),
                "rejected": .integer(Int64(rejected)), "rejected_locally": .integer(Int64(file.locallyRejected)),
                "rejected_by_service": .integer(Int64(totals.rejectedByServer)),
                "rejects_file": rejectsWritten ? .string(rejectsPath) : .null,
                "error": failure.map(JSONValue.string) ?? .null,
            ]))
        } else {
            print("\(file.path): \(Format.count(file.records.count)) \(noun), \(Format.count(batchesSent)) of "
                + "\(Format.count(batchCount)) batch\(batchCount == 1 ? "" : "es") sent")
            print(Table(header: ["OUTCOME", "COUNT"], rows: [
                ["accepted", Format.count(totals.accepted)],
                ["duplicate", Format.count(totals.duplicate)],
                ["replaced", Format.count(totals.replaced)],
                ["stale", Format.count(totals.stale)],
                ["rejected", Format.count(rejected)
                    + " (\(Format.count(file.locallyRejected)) by trainctl, \(Format.count(totals.rejectedByServer)) by the service)"],
            ]).rendered)
            if rejectsWritten {
                print("Rejected records: \(rejectsPath) (each with _line and _errors; fix and import that file again)")
            }
        }
        if let failure {
            StandardError.line("error: \(command) stopped: \(failure)")
            StandardError.line("  Running the same command again is safe: batches already stored are not stored twice.")
            throw ExitCode.failure
        }
        if options.strict, rejected > 0 { throw ExitCode(2) }
    }

    /// One retry policy: UNAVAILABLE (the service restarting or draining) is retried up to
    /// three times on a new connection, after the wait the service asked for. Other errors
    /// stop the import (a timed-out batch may still commit; the same key makes re-running safe).
    private func send(_ request: Request, key: String, session: ServiceSession) async throws -> BatchResponse {
        var attempt = 1
        while true {
            do {
                return try await session.callReportingNothing(method, request, idempotencyKey: key)
            } catch let error as RPCError where error.code == .unavailable && attempt < 4 {
                let waitMilliseconds = max(UInt64(error.retryAfterMilliseconds), 500) * UInt64(attempt)
                StandardError.line("note: \(error); retrying in \(waitMilliseconds) ms")
                try await Task.sleep(nanoseconds: waitMilliseconds * 1_000_000)
                do {
                    try await session.reconnect()
                } catch {
                    StandardError.line("note: cannot reconnect to \(session.socketPath): \(error)")
                }
                attempt += 1
            }
        }
    }

    private func idempotencyHash(_ file: InputFile<Message>) -> String {
        var hasher = SHA256()
        hasher.update(file.bytes)
        hasher.update(Array("\n\(command)\n\(fingerprint)\n\(shape)".utf8))
        return hasher.finalizeHex()
    }

    private func reportDryRun(_ file: InputFile<Message>, valid: Int, batchCount: Int, options: ImportOptions) throws {
        let rejected = file.records.filter { $0.message == nil }
        if options.json {
            printJSON(.object([
                "command": .string(command), "file": .string(file.path), "dry_run": .bool(true),
                "records": .integer(Int64(file.records.count)), "valid": .integer(Int64(valid)),
                "rejected_locally": .integer(Int64(rejected.count)), "batches": .integer(Int64(batchCount)),
                "errors": .array(rejected.prefix(100).map { record in
                    .object(["line": .integer(Int64(record.line)), "errors": .array(record.errors.map(\.json))])
                }),
            ]))
        } else {
            print("\(file.path): \(Format.count(file.records.count)) \(noun): \(Format.count(valid)) valid, "
                + "\(Format.count(rejected.count)) rejected; \(Format.count(batchCount)) batch\(batchCount == 1 ? "" : "es") "
                + "of up to \(Format.count(batchSize)) (dry run: nothing sent)")
            for record in rejected.prefix(20) {
                let errors = record.errors.map { $0.field.isEmpty ? $0.reason : "\($0.field): \($0.reason)" }
                print("  line \(record.line): " + errors.joined(separator: "; "))
            }
            if rejected.count > 20 { print("  … and \(rejected.count - 20) more") }
        }
        if options.strict, !rejected.isEmpty { throw ExitCode(2) }
    }
}

/// The rejects file of an import: one JSON line per rejected record (`InputFile.rejectLine`).
enum RejectsFile {
    /// Writes the lines; with nothing rejected, removes a file left by an earlier run so
    /// that it cannot be mistaken for this run's. True when a file was written.
    static func write(_ lines: [String], to path: String) throws -> Bool {
        guard !lines.isEmpty else {
            if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
            return false
        }
        do {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            StandardError.line("error: cannot write the rejects file \(path): \(error)")
            throw ExitCode.failure
        }
        return true
    }
}
