import CalendarDates
/// One problem with one field of one input record: what the rejects file and the
/// server's violations both say.
struct FieldError: Sendable, Hashable {
    var field: String
    var reason: String

    var json: JSONValue { .object(["field": .string(field), "reason": .string(reason)]) }
}

/// `--map qa_name=our_name`: renames another QA system's fields or columns to ours.
struct FieldMap: Sendable, Equatable {
    /// File name → our name, in the order given.
    private(set) var renames: [(from: String, to: String)] = []

    static func == (lhs: FieldMap, rhs: FieldMap) -> Bool {
        lhs.renames.elementsEqual(rhs.renames) { $0.from == $1.from && $0.to == $1.to }
    }

    init() {}

    /// Parses `name=ours` arguments; every `ours` must be one of `knownNames`.
    init(arguments: [String], knownNames: [String]) throws(InputFileError) {
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw InputFileError("--map \(argument): expected theirs=ours, e.g. --map score=total_score")
            }
            guard knownNames.contains(parts[1]) else {
                throw InputFileError("--map \(argument): \(parts[1]) is not one of our fields (\(knownNames.joined(separator: ", ")))")
            }
            guard !renames.contains(where: { $0.from == parts[0] }) else {
                throw InputFileError("--map \(argument): \(parts[0]) is mapped twice")
            }
            renames.append((parts[0], parts[1]))
        }
    }

    /// Our name for a name found in the file.
    func ours(_ fileName: String) -> String {
        renames.first(where: { $0.from == fileName })?.to ?? fileName
    }

    /// The name a field has in the file: the reverse of `ours` (the first rename to it).
    func theirs(_ ourName: String) -> String {
        renames.first(where: { $0.to == ourName })?.from ?? ourName
    }

    /// A violation subject of the service ("items[2].score", "call_started_at_unix_ms") in
    /// the file's words: wire names of instants become the file's fields, renames are undone.
    func fileSubject(_ subject: String) -> String {
        var parts = subject.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for (index, part) in parts.enumerated() {
            let bracket = part.firstIndex(of: "[") ?? part.endIndex
            var name = String(part[..<bracket])
            if name.hasSuffix("_unix_ms") { name.removeLast("_unix_ms".count) }
            parts[index] = theirs(name) + part[bracket...]
        }
        return parts.joined(separator: ".")
    }

    /// Only the renames to `ourNames`: an evaluation's own fields and its items' fields are
    /// renamed separately, so `--map score=total_score` leaves the items' `score` alone.
    func restricted(to ourNames: [String]) -> FieldMap {
        var map = FieldMap()
        map.renames = renames.filter { ourNames.contains($0.to) }
        return map
    }

    /// For the idempotency key: the mapping changes what is sent.
    var canonical: String {
        renames.map { "\($0.from)=\($0.to)" }.joined(separator: ";")
    }
}

/// The values of one record, by our field names, whatever the file format: a JSON object
/// (JSON Lines) or a CSV row. Typed accessors convert and validate, collecting every
/// problem in `errors` (named as in the file, so that the person fixing it finds it).
///
/// Absent, null and empty text are the same: "not given". Numbers may be given as text
/// (CSV, and JSON exports that quote everything); ids may be given as integers.
struct FieldValues {
    private var values: [String: JSONValue] = [:]
    private var fileNames: [String: String] = [:]
    private let prefix: String
    private(set) var errors: [FieldError] = []

    /// From a JSON object. Members whose names start with "_" are ignored: they are our
    /// own annotations (`_line`, `_errors`) when a rejects file is sent again.
    init(members: [JSONMember], map: FieldMap, prefix: String = "") {
        self.prefix = prefix
        for (from, to) in map.renames {
            fileNames[to] = from  // so that a missing field is named as the file names it
        }
        for member in members where !member.key.hasPrefix("_") {
            let name = map.ours(member.key)
            values[name] = member.value
            fileNames[name] = member.key
        }
    }

    /// From a CSV row whose header is already in our names (`fileHeader` is the file's own).
    init(ourHeader: [String], fileHeader: [String], fields: [String]) {
        self.prefix = ""
        for (index, name) in ourHeader.enumerated() where index < fields.count {
            values[name] = .string(fields[index])
            fileNames[name] = index < fileHeader.count ? fileHeader[index] : name
        }
    }

    func displayName(_ name: String) -> String {
        prefix + (fileNames[name] ?? name)
    }

    mutating func fail(_ name: String, _ reason: String) {
        errors.append(FieldError(field: displayName(name), reason: reason))
    }

    mutating func append(_ more: [FieldError]) {
        errors += more
    }

    /// The raw value, nil when not given.
    func value(_ name: String) -> JSONValue? {
        switch values[name] {
        case nil, .null?: nil
        case .string(let text)? where text.isEmpty: nil
        case let value?: value
        }
    }

    func isGiven(_ name: String) -> Bool { value(name) != nil }

    mutating func string(_ name: String, required: Bool = true, maximumLength: Int? = nil) -> String {
        let text: String
        switch value(name) {
        case nil:
            if required { fail(name, "is required") }
            return ""
        case .string(let given)?: text = given
        case .integer(let number)?: text = String(number)
        case .some:
            fail(name, "must be text")
            return ""
        }
        if text.unicodeScalars.contains("\0") {
            fail(name, "contains a NUL character")
            return ""
        }
        if let maximumLength, text.count > maximumLength {
            fail(name, "is longer than \(maximumLength) characters")
        }
        return text
    }

    mutating func double(_ name: String, required: Bool = true) -> Double? {
        switch value(name) {
        case nil:
            if required { fail(name, "is required") }
            return nil
        case .integer(let number)?: return Double(number)
        case .number(let number)?: return number
        case .string(let text)?:
            guard let number = Double(text.trimmingSpaces), number.isFinite else {
                fail(name, "must be a number")
                return nil
            }
            return number
        case .some:
            fail(name, "must be a number")
            return nil
        }
    }

    /// A whole number in `range`; `defaultValue` when not given.
    mutating func uint32(_ name: String, default defaultValue: UInt32?, range: ClosedRange<UInt32> = 0...UInt32.max) -> UInt32 {
        let number: Double
        switch value(name) {
        case nil:
            guard let defaultValue else {
                fail(name, "is required")
                return 0
            }
            return defaultValue
        case .integer(let given)?: number = Double(given)
        case .number(let given)?: number = given
        case .string(let text)?:
            guard let given = Double(text.trimmingSpaces) else {
                fail(name, "must be a whole number")
                return 0
            }
            number = given
        case .some:
            fail(name, "must be a whole number")
            return 0
        }
        guard number == number.rounded(), number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            fail(name, range.upperBound == UInt32.max ? "must be a whole number ≥ \(range.lowerBound)"
                : "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return 0
        }
        return UInt32(number)
    }

    mutating func bool(_ name: String, default defaultValue: Bool) -> Bool {
        switch value(name) {
        case nil: return defaultValue
        case .bool(let given)?: return given
        case .integer(let given)? where given == 0 || given == 1: return given == 1
        case .string(let text)?:
            switch text.trimmingSpaces.lowercased() {
            case "true", "yes", "y", "1": return true
            case "false", "no", "n", "0": return false
            default: break
            }
        default: break
        }
        fail(name, "must be true or false")
        return defaultValue
    }

    /// "YYYY-MM-DD", checked; "" when not given and not required.
    mutating func date(_ name: String, required: Bool = true) -> String {
        let text = string(name, required: required)
        guard !text.isEmpty else { return "" }
        guard LocalDate(parsing: text.trimmingSpaces) != nil else {
            fail(name, "must be a date YYYY-MM-DD")
            return ""
        }
        return text.trimmingSpaces
    }

    /// A local time of the center's wall clock, "YYYY-MM-DDTHH:MM", checked; nil when not
    /// given (and required: an error) or malformed.
    mutating func localTime(_ name: String, required: Bool = true) -> LocalDateTime? {
        let text = string(name, required: required).trimmingSpaces
        guard !text.isEmpty else { return nil }
        guard let time = LocalDateTime(text) else {
            fail(name, "must be a local time YYYY-MM-DDTHH:MM, e.g. 2026-12-01T09:00")
            return nil
        }
        return time
    }

    /// A list in one field, its items separated by `separator` (spaces around items are
    /// dropped); empty or not given: no items. An empty item ("a;;b", a trailing ";") is an error.
    mutating func list(_ name: String, separator: Character = ";") -> [String] {
        let text = string(name, required: false)
        guard !text.trimmingSpaces.isEmpty else { return [] }
        let items = text.split(separator: separator, omittingEmptySubsequences: false).map(\.trimmingSpaces)
        if let empty = items.firstIndex(where: \.isEmpty) {
            fail(name, "item \(empty + 1) of the list is empty (separate items with \"\(separator)\")")
            return []
        }
        return items
    }

    /// An RFC 3339 time with a UTC offset, as Unix milliseconds.
    mutating func instant(_ name: String) -> Int64 {
        let text = string(name)
        guard !text.isEmpty else { return 0 }
        do {
            return try RFC3339.unixMilliseconds(text.trimmingSpaces)
        } catch {
            fail(name, error.description)
            return 0
        }
    }

    /// One of an enum's lower-case names; nil when not given (and required: an error).
    mutating func choice<Value: WireEnum>(_ name: String, required: Bool = true, as type: Value.Type = Value.self) -> Value? {
        let text = string(name, required: required)
        guard !text.isEmpty else { return nil }
        guard let value = Value(cliName: text.trimmingSpaces) else {
            fail(name, "must be one of " + Value.cliNames.joined(separator: ", "))
            return nil
        }
        return value
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (Foundation-free, for hot paths).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
