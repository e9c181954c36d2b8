"""README.md's "A bot that runs a quiz", run word for word (only the key filled in) against a
real ``campfire serve --demo`` process: it prints every question, every reveal and the final
ranking, and ends because every member answers."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## A bot that runs a quiz", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "README.md has no python block under 'A bot that runs a quiz'"
    return match.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[int, str]]:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CAMPFIRE_DATA_DIR": str(tmp_path),
           "CAMPFIRE_STORE": str(tmp_path / "campfire.db")}
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--demo", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        key = None
        assert proc.stdout is not None
        seen = []
        for line in proc.stdout:  # the banner is printed once the server listens
            seen.append(line)
            found = re.search(r"demo key:\s+(cf_\S+)", line)
            if found:
                key = found.group(1)
                break
        assert key, "the demo server printed no key: " + "".join(seen)
        yield port, key
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_readme_quiz_prints_each_question_reveal_and_the_ranking(demo_server: tuple[int, str]) -> None:
    port, key = demo_server
    code = readme_example()
    assert "cf_…the key make demo printed…" in code
    code = code.replace("cf_…the key make demo printed…", key).replace("127.0.0.1:8765", f"127.0.0.1:{port}")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=90,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines if re.match(r"Q\d+:", line)] == ["Q1", "Q2", "Q3"]
    assert len([line for line in lines if line.strip().startswith("answer:")]) == 3
    ranking = [line for line in lines if re.match(r"\d+\. (Alice|Bob) \d+", line)]
    assert sorted(line.split()[1] for line in ranking) == ["Alice", "Bob"]
    winners = next(line for line in lines if line.startswith("winners:"))
    scores = {line.split()[1]: int(line.split()[2]) for line in ranking}
    if max(scores.values()) == 0:
        assert winners == "winners: nobody scored"
    else:
        assert "Alice" in winners or "Bob" in winners
