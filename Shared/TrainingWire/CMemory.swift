import CProtobufC
import TrainingProtoC

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns every C allocation made while building one message for packing, and frees
/// them all at once when the message has been packed.
///
/// Why an arena: a protobuf-c message is a tree of structs, strings and arrays; freeing
/// each piece by hand is where leaks come from. Nothing allocated here escapes the
/// `serializedBytes()` call that created the arena.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    init() {
        allocations.reserveCapacity(16)
    }

    deinit {
        for pointer in allocations {
            free(pointer)
        }
    }

    private func raw(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        // malloc's alignment covers every protobuf-c type; calloc zeroes what __init does not touch.
        guard let pointer = calloc(1, max(byteCount, 1)) else {
            fatalError("out of memory allocating \(byteCount) bytes")
        }
        allocations.append(pointer)
        return pointer
    }

    func allocate<T>(_ type: T.Type) -> UnsafeMutablePointer<T> {
        raw(byteCount: MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: 1)
    }

    /// A NUL-terminated copy of `string` (validated strings never contain NUL).
    func string(_ string: String) -> UnsafeMutablePointer<CChar> {
        var string = string
        return string.withUTF8 { utf8 in
            let pointer = raw(byteCount: utf8.count + 1, alignment: 1).bindMemory(to: CChar.self, capacity: utf8.count + 1)
            if let base = utf8.baseAddress {
                UnsafeMutableRawPointer(pointer).copyMemory(from: base, byteCount: utf8.count)
            }
            pointer[utf8.count] = 0
            return pointer
        }
    }

    func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        guard !bytes.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let pointer = raw(byteCount: bytes.count, alignment: 1).bindMemory(to: UInt8.self, capacity: bytes.count)
        bytes.withUnsafeBufferPointer { source in
            pointer.update(from: source.baseAddress!, count: bytes.count)
        }
        return ProtobufCBinaryData(len: bytes.count, data: pointer)
    }

    /// A C array holding `values`, or nil when empty (protobuf-c reads nothing then).
    func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let pointer = raw(byteCount: MemoryLayout<T>.stride * values.count, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: values.count)
        values.withUnsafeBufferPointer { source in
            pointer.initialize(from: source.baseAddress!, count: values.count)
        }
        return pointer
    }
}

/// A read-only view of a protobuf-c repeated field (`n_x` and `x`).
struct CRepeated<Element> {
    let count: Int
    let base: UnsafeMutablePointer<Element>?

    func map<T>(_ transform: (Element) -> T) -> [T] {
        guard let base, count > 0 else { return [] }
        return (0..<count).map { transform(base[$0]) }
    }

    func mapIndexed<T>(_ transform: (Int, Element) throws(WireError) -> T) throws(WireError) -> [T] {
        guard let base, count > 0 else { return [] }
        var result: [T] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            result.append(try transform(index, base[index]))
        }
        return result
    }
}

/// Copies values out of unpacked protobuf-c structs.
enum CDecode {
    /// protobuf-c strings are NUL-terminated; the scanner has already rejected embedded NULs
    /// and invalid UTF-8, so the C string is the whole field.
    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard data.len > 0, let base = data.data else { return [] }
        return Array(UnsafeBufferPointer(start: base, count: data.len))
    }

    static func enumValue<E: RawRepresentable>(_ raw: UInt32, as type: E.Type, field: String, index: Int? = nil) throws(WireError) -> E
    where E.RawValue == Int32 {
        let value = Int32(bitPattern: raw)
        guard let result = E(rawValue: value) else {
            throw WireError(path: index.map { "\(field)[\($0)]" } ?? field, reason: .unknownEnumValue(value))
        }
        return result
    }

    static func present<T>(_ pointer: UnsafeMutablePointer<T>?) throws(WireError) -> UnsafeMutablePointer<T> {
        guard let pointer else { throw WireError(path: "", reason: .malformed) }
        return pointer
    }
}
