"""The benchmark harness still runs: a short fan-out against the bare-websockets ceiling only.

Benchmarks are not part of the test suite; this only proves the harness produces figures
(no timing is asserted: this machine is shared and noisy)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_fanout_against_the_ceiling_produces_figures(tmp_path: Path) -> None:
    out = tmp_path / "smoke.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "fanout", "--quick", "--servers", "ceiling", "--sizes", "10",
         "--rate", "5000", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "deliveries per server CPU-s" in proc.stdout
    run = json.loads(out.read_text())["parts"]["fanout"]["runs"]["ceiling"][0]["10"]
    assert run["delivered"] == run["expected"] > 0
    assert run["deliveries_per_s"] > 0 and run["p99_ms"] is not None
