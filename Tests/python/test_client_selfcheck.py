"""Checks of the Python client, the golden vectors and docs/wire-protocol.md: encodings against protoc's (Tests/WireTests/Fixtures/*.bin), the frame
decoder against arbitrary splits, the doc's hex dump, and the doc's client listing run
against the real scoring-intake executable.
"""
from __future__ import annotations

import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from google.protobuf import text_format

import training_client as tc
from training_client import M, FrameDecoder, FrameTooLarge, encode_frame, request_frame

FIXTURES = tc.REPO_ROOT / "Tests" / "WireTests" / "Fixtures"
DOC = tc.REPO_ROOT / "docs" / "wire-protocol.md"
HERE = Path(__file__).resolve().parent


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.bin").read_bytes()


def txtpb_message_type(path: Path) -> str:
    m = re.search(r"^# proto-message: *(\S+)", path.read_text(), re.M)
    assert m, f"{path} lacks a '# proto-message:' header"
    return m.group(1)


def protoc_decode(message_type: str, proto_file: str, data: bytes) -> str:
    return subprocess.run([tc.PROTOC, "-I", str(tc.PROTO_DIR), f"--decode={message_type}", proto_file],
                          input=data, check=True, capture_output=True).stdout.decode()


# --- descriptors ------------------------------------------------------------------

def test_descriptor_set_covers_every_proto_file():
    on_disk = sorted(str(p.relative_to(tc.PROTO_DIR)) for p in tc.PROTO_DIR.rglob("*.proto"))
    assert sorted(M.files) == on_disk
    for name in ["RequestFrame", "ResponseFrame", "Status", "Violation", "Timeout", "CallMetadata",
                 "HealthCheckRequest", "HealthCheckResponse"]:
        assert M.get(name) is M[f"training.v1.{name}"]


def test_status_codes_are_grpcs():
    grpc = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]
    assert [(v.number, v.name) for v in M.enum("StatusCode").values] == list(enumerate(grpc))


def test_doc_status_table_lists_all_17_codes():
    rows = re.findall(r"^\| (\d+) \| `([A-Z_]+)` \|", DOC.read_text(), re.M)
    assert [(int(n), name) for n, name in rows] == [(v.number, v.name) for v in M.enum("StatusCode").values]


# --- golden vectors -----------------------------------------------------------------

@pytest.mark.parametrize("txtpb", sorted(FIXTURES.glob("*.txtpb")), ids=lambda p: p.stem)
def test_python_text_format_encodes_like_protoc(txtpb):
    """A third encoder (Python upb) agrees byte for byte with protoc on every golden vector."""
    msg = text_format.Parse(txtpb.read_text(), M[txtpb_message_type(txtpb)]())
    assert msg.SerializeToString() == fixture(txtpb.stem)
    assert M[txtpb_message_type(txtpb)].FromString(fixture(txtpb.stem)) == msg


def test_client_encodes_full_request_frame_like_protoc():
    payload = M.HealthCheckRequest(service="training.v1.ScoringIntake").SerializeToString()
    assert payload == fixture("health_check_request")
    frame = request_frame(tc.HEALTH_CHECK, payload, call_id=18446744073709551615, timeout_ms=1500,
                          caller="qa-export", idempotency_key="batch-0001")
    assert frame.SerializeToString() == fixture("request_frame_full")
    text = protoc_decode("training.v1.RequestFrame", "training/v1/rpc.proto", frame.SerializeToString())
    assert "call_id: 18446744073709551615" in text and "milliseconds: 1500" in text
    assert 'idempotency_key: "batch-0001"' in text


def test_client_encodes_minimal_request_frame_like_protoc():
    payload = M.HealthCheckRequest(service="training.v1.ScoringIntake").SerializeToString()
    assert request_frame(tc.HEALTH_CHECK, payload, call_id=1).SerializeToString() == fixture("request_frame_minimal")


def test_timeout_presence():
    absent = request_frame(tc.HEALTH_CHECK, b"", 1).SerializeToString()
    zero = request_frame(tc.HEALTH_CHECK, b"", 1, timeout_ms=0).SerializeToString()
    assert zero == absent + b"\x1a\x00"
    assert request_frame(tc.HEALTH_CHECK, b"", 1, timeout_ms=2000).SerializeToString() == absent + b"\x1a\x03\x08\xd0\x0f"


def test_decodes_invalid_argument_response():
    resp = M.ResponseFrame.FromString(fixture("response_frame_invalid_argument"))
    assert resp.call_id == 7 and resp.payload == b""
    assert resp.status.code == M.code("INVALID_ARGUMENT")
    assert resp.status.message == "座席 agent_id 未知"
    assert [(v.subject, v.description) for v in resp.status.violations] == [
        ("evaluations[3].agent_id", "座席 A-1042 不在花名册中"),
        ("evaluations[3].total_score", "must be between 0 and 100, got 101")]
    assert resp.status.retry_after_ms == 250
    err = tc.RpcError(resp)
    assert err.code_name == "INVALID_ARGUMENT" and err.violations[0][0] == "evaluations[3].agent_id"


def test_decodes_health_response_edge_values():
    h = M.HealthCheckResponse.FromString(fixture("health_check_response_serving"))
    assert (h.status, h.service, h.version, h.schema_version, h.uptime_ms, h.clock_unix_ms) == (
        M.enum_value("ServingStatus", "SERVING"), "training.v1.ScoringIntake", "0.1.0", 1, 4294967296, -1)
    resp = M.ResponseFrame.FromString(fixture("response_frame_ok_health"))
    assert resp.HasField("status") and resp.status.code == 0
    assert M.HealthCheckResponse.FromString(resp.payload) == h


# --- framing -------------------------------------------------------------------------

def test_encode_frame_is_big_endian_length():
    assert encode_frame(b"") == b"\x00\x00\x00\x00"
    assert encode_frame(b"x" * 258) == b"\x00\x00\x01\x02" + b"x" * 258


def test_frame_decoder_handles_any_split():
    bodies = [fixture(n) for n in ["request_frame_full", "request_frame_minimal", "response_frame_ok_health"]]
    bodies += [b"", b"\x08\x01"]
    stream = b"".join(encode_frame(b) for b in bodies)
    rng = random.Random(1)
    for _ in range(200):
        dec, out, pos = FrameDecoder(), [], 0
        while pos < len(stream):
            step = rng.choice([1, 1, 2, 3, 5, 64, len(stream)])
            out += dec.feed(stream[pos:pos + step])
            pos += step
        assert out == bodies and dec.pending == 0
    dec = FrameDecoder()
    assert [dec.feed(bytes([b])) for b in stream[:3]] == [[], [], []] and dec.pending == 3


def test_frame_decoder_enforces_limit():
    dec = FrameDecoder(max_frame_bytes=tc.DEFAULT_MAX_FRAME_BYTES)
    assert dec.feed(struct.pack(">I", tc.DEFAULT_MAX_FRAME_BYTES)) == []  # exactly the limit: fine
    with pytest.raises(FrameTooLarge) as err:
        FrameDecoder().feed(struct.pack(">I", tc.DEFAULT_MAX_FRAME_BYTES + 1))
    assert err.value.announced == 16_777_217 and err.value.limit == 16_777_216


# --- the document --------------------------------------------------------------------

def doc_block(marker: str) -> str:
    m = re.search(rf"<!-- {marker}:begin -->\n```[a-z]*\n(.*?)```\n<!-- {marker}:end -->", DOC.read_text(), re.S)
    assert m, f"docs/wire-protocol.md lacks the {marker} block"
    return m.group(1)


def test_doc_hex_dump_is_the_golden_minimal_frame():
    hexdump = doc_block("frame-example")
    data = bytes.fromhex("".join(line.split(None, 1)[1] for line in hexdump.strip().splitlines()))
    assert data == encode_frame(fixture("request_frame_minimal"))
    assert len(data) == 62


@pytest.fixture
def scoring_intake():
    """The real scoring-intake executable (TRAINING_BIN_DIR), on a temporary socket."""
    from harness import await_ready, start_service, stop_service
    d = Path(tempfile.mkdtemp(prefix="t.", dir="/tmp"))
    svc = start_service("scoring-intake", d)
    try:
        await_ready(svc)
        yield svc.socket_path
    finally:
        problems = stop_service(svc)
        shutil.rmtree(d, ignore_errors=True)
        assert not problems, problems


def test_doc_listing_runs(scoring_intake, tmp_path):
    script = tmp_path / "health.py"
    script.write_text(doc_block("listing"))
    assert 40 <= len(script.read_text().splitlines()) <= 50
    out = subprocess.run([sys.executable, str(script), str(scoring_intake)], cwd=tc.REPO_ROOT,
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "status: SERVING" in out.stdout and 'service: "training.v1.ScoringIntake"' in out.stdout


def test_client_pipelines_against_the_real_server(scoring_intake):
    with tc.Connection.connect(scoring_intake) as conn:
        responses = conn.pipeline([(tc.HEALTH_CHECK, M.HealthCheckRequest())] * 20, caller="selfcheck")
        assert sorted(responses) == list(range(1, 21))
        assert all(r.call_id == cid and r.status.code == 0 for cid, r in responses.items())
        with pytest.raises(tc.RpcError) as err:
            conn.call("/training.v1.Nope/Nope", M.HealthCheckRequest(), M.HealthCheckResponse)
        assert err.value.code_name == "UNIMPLEMENTED"
        conn.send_raw(struct.pack(">I", tc.DEFAULT_MAX_FRAME_BYTES + 1))
        resp = conn.recv_response()
        assert (resp.call_id, M.code_name(resp.status.code)) == (0, "RESOURCE_EXHAUSTED")
        conn.expect_eof()
