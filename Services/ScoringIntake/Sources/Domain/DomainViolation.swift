/// One thing wrong with a record or a request, in the domain's words: which field and why.
///
/// Why not the wire `Violation`: the domain is pure Swift and knows nothing of protobuf;
/// handlers turn these into the wire type.
public struct DomainViolation: Hashable, Sendable, CustomStringConvertible {
    public let subject: String
    public let description: String

    public init(_ subject: String, _ description: String) {
        self.subject = subject
        self.description = description
    }
}

/// A failure of a whole call, named in the domain's terms; handlers map it to a status.
public enum IntakeError: Error, Hashable, Sendable {
    /// The request is wrong (INVALID_ARGUMENT).
    case invalid([DomainViolation])
    /// Something named does not exist (NOT_FOUND).
    case notFound(String)
    /// The state forbids the call (FAILED_PRECONDITION).
    case precondition([DomainViolation])
    /// The same identity exists with other content (ALREADY_EXISTS).
    case alreadyExists(String)

    public static func invalid(_ subject: String, _ description: String) -> IntakeError {
        .invalid([DomainViolation(subject, description)])
    }

    public static func precondition(_ subject: String, _ description: String) -> IntakeError {
        .precondition([DomainViolation(subject, description)])
    }
}

/// What happened to one record of a batch.
public enum RecordOutcome: Sendable, Hashable {
    case accepted
    case duplicate
    case replaced
    case stale
    case rejected([DomainViolation])
}
