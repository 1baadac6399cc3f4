import CProtobufC
import TrainingProtoC

/// A protobuf message of the training contract, as a Swift value.
///
/// Why this shape: services must never hold C structs or unsafe pointers, yet the
/// customer's design fixes protobuf-c as the codec. Every generated message type
/// conforms; encoding and decoding go through protobuf-c inside this module only, and
/// what comes out is a plain `Sendable` value.
public protocol WireMessage: Sendable, Hashable {
    /// The fully qualified proto name, e.g. `training.v1.RequestFrame`.
    static var protoName: String { get }
    /// The protobuf encoding of the value.
    func serializedBytes() -> [UInt8]
    /// Decodes and validates `bytes`: malformed input, invalid UTF-8, NUL bytes in
    /// strings and unknown enum values are rejected with a `WireError`, never a crash.
    init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError)
}

extension WireMessage {
    /// Decodes a message from an array of bytes.
    public init(serializedBytes bytes: [UInt8]) throws(WireError) {
        var result: Result<Self, WireError>!
        bytes.withUnsafeBytes { raw in
            do throws(WireError) {
                result = .success(try Self(serializedBytes: raw))
            } catch {
                result = .failure(error)
            }
        }
        self = try result.get()
    }
}

/// What went wrong while decoding a message. Every case maps to INVALID_ARGUMENT
/// with `path` as the violation's subject.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The bytes are not a valid protobuf encoding of the message.
        case malformed
        /// A string field is not valid UTF-8.
        case invalidUTF8
        /// A string field contains a NUL byte, which protobuf-c would silently truncate.
        case nulInString
        /// An enum field holds a number the enum does not declare.
        case unknownEnumValue(Int32)
        /// A message nests deeper than the decoder allows.
        case tooDeep
    }

    /// The field concerned, in proto names: `evaluations[3].agent_id`; empty for the message itself.
    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// A sentence for the violation's description.
    public var explanation: String {
        switch reason {
        case .malformed: "is not a valid protobuf encoding"
        case .invalidUTF8: "is not valid UTF-8"
        case .nulInString: "contains a NUL byte"
        case .unknownEnumValue(let value): "has the enum value \(value), which the contract does not declare"
        case .tooDeep: "nests messages deeper than \(WireScanner.maximumDepth) levels"
        }
    }

    public var description: String {
        path.isEmpty ? "message \(explanation)" : "\(path) \(explanation)"
    }
}

extension WireError {
    /// The same error seen from the enclosing message: `field[index].` before the path.
    /// Paths are built only when an error unwinds, never for input that decodes.
    func prefixed(_ field: String, index: Int? = nil) -> WireError {
        let component = index.map { "\(field)[\($0)]" } ?? field
        return WireError(path: path.isEmpty ? component : "\(component).\(path)", reason: reason)
    }
}

/// The generated half of a message's conversion: how to build and read its protobuf-c struct.
protocol ProtobufCMessageConvertible: WireMessage {
    associatedtype CMessage
    /// Allocates the C struct in `arena` and runs its generated `__init`.
    static func makeCMessage(in arena: CArena) -> UnsafeMutablePointer<CMessage>
    /// Copies the value's fields into an initialised C struct; all memory comes from `arena`.
    func fill(_ message: UnsafeMutablePointer<CMessage>, arena: CArena)
    /// Copies a C struct (from `protobuf_c_message_unpack`) out into a Swift value.
    init(cMessage message: UnsafePointer<CMessage>) throws(WireError)
}

extension ProtobufCMessageConvertible {
    func makeFilledCMessage(in arena: CArena) -> UnsafeMutablePointer<CMessage> {
        let message = Self.makeCMessage(in: arena)
        fill(message, arena: arena)
        return message
    }

    /// The protobuf-c descriptor, read from an initialised struct as protobuf-c's own
    /// generated code does (the descriptor globals are not reachable as stable pointers from Swift).
    static func descriptor(in arena: CArena) -> UnsafePointer<ProtobufCMessageDescriptor> {
        let message = makeCMessage(in: arena)
        return UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self).pointee.descriptor
    }

    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        let message = makeFilledCMessage(in: arena)
        let base = UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
        let size = protobuf_c_message_get_packed_size(base)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = size == 0 ? 0 : protobuf_c_message_pack(base, buffer.baseAddress)
        }
    }

    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        let arena = CArena()
        let descriptor = Self.descriptor(in: arena)
        try WireScanner.validate(bytes, descriptor: descriptor)
        let data = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard let unpacked = protobuf_c_message_unpack(descriptor, nil, bytes.count, data) else {
            throw WireError(path: "", reason: .malformed)
        }
        defer { protobuf_c_message_free_unpacked(unpacked, nil) }
        let typed = UnsafeRawPointer(unpacked).assumingMemoryBound(to: CMessage.self)
        try self.init(cMessage: typed)
    }
}

/// A method of the contract with its request and response types, so that a handler
/// registered for it and a client calling it cannot disagree on the messages.
public struct RPCMethod<Request: WireMessage, Response: WireMessage>: Sendable, Hashable {
    /// gRPC's form: `/training.v1.Health/Check`.
    public let path: String

    public init(path: String) {
        self.path = path
    }
}

/// A message with generated edge-value samples: the empty message and one with every
/// field at an extreme (integer limits, non-ASCII text, repeated fields, nested messages).
///
/// Why generated: a round-trip test or leak check over "every message" stays complete as
/// the contract grows, without anyone remembering to add the new message.
public protocol WireSampled: WireMessage {
    static var wireSamples: [Self] { get }
}

extension WireSampled {
    /// Encodes and decodes every sample; returns the names of samples that did not come back equal.
    public static func roundTripMismatches() -> [String] {
        var mismatches: [String] = []
        for (index, sample) in wireSamples.enumerated() {
            let bytes = sample.serializedBytes()
            let decoded = try? Self(serializedBytes: bytes)
            if decoded != sample { mismatches.append("\(protoName) sample \(index)") }
        }
        return mismatches
    }
}
