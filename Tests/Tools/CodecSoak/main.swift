#if canImport(Glibc)
import Glibc
#endif
import TrainingWire

// codec-soak [ROUNDS]: encodes and decodes both samples of every message ROUNDS times
// (default 5,000: 10,000 round trips of every message), and in the first 100 rounds feeds
// every decoder malformed, non-UTF-8 and NUL-holding input, so that valgrind and
// LeakSanitizer see every path that allocates C memory.
// Exits 1 on any mismatch. Run by .ci/run under valgrind and by scripts/leak-check under ASan.

let rounds = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 5_000
let hostile: [[UInt8]] = [
    [0xFF, 0xFF, 0xFF],                      // truncated varint
    [0x0A, 0x02, 0xC3, 0x28],                // field 1 as invalid UTF-8
    [0x0A, 0x03, 0x61, 0x00, 0x62],          // field 1 with a NUL
    [0x12, 0x02, 0x08, 0x63],                // field 2 as a message holding an enum 99
    [0x08, 0x63],                            // field 1 as enum 99
    [0x1A, 0x05, 0x0A, 0x03, 0xE2, 0x82],    // nested, cut short
]
var mismatches: [String] = []
var decodeFailures = 0
for round in 0..<rounds {
    for type in WireCatalog.messageTypes {
        mismatches += type.roundTripMismatches()
        guard round < 100 else { continue }
        for bytes in hostile {
            if !type.decodes(bytes) { decodeFailures += 1 }
        }
    }
    if !mismatches.isEmpty { break }
}
if mismatches.isEmpty {
    print("codec-soak: \(rounds * 2) round trips of each of \(WireCatalog.messageTypes.count) messages, \(decodeFailures) hostile inputs rejected, all equal")
} else {
    print("codec-soak: round trips differ: \(Set(mismatches).sorted())")
    exit(1)
}

extension WireSampled {
    static func decodes(_ bytes: [UInt8]) -> Bool {
        (try? Self(serializedBytes: bytes)) != nil
    }
}
