import CProtobufC

/// Walks the raw protobuf encoding of a message before protobuf-c unpacks it and
/// rejects what protobuf-c would accept silently: strings that are not UTF-8 and
/// strings with NUL bytes (protobuf-c keeps them as C strings and would truncate).
///
/// Why a separate pass: once unpacked, a string's true length is lost. The walk is
/// bounds-checked at every step, so garbage bytes end in a `WireError`, never a read
/// past the buffer. It allocates nothing for input that is valid: field paths are
/// built only when an error unwinds.
enum WireScanner {
    /// Our contract nests a few levels; anything deeper is hostile input.
    static let maximumDepth = 32

    static func validate(_ bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>) throws(WireError) {
        try scan(bytes, descriptor: descriptor, depth: 0)
    }

    private static func scan(
        _ bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>, depth: Int
    ) throws(WireError) {
        guard depth <= maximumDepth else { throw WireError(path: "", reason: .tooDeep) }
        var reader = VarintReader(bytes: bytes)
        while !reader.atEnd {
            let fieldStart = reader.offset
            guard let key = reader.varint(), key >> 3 != 0, key >> 3 <= UInt64(UInt32.max) else {
                throw WireError(path: "", reason: .malformed)
            }
            let number = UInt32(truncatingIfNeeded: key >> 3)
            switch key & 7 {
            case 0:
                guard reader.varint() != nil else { throw WireError(path: "", reason: .malformed) }
            case 1:
                guard reader.skip(8) else { throw WireError(path: "", reason: .malformed) }
            case 5:
                guard reader.skip(4) else { throw WireError(path: "", reason: .malformed) }
            case 2:
                guard let length = reader.varint(), length <= UInt64(reader.remaining),
                    let field = reader.take(Int(length))
                else { throw WireError(path: "", reason: .malformed) }
                guard let fieldDescriptor = protobuf_c_message_descriptor_get_field(descriptor, number) else {
                    continue  // an unknown field: protobuf-c keeps it aside, we never read it
                }
                switch fieldDescriptor.pointee.type {
                case PROTOBUF_C_TYPE_STRING:
                    if let reason = problem(inString: field) {
                        throw WireError(path: "", reason: reason).prefixed(field: fieldDescriptor, in: bytes, before: fieldStart)
                    }
                case PROTOBUF_C_TYPE_MESSAGE:
                    guard let nested = fieldDescriptor.pointee.descriptor else { continue }
                    do throws(WireError) {
                        try scan(field, descriptor: nested.assumingMemoryBound(to: ProtobufCMessageDescriptor.self), depth: depth + 1)
                    } catch {
                        throw error.prefixed(field: fieldDescriptor, in: bytes, before: fieldStart)
                    }
                default:
                    continue
                }
            default:
                // Groups (3, 4) are not part of proto3; 6 and 7 do not exist.
                throw WireError(path: "", reason: .malformed)
            }
        }
    }

    /// Invalid UTF-8 or a NUL byte, without allocating: ASCII is checked byte by byte and
    /// only other text goes through the UTF-8 decoder.
    private static func problem(inString field: UnsafeRawBufferPointer) -> WireError.Reason? {
        var ascii = true
        for byte in field {
            if byte == 0 { return .nulInString }
            if byte >= 0x80 { ascii = false }
        }
        guard !ascii else { return nil }
        var iterator = field.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return nil
            case .error: return .invalidUTF8
            }
        }
    }

    /// How many times field `number` occurs in `bytes` before `offset`: the index of a
    /// repeated element, counted only when an error needs it.
    static func occurrences(of number: UInt32, in bytes: UnsafeRawBufferPointer, before offset: Int) -> Int {
        var reader = VarintReader(bytes: bytes)
        var count = 0
        while reader.offset < offset, let key = reader.varint() {
            if UInt32(truncatingIfNeeded: key >> 3) == number { count += 1 }
            let skipped: Bool
            switch key & 7 {
            case 0: skipped = reader.varint() != nil
            case 1: skipped = reader.skip(8)
            case 5: skipped = reader.skip(4)
            case 2: skipped = reader.varint().map { reader.skip(Int(clamping: $0)) } ?? false
            default: skipped = false
            }
            if !skipped { break }
        }
        return count
    }
}

extension WireError {
    /// Prefixes the field's proto name (with its index when repeated).
    fileprivate func prefixed(
        field: UnsafePointer<ProtobufCFieldDescriptor>, in bytes: UnsafeRawBufferPointer, before offset: Int
    ) -> WireError {
        let name = field.pointee.name.map { String(cString: $0) } ?? "?"
        guard field.pointee.label == PROTOBUF_C_LABEL_REPEATED else { return prefixed(name) }
        return prefixed(name, index: WireScanner.occurrences(of: field.pointee.id, in: bytes, before: offset))
    }
}

/// A bounds-checked cursor over protobuf bytes.
struct VarintReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var atEnd: Bool { offset >= bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func varint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, remaining >= count else { return false }
        offset += count
        return true
    }

    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
        guard remaining >= count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }
}
