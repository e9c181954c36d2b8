"""Start a server under test on core 0, drive it from a load process on core 1, read /proc.

The load process and the harness talk over pipes in lines: the load prints ``MARK <label>``
when it reaches a point worth measuring and waits; the harness reads the server's CPU time and
RSS, then answers ``OK``. The load ends with ``RESULT <json>``. So server cost is measured
exactly over the window the load defines, without the harness guessing at timings.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PEERS_DIR = BENCH / ".peers"
COLYSEUS_SRC = BENCH / "peers" / "colyseus"
COLYSEUS_DIR = PEERS_DIR / "colyseus"
PYTHON = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")
SERVER_CORE, LOAD_CORE = "0", "1"

# Campfire's per-connection rate limits protect a real service from a flood; a bench bot *is*
# a flood by design, so the bench raises them (documented in docs/PERFORMANCE.md).
# The connection cap is raised too, so the connections part finds the machine's limit, not the
# default setting's (10,000).
CAMPFIRE_ENV = {"CAMPFIRE_FRAMES_PER_SECOND": "1000000", "CAMPFIRE_FRAME_BURST": "1000000",
                "CAMPFIRE_MAX_CONNECTIONS": "20000"}


def pinned(cmd: list[str], core: str) -> list[str]:
    """Prefix with taskset when there are two cores to split; otherwise run unpinned."""
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", core, *cmd]
    return cmd


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def sample(pid: int) -> dict[str, float]:
    return {"cpu": cpu_seconds(pid), "rss_kib": rss_kib(pid), "t": time.monotonic()}


# ---------------------------------------------------------------------------------------
# Peers' setup


def setup_colyseus(quiet: bool = False) -> bool:
    """Copy our package.json and JS into bench/.peers/colyseus and npm-install there (once)."""
    if not shutil.which("node") or not shutil.which("npm"):
        if not quiet:
            print("colyseus: node/npm not found; skipping that peer", file=sys.stderr)
        return False
    COLYSEUS_DIR.mkdir(parents=True, exist_ok=True)
    src_pkg = (COLYSEUS_SRC / "package.json").read_bytes()
    dst_pkg = COLYSEUS_DIR / "package.json"
    stale = not dst_pkg.exists() or dst_pkg.read_bytes() != src_pkg or not (COLYSEUS_DIR / "node_modules").exists()
    for name in ("package.json", "server.js"):
        shutil.copyfile(COLYSEUS_SRC / name, COLYSEUS_DIR / name)
    if stale:
        print("colyseus: npm install into bench/.peers/colyseus ...", file=sys.stderr)
        proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
                              cwd=COLYSEUS_DIR, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            print(f"colyseus: npm install failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
            return False
    return True


# ---------------------------------------------------------------------------------------
# Servers


@dataclass
class Server:
    kind: str
    proc: subprocess.Popen[bytes]
    port: int
    info: dict[str, Any] = field(default_factory=dict)
    tmp: tempfile.TemporaryDirectory[str] | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.tmp is not None:
            self.tmp.cleanup()
            self.tmp = None


def _wait_tcp(port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} not ready after {timeout}s")


def _wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=0.5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} not ready after {timeout}s")


def campfire_bin() -> str:
    local = Path(PYTHON).parent / "campfire"
    return str(local) if local.exists() else (shutil.which("campfire") or "campfire")


def start_server(kind: str, log: Any = None) -> Server:
    port = free_port()
    out = log if log is not None else subprocess.DEVNULL
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if kind == "ceiling":
        cmd = [PYTHON, "-m", "bench.peers.ceiling", "--port", str(port)]
        proc = subprocess.Popen(pinned(cmd, SERVER_CORE), cwd=ROOT, env=env, stdout=out, stderr=out)
        server = Server(kind, proc, port)
        _wait_tcp(port, proc, 20)
    elif kind == "socketio":
        cmd = [PYTHON, "-m", "bench.peers.sio_server", "--port", str(port)]
        proc = subprocess.Popen(pinned(cmd, SERVER_CORE), cwd=ROOT, env=env, stdout=out, stderr=out)
        server = Server(kind, proc, port)
        _wait_tcp(port, proc, 20)
    elif kind == "colyseus":
        cmd = ["node", "server.js", str(port)]
        proc = subprocess.Popen(pinned(cmd, SERVER_CORE), cwd=COLYSEUS_DIR, env=env, stdout=out, stderr=out)
        server = Server(kind, proc, port)
        _wait_tcp(port, proc, 30)
    elif kind == "campfire":
        tmp = tempfile.TemporaryDirectory(prefix="campfire-bench-")
        store = os.path.join(tmp.name, "bench.db")
        created = subprocess.run([campfire_bin(), "apps", "create", "bench", "--store", store],
                                 cwd=ROOT, capture_output=True, text=True, timeout=60)
        info: dict[str, Any] = {}
        for line in created.stdout.splitlines():
            if line.startswith("app:"):
                info["app"] = line.split()[1]
            elif line.startswith("key:"):
                info["key"] = line.split()[1]
        if "key" not in info:
            tmp.cleanup()
            raise RuntimeError(f"campfire apps create failed: {created.stdout}{created.stderr}")
        cmd = [campfire_bin(), "serve", "--store", store, "--port", str(port), "--log-level", "warning"]
        proc = subprocess.Popen(pinned(cmd, SERVER_CORE), cwd=tmp.name, env=dict(env, **CAMPFIRE_ENV),
                                stdout=out, stderr=out)
        server = Server(kind, proc, port, info, tmp)
        try:
            _wait_http(f"http://127.0.0.1:{port}/healthz", proc, 30)
        except Exception:
            server.stop()
            raise
    else:
        raise ValueError(f"unknown server kind {kind!r}")
    return server


# ---------------------------------------------------------------------------------------
# Load


def run_load(server: Server, scenario: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one load process against ``server``; returns its result plus server samples per mark."""
    spec = json.dumps({"scenario": scenario, "target": server.kind, "port": server.port,
                       "info": server.info, "params": params})
    cmd = pinned([PYTHON, "-m", "bench.load", spec], LOAD_CORE)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    marks: dict[str, dict[str, float]] = {}
    result: dict[str, Any] | None = None
    deadline = time.monotonic() + timeout
    try:
        assert proc.stdout is not None and proc.stdin is not None
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        while result is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{scenario} on {server.kind}: load did not finish in {timeout:.0f}s")
            if not sel.select(min(left, 1.0)):
                if proc.poll() is not None:
                    break
                continue
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("MARK "):
                marks[line[5:].strip()] = sample(server.pid)
                proc.stdin.write("OK\n")
                proc.stdin.flush()
            elif line.startswith("RESULT "):
                result = json.loads(line[7:])
        sel.close()
    finally:
        if proc.poll() is None:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        err = proc.stderr.read() if proc.stderr else ""
    if result is None:
        raise RuntimeError(f"{scenario} on {server.kind}: load failed (rc={proc.returncode}):\n{err[-3000:]}")
    result["marks"] = marks
    result["server_alive"] = server.proc.poll() is None
    return result


def window(result: dict[str, Any], start: str, end: str) -> dict[str, float]:
    a, b = result["marks"][start], result["marks"][end]
    return {"cpu_s": b["cpu"] - a["cpu"], "wall_s": b["t"] - a["t"], "rss_kib": b["rss_kib"],
            "rss_delta_kib": b["rss_kib"] - a["rss_kib"]}
