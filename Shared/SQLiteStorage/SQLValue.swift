/// One value as SQLite stores it.
///
/// SQLite is dynamically typed per value, not per column, so a single enum with SQLite's five
/// storage classes is the honest Swift shape: it lets callers bind a heterogeneous row as one
/// array and read a column back without guessing its type. It is `Sendable` and `Hashable` so
/// that rows can cross from the storage threads to the callers and be compared in tests.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

extension SQLValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension SQLValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .real(value) }
}

extension SQLValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
}
