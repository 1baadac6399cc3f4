import ArgumentParser
import CalendarDates

// What the subcommands of every service share: output flags and checked arguments.

/// `--json` only: for commands whose answer is not a table.
struct JSONOutput: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false
}

/// `--json` or `--csv` instead of a table.
struct TableOutput: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document instead of a table.")
    var json = false
    @Flag(name: .long, help: "Print the table's rows as CSV.")
    var csv = false

    func validate() throws {
        guard !(json && csv) else { throw ValidationError("choose one of --json and --csv") }
    }
}

/// Prints one JSON document on standard output.
func printJSON(_ value: JSONValue) {
    print(value.rendered(pretty: true))
}

/// A month argument, checked before anything is sent.
func validatedMonth(_ text: String, _ label: String = "month") throws -> String {
    guard YearMonth(parsing: text) != nil else { throw ValidationError("\(label) must be YYYY-MM, e.g. 2026-03 (got \(text))") }
    return text
}

func validatedDate(_ text: String, _ label: String) throws -> String {
    guard LocalDate(parsing: text) != nil else { throw ValidationError("\(label) must be a date YYYY-MM-DD (got \(text))") }
    return text
}

/// A local date-time argument of the center's wall clock, "YYYY-MM-DDTHH:MM".
func validatedLocalTime(_ text: String, _ label: String) throws -> String {
    guard LocalDateTime(text) != nil else {
        throw ValidationError("\(label) must be a local time YYYY-MM-DDTHH:MM, e.g. 2026-12-01T09:00 (got \(text))")
    }
    return text
}

/// An enum of the contract as an option value, by its lower-case name (`--tier coaching`).
struct WireEnumArgument<Value: WireEnum>: ExpressibleByArgument, Sendable {
    let value: Value

    init?(argument: String) {
        guard let value = Value(cliName: argument) else { return nil }
        self.value = value
    }

    static var allValueStrings: [String] { Value.cliNames }
}
