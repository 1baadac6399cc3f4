import CSQLite

/// One open SQLite connection, used by exactly one thread at a time.
///
/// Why a class confined to a thread rather than a `Sendable` actor: SQLite connections are
/// opened with `SQLITE_OPEN_NOMUTEX`, so SQLite does no locking of its own and the hot path
/// (thousands of cached-statement inserts per transaction) costs no lock or hop per row.
/// `SQLiteDatabase` gives each connection its own thread; code receives a connection only as
/// the argument of a job running on that thread, and must not keep it. The type is explicitly
/// not `Sendable`, so the compiler enforces that.
///
/// Every SQLite return code is checked; failures throw `SQLiteError`.
public final class SQLiteConnection {
    /// How hard SQLite works to make a commit survive power loss.
    ///
    /// In WAL mode `full` syncs the log on every commit, so an acknowledged commit survives an
    /// OS crash or power cut; `normal` syncs only at checkpoints, so the last commits can be lost
    /// on power failure (never corrupted). Services that acknowledge writes as durable use `full`.
    public enum SynchronousMode: String, Sendable, Hashable {
        case full = "FULL"
        case normal = "NORMAL"
    }

    /// The file this connection opened.
    public let path: String
    /// Whether the connection was opened read-only.
    public let isReadOnly: Bool

    private var handle: OpaquePointer?
    private var cache: [String: Statement] = [:]

    /// Opens the file at `path`.
    ///
    /// A writer (`readOnly: false`) creates the file if needed and switches it to WAL, so that
    /// readers on other connections never block the writer and the writer never blocks them.
    /// Every connection gets `foreign_keys=ON`, the given `synchronous` mode and a busy timeout,
    /// so that a lock held by another process is waited for rather than failing at once.
    ///
    /// - Throws: `SQLiteError`, e.g. `SQLITE_CANTOPEN` for a missing directory or
    ///   `SQLITE_NOTADB` when the file is not an SQLite database.
    public init(
        path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 5000,
        synchronous: SynchronousMode = .full
    ) throws {
        self.path = path
        self.isReadOnly = readOnly
        let flags = SQLITE_OPEN_NOMUTEX | (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
        var opened: OpaquePointer?
        let openCode = sqlite3_open_v2(path, &opened, flags, nil)
        guard openCode == SQLITE_OK, let opened else {
            let error = SQLiteError(code: openCode, connection: opened, sql: nil)
            // sqlite3_close_v2 on a failed open releases the handle; there is nothing left to report.
            _ = sqlite3_close_v2(opened)
            throw error
        }
        handle = opened
        do {
            let timeoutCode = sqlite3_busy_timeout(opened, busyTimeoutMilliseconds)
            guard timeoutCode == SQLITE_OK else { throw SQLiteError(code: timeoutCode, connection: opened, sql: nil) }
            if !readOnly {
                // The pragma answers with the mode now in force; only a file database can use WAL.
                let mode = try query("PRAGMA journal_mode=WAL") { $0.text(at: 0) }.first ?? ""
                if mode.lowercased() != "wal" && path != ":memory:" && !path.isEmpty {
                    throw SQLiteError(
                        misuse: "could not switch \(path) to WAL (journal mode is '\(mode)')",
                        sql: "PRAGMA journal_mode=WAL")
                }
            }
            try execute("PRAGMA synchronous=\(synchronous.rawValue); PRAGMA foreign_keys=ON;")
        } catch {
            try? close()
            throw error
        }
    }

    deinit {
        try? close()
    }

    /// Runs one or more SQL statements separated by semicolons, discarding any rows.
    ///
    /// Meant for schema changes, pragmas and transaction control; statements are prepared
    /// afresh each time. For repeated statements use `statement(_:)`, which caches.
    public func execute(_ sql: String) throws {
        let db = try liveHandle(sql: sql)
        try sql.withCString { start in
            var next: UnsafePointer<CChar>? = start
            while let current = next, current.pointee != 0 {
                var prepared: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let prepareCode = sqlite3_prepare_v2(db, current, -1, &prepared, &tail)
                guard prepareCode == SQLITE_OK else {
                    throw SQLiteError(code: prepareCode, connection: db, sql: sql)
                }
                next = tail
                guard let prepared else { continue }  // only whitespace or a comment
                // finalize repeats the code of the last step, which is checked below.
                defer { _ = sqlite3_finalize(prepared) }
                var stepCode = sqlite3_step(prepared)
                while stepCode == SQLITE_ROW { stepCode = sqlite3_step(prepared) }
                guard stepCode == SQLITE_DONE else {
                    let text = sqlite3_sql(prepared).map { String(cString: $0) } ?? sql
                    throw SQLiteError(code: stepCode, connection: db, sql: text)
                }
            }
        }
    }

    /// The prepared statement for `sql`, from this connection's cache.
    ///
    /// Preparing is the expensive part of a statement, so hot paths call this once per row with
    /// the same SQL text and get the same statement back, reset and with its bindings cleared.
    /// Because of that reuse, do not ask for the same SQL again while still stepping through
    /// its rows: the second request resets the first.
    ///
    /// - Throws: `SQLiteError` if the SQL does not compile, is empty, or holds more than one
    ///   statement (use `execute(_:)` for those).
    public func statement(_ sql: String) throws -> Statement {
        if let cached = cache[sql] {
            cached.prepareForReuse()
            return cached
        }
        let db = try liveHandle(sql: sql)
        var prepared: OpaquePointer?
        var trailing = ""
        let code = sql.withCString { start in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(db, start, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, &tail)
            if let tail { trailing = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK else { throw SQLiteError(code: code, connection: db, sql: sql) }
        guard let prepared else { throw SQLiteError(misuse: "no SQL statement to prepare", sql: sql) }
        guard trailing.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            _ = sqlite3_finalize(prepared)  // fresh statement, never stepped: nothing to report
            throw SQLiteError(misuse: "statement(_:) takes one SQL statement; use execute(_:) for several", sql: sql)
        }
        let statement = Statement(handle: prepared, connection: db, sql: sql)
        cache[sql] = statement
        return statement
    }

    /// Binds `values` to the cached statement for `sql` and steps it to completion.
    public func run(_ sql: String, _ values: [SQLValue] = []) throws {
        try statement(sql).run(values)
    }

    /// Runs a query and maps each row with `row`.
    ///
    /// The statement comes from the cache and is reset afterwards, so it holds no read lock
    /// once this returns.
    public func query<T>(_ sql: String, _ values: [SQLValue] = [], row: (Statement) throws -> T) throws -> [T] {
        let statement = try self.statement(sql)
        defer { statement.resetAfterUse() }
        try statement.bind(values)
        var rows: [T] = []
        while try statement.step() {
            rows.append(try row(statement))
        }
        return rows
    }

    /// The rowid of the most recent successful `INSERT` on this connection.
    public var lastInsertRowID: Int64 {
        guard let handle else { return 0 }
        return sqlite3_last_insert_rowid(handle)
    }

    /// The rows changed by the most recent `INSERT`, `UPDATE` or `DELETE` on this connection.
    public var changes: Int {
        guard let handle else { return 0 }
        return Int(sqlite3_changes64(handle))
    }

    /// Whether a transaction is open (SQLite is not in autocommit mode).
    public var isInTransaction: Bool {
        guard let handle else { return false }
        return sqlite3_get_autocommit(handle) == 0
    }

    /// Whether `close()` has run.
    public var isClosed: Bool { handle == nil }

    /// Finalizes every cached statement and closes the connection. Idempotent.
    ///
    /// Statements obtained from this connection must not be used afterwards.
    public func close() throws {
        guard let db = handle else { return }
        for statement in cache.values { statement.finalize() }
        cache.removeAll()
        handle = nil
        let code = sqlite3_close_v2(db)
        guard code == SQLITE_OK else { throw SQLiteError(code: code, connection: nil, sql: nil) }
    }

    /// Resets statements a job left mid-way through their rows, so that none keeps a read
    /// snapshot (which would hold back WAL checkpoints) past the end of the job.
    func resetActiveStatements() {
        for statement in cache.values { statement.resetIfActive() }
    }

    private func liveHandle(sql: String?) throws -> OpaquePointer {
        guard let handle else { throw SQLiteError(misuse: "the connection to \(path) is closed", sql: sql) }
        return handle
    }
}

/// Connections are confined to the thread that runs them; see `SQLiteConnection`.
@available(*, unavailable)
extension SQLiteConnection: Sendable {}

/// SQLite's `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the bind call returns, so
/// the Swift buffer may go away afterwards. (The C macro is a cast that Swift cannot import.)
private var transient: sqlite3_destructor_type {
    unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)
}

/// A prepared statement owned by a connection's cache.
///
/// Parameter indices start at 1, as in SQLite's `?NNN`; column indices start at 0, as in
/// `sqlite3_column_*`. Column getters follow SQLite's conversions: a NULL reads as 0, 0.0,
/// "" or [], so check `isNull(at:)` or use `value(at:)` where NULL matters. Like its connection,
/// a statement is confined to one thread and is finalized when the connection closes.
public final class Statement {
    /// The SQL this statement was prepared from (its cache key).
    public let sql: String
    private var handle: OpaquePointer?
    private let connection: OpaquePointer

    init(handle: OpaquePointer, connection: OpaquePointer, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    // MARK: Binding

    /// Binds `values` to parameters 1...n; the count must equal the statement's parameters.
    public func bind(_ values: [SQLValue]) throws {
        let statement = try liveHandle()
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard values.count == expected else {
            throw SQLiteError(
                code: SQLITE_RANGE, extendedCode: SQLITE_RANGE,
                message: "statement has \(expected) parameters, \(values.count) values given", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    public func bind(_ value: SQLValue, at index: Int) throws {
        switch value {
        case .null: try bindNull(at: index)
        case .integer(let integer): try bind(integer, at: index)
        case .real(let real): try bind(real, at: index)
        case .text(let text): try bind(text, at: index)
        case .blob(let bytes): try bind(bytes, at: index)
        }
    }

    public func bind(_ value: Int64, at index: Int) throws {
        let statement = try liveHandle()
        try check(sqlite3_bind_int64(statement, Int32(clamping: index), value))
    }

    public func bind(_ value: Int, at index: Int) throws {
        try bind(Int64(value), at: index)
    }

    public func bind(_ value: Double, at index: Int) throws {
        let statement = try liveHandle()
        try check(sqlite3_bind_double(statement, Int32(clamping: index), value))
    }

    /// Binds the string's UTF-8 bytes with their exact length (embedded NULs survive); SQLite
    /// copies them, so no pointer into the Swift string outlives this call.
    public func bind(_ value: String, at index: Int) throws {
        let statement = try liveHandle()
        var value = value
        let code = value.withUTF8 { utf8 -> Int32 in
            guard let base = utf8.baseAddress, utf8.count > 0 else {
                // A NULL pointer would bind SQL NULL; an empty string must stay an empty string.
                return sqlite3_bind_text(statement, Int32(clamping: index), "", 0, transient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text64(
                    statement, Int32(clamping: index), $0, sqlite3_uint64(utf8.count), transient, UInt8(SQLITE_UTF8))
            }
        }
        try check(code)
    }

    /// Binds the bytes as a BLOB (an empty array binds an empty BLOB, not NULL).
    public func bind(_ value: [UInt8], at index: Int) throws {
        let statement = try liveHandle()
        let code = value.withUnsafeBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                return sqlite3_bind_zeroblob(statement, Int32(clamping: index), 0)
            }
            return sqlite3_bind_blob64(statement, Int32(clamping: index), base, sqlite3_uint64(bytes.count), transient)
        }
        try check(code)
    }

    public func bindNull(at index: Int) throws {
        let statement = try liveHandle()
        try check(sqlite3_bind_null(statement, Int32(clamping: index)))
    }

    // MARK: Stepping

    /// Advances to the next row: `true` when a row is available, `false` when done.
    public func step() throws -> Bool {
        let statement = try liveHandle()
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw SQLiteError(code: code, connection: connection, sql: sql)
        }
    }

    /// Binds `values` (which must cover every parameter), steps to completion discarding any
    /// rows, and resets: the one call per row of an `INSERT`, `UPDATE` or `DELETE`.
    public func run(_ values: [SQLValue]) throws {
        try reset()
        try bind(values)
        try run()
    }

    /// Steps to completion with the current bindings (set with the typed `bind(_:at:)`), then
    /// resets so the statement holds no lock.
    public func run() throws {
        defer { resetAfterUse() }
        while try step() {}
    }

    /// Rewinds the statement so it can run again; bindings are kept.
    public func reset() throws {
        let statement = try liveHandle()
        // sqlite3_reset repeats the error of the last step, which step() already threw.
        _ = sqlite3_reset(statement)
    }

    // MARK: Columns

    public var columnCount: Int {
        guard let handle else { return 0 }
        return Int(sqlite3_column_count(handle))
    }

    public func columnName(at column: Int) -> String {
        guard let handle, let name = sqlite3_column_name(handle, Int32(clamping: column)) else { return "" }
        return String(cString: name)
    }

    public func isNull(at column: Int) -> Bool {
        sqlite3_column_type(rowHandle(), Int32(clamping: column)) == SQLITE_NULL
    }

    public func int64(at column: Int) -> Int64 {
        sqlite3_column_int64(rowHandle(), Int32(clamping: column))
    }

    public func int(at column: Int) -> Int {
        Int(truncatingIfNeeded: int64(at: column))
    }

    public func double(at column: Int) -> Double {
        sqlite3_column_double(rowHandle(), Int32(clamping: column))
    }

    public func text(at column: Int) -> String {
        let statement = rowHandle()
        let index = Int32(clamping: column)
        // Ask for the text before its length, as SQLite's documentation requires.
        guard let text = sqlite3_column_text(statement, index) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    public func blob(at column: Int) -> [UInt8] {
        let statement = rowHandle()
        let index = Int32(clamping: column)
        guard let bytes = sqlite3_column_blob(statement, index) else { return [] }
        let count = Int(sqlite3_column_bytes(statement, index))
        return [UInt8](UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// The column's value in the storage class SQLite holds it in.
    public func value(at column: Int) -> SQLValue {
        switch sqlite3_column_type(rowHandle(), Int32(clamping: column)) {
        case SQLITE_INTEGER: return .integer(int64(at: column))
        case SQLITE_FLOAT: return .real(double(at: column))
        case SQLITE3_TEXT: return .text(text(at: column))
        case SQLITE_BLOB: return .blob(blob(at: column))
        default: return .null
        }
    }

    // MARK: Lifecycle (internal)

    /// Resets and clears bindings before the cache hands the statement out again.
    func prepareForReuse() {
        guard let handle else { return }
        // Both repeat the outcome of the previous use, already reported to that user.
        _ = sqlite3_reset(handle)
        _ = sqlite3_clear_bindings(handle)
    }

    func resetAfterUse() {
        guard let handle else { return }
        _ = sqlite3_reset(handle)  // repeats the last step's result, already reported
    }

    func resetIfActive() {
        guard let handle, sqlite3_stmt_busy(handle) != 0 else { return }
        _ = sqlite3_reset(handle)  // repeats the last step's result, already reported
    }

    func finalize() {
        guard let handle else { return }
        self.handle = nil
        _ = sqlite3_finalize(handle)  // repeats the last step's result, already reported
    }

    private func liveHandle() throws -> OpaquePointer {
        guard let handle else { throw SQLiteError(misuse: "statement used after its connection was closed", sql: sql) }
        return handle
    }

    private func rowHandle() -> OpaquePointer {
        guard let handle else { preconditionFailure("statement used after its connection was closed: \(sql)") }
        return handle
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw SQLiteError(code: code, connection: connection, sql: sql) }
    }
}

/// Statements are confined to their connection's thread; see `SQLiteConnection`.
@available(*, unavailable)
extension Statement: Sendable {}
