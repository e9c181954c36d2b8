"""The embedded store is one process (issue 10, item 8; docs/ARCHITECTURE.md principle 8): a
second ``campfire serve`` on the same SQLite file is refused at start with a clear message,
while the CLI's own commands still read the file beside the running server."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "CAMPFIRE_DATA_DIR": str(tmp_path / "data")}


def _serve(tmp_path: Path, db: Path, stderr: int = subprocess.DEVNULL) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", "0", "--store", str(db)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True, env=_env(tmp_path))


def _until_listening(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("campfire: listening on"):
            return
    raise AssertionError(f"serve ended before listening: {proc.wait(timeout=30)}")


@pytest.fixture
def first(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    proc = _serve(tmp_path, tmp_path / "c.db")
    try:
        _until_listening(proc)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_second_serve_on_the_same_sqlite_file_is_refused_with_a_clear_message(
        tmp_path: Path, first: subprocess.Popen[str]) -> None:
    second = _serve(tmp_path, tmp_path / "c.db", stderr=subprocess.PIPE)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 1
    assert "listening" not in out
    assert f"(pid {first.pid}) already serves the SQLite store {tmp_path / 'c.db'}" in err
    assert "redis://" in err and "Traceback" not in err
    assert first.poll() is None  # the first one serves on


def test_the_cli_still_reads_the_file_the_server_holds(tmp_path: Path, first: subprocess.Popen[str]) -> None:
    listed = subprocess.run([sys.executable, "-m", "server.cli", "apps", "list", "--store", str(tmp_path / "c.db")],
                            cwd=ROOT, capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert listed.returncode == 0, listed.stderr


def test_a_serve_on_another_file_runs_beside_it(tmp_path: Path, first: subprocess.Popen[str]) -> None:
    other = _serve(tmp_path, tmp_path / "other.db")
    try:
        _until_listening(other)
    finally:
        other.terminate()
        other.wait(timeout=30)


def test_the_file_can_be_served_again_once_its_server_has_stopped(tmp_path: Path) -> None:
    proc = _serve(tmp_path, tmp_path / "c.db")
    _until_listening(proc)
    proc.kill()  # even kill -9: the kernel drops the lock with the process
    proc.wait(timeout=30)
    again = _serve(tmp_path, tmp_path / "c.db")
    try:
        _until_listening(again)
    finally:
        again.terminate()
        again.wait(timeout=30)
