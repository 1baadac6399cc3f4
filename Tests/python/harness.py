"""Starting, probing and stopping the real service executables (used by conftest.py and test_wire.py).

The executables come from $TRAINING_BIN_DIR (default <repo>/.build/debug): build them
first with `swift build`. Each runs with --socket/--database in one short temp dir
under /tmp (a Unix socket path must fit in 108 bytes). Readiness is polled
(connect + Health/Check until SERVING), never slept for. At the end each process gets
SIGTERM and must exit 0 and remove its socket file.
"""
from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from training_client import REPO_ROOT, SERVICE_NAMES, Connection, wait_until_serving

EXECUTABLES = list(SERVICE_NAMES)  # scoring-intake, training-scheduling, effectiveness-review
READY_TIMEOUT_S = float(os.environ.get("TRAINING_READY_TIMEOUT", "10"))
STOP_TIMEOUT_S = 20.0  # the server's default shutdown grace is 10 s


def bin_dir() -> Path:
    d = Path(os.environ.get("TRAINING_BIN_DIR", REPO_ROOT / ".build" / "debug"))
    return d if d.is_absolute() else REPO_ROOT / d


@dataclass
class RunningService:
    executable: str
    service_name: str  # e.g. training.v1.ScoringIntake
    socket_path: Path
    database_path: Path
    log_path: Path
    process: subprocess.Popen
    witness: Connection | None = None  # opened at start; must survive every test's abuse

    def connect(self, io_timeout: float = 10.0) -> Connection:
        return Connection.connect(self.socket_path, io_timeout=io_timeout)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(text[-lines:])

    def describe(self) -> str:
        return f"{self.executable} (pid {self.process.pid}, socket {self.socket_path})\n--- log tail ---\n{self.log_tail()}"


def start_service(executable: str, workdir: Path, extra_args: list[str] | None = None,
                  socket_path: Path | None = None, socket_flag: bool = True) -> RunningService:
    """Starts one executable with --socket (unless socket_flag is False: then the process
    must find socket_path itself, e.g. from its environment variable) and --database."""
    path = bin_dir() / executable
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"service executable not found: {path}\n"
            f"Build it (swift build) or set TRAINING_BIN_DIR to the directory holding "
            f"{', '.join(EXECUTABLES)}.", pytrace=False)
    sock = socket_path or workdir / f"{executable}.sock"
    db = workdir / f"{executable}.sqlite"
    log = workdir / f"{executable}.log"
    with open(log, "wb") as logf:
        proc = subprocess.Popen(
            [str(path), *(["--socket", str(sock)] if socket_flag else []), "--database", str(db),
             *(extra_args or [])],
            stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT, cwd=workdir)
    return RunningService(executable, SERVICE_NAMES[executable], sock, db, log, proc)


def await_ready(svc: RunningService) -> None:
    try:
        wait_until_serving(svc.socket_path, READY_TIMEOUT_S, alive=lambda: svc.process.poll() is None)
    except Exception as e:
        rc = svc.process.poll()
        if rc is None:
            svc.process.kill()
            svc.process.wait()
        pytest.fail(f"{svc.executable} did not become SERVING: {e} (exit code {rc})\n{svc.describe()}",
                    pytrace=False)


def stop_service(svc: RunningService) -> list[str]:
    """SIGTERM, then the contract: exit code 0 within the grace period and the socket file gone."""
    problems = []
    if svc.witness is not None:
        svc.witness.close()
    rc = svc.process.poll()
    if rc is not None:
        return [f"{svc.executable} had already exited with {rc} before SIGTERM\n{svc.describe()}"]
    svc.process.send_signal(signal.SIGTERM)
    try:
        rc = svc.process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        svc.process.kill()
        svc.process.wait()
        return [f"{svc.executable} did not exit within {STOP_TIMEOUT_S} s of SIGTERM\n{svc.describe()}"]
    if rc != 0:
        problems.append(f"{svc.executable} exited with {rc} after SIGTERM, expected 0\n{svc.describe()}")
    if svc.socket_path.exists():
        problems.append(f"{svc.executable} left its socket file {svc.socket_path} behind")
    return problems


