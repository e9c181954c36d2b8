"""A bot installs only the SDK: it must import and work with websockets and msgpack alone,
without the server's dependencies or the server's own packages."""
from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKED = ["starlette", "uvicorn", "redis", "pypinyin", "opencc", "rapidfuzz", "openpyxl", "server", "games"]


def test_the_sdk_imports_without_any_server_dependency() -> None:
    code = textwrap.dedent(f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {BLOCKED!r}:
                    raise ImportError("blocked: " + name)
                return None
        sys.meta_path.insert(0, Block())
        import sdk, sdk.bridge, sdk.router, sdk.activity
        from sdk import Client
        Client("ws://127.0.0.1:1/ws", key="cf_x")
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_the_base_install_asks_only_for_websockets_and_msgpack() -> None:
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]
    assert sorted(d.split(">")[0].split("<")[0].split("=")[0] for d in project["dependencies"]) == ["msgpack", "websockets"]
