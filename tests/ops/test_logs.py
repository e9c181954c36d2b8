"""Logs worth reading (docs/operators.md, "Logs"): each moment carries the ids an operator
searches by, in text or JSON, from a real server."""
from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from sdk import Client
from server.clock import ManualClock
from server.logs import JsonFormatter, TextFormatter
from server.run import EmbeddedServer


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the ``campfire`` loggers write, as the JSON formatter renders it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("campfire")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield out
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


async def test_a_rooms_life_is_logged_with_app_group_and_room(server: EmbeddedServer, clock: ManualClock,
                                                              app_key: str, json_lines: io.StringIO) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1, "seconds": 10, "reveal_seconds": 1})
        await bot.join(room.id, "u1", "Alice")
        await bot.start(room.id)
        await clock.advance(11)
        await clock.advance(2)
        await bot.next_event("game_over", timeout=5)
    mine = [line for line in lines(json_lines) if line.get("room") == room.id]
    assert [line["message"].split(",")[0].split(" with")[0] for line in mine] == [
        "room created", "room started", "room finished"]
    assert all(line["group"] == "g1" and line["game"] == "quiz" and str(line["app"]).startswith("app_")
               for line in mine)


async def test_a_refused_key_is_logged_with_the_request_id(server: EmbeddedServer,
                                                           json_lines: io.StringIO) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{server.http}/v1/app", headers={"authorization": "Bearer cf_wrong",
                                                                     "x-request-id": "req-42"})
    assert response.status_code == 401 and response.headers["x-request-id"] == "req-42"
    [refusal] = [line for line in lines(json_lines) if line["logger"] == "campfire.auth"]
    assert refusal["level"] == "warning" and refusal["code"] == "unauthorized" and refusal["request"] == "req-42"


async def test_a_key_used_on_the_websocket_is_logged_by_its_prefix_only(server: EmbeddedServer, app_key: str,
                                                                        json_lines: io.StringIO) -> None:
    async with Client(server.url, app_key):
        pass
    [used] = [line for line in lines(json_lines) if line["logger"] == "campfire.auth"]
    assert used["key_prefix"] == app_key[:8] and app_key not in json.dumps(used)


def test_the_text_format_appends_the_ids() -> None:
    record = logging.LogRecord("campfire.rooms", logging.INFO, __file__, 1, "room created", None, None)
    record.room, record.group = "room_1", "g1"
    assert TextFormatter().format(record).endswith("room created  [group=g1 room=room_1]")
