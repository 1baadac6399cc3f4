"""Fixtures that run the three real service executables for test_wire.py.

See harness.py: executables from $TRAINING_BIN_DIR (default <repo>/.build/debug), one
short temp dir under /tmp, readiness polled via Health/Check, SIGTERM at the end with
exit code 0 and the socket file removed checked.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from harness import EXECUTABLES, RunningService, await_ready, start_service, stop_service
from training_client import M


@pytest.fixture(scope="session")
def services():
    """All three services, running side by side in one temp dir for the whole session."""
    workdir = Path(tempfile.mkdtemp(prefix="t.", dir="/tmp"))
    started: dict[str, RunningService] = {}
    ok = False
    try:
        for exe in EXECUTABLES:
            started[exe] = start_service(exe, workdir)
        for svc in started.values():
            await_ready(svc)
            svc.witness = svc.connect()
        ok = True
        yield started
    finally:
        problems = []
        for svc in started.values():
            problems += stop_service(svc)
        if ok and not problems:
            shutil.rmtree(workdir, ignore_errors=True)
        if problems and ok:
            pytest.fail("shutdown contract broken:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture(params=EXECUTABLES)
def service(request, services) -> RunningService:
    """One service per test parameter. After the test its witness connection, opened at
    session start and otherwise idle, must still answer Health/Check with SERVING."""
    svc = services[request.param]
    assert svc.process.poll() is None, f"{svc.executable} is not running\n{svc.describe()}"
    yield svc
    assert svc.process.poll() is None, f"{svc.executable} died during the test\n{svc.describe()}"
    h = svc.witness.health(timeout_ms=5000)
    assert h.status == M.enum_value("ServingStatus", "SERVING") and h.service == svc.service_name, \
        f"witness connection to {svc.executable} got {h} after the test"


@pytest.fixture
def scratch_dir():
    d = Path(tempfile.mkdtemp(prefix="t.", dir="/tmp"))
    yield d
    shutil.rmtree(d, ignore_errors=True)
