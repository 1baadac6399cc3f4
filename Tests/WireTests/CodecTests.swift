import Foundation
import Testing
import TrainingWire

@Suite("protobuf-c codec")
struct CodecTests {
    @Test("every message round-trips its edge-value samples", arguments: WireCatalog.messageTypes.map { $0 as any WireSampled.Type })
    func roundTrip(_ type: any WireSampled.Type) {
        #expect(type.roundTripMismatches().isEmpty)
        #expect(type.wireSamples.count == 2)
    }

    @Test func emptyMessageEncodesToNoBytes() throws {
        #expect(HealthCheckRequest().serializedBytes().isEmpty)
        #expect(try HealthCheckRequest(serializedBytes: [UInt8]()) == HealthCheckRequest())
    }

    @Test func integerExtremesSurvive() throws {
        let response = HealthCheckResponse(status: .serving, schemaVersion: .max, uptimeMs: .max, clockUnixMs: .min)
        #expect(try HealthCheckResponse(serializedBytes: response.serializedBytes()) == response)
        let frame = RequestFrame(callId: .max, timeout: Timeout(milliseconds: .max))
        #expect(try RequestFrame(serializedBytes: frame.serializedBytes()) == frame)
    }

    @Test func invalidUTF8IsRejectedWithTheFieldPath() {
        #expect(throws: WireError(path: "service", reason: .invalidUTF8)) {
            try HealthCheckRequest(serializedBytes: [0x0A, 0x02, 0xC3, 0x28])
        }
    }

    @Test func nulInAStringIsRejected() {
        #expect(throws: WireError(path: "service", reason: .nulInString)) {
            try HealthCheckRequest(serializedBytes: [0x0A, 0x03, 0x61, 0x00, 0x62])
        }
    }

    @Test func nestedAndRepeatedPathsAreNamed() {
        // RequestFrame.metadata (4) { caller (1): invalid UTF-8 }
        #expect(throws: WireError(path: "metadata.caller", reason: .invalidUTF8)) {
            try RequestFrame(serializedBytes: [0x22, 0x04, 0x0A, 0x02, 0xFF, 0xFE])
        }
        // Status.violations (3) twice; the second's subject (1) holds a NUL.
        let good: [UInt8] = [0x1A, 0x03, 0x0A, 0x01, 0x61]
        let bad: [UInt8] = [0x1A, 0x03, 0x0A, 0x01, 0x00]
        #expect(throws: WireError(path: "violations[1].subject", reason: .nulInString)) {
            try Status(serializedBytes: good + bad)
        }
    }

    @Test func unknownEnumValueIsRejected() {
        #expect(throws: WireError(path: "status", reason: .unknownEnumValue(99))) {
            try HealthCheckResponse(serializedBytes: [0x08, 99])
        }
        #expect(throws: WireError(path: "status.code", reason: .unknownEnumValue(17))) {
            try ResponseFrame(serializedBytes: [0x12, 0x02, 0x08, 17])
        }
    }

    @Test func malformedBytesAreRejected() {
        for bytes: [UInt8] in [[0xFF, 0xFF, 0xFF], [0x0A, 0x05, 0x61], [0x08], [0x00, 0x01], [0x0B], [0x0F, 0x00]] {
            #expect(throws: WireError.self) { try RequestFrame(serializedBytes: bytes) }
        }
    }

    @Test func unknownFieldsAreSkipped() throws {
        // field 15 (varint) and field 16 (length-delimited, a string with a NUL: not ours to judge)
        let bytes: [UInt8] = [0x78, 0x01, 0x82, 0x01, 0x02, 0x00, 0x01, 0x0A, 0x01, 0x61]
        #expect(try HealthCheckRequest(serializedBytes: bytes) == HealthCheckRequest(service: "a"))
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var generator = SplitMix64(seed: 0x5EED_18EB_CDEC)
        var decoded = 0
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if (try? RequestFrame(serializedBytes: bytes)) != nil { decoded += 1 }
            _ = try? ResponseFrame(serializedBytes: bytes)
            _ = try? HealthCheckResponse(serializedBytes: bytes)
        }
        #expect(decoded < 20_000)
    }
}

/// A small deterministic generator, so a failing input can be reproduced from the seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
