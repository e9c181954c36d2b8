"""docs/PROTOCOL.md is the contract: every frame type the server handles and every error code it
can send must be documented there."""
from __future__ import annotations

import re
from pathlib import Path

from server.handlers import load_all
from server.protocol import ERRORS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _documented_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (DOCS / "PROTOCOL.md",)
                     if p.exists())


def test_every_frame_type_the_server_handles_is_documented() -> None:
    text = _documented_text()
    missing = [t for t in sorted(load_all()) if f"`{t}" not in text]
    assert not missing, f"frame types missing from docs/PROTOCOL.md: {missing}"


def test_every_error_code_is_in_the_error_table() -> None:
    text = (DOCS / "PROTOCOL.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.M))
    assert set(ERRORS) <= table, f"codes missing from the table: {sorted(set(ERRORS) - table)}"


def test_every_documented_setting_in_the_limits_table_exists() -> None:
    from server.config import Settings

    text = (DOCS / "PROTOCOL.md").read_text(encoding="utf-8")
    section = text.split("## Limits", 1)[1].split("##", 1)[0]
    for name in re.findall(r"^\| `([a-z_]+)`", section, flags=re.M):
        assert name in Settings.names(), name
