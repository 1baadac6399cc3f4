import Foundation
import SQLiteStorage
import Testing

@Suite struct ConnectionTests {
    @Test func writerUsesWALAndDurableSettings() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path())
        defer { database.close() }
        let writerSettings = try await database.write { connection in
            [
                try connection.query("PRAGMA journal_mode") { $0.text(at: 0) },
                try connection.query("PRAGMA synchronous") { String($0.int(at: 0)) },
                try connection.query("PRAGMA foreign_keys") { String($0.int(at: 0)) },
            ]
        }
        #expect(writerSettings == [["wal"], ["2"], ["1"]])  // synchronous 2 = FULL
        let readerMode = try await database.read { try $0.query("PRAGMA journal_mode") { $0.text(at: 0) } }
        #expect(readerMode == ["wal"])
    }

    @Test func normalSynchronousModeIsApplied() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let connection = try SQLiteConnection(path: scratch.path(), synchronous: .normal)
        #expect(try connection.query("PRAGMA synchronous") { $0.int(at: 0) } == [1])
        try connection.close()
        #expect(connection.isClosed)
        try connection.close()  // idempotent
    }

    @Test func garbageFileIsAClearSQLiteError() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path()
        let garbage = Data(String(repeating: "this is not an SQLite database\n", count: 200).utf8)
        try garbage.write(to: URL(fileURLWithPath: path))

        let error = #expect(throws: SQLiteError.self) {
            _ = try openItems(path)
        }
        #expect(error?.code == 26)  // SQLITE_NOTADB
        #expect(error?.message == "file is not a database")
        #expect(error?.description.contains("file is not a database") == true)
        // The file is left as it was.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func missingDirectoryIsCannotOpen() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let error = #expect(throws: SQLiteError.self) {
            _ = try SQLiteConnection(path: scratch.path("missing/dir/db.sqlite"))
        }
        #expect(error?.code == 14)  // SQLITE_CANTOPEN
    }

    @Test func cachedStatementIsReusedAcrossTenThousandInserts() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path())
        defer { database.close() }
        let sql = "INSERT INTO items(id, label) VALUES (?, ?)"
        let (sameStatement, lastRowID) = try await database.write { connection in
            let first = try connection.statement(sql)
            var same = true
            for id in 1...10_000 {
                let statement = try connection.statement(sql)
                same = same && statement === first
                if id.isMultiple(of: 2) {
                    try statement.run([.integer(Int64(id)), .text("label \(id)")])
                } else {
                    try statement.bind(id, at: 1)
                    try statement.bind("label \(id)", at: 2)
                    try statement.run()
                }
                if connection.changes != 1 { throw SQLiteError(code: 1, extendedCode: 1, message: "no change", sql: sql) }
            }
            return (same, connection.lastInsertRowID)
        }
        #expect(sameStatement)
        #expect(lastRowID == 10_000)
        let summary = try await database.read { connection in
            try connection.query("SELECT count(*), sum(id), max(label) FROM items WHERE label LIKE 'label %'") {
                [$0.value(at: 0), $0.value(at: 1), $0.value(at: 2)]
            }
        }
        #expect(summary == [[.integer(10_000), .integer(50_005_000), .text("label 9999")]])
    }

    @Test func valuesRoundTripExactly() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let connection = try SQLiteConnection(path: scratch.path())
        defer { try? connection.close() }
        try connection.execute("CREATE TABLE v(n INTEGER PRIMARY KEY, x)")
        let values: [SQLValue] = [
            .null, .integer(.max), .integer(.min), .real(-0.25), .text(""), .text("héllo 👋"),
            .text("nul\u{0}inside"), .blob([]), .blob([0, 255, 7]),
        ]
        for (number, value) in values.enumerated() {
            try connection.run("INSERT INTO v(n, x) VALUES (?, ?)", [.integer(Int64(number)), value])
        }
        let read = try connection.query("SELECT x FROM v ORDER BY n") { $0.value(at: 0) }
        #expect(read == values)
        let typeNames = try connection.query("SELECT typeof(x) FROM v ORDER BY n") { $0.text(at: 0) }
        #expect(typeNames == ["null", "integer", "integer", "real", "text", "text", "text", "blob", "blob"])
        let lengths = try connection.query("SELECT length(CAST(x AS BLOB)) FROM v WHERE typeof(x) = 'text' ORDER BY n") {
            $0.int(at: 0)
        }
        #expect(lengths == [0, 11, 10])
        let nulls = try connection.query("SELECT x FROM v ORDER BY n") { $0.isNull(at: 0) }
        #expect(nulls == [true] + Array(repeating: false, count: 8))
    }

    @Test func errorsCarryCodesAndSQL() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let connection = try SQLiteConnection(path: scratch.path())
        defer { try? connection.close() }
        try connection.execute("CREATE TABLE u(k TEXT UNIQUE NOT NULL)")
        let insert = "INSERT INTO u(k) VALUES (?)"
        try connection.run(insert, ["a"])

        let duplicate = #expect(throws: SQLiteError.self) { try connection.run(insert, ["a"]) }
        #expect(duplicate?.isConstraintViolation == true)
        #expect(duplicate?.extendedCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(duplicate?.sql == insert)

        // The statement is still usable after the failure.
        try connection.run(insert, ["b"])
        #expect(try connection.query("SELECT count(*) FROM u") { $0.int(at: 0) } == [2])

        let wrongCount = #expect(throws: SQLiteError.self) { try connection.run(insert, ["c", "d"]) }
        #expect(wrongCount?.code == 25)  // SQLITE_RANGE

        let syntax = #expect(throws: SQLiteError.self) { try connection.execute("CREATE TABLE ok(x); SELEC 1") }
        #expect(syntax?.code == 1)
        #expect(syntax?.message.contains("SELEC") == true)

        #expect(throws: SQLiteError.self) { _ = try connection.statement("SELECT 1; SELECT 2") }
        #expect(throws: SQLiteError.self) { _ = try connection.statement("  ") }
    }

    @Test func foreignKeysAreEnforced() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let connection = try SQLiteConnection(path: scratch.path())
        defer { try? connection.close() }
        try connection.execute(
            "CREATE TABLE parent(id INTEGER PRIMARY KEY); CREATE TABLE child(p INTEGER NOT NULL REFERENCES parent(id));")
        let error = #expect(throws: SQLiteError.self) { try connection.run("INSERT INTO child(p) VALUES (42)") }
        #expect(error?.extendedCode == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
    }

    @Test func closedConnectionRefusesWork() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let connection = try SQLiteConnection(path: scratch.path())
        let statement = try connection.statement("SELECT 1")
        try connection.close()
        #expect(throws: SQLiteError.self) { try connection.execute("SELECT 1") }
        #expect(throws: SQLiteError.self) { _ = try statement.step() }
    }
}
