#!/usr/bin/env python3
"""A stand-in server, in Python, that speaks docs/wire-protocol.md and serves only Health.

NOT the product and not a reference for business behaviour. It exists so that the
client (training_client.py), the doc's client listing and test_wire.py itself can be
checked without the Swift build:

    python3 Tests/python/fake_server.py --install-wrappers /tmp/fakebin
    TRAINING_BIN_DIR=/tmp/fakebin python3 -m pytest Tests/python -q

--install-wrappers writes scoring-intake, training-scheduling and effectiveness-review
scripts that run this file as the named service. test_client_selfcheck.py also starts
it directly.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import stat
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from google.protobuf import descriptor  # noqa: E402
from google.protobuf.message import DecodeError  # noqa: E402

from training_client import DEFAULT_MAX_FRAME_BYTES, HEALTH_CHECK, SERVICE_NAMES, M  # noqa: E402

FD = descriptor.FieldDescriptor
ENV_SOCKET = {"scoring-intake": "TRAINING_INTAKE_SOCKET", "training-scheduling": "TRAINING_SCHEDULING_SOCKET",
              "effectiveness-review": "TRAINING_REVIEW_SOCKET"}
DEFAULT_SOCKET = {name: f"var/run/{name}.sock" for name in SERVICE_NAMES}
WIRE_TYPE = {FD.TYPE_STRING: 2, FD.TYPE_BYTES: 2, FD.TYPE_MESSAGE: 2, FD.TYPE_DOUBLE: 1, FD.TYPE_FIXED64: 1,
             FD.TYPE_SFIXED64: 1, FD.TYPE_FLOAT: 5, FD.TYPE_FIXED32: 5, FD.TYPE_SFIXED32: 5}
C = M.code


def find_violation(data: bytes, desc, path: str = "") -> tuple[str, str] | None:
    """Walks the wire format of `data` as message `desc`; the first problem as (subject, why)."""
    pos, n, counts = 0, len(data), {}

    def varint() -> int:
        nonlocal pos
        result = shift = 0
        while True:
            if pos >= n or shift > 63:
                raise ValueError("truncated varint")
            b = data[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    try:
        while pos < n:
            key = varint()
            number, wt = key >> 3, key & 7
            if number == 0:
                raise ValueError("field number 0")
            value = None
            if wt == 0:
                value = varint()
            elif wt == 1:
                pos += 8
            elif wt == 5:
                pos += 4
            elif wt == 2:
                length = varint()
                value, pos = data[pos:pos + length], pos + length
            else:
                raise ValueError(f"unsupported wire type {wt}")
            if pos > n:
                raise ValueError("message ends inside a field")
            field = desc.fields_by_number.get(number)
            if field is None:
                continue  # unknown fields are ignored
            expected = WIRE_TYPE.get(field.type, 0)
            if wt != expected and not (wt == 2 and field.is_repeated):
                raise ValueError(f"field {field.name} has wire type {wt}, expected {expected}")
            name = field.name
            if field.is_repeated:
                index = counts.get(number, 0)
                counts[number] = index + 1
                name = f"{name}[{index}]"
            fpath = f"{path}.{name}" if path else name
            if field.type == FD.TYPE_STRING:
                try:
                    text = value.decode("utf-8")
                except UnicodeDecodeError:
                    return fpath, "not valid UTF-8"
                if "\x00" in text:
                    return fpath, "contains a NUL byte"
            elif field.type == FD.TYPE_MESSAGE:
                inner = find_violation(value, field.message_type, fpath)
                if inner:
                    return inner
            elif field.type == FD.TYPE_ENUM and wt == 0 and value not in field.enum_type.values_by_number:
                return fpath, f"{value} is not a declared {field.enum_type.name}"
    except ValueError as e:
        return (path or "payload"), str(e)
    return None


class Server:
    def __init__(self, executable: str, socket_path: str, max_frame: int, grace_s: float):
        self.executable, self.service_name = executable, SERVICE_NAMES[executable]
        self.socket_path, self.max_frame, self.grace_s = socket_path, max_frame, grace_s
        self.draining = False
        self.started = time.monotonic()
        self.writers: set[asyncio.StreamWriter] = set()
        self.calls: set[asyncio.Task] = set()

    def send(self, writer, call_id, code, message="", violations=(), retry_after_ms=0, payload=b""):
        resp = M.ResponseFrame(call_id=call_id, payload=payload)
        resp.status.code = code
        resp.status.message = message
        resp.status.retry_after_ms = retry_after_ms
        for subject, why in violations:
            resp.status.violations.add(subject=subject, description=why)
        body = resp.SerializeToString()
        if not writer.is_closing():
            writer.write(struct.pack(">I", len(body)) + body)

    async def connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.writers.add(writer)
        in_flight: set[int] = set()
        try:
            while True:
                (size,) = struct.unpack(">I", await reader.readexactly(4))
                if size > self.max_frame:
                    self.send(writer, 0, C("RESOURCE_EXHAUSTED"),
                              f"frame of {size} bytes exceeds the limit of {self.max_frame} bytes")
                    await writer.drain()
                    break
                body = await reader.readexactly(size)
                try:
                    req = M.RequestFrame.FromString(body)
                except DecodeError as e:
                    self.send(writer, 0, C("INVALID_ARGUMENT"), "undecodable frame", [("frame", str(e))])
                    continue
                cid = req.call_id
                if cid == 0:
                    self.send(writer, 0, C("INVALID_ARGUMENT"), "call_id 0", [("call_id", "must be non-zero")])
                elif cid in in_flight:
                    self.send(writer, 0, C("INVALID_ARGUMENT"), f"call {cid} in flight",
                              [("call_id", f"{cid} is already in flight on this connection")])
                elif self.draining:
                    self.send(writer, cid, C("UNAVAILABLE"), "shutting down", retry_after_ms=1000)
                else:
                    in_flight.add(cid)
                    task = asyncio.create_task(self.run_call(writer, req))
                    self.calls.add(task)
                    task.add_done_callback(lambda t, cid=cid: (in_flight.discard(cid), self.calls.discard(t)))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    async def run_call(self, writer, req):
        try:
            await self.dispatch(writer, req)
        except Exception as e:  # unclassified: INTERNAL, never UNKNOWN
            self.send(writer, req.call_id, C("INTERNAL"), f"{type(e).__name__}: {e}")

    async def dispatch(self, writer, req):
        cid = req.call_id
        if req.HasField("timeout") and req.timeout.milliseconds == 0:
            return self.send(writer, cid, C("DEADLINE_EXCEEDED"), "timeout 0: not run")
        timeout_ms = min(req.timeout.milliseconds, 3_600_000) if req.HasField("timeout") else 30_000
        if req.method != HEALTH_CHECK:
            return self.send(writer, cid, C("UNIMPLEMENTED"), f"method {req.method} is not served here")
        problem = find_violation(req.payload, M.HealthCheckRequest.DESCRIPTOR)
        if problem:
            return self.send(writer, cid, C("INVALID_ARGUMENT"), "invalid HealthCheckRequest", [problem])
        try:
            payload = await asyncio.wait_for(self.health(M.HealthCheckRequest.FromString(req.payload)),
                                             timeout_ms / 1000)
        except asyncio.TimeoutError:
            return self.send(writer, cid, C("DEADLINE_EXCEEDED"), f"not done within {timeout_ms} ms")
        self.send(writer, cid, C("OK"), payload=payload)

    async def health(self, request) -> bytes:
        known = request.service in ("", self.service_name, "training.v1.Health")
        status = ("NOT_SERVING" if self.draining else "SERVING") if known else "SERVICE_UNKNOWN"
        return M.HealthCheckResponse(
            status=M.enum_value("ServingStatus", status), service=self.service_name, version="0.0.0-fake",
            schema_version=1, uptime_ms=int((time.monotonic() - self.started) * 1000),
            clock_unix_ms=int(time.time() * 1000)).SerializeToString()

    async def serve(self):
        path = Path(self.socket_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_socket():
            path.unlink()
        server = await asyncio.start_unix_server(self.connection, path=str(path))
        os.chmod(path, 0o660)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        self.draining = True
        server.close()
        if self.calls:
            await asyncio.wait(set(self.calls), timeout=self.grace_s)
        for w in list(self.writers):
            w.close()
        path.unlink(missing_ok=True)


def install_wrappers(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    me = Path(__file__).resolve()
    for exe in SERVICE_NAMES:
        w = directory / exe
        w.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{me}" --service {exe} "$@"\n')
        w.chmod(w.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    print(f"wrote {', '.join(SERVICE_NAMES)} to {directory}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--service", choices=list(SERVICE_NAMES))
    p.add_argument("--socket")
    p.add_argument("--database")  # accepted and ignored
    p.add_argument("--max-frame-bytes", type=int, default=DEFAULT_MAX_FRAME_BYTES)
    p.add_argument("--grace-seconds", type=float, default=10.0)
    p.add_argument("--install-wrappers", type=Path, metavar="DIR")
    a = p.parse_args(argv)
    if a.install_wrappers:
        install_wrappers(a.install_wrappers)
        return 0
    if not a.service:
        p.error("--service is required")
    sock = a.socket or os.environ.get(ENV_SOCKET[a.service]) or DEFAULT_SOCKET[a.service]
    asyncio.run(Server(a.service, sock, a.max_frame_bytes, a.grace_seconds).serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
