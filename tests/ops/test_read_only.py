"""A read-only operator key reads everything of its app and changes nothing, over the
websocket and REST (docs/operators.md, "The console")."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.auth import READ_ONLY_PREFIX, add_key
from server.cli import main
from server.handlers import load_all
from server.readonly import READ_FRAMES, WRITE_FRAMES
from server.run import EmbeddedServer
from server.store import Store


@pytest.fixture
async def read_only_key(store: Store, app_key: str) -> str:
    app = (await store.list_apps())[0]
    return await add_key(store, app.id, read_only=True)


def test_every_frame_type_is_either_a_read_or_a_write() -> None:
    routes = set(load_all())
    assert READ_FRAMES.isdisjoint(WRITE_FRAMES)
    assert routes - READ_FRAMES - WRITE_FRAMES == set(), "classify new frames in server/readonly.py"


async def test_a_read_only_key_reads_over_the_websocket(connect: Any, app_key: str, read_only_key: str) -> None:
    bot = await connect()
    await bot.hello(app_key)
    await bot.request("room.create", {"group": "g1", "game": "quiz", "config": {"questions": 1}})
    viewer = await connect()
    welcome = await viewer.hello(read_only_key)
    assert welcome["type"] == "welcome" and welcome["data"]["role"] == "bot"
    listed = await viewer.request("room.list", {"group": "g1"})
    assert listed["type"] == "ok" and len(listed["data"]["rooms"]) == 1
    assert (await viewer.request("board.top", {"group": "g1"}))["type"] == "ok"


@pytest.mark.parametrize("kind, data", [
    ("room.create", {"group": "g2", "game": "quiz"}),
    ("checkin", {"group": "g1", "player": "u1"}),
    ("board.op", {"group": "g1", "member": "u1", "op": "set", "value": 5}),
    ("token.mint", {"group": "g1", "player": "u1"}),
    ("group.set", {"group": "g1", "settings": {"lang": "en"}}),
])
async def test_a_read_only_key_cannot_write_over_the_websocket(connect: Any, read_only_key: str, kind: str,
                                                               data: dict[str, Any]) -> None:
    viewer = await connect()
    await viewer.hello(read_only_key)
    reply = await viewer.request(kind, data)
    assert reply["type"] == "error" and reply["data"]["code"] == "forbidden"
    assert (await viewer.request("ping"))["type"] == "ok"  # the connection stays


async def test_a_read_only_key_reads_and_cannot_write_over_rest(server: EmbeddedServer, read_only_key: str) -> None:
    headers = {"authorization": f"Bearer {read_only_key}"}
    async with httpx.AsyncClient(base_url=server.http) as http:
        me = (await http.get("/v1/app", headers=headers)).json()
        assert me["read_only"] is True
        assert (await http.get("/v1/boards/top", headers=headers)).status_code == 200
        refused = await http.put("/v1/groups/g1", json={"lang": "en"}, headers=headers)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        assert (await http.get("/v1/groups/g1", headers=headers)).json()["settings"] == {}


def test_the_cli_creates_a_read_only_key_and_lists_it_as_such(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "c.db")
    assert main(["apps", "create", "Tea House", "--store", db]) == 0
    capsys.readouterr()
    assert main(["apps", "keys", "create", "Tea House", "--read-only", "--store", db]) == 0
    key = re.search(r"key:\s+(\S+)", capsys.readouterr().out)
    assert key and key.group(1).startswith(READ_ONLY_PREFIX)
    assert main(["apps", "list", "--store", db]) == 0
    assert "(read-only)" in capsys.readouterr().out


async def test_a_read_only_mark_cannot_be_added_to_a_full_key(server: EmbeddedServer, app_key: str) -> None:
    forged = READ_ONLY_PREFIX + app_key[len("cf_"):]
    async with httpx.AsyncClient(base_url=server.http) as http:
        response = await http.get("/v1/app", headers={"authorization": f"Bearer {forged}"})
    assert response.status_code == 401
