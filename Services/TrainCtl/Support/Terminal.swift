import Foundation

/// Messages for people on standard error, so that standard output stays one document
/// (a table, CSV or JSON) that scripts can read.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func line(_ text: String) {
        write(text + "\n")
    }

    static var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}

/// A one-line progress bar on standard error, drawn only when standard error is a
/// terminal (never in logs or pipes).
struct ProgressBar {
    let total: Int
    let noun: String
    private let enabled: Bool
    private var lastDrawn = -1

    init(total: Int, noun: String) {
        self.total = total
        self.noun = noun
        self.enabled = StandardError.isTerminal && total > 0
    }

    mutating func update(_ done: Int) {
        guard enabled, done != lastDrawn else { return }
        lastDrawn = done
        let width = 30
        let filled = total == 0 ? width : min(width, done * width / total)
        let percent = total == 0 ? 100 : done * 100 / total
        StandardError.write("\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            + "\(Format.count(done))/\(Format.count(total)) \(noun) (\(percent)%)")
    }

    /// Clears the line so that what follows starts clean.
    func finish() {
        guard enabled else { return }
        StandardError.write("\r" + String(repeating: " ", count: 80) + "\r")
    }
}

/// Numbers for tables.
enum Format {
    /// 70123 → "70,123".
    static func count(_ value: some BinaryInteger) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// Fixed decimals: 91.25 → "91.3" with 1.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        return String(format: "%.\(decimals)f", value)
    }

    /// "2026-10-05 09:51": an instant for tables, in the given time zone (default: this machine's).
    static func localTime(unixMilliseconds: Int64, timeZone: TimeZone = .current) -> String {
        guard unixMilliseconds != 0 else { return "-" }
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(unixMilliseconds) / 1000))
        let text = RFC3339.format(unixMilliseconds: unixMilliseconds / 1000 * 1000, offsetSeconds: offset)
        return String(text.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}

/// How many terminal columns a string takes: East Asian wide characters (Han, kana,
/// Hangul, full-width forms) take two, so that tables of Chinese names line up.
enum DisplayWidth {
    static func of(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in width + columns(scalar) }
    }

    private static func columns(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: 0  // combining marks, zero-width
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD: 2
        default: 1
        }
    }
}
