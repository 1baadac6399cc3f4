import CalendarDates
import Foundation
import Testing

@testable import TrainCtl

@Suite("CSV reading and writing")
struct CSVTests {
    @Test func quotedFieldsKeepTheirCommasAndDoubledQuotes() throws {
        let records = try CSVReader.records(bytes("id,note,n\n1,\"Wang, Li\",3\n2,\"she said \"\"ok\"\"\",4\n"))
        #expect(records.map(\.fields) == [["id", "note", "n"], ["1", "Wang, Li", "3"], ["2", "she said \"ok\"", "4"]])
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records.allSatisfy { $0.error == nil })
    }

    @Test func crlfLineEndsAreNotPartOfTheLastField() throws {
        let text = "a,b\r\n1,\"x\"\r\n2,\r\n"
        let records = try CSVReader.records(bytes(text))
        #expect(records.map(\.fields) == [["a", "b"], ["1", "x"], ["2", ""]])
        // A record's range is its bytes without the line break.
        let utf8 = bytes(text)
        #expect(records.map { String(decoding: utf8[$0.range], as: UTF8.self) } == ["a,b", "1,\"x\"", "2,"])
    }

    @Test func aLineBreakInsideQuotesStaysInTheFieldAndLinesAreCountedFromTheFile() throws {
        let records = try CSVReader.records(bytes("id,text\n1,\"two\nlines\"\n\n2,after\n"))
        #expect(records.map(\.fields) == [["id", "text"], ["1", "two\nlines"], ["2", "after"]])
        #expect(records.map(\.line) == [1, 2, 5])  // the empty line 4 is skipped, not renumbered
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let records = try CSVReader.records([0xEF, 0xBB, 0xBF] + bytes("agent_id,name\nA1,x\n"))
        #expect(records.first?.fields == ["agent_id", "name"])
        #expect(records.first?.range.lowerBound == 3)
    }

    @Test func aLastLineWithoutLineBreakAndABareCarriageReturnAtTheEnd() throws {
        #expect(try CSVReader.records(bytes("a,b\n1,2")).last?.fields == ["1", "2"])
        #expect(try CSVReader.records(bytes("a,b\n1,2\r")).last?.fields == ["1", "2"])
        #expect(try CSVReader.records(bytes("")).isEmpty)
        #expect(try CSVReader.records(bytes("\n\r\n\n")).isEmpty)
    }

    @Test func anUnclosedQuoteMakesTheFileUnreadableAndNamesTheLine() {
        #expect(throws: CSVFileError(line: 3, reason: "a quoted field is never closed")) {
            try CSVReader.records(bytes("a,b\n1,2\n3,\"open\n4,5\n"))
        }
    }

    @Test func textAfterAClosingQuoteOrBadUTF8MarksOnlyThatRecord() throws {
        let records = try CSVReader.records(bytes("a,b\n\"x\"y,1\n2,3\n") + [0xFF, 0x2C, 0x31, 0x0A])
        #expect(records.count == 4)
        #expect(records[1].error == "text after the closing quote of field 1")
        #expect(records[2].error == nil)
        #expect(records[3].error == "not valid UTF-8")
    }

    @Test func writtenFieldsReadBackTheSame() throws {
        let rows = [["plain", "with, comma", "with \"quote\""], ["line\nbreak", "", "王芳"], ["cr\r\nlf", " spaced ", ","]]
        let document = CSVWriter.document(header: ["a", "b", "c"], rows: rows)
        let records = try CSVReader.records(bytes(document))
        #expect(records.map(\.fields) == [["a", "b", "c"]] + rows)
        #expect(CSVWriter.escape("plain") == "plain")
        #expect(CSVWriter.escape("a\"b") == "\"a\"\"b\"")
    }
}

@Suite("RFC 3339 times")
struct RFC3339Tests {
    @Test(arguments: [
        ("2026-10-31T23:30:00+08:00", Int64(1_793_460_600_000)),
        ("2026-10-31T15:30:00Z", 1_793_460_600_000),
        ("2026-10-31t15:30:00z", 1_793_460_600_000),
        ("2026-10-31 15:30:00+00:00", 1_793_460_600_000),
        ("2026-03-04T09:15:02-05:30", 1_772_635_502_000),
        ("2026-03-04T09:15:02.5Z", 1_772_615_702_500),
        ("2026-03-04T09:15:02.123456789Z", 1_772_615_702_123),
        ("2026-03-04T09:15:02.07Z", 1_772_615_702_070),
        ("1969-12-31T23:59:59Z", -1000),
        ("2024-02-29T12:00:00+14:00", 1_709_157_600_000),
    ])
    func validTimes(text: String, expected: Int64) throws {
        #expect(try RFC3339.unixMilliseconds(text) == expected)
    }

    @Test(arguments: [
        "2026-10-31T23:30:00", "2026-10-31T23:30:00.250",
    ])
    func aTimeWithoutOffsetSaysSo(text: String) {
        #expect(throws: RFC3339.ParseError.missingOffset) { try RFC3339.unixMilliseconds(text) }
    }

    @Test(arguments: [
        "", "2026-10-31", "2026-10-31T23:30", "2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "2026-13-01T10:00:00Z",
        "2026-10-31T24:00:00Z", "2026-10-31T23:60:00Z", "2026-10-31T23:59:60Z", "2026-10-31X23:30:00Z",
        "2026-10-31T23:30:00+0800", "2026-10-31T23:30:00+08", "2026-10-31T23:30:00+8:00", "2026-10-31T23:30:00+24:00",
        "2026-10-31T23:30:00.Z", "2026-10-31T23:30:00.1234567890Z", "2026-10-31T23:30:00Z ", " 2026-10-31T23:30:00Z",
        "2026-10-31T23:30:00+08:00:00", "2026-1-31T23:30:00Z", "２０２６-10-31T23:30:00Z", "2026-10-31T23:30:00UTC",
    ])
    func malformedTimesAreRefused(text: String) {
        #expect(throws: RFC3339.ParseError.malformed) { try RFC3339.unixMilliseconds(text) }
    }

    @Test func formattingRoundTripsInTheGivenOffset() throws {
        #expect(RFC3339.format(unixMilliseconds: 1_793_460_600_000, offsetSeconds: 8 * 3600) == "2026-10-31T23:30:00+08:00")
        #expect(RFC3339.format(unixMilliseconds: 1_793_460_600_000) == "2026-10-31T15:30:00Z")
        #expect(RFC3339.format(unixMilliseconds: 1_772_635_502_000, offsetSeconds: -(5 * 3600 + 1800)) == "2026-03-04T09:15:02-05:30")
        #expect(RFC3339.format(unixMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
        for milliseconds: Int64 in [0, 1, 999, 1_000, 86_399_999, -86_400_001, 1_793_460_600_123, 4_102_444_799_999] {
            for offset in [0, 8 * 3600, -(9 * 3600 + 1800), 14 * 3600] {
                let text = RFC3339.format(unixMilliseconds: milliseconds, offsetSeconds: offset)
                #expect(try RFC3339.unixMilliseconds(text) == milliseconds, "\(text)")
            }
        }
    }

    @Test func errorsReadAsHelp() {
        #expect(RFC3339.ParseError.missingOffset.description.contains("+08:00"))
        #expect(RFC3339.ParseError.malformed.description.contains("RFC 3339"))
    }
}

@Suite("Dates, months and ISO weeks")
struct CalendarArithmeticTests {
    @Test func datesAreStrict() {
        #expect(LocalDate(parsing: "2024-02-29")?.description == "2024-02-29")
        #expect(LocalDate(parsing: "2000-02-29") != nil)
        for text in ["2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-01", "2026-01-1", " 2026-01-01",
                     "2026/01/01", "0000-01-01", "2026-01-01T", ""] {
            #expect(LocalDate(parsing: text) == nil, "\(text)")
        }
    }

    @Test func dayNumbersAndWeekdays() throws {
        #expect(LocalDate(dayNumber: 0).description == "1970-01-01")
        #expect(LocalDate(dayNumber: 0).weekday == 4)  // a Thursday
        #expect(try #require(LocalDate(parsing: "2026-10-31")).weekday == 6)
        #expect(try #require(LocalDate(parsing: "2026-11-01")).isWeekend)
        #expect(try #require(LocalDate(parsing: "1969-12-31")).dayNumber == -1)
        #expect(try #require(LocalDate(parsing: "1969-12-29")).weekday == 1)
        // Every day of 1999–2029 survives the round trip, one day after the other.
        var previous = try #require(LocalDate(parsing: "1998-12-31"))
        let last = try #require(LocalDate(parsing: "2029-12-31"))
        for dayNumber in previous.dayNumber + 1...last.dayNumber {
            let date = LocalDate(dayNumber: dayNumber)
            #expect(date.dayNumber == dayNumber)
            #expect(previous < date && previous.adding(days: 1) == date)
            #expect(date.weekday == previous.weekday % 7 + 1)
            previous = date
        }
        #expect(try #require(LocalDate(parsing: "2026-10-29")).monday.description == "2026-10-26")
    }

    @Test func monthsParseStrictlyAndAddAcrossYears() throws {
        let month = try #require(YearMonth(parsing: "2026-03"))
        #expect(month.adding(months: -3).description == "2025-12")
        #expect(month.adding(months: 10).description == "2027-01")
        #expect(month.adding(months: -15).description == "2024-12")
        #expect(try #require(YearMonth(parsing: "2024-02")).lastDay.description == "2024-02-29")
        #expect(try #require(YearMonth(parsing: "2026-12")).firstDay.description == "2026-12-01")
        for text in ["2026-13", "2026-00", "2026-1", "26-10", "2026/10", "2026-10-01", "0000-05", ""] {
            #expect(YearMonth(parsing: text) == nil, "\(text)")
        }
        #expect(throws: (any Error).self) { try validatedMonth("2026-1") }
        #expect(try validatedMonth("2026-10") == "2026-10")
    }

    @Test(arguments: [
        ("2026-01-01", "2026-W01"), ("2027-01-01", "2026-W53"), ("2024-12-30", "2025-W01"), ("2021-01-03", "2020-W53"),
        ("2026-10-31", "2026-W44"), ("2026-12-28", "2026-W53"), ("2010-01-03", "2009-W53"),
    ])
    func isoWeekOfADate(date: String, week: String) throws {
        #expect(IsoWeek.of(try #require(LocalDate(parsing: date))) == week)
        #expect(IsoWeek.isValid(week))
    }

    @Test func isoWeekNames() {
        #expect(IsoWeek.weeksIn(year: 2026) == 53)  // starts on a Thursday
        #expect(IsoWeek.weeksIn(year: 2020) == 53)  // a leap year starting on a Wednesday
        #expect(IsoWeek.weeksIn(year: 2025) == 52)
        for text in ["2025-W53", "2026-W54", "2026-W00", "2026-W1", "2026W01", "2026-w01", "2026-W01-1", "0000-W01", ""] {
            #expect(!IsoWeek.isValid(text), "\(text)")
        }
    }
}

@Suite("JSON values")
struct JSONTests {
    @Test func objectsKeepTheirOrderAndNumbersTheirKind() throws {
        let value = try JSONParser.parse(#" {"b": 1, "a": [1.5, -0, 2e3, true, null], "c": "x\u00e9\ud83d\ude00\n", "b": 2} "#)
        guard case .object(let members) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "c", "b"])
        #expect(value["b"] == .integer(2))  // the last of a repeated name
        #expect(value["a"] == .array([.number(1.5), .integer(0), .number(2000), .bool(true), .null]))
        #expect(value["c"]?.stringValue == "xé😀\n")
        #expect(value.rendered() == #"{"b":1,"a":[1.5,0,2000,true,null],"c":"xé😀\n","b":2}"#)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"\\ud800\"", "\"\\udc00x\"",
        "\"a\u{01}\"", "\"\\x\"", "{\"a\" 1}", "{a:1}", "[1] 2", "1e999", "\"\\u12\"", "'a'",
    ])
    func invalidDocumentsAreRefused(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func deepNestingIsRefused() throws {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(String(repeating: "[", count: 65) + String(repeating: "]", count: 65)) }
        _ = try JSONParser.parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64))
    }

    @Test func renderingEscapesWhatJSONRequires() throws {
        let text = "q\"b\\n\nt\tc\u{01}é"
        let rendered = JSONValue.string(text).rendered()
        #expect(rendered == #""q\"b\\n\nt\tc\u0001é""#)
        #expect(try JSONParser.parse(rendered) == .string(text))
        #expect(JSONValue.format(93) == "93")
        #expect(JSONValue.format(91.5) == "91.5")
        #expect(JSONValue.format(.nan) == "null")
        let pretty = JSONValue.object(["a": .array([.integer(1)]), "b": .object([])]).rendered(pretty: true)
        #expect(pretty == "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}")
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ("标准话术", "78b17998f28988ea9abd364165bf22a70ca93406fe9266a37eceb6d82bf13f4a"),
    ])
    func publishedVectors(message: String, digest: String) {
        #expect(SHA256.hex(bytes(message)) == digest)
    }

    /// Lengths around the padding boundaries (55/56 bytes, a whole block, two blocks).
    @Test(arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
        (127, "c57e9278af78fa3cab38667bef4ce29d783787a2f731d4e12200270f0c32320a"),
        (128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
    ])
    func paddingBoundaries(length: Int, digest: String) {
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: length)) == digest)
    }

    @Test func aMillionAsFedInUnevenPiecesEqualsTheVector() {
        var hasher = SHA256()
        var fed = 0
        var piece = 1
        while fed < 1_000_000 {
            let count = min(piece, 1_000_000 - fed)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: count))
            fed += count
            piece = piece * 7 % 9_973 + 1
        }
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
