import CSQLite

/// A failure reported by SQLite itself, with everything needed to diagnose it from a log line.
///
/// SQLite reports errors as a primary result code, a more precise extended code and a message
/// held by the connection that is overwritten by the next call. This type captures all three at
/// the moment of failure, together with the SQL that failed, so that the error stays accurate
/// after it has crossed to another thread. Callers that must react to a particular condition
/// (for example `SQLITE_BUSY`, 5, or `SQLITE_CONSTRAINT`, 19) compare `code`.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, `SQLITE_NOTADB`, …).
    public let code: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_IOERR_FSYNC`, …); equal to
    /// `code` when SQLite had nothing more precise to say.
    public let extendedCode: Int32
    /// SQLite's own message, for example "file is not a database".
    public let message: String
    /// The SQL concerned, when there was one.
    public let sql: String?

    public init(code: Int32, extendedCode: Int32, message: String, sql: String?) {
        self.code = code
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// Reads the message and extended code from the connection that just failed.
    init(code: Int32, connection: OpaquePointer?, sql: String?) {
        let primary = code & 0xFF
        if let connection {
            self.init(
                code: primary, extendedCode: sqlite3_extended_errcode(connection),
                message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        } else {
            self.init(code: primary, extendedCode: code, message: String(cString: sqlite3_errstr(code)), sql: sql)
        }
    }

    /// An error this module detects itself before SQLite could (misuse of the API).
    init(misuse message: String, sql: String?) {
        self.init(code: SQLITE_MISUSE, extendedCode: SQLITE_MISUSE, message: message, sql: sql)
    }

    /// Another connection (usually another process) held the lock past the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// A `UNIQUE`, `NOT NULL`, `CHECK` or foreign-key constraint rejected the change.
    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }

    public var description: String {
        let name = String(cString: sqlite3_errstr(code))
        var text = "SQLite error \(code) (\(name)"
        if extendedCode != code { text += ", extended \(extendedCode)" }
        text += "): \(message)"
        if let sql { text += " [SQL: \(sql)]" }
        return text
    }
}
