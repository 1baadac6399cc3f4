import Foundation

/// One record of a CSV file (RFC 4180: comma-separated, fields optionally in double
/// quotes, `""` for a quote inside quotes, line breaks allowed inside quotes).
struct CSVRecord: Sendable, Equatable {
    var fields: [String]
    /// 1-based number of the line the record starts on.
    var line: Int
    /// The record's bytes in the file, without its line break.
    var range: Range<Int>
    /// Set when the record could not be read (its fields are then unreliable).
    var error: String?
}

/// The whole file is unreadable as CSV.
struct CSVFileError: Error, Sendable, Equatable, CustomStringConvertible {
    var line: Int
    var reason: String

    var description: String { "line \(line): \(reason)" }
}

/// Reads CSV from UTF-8 bytes. A byte-order mark is skipped; empty lines are skipped;
/// CRLF and LF line ends are both accepted.
enum CSVReader {
    static func records(_ bytes: [UInt8]) throws(CSVFileError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var position = 0
        var line = 1
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")

        while position < bytes.count {
            let start = position
            let startLine = line
            var fields: [String] = []
            var error: String?
            var recordEnded = false
            var contentEnd = position

            func decode(_ slice: ArraySlice<UInt8>) -> String {
                if let text = String(validating: slice, as: UTF8.self) { return text }
                if error == nil { error = "not valid UTF-8" }
                return String(decoding: slice, as: UTF8.self)
            }

            while !recordEnded {
                if position < bytes.count, bytes[position] == quote {
                    // A quoted field.
                    position += 1
                    var field: [UInt8] = []
                    var closed = false
                    while position < bytes.count {
                        let byte = bytes[position]
                        if byte == quote {
                            if position + 1 < bytes.count, bytes[position + 1] == quote {
                                field.append(quote)
                                position += 2
                                continue
                            }
                            position += 1
                            closed = true
                            break
                        }
                        if byte == newline { line += 1 }
                        field.append(byte)
                        position += 1
                    }
                    guard closed else { throw CSVFileError(line: startLine, reason: "a quoted field is never closed") }
                    fields.append(decode(field[...]))
                    // After the closing quote: a comma, the end of the line, or (an error) more text.
                    let trailingStart = position
                    while position < bytes.count, bytes[position] != comma, bytes[position] != newline { position += 1 }
                    contentEnd = position
                    if position > trailingStart, bytes[position - 1] == carriage { contentEnd = position - 1 }
                    if contentEnd > trailingStart {
                        if error == nil { error = "text after the closing quote of field \(fields.count)" }
                    }
                } else {
                    let fieldStart = position
                    while position < bytes.count, bytes[position] != comma, bytes[position] != newline { position += 1 }
                    var fieldEnd = position
                    if fieldEnd > fieldStart, bytes[fieldEnd - 1] == carriage, position == bytes.count || bytes[position] == newline {
                        fieldEnd -= 1
                    }
                    fields.append(decode(bytes[fieldStart..<fieldEnd]))
                    contentEnd = fieldEnd
                }
                if position < bytes.count, bytes[position] == comma {
                    position += 1
                    continue
                }
                recordEnded = true
                if position < bytes.count {  // the newline
                    position += 1
                    line += 1
                }
            }
            let isEmptyLine = fields.count == 1 && fields[0].isEmpty && contentEnd == start
            if !isEmptyLine {
                records.append(CSVRecord(fields: fields, line: startLine, range: start..<contentEnd, error: error))
            }
        }
        return records
    }
}

/// Writes CSV: a field is quoted when it holds a comma, a quote or a line break.
enum CSVWriter {
    static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",")
    }

    static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map(line).joined(separator: "\n")
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
