"""``campfire serve`` says where it listens and which store it uses, with and without --demo."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def first_lines(tmp_path: Path, *extra: str, until: str) -> list[str]:
    cmd = [sys.executable, "-m", "server.cli", "serve", "--port", "0", "--store", str(tmp_path / "c.db"), *extra]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                 "CAMPFIRE_DATA_DIR": str(tmp_path / "data")})
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if until in line:
                break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return lines


@pytest.mark.parametrize("extra", [(), ("--demo",)])
def test_serve_prints_its_address_and_its_store(tmp_path: Path, extra: tuple[str, ...]) -> None:
    lines = first_lines(tmp_path, *extra, until="demo key" if extra else "listening on")
    listening = [line for line in lines if line.startswith("campfire: listening on http://127.0.0.1:")]
    assert listening, lines
    assert f"store: SQLite at {tmp_path / 'c.db'}" in listening[0]
    assert "/ws" in listening[0] and "/console" in listening[0]
