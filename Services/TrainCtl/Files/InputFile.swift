import ArgumentParser
import Foundation

/// A file that cannot be imported at all (unreadable, a CSV header without a required
/// column, an unclosed quote…): nothing is sent.
struct InputFileError: Error, Sendable, Equatable, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

enum InputFormat: String, Sendable, CaseIterable, ExpressibleByArgument {
    case jsonl
    case csv

    /// From `--format`, else from the file's extension.
    static func of(path: String, explicit: InputFormat?) throws(InputFileError) -> InputFormat {
        if let explicit { return explicit }
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        if lower.hasSuffix(".csv") { return .csv }
        throw InputFileError("\(path): cannot tell the format from the extension; use --format jsonl or --format csv")
    }
}

/// One line (JSON Lines) or row (CSV) of an input file, parsed or not.
struct InputRecord<Message: Sendable>: Sendable {
    /// 1-based line number where the record starts.
    var line: Int
    /// Its bytes in the file, for the rejects file.
    var range: Range<Int>
    /// The record's own id when it could be read (for messages), else "".
    var id: String
    /// Nil when the record was rejected locally.
    var message: Message?
    var errors: [FieldError]
}

/// A parsed input file: every record with its line, and the bytes to echo rejected
/// records back from.
struct InputFile<Message: Sendable>: Sendable {
    var path: String
    var bytes: [UInt8]
    var format: InputFormat
    /// CSV: the file's own column names (before --map).
    var header: [String] = []
    var records: [InputRecord<Message>] = []
    /// Things a person should know (columns ignored…), printed on standard error.
    var notes: [String] = []

    var valid: [InputRecord<Message>] { records.filter { $0.message != nil } }
    var locallyRejected: Int { records.count(where: { $0.message == nil }) }

    /// The line of the rejects file for `record`: the original record plus `_line` and
    /// `_errors`, so that it can be fixed and sent again (trainctl ignores `_` fields).
    /// A CSV row becomes an object of its columns, with `_raw` holding the row as it was.
    func rejectLine(for record: InputRecord<Message>, errors: [FieldError]) -> String {
        let text = String(decoding: bytes[record.range], as: UTF8.self)
        var members: [JSONMember] = []
        switch format {
        case .jsonl:
            if case .object(let original)? = try? JSONParser.parse(bytes, range: record.range) {
                members = original.filter { $0.key != "_line" && $0.key != "_errors" }
            } else {
                members = [JSONMember("_raw", .string(text))]
            }
        case .csv:
            let fields = (try? CSVReader.records(Array(text.utf8)).first?.fields) ?? nil
            for (index, field) in (fields ?? []).enumerated() {
                members.append(JSONMember(index < header.count ? header[index] : "_extra_\(index - header.count + 1)", .string(field)))
            }
            members.append(JSONMember("_raw", .string(text)))
        }
        members.append(JSONMember("_line", .integer(Int64(record.line))))
        members.append(JSONMember("_errors", .array(errors.map(\.json))))
        return JSONValue.object(members).rendered()
    }
}

// MARK: - Reading files

enum InputFiles {
    static func read(_ path: String) throws(InputFileError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputFileError("\(path): no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw InputFileError("\(path): cannot be read")
        }
        return [UInt8](data)
    }

    /// A whole-file JSON document (scorecard, metrics, calendar).
    static func readJSON(_ path: String) throws(InputFileError) -> JSONValue {
        let bytes = try read(path)
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw InputFileError("\(path): \(error)")
        }
    }

    /// JSON Lines: one object per line; blank lines are skipped. `build` turns an object's
    /// fields into the message, collecting problems in the FieldValues it is given.
    static func jsonLines<Message: Sendable>(
        path: String, bytes: [UInt8], map: FieldMap,
        build: (inout FieldValues) -> (id: String, message: Message?)
    ) -> InputFile<Message> {
        var file = InputFile<Message>(path: path, bytes: bytes, format: .jsonl)
        var lineStart = 0
        var lineNumber = 0
        let newline = UInt8(ascii: "\n")
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != newline { lineEnd += 1 }
            let next = lineEnd + 1
            if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            var contentStart = lineStart
            if lineNumber == 1, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { contentStart = 3 }
            let range = contentStart..<max(contentStart, lineEnd)
            lineStart = next
            guard bytes[range].contains(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }

            let parsed: JSONValue
            do {
                parsed = try JSONParser.parse(bytes, range: range)
            } catch {
                let reason = "not valid JSON at character \(error.offset - range.lowerBound + 1): \(error.reason)"
                file.records.append(InputRecord(line: lineNumber, range: range, id: "", message: nil,
                                                errors: [FieldError(field: "", reason: reason)]))
                continue
            }
            guard case .object(let members) = parsed else {
                file.records.append(InputRecord(line: lineNumber, range: range, id: "", message: nil,
                                                errors: [FieldError(field: "", reason: "the line must hold a JSON object")]))
                continue
            }
            guard members.contains(where: { !$0.key.hasPrefix("_") }) else {
                let reason = "holds only trainctl's annotations (_raw is the line as it was): replace it by the fixed record"
                file.records.append(InputRecord(line: lineNumber, range: range, id: "", message: nil,
                                                errors: [FieldError(field: "", reason: reason)]))
                continue
            }
            var fields = FieldValues(members: members, map: map)
            let (id, message) = build(&fields)
            file.records.append(InputRecord(line: lineNumber, range: range, id: id,
                                            message: fields.errors.isEmpty ? message : nil, errors: fields.errors))
        }
        return file
    }

    /// CSV with a header row, columns in any order. `required` columns must be in the
    /// header (after --map); columns outside `known` are ignored with a note. `renamable`:
    /// the command takes --map (the error of a missing column says so).
    static func csv<Message: Sendable>(
        path: String, bytes: [UInt8], map: FieldMap, required: [String], known: [String], renamable: Bool = true,
        build: (inout FieldValues) -> (id: String, message: Message?)
    ) throws(InputFileError) -> InputFile<Message> {
        let rows: [CSVRecord]
        do {
            rows = try CSVReader.records(bytes)
        } catch {
            throw InputFileError("\(path): \(error)")
        }
        guard let headerRow = rows.first else { throw InputFileError("\(path): the file is empty (a header row is needed)") }
        if let error = headerRow.error { throw InputFileError("\(path): header row: \(error)") }
        let fileHeader = headerRow.fields.map(\.trimmingSpaces)
        let ourHeader = fileHeader.map(map.ours)
        var seen: Set<String> = []
        for name in ourHeader {
            guard seen.insert(name).inserted else { throw InputFileError("\(path): column \(name) appears twice in the header") }
        }
        let missing = required.filter { !seen.contains($0) }
        guard missing.isEmpty else {
            throw InputFileError("\(path): the header lacks column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) "
                + "(it has \(fileHeader.joined(separator: ", "))\(renamable ? "; --map theirs=ours renames columns" : ""))")
        }
        var file = InputFile<Message>(path: path, bytes: bytes, format: .csv, header: fileHeader)
        let ignored = zip(fileHeader, ourHeader).filter { !known.contains($0.1) }.map(\.0)
        if !ignored.isEmpty { file.notes.append("ignoring column\(ignored.count == 1 ? "" : "s") \(ignored.joined(separator: ", "))") }

        for row in rows.dropFirst() {
            if let error = row.error {
                file.records.append(InputRecord(line: row.line, range: row.range, id: "", message: nil,
                                                errors: [FieldError(field: "", reason: error)]))
                continue
            }
            guard row.fields.count == fileHeader.count else {
                file.records.append(InputRecord(
                    line: row.line, range: row.range, id: "", message: nil,
                    errors: [FieldError(field: "", reason: "has \(row.fields.count) fields; the header has \(fileHeader.count)")]))
                continue
            }
            var fields = FieldValues(ourHeader: ourHeader, fileHeader: fileHeader, fields: row.fields)
            let (id, message) = build(&fields)
            file.records.append(InputRecord(line: row.line, range: row.range, id: id,
                                            message: fields.errors.isEmpty ? message : nil, errors: fields.errors))
        }
        return file
    }
}
