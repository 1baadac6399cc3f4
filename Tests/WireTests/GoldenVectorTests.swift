import Foundation
import Testing
import TrainingWire

/// Byte vectors written by an independent implementation (`protoc --encode`, see
/// Fixtures/README.md). Decoding them proves we read what other protobuf libraries
/// write; encoding to the same bytes proves they can read what we write.
@Suite("Golden vectors from protoc")
struct GoldenVectorTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "bin", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name).bin"])
        }
        return Array(try Data(contentsOf: url))
    }

    static let healthRequest = HealthCheckRequest(service: "training.v1.ScoringIntake")

    @Test func requestFrameWithEveryField() throws {
        let expected = RequestFrame(
            callId: .max, method: "/training.v1.Health/Check", timeout: Timeout(milliseconds: 1500),
            metadata: CallMetadata(caller: "qa-export", idempotencyKey: "batch-0001"),
            payload: Self.healthRequest.serializedBytes())
        let bytes = try Self.fixture("request_frame_full")
        #expect(try RequestFrame(serializedBytes: bytes) == expected)
        #expect(expected.serializedBytes() == bytes)
    }

    @Test func minimalRequestFrame() throws {
        let expected = RequestFrame(callId: 1, method: "/training.v1.Health/Check", payload: Self.healthRequest.serializedBytes())
        let bytes = try Self.fixture("request_frame_minimal")
        #expect(try RequestFrame(serializedBytes: bytes) == expected)
        #expect(expected.serializedBytes() == bytes)
    }

    @Test func healthMessages() throws {
        #expect(try HealthCheckRequest(serializedBytes: Self.fixture("health_check_request")) == Self.healthRequest)
        let response = HealthCheckResponse(
            status: .serving, service: "training.v1.ScoringIntake", version: "0.1.0", schemaVersion: 1,
            uptimeMs: 4_294_967_296, clockUnixMs: -1)
        let bytes = try Self.fixture("health_check_response_serving")
        #expect(try HealthCheckResponse(serializedBytes: bytes) == response)
        #expect(response.serializedBytes() == bytes)
    }

    @Test func responseFrames() throws {
        let invalid = try ResponseFrame(serializedBytes: Self.fixture("response_frame_invalid_argument"))
        #expect(invalid.status?.code == .invalidArgument)
        #expect(invalid.status?.message.contains("座席") == true)
        #expect(invalid.status?.violations.count == 2)
        #expect(invalid.status?.retryAfterMs == 250)
        #expect(invalid.serializedBytes() == (try Self.fixture("response_frame_invalid_argument")))

        let ok = try ResponseFrame(serializedBytes: Self.fixture("response_frame_ok_health"))
        #expect(ok.status == nil || ok.status?.code == .ok)
        #expect(ok.serializedBytes() == (try Self.fixture("response_frame_ok_health")))
    }
}
