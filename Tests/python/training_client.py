"""A small, independent Python client for the training services' wire protocol.

Written from proto/training/v1/*.proto and docs/wire-protocol.md only; it shares no
code with the Swift runtime. Message classes are built at import time from a
descriptor set that `protoc` makes from proto/ (no generated *_pb2.py files, so the
pip `protobuf` runtime and the system `protoc` need not agree on gencode versions).

    from training_client import Connection, M
    with Connection.connect("var/run/scoring-intake.sock") as conn:
        health = conn.call("/training.v1.Health/Check",
                           M.HealthCheckRequest(service=""), M.HealthCheckResponse,
                           timeout_ms=2000, caller="qa-export")

Environment: PROTOC (default "protoc"), TRAINING_PROTO_DIR (default <repo>/proto).
"""
from __future__ import annotations

import os
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

REPO_ROOT = Path(__file__).resolve().parents[2]
PROTO_DIR = Path(os.environ.get("TRAINING_PROTO_DIR", REPO_ROOT / "proto"))
PROTOC = os.environ.get("PROTOC", "protoc")

HEADER = struct.Struct(">I")           # 4-byte big-endian unsigned length
DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024  # 16 MiB, counts the bytes after the header
MAX_CALL_ID = 2**64 - 1

HEALTH_CHECK = "/training.v1.Health/Check"
SERVICE_NAMES = {
    "scoring-intake": "training.v1.ScoringIntake",
    "training-scheduling": "training.v1.TrainingScheduling",
    "effectiveness-review": "training.v1.EffectivenessReview",
}


# ---------------------------------------------------------------------------
# Message classes from a descriptor set made by protoc
# ---------------------------------------------------------------------------

def build_descriptor_set(proto_dir: Path = PROTO_DIR, out_path: Path | None = None) -> bytes:
    """Runs `protoc --include_imports --descriptor_set_out` over every .proto under proto_dir."""
    proto_dir = Path(proto_dir)
    protos = sorted(str(p.relative_to(proto_dir)) for p in proto_dir.rglob("*.proto"))
    if not protos:
        raise RuntimeError(f"no .proto files under {proto_dir}")
    with tempfile.TemporaryDirectory(prefix="training-client.") as tmp:
        target = Path(out_path) if out_path else Path(tmp) / "descriptors.pb"
        try:
            subprocess.run(
                [PROTOC, "--include_imports", f"--descriptor_set_out={target}", "-I", str(proto_dir), *protos],
                check=True, capture_output=True, text=True)
        except FileNotFoundError as e:
            raise RuntimeError(f"protoc not found ({PROTOC!r}); install protobuf-compiler or set PROTOC") from e
        except subprocess.CalledProcessError as e:
            raise RuntimeError(f"protoc failed on {proto_dir}:\n{e.stderr}") from e
        return target.read_bytes()


class Messages:
    """Message classes and enums of every file in proto/, by short or full name.

    `M.RequestFrame` and `M["training.v1.RequestFrame"]` are the same class;
    `M.enum("StatusCode")` is the enum's descriptor; `M.code("INVALID_ARGUMENT")` == 3,
    `M.code_name(3)` == "INVALID_ARGUMENT", `M.enum_value("ServingStatus", "SERVING")` == 1.
    """

    def __init__(self, descriptor_set: bytes):
        fds = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set)
        self.pool = descriptor_pool.DescriptorPool()
        self._by_full = message_factory.GetMessages(list(fds.file), pool=self.pool)
        self._by_short: dict[str, type] = {}
        for full, cls in self._by_full.items():
            self._by_short.setdefault(full.rsplit(".", 1)[-1], cls)
        self.files = [f.name for f in fds.file]

    def __getitem__(self, full_name: str) -> type:
        return self._by_full[full_name]

    def __getattr__(self, short_name: str) -> type:
        try:
            return self._by_short[short_name]
        except KeyError:
            raise AttributeError(short_name) from None

    def get(self, name: str | type) -> type:
        if isinstance(name, type):
            return name
        return self._by_full.get(name) or self._by_short[name]

    def enum(self, name: str):
        full = name if "." in name else f"training.v1.{name}"
        return self.pool.FindEnumTypeByName(full)

    def enum_value(self, enum: str, value_name: str) -> int:
        return self.enum(enum).values_by_name[value_name].number

    def enum_name(self, enum: str, number: int) -> str:
        v = self.enum(enum).values_by_number.get(number)
        return v.name if v else str(number)

    def code(self, name: str) -> int:
        return self.enum_value("StatusCode", name)

    def code_name(self, number: int) -> str:
        return self.enum_name("StatusCode", number)


M = Messages(build_descriptor_set())


# ---------------------------------------------------------------------------
# Framing
# ---------------------------------------------------------------------------

class ProtocolError(Exception):
    """The peer broke the framing (oversize frame, EOF inside a frame, undecodable frame)."""


class FrameTooLarge(ProtocolError):
    def __init__(self, announced: int, limit: int):
        super().__init__(f"frame of {announced} bytes announced, limit is {limit}")
        self.announced, self.limit = announced, limit


def encode_frame(body: bytes) -> bytes:
    """4-byte big-endian length of body, then body."""
    if len(body) > 0xFFFFFFFF:
        raise ValueError("frame body longer than 2**32-1 bytes")
    return HEADER.pack(len(body)) + body


class FrameDecoder:
    """Splits a byte stream into frame bodies; chunks may split or merge frames arbitrarily."""

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES):
        self.max_frame_bytes = max_frame_bytes
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        out = []
        while len(self._buf) >= HEADER.size:
            (n,) = HEADER.unpack_from(self._buf)
            if n > self.max_frame_bytes:
                raise FrameTooLarge(n, self.max_frame_bytes)
            if len(self._buf) < HEADER.size + n:
                break
            out.append(bytes(self._buf[HEADER.size:HEADER.size + n]))
            del self._buf[:HEADER.size + n]
        return out

    @property
    def pending(self) -> int:
        """Bytes received but not yet part of a complete frame."""
        return len(self._buf)


def request_frame(method: str, payload: bytes, call_id: int, timeout_ms: int | None = None,
                  caller: str | None = None, idempotency_key: str | None = None):
    """Builds a RequestFrame message. timeout_ms None leaves the timeout absent (server default)."""
    frame = M.RequestFrame(call_id=call_id, method=method, payload=payload)
    if timeout_ms is not None:
        frame.timeout.milliseconds = timeout_ms  # present even when 0
    if caller is not None:
        frame.metadata.caller = caller
    if idempotency_key is not None:
        frame.metadata.idempotency_key = idempotency_key
    return frame


# ---------------------------------------------------------------------------
# Calls
# ---------------------------------------------------------------------------

class RpcError(Exception):
    """A call answered with a status other than OK."""

    def __init__(self, response):
        self.response = response
        self.call_id = response.call_id
        self.status = response.status
        self.code = response.status.code
        self.code_name = M.code_name(self.code)
        self.violations = [(v.subject, v.description) for v in response.status.violations]
        self.retry_after_ms = response.status.retry_after_ms
        super().__init__(f"call {self.call_id}: {self.code_name}: {response.status.message} {self.violations or ''}")


class Connection:
    """One Unix-socket connection; several calls may be in flight at once (pipelining).

    Responses arrive in completion order; `wait(call_id)` keeps the ones it is not
    looking for, so `send_request` several times and `wait` for each id in any order.
    Responses with call_id 0 (connection-level errors) are kept the same way.
    """

    def __init__(self, sock: socket.socket, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
                 io_timeout: float = 10.0):
        self.sock = sock
        self.sock.settimeout(io_timeout)
        self.io_timeout = io_timeout
        self.decoder = FrameDecoder(max_frame_bytes)
        self._frames: list[bytes] = []
        self._responses: dict[int, list] = {}
        self._next_id = 1
        self._in_flight: set[int] = set()
        self.eof = False

    @classmethod
    def connect(cls, path: str | os.PathLike, io_timeout: float = 10.0,
                max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> "Connection":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(io_timeout)
            sock.connect(os.fspath(path))
        except BaseException:
            sock.close()
            raise
        return cls(sock, max_frame_bytes, io_timeout)

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- raw bytes and frames ------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        """Writes bytes as they are: no header is added."""
        self.sock.sendall(data)

    def send_frame(self, body: bytes) -> None:
        self.sock.sendall(encode_frame(body))

    def recv_frame(self, timeout: float | None = None) -> bytes | None:
        """The next frame body, or None when the server closed the connection between frames."""
        deadline = time.monotonic() + (self.io_timeout if timeout is None else timeout)
        while not self._frames:
            if self.eof:
                if self.decoder.pending:
                    raise ProtocolError(f"connection closed inside a frame ({self.decoder.pending} bytes pending)")
                return None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no complete frame from the server in time")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                self.eof = True
                continue
            self._frames.extend(self.decoder.feed(chunk))
        return self._frames.pop(0)

    def recv_response(self, timeout: float | None = None):
        """The next ResponseFrame in arrival order (None at EOF), bypassing the per-id buffer."""
        body = self.recv_frame(timeout)
        if body is None:
            return None
        try:
            resp = M.ResponseFrame.FromString(body)
        except Exception as e:  # google.protobuf.message.DecodeError
            raise ProtocolError(f"undecodable ResponseFrame ({len(body)} bytes): {e}") from e
        self._in_flight.discard(resp.call_id)
        return resp

    def expect_eof(self, timeout: float | None = None) -> None:
        """Asserts the server closes the connection with no further frame."""
        body = self.recv_frame(timeout)
        if body is not None:
            raise ProtocolError(f"expected EOF, got a frame: {M.ResponseFrame.FromString(body)}")

    # -- calls ---------------------------------------------------------------

    def new_call_id(self) -> int:
        while True:
            cid = self._next_id
            self._next_id = self._next_id + 1 if self._next_id < MAX_CALL_ID else 1
            if cid not in self._in_flight and cid not in self._responses:
                return cid

    def send_request(self, method: str, request, call_id: int | None = None, timeout_ms: int | None = None,
                     caller: str | None = None, idempotency_key: str | None = None) -> int:
        """Sends one call; returns its call_id. `request` is a message or already-encoded bytes."""
        payload = request if isinstance(request, (bytes, bytearray)) else request.SerializeToString()
        cid = self.new_call_id() if call_id is None else call_id
        frame = request_frame(method, bytes(payload), cid, timeout_ms, caller, idempotency_key)
        self.send_frame(frame.SerializeToString())
        self._in_flight.add(cid)
        return cid

    def wait(self, call_id: int, timeout: float | None = None):
        """The ResponseFrame for call_id (0: the next connection-level error)."""
        deadline = time.monotonic() + (self.io_timeout if timeout is None else timeout)
        while not self._responses.get(call_id):
            resp = self.recv_response(max(0.0, deadline - time.monotonic()))
            if resp is None:
                raise ProtocolError(f"connection closed before the response to call {call_id}")
            self._responses.setdefault(resp.call_id, []).append(resp)
        queue = self._responses[call_id]
        resp = queue.pop(0)
        if not queue:
            del self._responses[call_id]
        return resp

    def invoke(self, method: str, request, timeout_ms: int | None = None, caller: str | None = None,
               idempotency_key: str | None = None, call_id: int | None = None, wait_timeout: float | None = None):
        """One call; returns the ResponseFrame whatever its status."""
        cid = self.send_request(method, request, call_id, timeout_ms, caller, idempotency_key)
        if wait_timeout is None and timeout_ms is not None:
            wait_timeout = min(timeout_ms / 1000.0, 3600.0) + self.io_timeout
        return self.wait(cid, wait_timeout)

    def call(self, method: str, request, response_type, timeout_ms: int | None = None,
             caller: str | None = None, idempotency_key: str | None = None):
        """One call; returns the decoded response message or raises RpcError."""
        resp = self.invoke(method, request, timeout_ms, caller, idempotency_key)
        if resp.status.code != 0:
            raise RpcError(resp)
        return M.get(response_type).FromString(resp.payload)

    def pipeline(self, calls: Iterable[tuple[str, object]], timeout_ms: int | None = None,
                 caller: str | None = None) -> dict[int, object]:
        """Sends every (method, request) in one write, then collects all responses by call_id."""
        frames, ids = [], []
        for method, request in calls:
            payload = request if isinstance(request, (bytes, bytearray)) else request.SerializeToString()
            cid = self.new_call_id()
            self._in_flight.add(cid)
            ids.append(cid)
            frames.append(encode_frame(request_frame(method, bytes(payload), cid, timeout_ms, caller)
                                       .SerializeToString()))
        self.send_raw(b"".join(frames))
        return {cid: self.wait(cid) for cid in ids}

    # -- health --------------------------------------------------------------

    def health(self, service: str = "", timeout_ms: int | None = 5000):
        return self.call(HEALTH_CHECK, M.HealthCheckRequest(service=service), M.HealthCheckResponse,
                         timeout_ms=timeout_ms)


def wait_until_serving(path: str | os.PathLike, deadline_s: float = 10.0,
                       alive: Callable[[], bool] = lambda: True, poll_s: float = 0.05):
    """Polls connect + Health/Check until SERVING; returns the HealthCheckResponse.

    `alive` is asked between attempts (e.g. "has the process not exited?"), so a
    server that dies while starting fails fast instead of after the whole deadline.
    """
    serving = M.enum_value("ServingStatus", "SERVING")
    deadline = time.monotonic() + deadline_s
    last: object = None
    while True:
        if not alive():
            raise RuntimeError(f"server for {path} exited before it was SERVING (last: {last!r})")
        try:
            with Connection.connect(path, io_timeout=max(0.2, min(2.0, deadline - time.monotonic()))) as conn:
                h = conn.health(timeout_ms=1000)
                if h.status == serving:
                    return h
                last = f"status {M.enum_name('ServingStatus', h.status)}"
        except (OSError, ProtocolError, RpcError, TimeoutError) as e:
            last = e
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{path} not SERVING within {deadline_s} s (last: {last!r})")
        time.sleep(poll_s)
