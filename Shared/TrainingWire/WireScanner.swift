import CProtobufC

/// Walks the raw protobuf encoding of a message before protobuf-c unpacks it and
/// rejects what protobuf-c would accept silently: strings that are not UTF-8 and
/// strings with NUL bytes (protobuf-c keeps them as C strings and would truncate).
///
/// Why a separate pass: once unpacked, a string's true length is lost. The walk is
/// bounds-checked at every step, so garbage bytes end in a `WireError`, never a read
/// past the buffer.
enum WireScanner {
    /// Our contract nests a few levels; anything deeper is hostile input.
    static let maximumDepth = 32

    static func validate(_ bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>) throws(WireError) {
        try scan(bytes, descriptor: descriptor, path: .root, depth: 0)
    }

    private static func scan(
        _ bytes: UnsafeRawBufferPointer,
        descriptor: UnsafePointer<ProtobufCMessageDescriptor>,
        path: FieldPath,
        depth: Int
    ) throws(WireError) {
        guard depth <= maximumDepth else { throw WireError(path: path.text, reason: .tooDeep) }
        var reader = VarintReader(bytes: bytes)
        var repeatedIndex: [UInt32: Int] = [:]
        while !reader.atEnd {
            guard let key = reader.varint(), key >> 3 != 0, key >> 3 <= UInt64(UInt32.max) else {
                throw WireError(path: path.text, reason: .malformed)
            }
            let number = UInt32(truncatingIfNeeded: key >> 3)
            switch key & 7 {
            case 0:
                guard reader.varint() != nil else { throw WireError(path: path.text, reason: .malformed) }
            case 1:
                guard reader.skip(8) else { throw WireError(path: path.text, reason: .malformed) }
            case 5:
                guard reader.skip(4) else { throw WireError(path: path.text, reason: .malformed) }
            case 2:
                guard let length = reader.varint(), length <= UInt64(reader.remaining),
                    let field = reader.take(Int(length))
                else { throw WireError(path: path.text, reason: .malformed) }
                guard let fieldDescriptor = protobuf_c_message_descriptor_get_field(descriptor, number) else {
                    continue  // an unknown field: protobuf-c keeps it aside, we never read it
                }
                let fieldPath = elementPath(fieldDescriptor, path: path, counter: &repeatedIndex[number, default: 0])
                switch fieldDescriptor.pointee.type {
                case PROTOBUF_C_TYPE_STRING:
                    try checkString(field, path: fieldPath)
                case PROTOBUF_C_TYPE_MESSAGE:
                    guard let nested = fieldDescriptor.pointee.descriptor else { continue }
                    let nestedDescriptor = nested.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                    try scan(field, descriptor: nestedDescriptor, path: fieldPath, depth: depth + 1)
                default:
                    continue
                }
            default:
                // Groups (3, 4) are not part of proto3; 6 and 7 do not exist.
                throw WireError(path: path.text, reason: .malformed)
            }
        }
    }

    private static func elementPath(
        _ field: UnsafePointer<ProtobufCFieldDescriptor>, path: FieldPath, counter: inout Int
    ) -> FieldPath {
        let name = field.pointee.name.map { String(cString: $0) } ?? "?"
        guard field.pointee.label == PROTOBUF_C_LABEL_REPEATED else { return path.appending(name) }
        defer { counter += 1 }
        return path.appending(name, index: counter)
    }

    private static func checkString(_ field: UnsafeRawBufferPointer, path: FieldPath) throws(WireError) {
        let utf8 = field.bindMemory(to: UInt8.self)
        if utf8.contains(0) {
            throw WireError(path: path.text, reason: .nulInString)
        }
        if String(validating: utf8, as: UTF8.self) == nil {
            throw WireError(path: path.text, reason: .invalidUTF8)
        }
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
        guard remaining >= count else { return false }
        offset += count
        return true
    }

    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
        guard remaining >= count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }
}
