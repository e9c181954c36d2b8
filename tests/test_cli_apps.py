"""`campfire apps`: a key is printed once and stored only hashed; revoked keys stop working."""
from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from server.auth import hash_key
from server.cli import main
from server.store import KeyRecord, open_store


def _create(db: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    assert main(["apps", "create", "My Bot", "--store", str(db)]) == 0
    out = capsys.readouterr().out
    app = re.search(r"app:\s+(app_\w+)", out)
    key = re.search(r"key:\s+(cf_\S+)", out)
    assert app and key
    return app.group(1), key.group(1)


def test_apps_create_prints_a_key_that_is_stored_only_hashed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.db"
    _, key = _create(db, capsys)
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("c.db"))
    assert key.encode() not in raw
    assert hash_key(key).encode() in raw


def test_a_revoked_key_is_marked_revoked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.db"
    app, key = _create(db, capsys)
    assert main(["apps", "revoke", key, "--store", str(db)]) == 0
    assert main(["apps", "revoke", key, "--store", str(db)]) == 1  # already revoked

    async def read() -> KeyRecord | None:
        store = await open_store(str(db))
        try:
            return await store.find_key(hash_key(key))
        finally:
            await store.close()

    record = asyncio.run(read())
    assert record is not None and record.app == app and record.revoked_at is not None


def test_apps_list_shows_key_prefixes_not_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.db"
    _, key = _create(db, capsys)
    assert main(["apps", "list", "--store", str(db)]) == 0
    out = capsys.readouterr().out
    assert key[:8] in out and key not in out
