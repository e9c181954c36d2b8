"""Fuzz: a seeded corpus of malformed frames against a live server (issue 11, item 5).

The corpus is generated from the same schemas the handlers validate with (``load_all()``):
for every frame type and every field, values of every wrong type, huge and non-finite numbers,
over-long and empty strings, deep and wide nesting, binary and extension values, missing and
unknown fields; then random combinations of those, broken envelopes, undecodable bytes, JSON
text frames with NaN literals, lone surrogates and nesting past the decoder's limit, invalid
UTF-8 text frames, and a flood. Over 10,000 frames in all, the same ones every run.

What must hold: no reply is ever `internal`, nothing is logged with a traceback (nor at
ERROR), every frame that has an id gets its answer, and afterwards the server, a new
connection and a live room that was playing all along still work.
"""
from __future__ import annotations

import json
import logging
import math
import random
from typing import Any, Iterator

import msgpack
import pytest
import websockets

from server.clock import ManualClock
from server.config import Settings
from server.handlers import load_all
from server.run import EmbeddedServer
from server.store import Store
from tests.conftest import RawClient

SEED = 20261130
RANDOM_FRAMES = 7_000
BATCH = 400


def _deep(depth: int) -> Any:
    value: Any = "bottom"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


# Values of every kind a field should not get (and some it may): each field meets each one.
BAD_VALUES: list[Any] = [
    None, True, False, 0, -1, 7, 2**31, 2**53, 2**53 + 1, 2**63, 2**64 - 1, -(2**63),
    0.5, -0.0, 1e-320, 1e308, -1e308, math.inf, -math.inf, math.nan,
    "", " ", "x", "x" * 300, "x" * 5000, "\x00", "🔥" * 50, "room_", "cf_", "g1", "quiz", "2025-13-40", "0000-01",
    [], [1], ["a", "b"], [None] * 50, list(range(5000)), {}, {"a": 1}, {"": None}, {"k": {"k": {"k": 1}}},
    _deep(20), _deep(200), b"", b"\xff" * 10, msgpack.ExtType(7, b"x"),
]


def _frame_types() -> dict[str, dict[str, Any]]:
    return {name: route.schema.fields for name, route in load_all().items()}


def _field_frames(types: dict[str, dict[str, Any]], room: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every frame type × every field × every bad value, with the other fields plausible."""
    plausible = {"room": room, "group": "gf", "player": "u1", "game": "quiz", "member": "u1", "name": "U",
                 "day": "2026-01-01", "batch": "b", "events": [], "op": "set", "value": 1, "settings": {},
                 "action": {"answer": 0}, "data": {}, "members": ["u1"], "protocol": [1]}
    for frame_type, fields in sorted(types.items()):
        base = {name: plausible[name] for name in fields if name in plausible}
        for name in fields:
            for bad in BAD_VALUES:
                yield frame_type, {**base, name: bad}
        yield frame_type, {}  # every required field missing
        yield frame_type, {**base, "unknown_field": 1}


def _random_frames(rng: random.Random, types: dict[str, dict[str, Any]], rooms: list[str],
                   count: int) -> Iterator[tuple[str, dict[str, Any]]]:
    names = sorted(types) + ["hello", "no.such.type", ""]
    field_names = sorted({f for fields in types.values() for f in fields}) + ["id", "type", "zzz"]
    keys = ["answer", "describe", "vote", "guess", "move", "at", "word", "choose", "strokes", "stroke", "undo",
            "clear", "resign", "draw", "index", "title", "artist", "x", "y", "color", "width", "points"]
    actions = [{k: v} for k in keys for v in BAD_VALUES] + [{}, {"describe": "x"}, {"move": "H8"}]
    for _ in range(count):
        frame_type = rng.choice(names)
        data: dict[str, Any] = {}
        for _ in range(rng.randint(0, 4)):
            data[rng.choice(field_names)] = rng.choice(BAD_VALUES)
        if rng.random() < 0.3:
            data["room"] = rng.choice(rooms)
        if rng.random() < 0.3:
            frame_type, data = "room.act", {"room": rng.choice(rooms), "player": rng.choice(["p0", "p1", "x"]),
                                            "action": rng.choice(actions)}
        yield frame_type, data


def _broken_envelopes(rng: random.Random) -> list[bytes]:
    """Binary frames that are not a proper envelope, or not MessagePack at all."""
    out = [msgpack.packb(v, use_bin_type=True) for v in BAD_VALUES if not isinstance(v, float) or math.isfinite(v)]
    out += [msgpack.packb({"type": t, "id": 9_000_000 + i, "data": {}}, use_bin_type=True)
            for i, t in enumerate(BAD_VALUES[:25])]
    out += [msgpack.packb({"type": "ping", "id": bad, "data": {}}, use_bin_type=True)
            for bad in ([], {}, 1.5, None, b"x")]
    out += [msgpack.packb({"type": "ping", "data": bad}, use_bin_type=True) for bad in (1, "x", [1], b"")]
    out += [msgpack.packb({1: 2, "type": "ping"}, use_bin_type=True), b"", b"\xc1", b"\x81\xa4type",
            b"\xdd\xff\xff\xff\xff", b"\x91" * 2000 + b"\xc0"]
    out += [bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64))) for _ in range(400)]
    return out


def _json_texts(rng: random.Random, types: dict[str, dict[str, Any]]) -> list[str]:
    """Text frames only JSON can carry: NaN/Infinity literals, lone surrogates, huge integers,
    nesting past the decoder's limit, truncation."""
    out: list[str] = []
    for i, frame_type in enumerate(sorted(types)):
        for name in list(types[frame_type]) or ["x"]:
            for raw in ("NaN", "-Infinity", '"\\ud800"', '"a\\udfff"', "1" * 400, "[" * 3000 + "]" * 3000,
                        "1e999", '{"\\ud83d": 1}'):
                out.append(f'{{"type": "{frame_type}", "id": {50_000 + i}, "data": {{"{name}": {raw}}}}}')
    out += ['{"type": "ping"', "[]", "null", '"ping"', '{"type": "ping", "id": 1, "data": 1}', "{" * 5000]
    out += [json.dumps({"type": "ping", "id": i, "data": {"t": rng.random()}}) for i in range(50)]
    return out


async def _bot(url: str, key: str, binary: bool = True) -> RawClient:
    c = RawClient(await websockets.connect(url, max_size=None), binary)
    assert (await c.hello(key=key))["type"] == "welcome"
    return c


async def _sync(c: RawClient, marker: int) -> list[dict[str, Any]]:
    """Everything received until the answer to a ping with id ``marker``."""
    await c.send({"type": "ping", "id": marker, "data": {}})
    got: list[dict[str, Any]] = []
    while True:
        frame = await c.recv(timeout=30)
        if frame.get("id") == marker and frame["type"] == "ok":
            return got
        got.append(frame)


def _codes(frames: list[dict[str, Any]]) -> list[str]:
    return [f["data"].get("code", "") for f in frames if f["type"] == "error"]


async def _victims(bot: RawClient) -> list[str]:
    """One playing room of every game that starts with up to six players (the others in their lobby)."""
    rooms = []
    for game in (await bot.request("games.list", {}))["data"]["games"]:
        name = game["name"]
        created = await bot.request("room.create", {"group": f"gf-{name}", "game": name})
        if created["type"] != "ok":
            continue
        room = created["data"]["room"]["id"]
        rooms.append(room)
        for i in range(6):
            await bot.request("room.join", {"room": room, "player": f"p{i}"})
            if (await bot.request("room.start", {"room": room}))["type"] == "ok":
                break
    return rooms


async def _playing_room(bot: RawClient) -> str:
    room = (await bot.request("room.create", {"group": "witness", "game": "quiz",
                                              "config": {"questions": 5}}))["data"]["room"]["id"]
    for p in ("w1", "w2"):
        assert (await bot.request("room.join", {"room": room, "player": p}))["type"] == "ok"
    assert (await bot.request("room.start", {"room": room}))["type"] == "ok"
    return str(room)


async def test_ten_thousand_malformed_frames_get_no_internal_error_and_no_traceback(
        settings: Settings, clock: ManualClock, store: Store, app_key: str,
        caplog: pytest.LogCaptureFixture) -> None:
    rng = random.Random(SEED)
    # Rate limits are not under test here (the flood below is): the corpus goes out at full speed.
    fast = settings.with_values({"frames_per_second": 1e9, "frame_burst": 1_000_000_000,
                                 "send_queue_frames": 1_000_000}, "test")
    server = EmbeddedServer(fast, clock=clock, store=store, seeds=lambda: 5)
    sent = 0
    with caplog.at_level(logging.INFO):
        async with server.running():
            bot = await _bot(server.url, app_key)
            witness = await _playing_room(bot)
            victims = await _victims(bot)
            victim = victims[0]
            token = (await bot.request("token.mint", {"group": "gf", "player": "u1"}))["data"]["token"]
            member = RawClient(await websockets.connect(server.url, max_size=None))
            assert (await member.hello(token=token))["type"] == "welcome"

            types = _frame_types()
            corpus = list(_field_frames(types, victim)) + list(_random_frames(rng, types, victims, RANDOM_FRAMES))
            received: list[dict[str, Any]] = []
            for start in range(0, len(corpus), BATCH):
                for offset, (frame_type, data) in enumerate(corpus[start:start + BATCH]):
                    conn = member if (start + offset) % 5 == 0 else bot
                    await conn.send({"type": frame_type, "id": start + offset + 1, "data": data})
                    sent += 1
                received += await _sync(bot, -1 - start) + await _sync(member, -1 - start)

            for raw in _broken_envelopes(rng):
                await bot.send_raw(raw)
                sent += 1
            received += await _sync(bot, -2)

            text = await _bot(server.url, app_key, binary=False)
            for raw_text in _json_texts(rng, types):
                await text.send_raw(raw_text)
                sent += 1
            received += await _sync(text, -3)

            for i in range(20):  # invalid UTF-8 in text frames: 1007, one line each in the log
                c = RawClient(await websockets.connect(server.url))
                await c.ws.send(b'{"type": "ping", "id": 1, "data": {"t": "\xc3\x28' + bytes([i]) + b'"}}', text=True)
                with pytest.raises(websockets.ConnectionClosed):
                    await c.recv()
                sent += 1

            codes = _codes(received)
            assert "internal" not in codes
            assert {"invalid_payload", "bad_frame", "unknown_type", "forbidden"} <= set(codes)

            # The server, a new connection and the live room all still work.
            fresh = await _bot(server.url, app_key)
            assert (await fresh.request("room.get", {"room": witness}))["data"]["room"]["status"] == "playing"
            reply = await fresh.request("room.act", {"room": witness, "player": "w1", "action": {"answer": 0}})
            assert reply["type"] == "ok" or reply["data"]["code"] not in ("internal", "unknown_room")
            await clock.advance(120)
            assert (await fresh.request("ping", {"t": 1}))["data"]["t"] == 1
    assert sent >= 10_000
    noisy = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert noisy == [], [r.getMessage() for r in noisy[:5]]


async def test_a_flood_gets_rate_limited_answers_with_ids_and_the_connection_and_room_survive(
        server: EmbeddedServer, app_key: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        bot = await _bot(server.url, app_key)
        room = await _playing_room(bot)
        for i in range(2_000):
            await bot.send({"type": "ping", "id": 10_000 + i, "data": {}})
        replies = [await bot.recv(timeout=30) for _ in range(2_000)]
        assert sorted(r["id"] for r in replies) == list(range(10_000, 12_000))
        assert {r["data"]["code"] for r in replies if r["type"] == "error"} == {"rate_limited"}
        other = await _bot(server.url, app_key)
        assert (await other.request("room.get", {"room": room}))["data"]["room"]["status"] == "playing"
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []
