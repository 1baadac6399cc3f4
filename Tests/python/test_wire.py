"""Wire-protocol conformance of the three real services (docs/wire-protocol.md).

Every test runs against scoring-intake, training-scheduling and effectiveness-review
(the `service` fixture is parametrized). After each test the service's *witness*
connection, opened when the session started, must still answer Health/Check: no
abuse on one connection may disturb another.

Run: TRAINING_BIN_DIR=.build/debug python3 -m pytest Tests/python -q
"""
from __future__ import annotations

import os
import re
import signal
import struct
import time

import pytest

from harness import EXECUTABLES, STOP_TIMEOUT_S, await_ready, start_service, stop_service
from training_client import (DEFAULT_MAX_FRAME_BYTES, HEALTH_CHECK, MAX_CALL_ID, SERVICE_NAMES, Connection, M,
                             RpcError, encode_frame, request_frame)

SERVING = M.enum_value("ServingStatus", "SERVING")
NOT_SERVING = M.enum_value("ServingStatus", "NOT_SERVING")
SERVICE_UNKNOWN = M.enum_value("ServingStatus", "SERVICE_UNKNOWN")
OK = M.code("OK")
INVALID_ARGUMENT = M.code("INVALID_ARGUMENT")
DEADLINE_EXCEEDED = M.code("DEADLINE_EXCEEDED")
RESOURCE_EXHAUSTED = M.code("RESOURCE_EXHAUSTED")
UNIMPLEMENTED = M.code("UNIMPLEMENTED")
UNAVAILABLE = M.code("UNAVAILABLE")


def health_payload(service: str = "") -> bytes:
    return M.HealthCheckRequest(service=service).SerializeToString()


def health_frame(call_id: int, service: str = "", **kw) -> bytes:
    return encode_frame(request_frame(HEALTH_CHECK, health_payload(service), call_id, **kw).SerializeToString())


def status_text(resp) -> str:
    s = resp.status
    return (f"call_id={resp.call_id} code={M.code_name(s.code)} message={s.message!r} "
            f"violations={[(v.subject, v.description) for v in s.violations]} retry_after_ms={s.retry_after_ms}")


def assert_status(resp, code: int, call_id: int | None = None, subject: str | None = None):
    assert resp is not None, "connection closed instead of answering"
    assert resp.status.code == code, f"expected {M.code_name(code)}, got {status_text(resp)}"
    if call_id is not None:
        assert resp.call_id == call_id, f"expected call_id {call_id}, got {status_text(resp)}"
    if code != OK:
        assert resp.payload == b"", f"payload must be empty unless OK: {status_text(resp)}"
    if subject is not None:
        subjects = [v.subject for v in resp.status.violations]
        assert subjects == [subject], f"expected one violation with subject {subject!r}: {status_text(resp)}"


def assert_serving(conn: Connection, svc):
    h = conn.health()
    assert h.status == SERVING and h.service == svc.service_name, f"{svc.executable}: {h}"


def digits(text: str) -> str:
    return re.sub(r"(?<=\d)[,_ '\u202f](?=\d)", "", text)


# --- Health -----------------------------------------------------------------

def test_health_serving(service):
    with service.connect() as conn:
        for name in ["", service.service_name, "training.v1.Health"]:
            h = conn.health(name)
            assert h.status == SERVING, f"Health/Check({name!r}) on {service.executable}: {h}"
            assert h.service == service.service_name
            assert h.version, "version must name the build"


def test_health_unknown_service_is_ok_with_service_unknown(service):
    others = [n for n in SERVICE_NAMES.values() if n != service.service_name]
    with service.connect() as conn:
        for name in ["training.v1.NoSuchService", "grpc.health.v1.Health", *others]:
            resp = conn.invoke(HEALTH_CHECK, M.HealthCheckRequest(service=name))
            assert_status(resp, OK)
            h = M.HealthCheckResponse.FromString(resp.payload)
            assert h.status == SERVICE_UNKNOWN, f"Health/Check({name!r}): {h}"


def test_socket_file_mode_is_0660(service):
    mode = os.stat(service.socket_path).st_mode
    assert (mode & 0o777) == 0o660, f"socket mode {oct(mode & 0o777)}"


# --- Call errors ------------------------------------------------------------

@pytest.mark.parametrize("method", ["/training.v1.Health/Watch", "/training.v1.NoSuchService/Check",
                                    "/training.v1.ScoringIntake/NoSuchMethod"])
def test_unknown_method_is_unimplemented(service, method):
    with service.connect() as conn:
        resp = conn.invoke(method, M.HealthCheckRequest())
        assert_status(resp, UNIMPLEMENTED, call_id=resp.call_id)
        assert method in resp.status.message, status_text(resp)
        assert_serving(conn, service)


def test_malformed_payload_is_invalid_argument(service):
    with service.connect() as conn:
        resp = conn.invoke(HEALTH_CHECK, b"\xff\xff\xff", call_id=41)
        assert_status(resp, INVALID_ARGUMENT, call_id=41, subject="payload")
        assert_serving(conn, service)


def test_invalid_utf8_string_is_invalid_argument_on_its_field(service):
    payload = bytes([0x0A, 2]) + b"\xc3\x28"  # field 1 (service), length 2, invalid UTF-8
    with service.connect() as conn:
        resp = conn.invoke(HEALTH_CHECK, payload, call_id=42)
        assert_status(resp, INVALID_ARGUMENT, call_id=42, subject="service")
        assert_serving(conn, service)


@pytest.mark.parametrize("value", [b"a\x00b", b"\x00", b"training.v1.Health\x00"])
def test_string_with_nul_is_invalid_argument_on_its_field(service, value):
    payload = bytes([0x0A, len(value)]) + value
    with service.connect() as conn:
        resp = conn.invoke(HEALTH_CHECK, payload, call_id=43)
        assert_status(resp, INVALID_ARGUMENT, call_id=43, subject="service")
        assert_serving(conn, service)


# --- Deadlines --------------------------------------------------------------

def test_zero_timeout_is_deadline_exceeded(service):
    with service.connect() as conn:
        resp = conn.invoke(HEALTH_CHECK, M.HealthCheckRequest(), timeout_ms=0, call_id=44)
        assert_status(resp, DEADLINE_EXCEEDED, call_id=44)
        assert_serving(conn, service)


@pytest.mark.parametrize("timeout_ms", [1, 3_600_000, 3_600_001, 2**32, 2**64 - 1])
def test_positive_timeouts_are_accepted(service, timeout_ms):
    # 1 ms may legitimately expire before the call runs; everything larger is capped, not refused.
    with service.connect() as conn:
        resp = conn.invoke(HEALTH_CHECK, M.HealthCheckRequest(), timeout_ms=timeout_ms, wait_timeout=10)
        allowed = {OK, DEADLINE_EXCEEDED} if timeout_ms == 1 else {OK}
        assert resp.status.code in allowed, status_text(resp)


# --- Envelope and connection-level errors -------------------------------------

def test_call_id_and_metadata_round_trip(service):
    with service.connect() as conn:
        resp = conn.invoke(HEALTH_CHECK, M.HealthCheckRequest(), timeout_ms=1500, caller="qa-export",
                           idempotency_key="batch-0001", call_id=MAX_CALL_ID)
        assert_status(resp, OK, call_id=MAX_CALL_ID)
        assert M.HealthCheckResponse.FromString(resp.payload).status == SERVING


def test_call_id_may_be_reused_after_its_response(service):
    with service.connect() as conn:
        for _ in range(3):
            assert_status(conn.invoke(HEALTH_CHECK, M.HealthCheckRequest(), call_id=7), OK, call_id=7)


def test_zero_length_frame_is_call_id_error_and_connection_stays(service):
    with service.connect() as conn:
        conn.send_raw(b"\x00\x00\x00\x00")
        resp = conn.recv_response()
        assert_status(resp, INVALID_ARGUMENT, call_id=0, subject="call_id")
        assert "non-zero" in resp.status.violations[0].description, status_text(resp)
        assert_serving(conn, service)


def test_explicit_call_id_zero_is_call_id_error(service):
    with service.connect() as conn:
        conn.send_raw(health_frame(0))
        assert_status(conn.recv_response(), INVALID_ARGUMENT, call_id=0, subject="call_id")
        assert_serving(conn, service)


@pytest.mark.parametrize("garbage", [
    b"\xff\xff\xff\xff",        # a tag varint that never ends
    b"\x08\x80",                # call_id varint cut short
    b"\x12\x05ab",              # method announces 5 bytes, 2 follow
    b"\x0f\x00",                # field 1 with wire type 7 (no such wire type)
], ids=["endless-tag", "short-varint", "short-string", "bad-wire-type"])
def test_garbage_frame_is_frame_error_and_connection_stays(service, garbage):
    with service.connect() as conn:
        conn.send_frame(garbage)
        assert_status(conn.recv_response(), INVALID_ARGUMENT, call_id=0, subject="frame")
        assert_serving(conn, service)
        conn.send_frame(garbage)  # and again, after a good call
        assert_status(conn.recv_response(), INVALID_ARGUMENT, call_id=0, subject="frame")
        assert_serving(conn, service)


def test_envelope_with_invalid_utf8_method_is_refused_and_connection_stays(service):
    # Whether this is a frame error (call_id 0) or a call error (call_id 9) is the server's choice;
    # it must not succeed, and the connection must survive.
    body = b"\x08\x09" + b"\x12\x02\xc3\x28"
    with service.connect() as conn:
        conn.send_frame(body)
        resp = conn.recv_response()
        assert resp is not None and resp.call_id in (0, 9), resp
        assert resp.status.code in (INVALID_ARGUMENT, UNIMPLEMENTED), status_text(resp)
        assert_serving(conn, service)


def test_oversize_frame_is_resource_exhausted_then_eof(service):
    announced = DEFAULT_MAX_FRAME_BYTES + 1
    with service.connect() as conn:
        assert_serving(conn, service)  # a good call first: the limit applies mid-connection too
        conn.send_raw(struct.pack(">I", announced))
        resp = conn.recv_response()
        assert_status(resp, RESOURCE_EXHAUSTED, call_id=0)
        assert resp.status.retry_after_ms == 0, status_text(resp)
        msg = digits(resp.status.message)
        assert str(announced) in msg and str(DEFAULT_MAX_FRAME_BYTES) in msg, \
            f"message must name both sizes: {status_text(resp)}"
        conn.expect_eof()


def test_frame_of_exactly_max_size_is_accepted(service):
    # A Health/Check whose service string pads the RequestFrame to exactly 16 MiB.
    def body_for(pad: int) -> bytes:
        return request_frame(HEALTH_CHECK, health_payload("x" * pad), 1).SerializeToString()
    pad = DEFAULT_MAX_FRAME_BYTES - 64  # length varints are 4 bytes throughout this range
    pad += DEFAULT_MAX_FRAME_BYTES - len(body_for(pad))
    body = body_for(pad)
    assert len(body) == DEFAULT_MAX_FRAME_BYTES
    call_id = M.RequestFrame.FromString(body).call_id
    with service.connect(io_timeout=30) as conn:
        conn.send_frame(body)
        resp = conn.wait(call_id)
        assert_status(resp, OK, call_id=call_id)
        assert M.HealthCheckResponse.FromString(resp.payload).status == SERVICE_UNKNOWN
        assert_serving(conn, service)


# --- Framing across reads, pipelining ------------------------------------------

def test_frame_split_across_writes(service):
    frame = health_frame(5)
    with service.connect() as conn:
        for i in range(len(frame)):
            conn.send_raw(frame[i:i + 1])
            time.sleep(0.001)  # give the server a chance to read each byte on its own
        assert_status(conn.wait(5), OK, call_id=5)
        two = health_frame(6) + health_frame(8)
        conn.send_raw(two[:len(two) // 2 + 3])  # first frame and part of the second
        time.sleep(0.05)
        conn.send_raw(two[len(two) // 2 + 3:])
        assert_status(conn.wait(8), OK, call_id=8)
        assert_status(conn.wait(6), OK, call_id=6)


def test_pipelining_50_health_calls(service):
    with service.connect() as conn:
        calls = [(HEALTH_CHECK, M.HealthCheckRequest(service=service.service_name))] * 50
        responses = conn.pipeline(calls)
        assert len(responses) == 50
        for cid, resp in responses.items():
            assert_status(resp, OK, call_id=cid)
            assert M.HealthCheckResponse.FromString(resp.payload).status == SERVING
        assert_serving(conn, service)


def test_pipelining_mixed_outcomes_matched_by_call_id(service):
    with service.connect() as conn:
        frames = [
            health_frame(101),
            encode_frame(request_frame("/training.v1.Nope/Nope", b"", 102).SerializeToString()),
            health_frame(103, timeout_ms=0),
            encode_frame(request_frame(HEALTH_CHECK, b"\xff\xff\xff", 104).SerializeToString()),
            health_frame(105, service="training.v1.NoSuchService"),
        ]
        conn.send_raw(b"".join(frames))
        expected = {101: OK, 102: UNIMPLEMENTED, 103: DEADLINE_EXCEEDED, 104: INVALID_ARGUMENT, 105: OK}
        for cid in sorted(expected, reverse=True):  # collect out of order on purpose
            assert_status(conn.wait(cid), expected[cid], call_id=cid)


def test_rpc_error_carries_status(service):
    with service.connect() as conn:
        with pytest.raises(RpcError) as err:
            conn.call("/training.v1.Health/Nope", M.HealthCheckRequest(), M.HealthCheckResponse)
        assert err.value.code == UNIMPLEMENTED and err.value.code_name == "UNIMPLEMENTED"


# --- Process-level behaviour (own processes, not the shared ones) ------------------

ENV_VARS = {
    "scoring-intake": "TRAINING_INTAKE_SOCKET",
    "training-scheduling": "TRAINING_SCHEDULING_SOCKET",
    "effectiveness-review": "TRAINING_REVIEW_SOCKET",
}


@pytest.mark.parametrize("executable", EXECUTABLES)
def test_sigterm_drains_exits_0_and_removes_socket(executable, scratch_dir):
    svc = start_service(executable, scratch_dir)
    try:
        await_ready(svc)
        conn = svc.connect()
        assert_serving(conn, svc)
        svc.process.send_signal(signal.SIGTERM)
        # The signal is handled asynchronously, so a call sent now may still be served
        # normally; once draining, it is answered UNAVAILABLE (retry_after_ms 1000), or it
        # finds the connection closed. It must never hang, and the process must exit 0.
        try:
            conn.send_raw(health_frame(77))
            while (resp := conn.recv_response(timeout=STOP_TIMEOUT_S)) is not None:
                if resp.status.code == UNAVAILABLE:
                    assert resp.status.retry_after_ms == 1000, status_text(resp)
                else:
                    assert_status(resp, OK, call_id=77)
                    assert M.HealthCheckResponse.FromString(resp.payload).status in (SERVING, NOT_SERVING)
        except (BrokenPipeError, ConnectionResetError):
            pass
        conn.close()
        rc = svc.process.wait(STOP_TIMEOUT_S)
        assert rc == 0, f"exit code {rc}\n{svc.describe()}"
        assert not svc.socket_path.exists(), "socket file left behind"
        with pytest.raises(OSError):
            Connection.connect(svc.socket_path, io_timeout=1).close()
    finally:
        if svc.process.poll() is None:
            svc.process.kill()
            svc.process.wait()


@pytest.mark.parametrize("executable", EXECUTABLES)
def test_socket_path_from_environment(executable, scratch_dir, monkeypatch):
    sock = scratch_dir / "from-env.sock"
    monkeypatch.setenv(ENV_VARS[executable], str(sock))
    svc = start_service(executable, scratch_dir, socket_path=sock, socket_flag=False)
    try:
        await_ready(svc)
        assert not stop_service(svc)
    finally:
        if svc.process.poll() is None:
            svc.process.kill()
            svc.process.wait()
