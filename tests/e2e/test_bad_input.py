"""Bad input gets an error frame with a stable code; the connection stays open where it
safely can, the room goes on, and nothing already recorded is lost."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

import msgpack
import pytest
import websockets

from server.auth import hash_key
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store
from tests.conftest import RawClient

Connect = Callable[..., Awaitable[RawClient]]


async def _bot(connect: Connect, key: str, binary: bool = True) -> RawClient:
    c = await connect(binary)
    assert (await c.hello(key=key))["type"] == "welcome"
    return c


async def _still_open(c: RawClient) -> None:
    reply = await c.request("ping", {"t": 1})
    assert reply["type"] == "ok" and reply["data"]["t"] == 1


async def _playing_quiz(c: RawClient, players: int = 2) -> str:
    room = (await c.request("room.create", {"group": "g1", "game": "quiz", "config": {"questions": 2}}))["data"]["room"]["id"]
    for i in range(players):
        await c.request("room.join", {"room": room, "player": f"u{i}", "name": f"U{i}"})
    assert (await c.request("room.start", {"room": room}))["type"] == "ok"
    return room


async def _error(c: RawClient, raw: Any = None) -> dict[str, Any]:
    if raw is not None:
        await c.send_raw(raw)
    while True:
        frame = await c.recv()
        if frame["type"] == "error":
            return frame["data"]


async def test_malformed_msgpack_gets_bad_frame_and_the_connection_stays(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    assert (await _error(c, b"\xc1\xff\x00garbage"))["code"] == "bad_frame"
    await _still_open(c)


async def test_malformed_json_gets_bad_frame_and_the_connection_stays(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key, binary=False)
    assert (await _error(c, '{"type": "ping", "data": '))["code"] == "bad_frame"
    await _still_open(c)


@pytest.mark.parametrize("frame", [[1, 2, 3], {"data": {}}, {"type": 7}, {"type": "ping", "data": [1]},
                                   {"type": "ping", "id": [1]}])
async def test_a_frame_that_is_not_an_envelope_gets_bad_frame(connect: Connect, app_key: str, frame: Any) -> None:
    c = await _bot(connect, app_key)
    assert (await _error(c, msgpack.packb(frame)))["code"] == "bad_frame"
    await _still_open(c)


async def test_an_unknown_frame_type_gets_unknown_type_with_the_request_id(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    reply = await c.request("room.explode", {})
    assert reply["type"] == "error" and reply["data"]["code"] == "unknown_type"
    await _still_open(c)


async def test_a_frame_over_the_size_limit_gets_frame_too_large_and_the_connection_stays(
        connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    big = msgpack.packb({"type": "ping", "data": {"t": "x" * (64 * 1024 + 10)}})
    err = await _error(c, big)
    assert err["code"] == "frame_too_large" and err["limit"] == 64 * 1024
    await _still_open(c)


async def test_a_missing_or_mistyped_field_gets_invalid_payload_naming_it(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    reply = await c.request("room.create", {"group": "g1"})
    assert reply["data"]["code"] == "invalid_payload" and reply["data"]["field"] == "game"
    reply = await c.request("room.create", {"group": 5, "game": "quiz"})
    assert reply["data"]["code"] == "invalid_payload" and reply["data"]["field"] == "group"
    reply = await c.request("room.create", {"group": "g1", "game": "quiz", "colour": "red"})
    assert reply["data"]["code"] == "invalid_payload" and reply["data"]["field"] == "colour"
    await _still_open(c)


async def test_bad_room_settings_get_invalid_config_listing_every_problem(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    reply = await c.request("room.create", {"group": "g1", "game": "quiz",
                                            "config": {"questions": 0, "seconds": "ten", "speed": 3}})
    assert reply["data"]["code"] == "invalid_config"
    assert len(reply["data"]["problems"]) == 3


async def test_an_unknown_game_gets_unknown_game(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    assert (await c.request("room.create", {"group": "g1", "game": "chess"}))["data"]["code"] == "unknown_game"


async def test_an_unknown_room_gets_unknown_room(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    for frame in ("room.join", "room.start", "room.watch", "room.get"):
        data: dict[str, Any] = {"room": "room_nope"}
        if frame == "room.join":
            data.update(player="u1")
        assert (await c.request(frame, data))["data"]["code"] == "unknown_room", frame
    await _still_open(c)


async def test_a_second_answer_gets_already_answered_and_the_first_answer_stands(
        connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    room = await _playing_quiz(c)
    # A letter is a valid answer to both kinds of question (a choice, or free text).
    assert (await c.request("room.act", {"room": room, "player": "u0", "action": {"answer": "B"}}))["type"] == "ok"
    reply = await c.request("room.act", {"room": room, "player": "u0", "action": {"answer": "C"}})
    assert reply["data"]["code"] == "already_answered"
    view = await c.request("room.view", {"room": room, "player": "u0"})
    assert view["data"]["view"]["you"]["answer"] in ("B", 1)  # a choice is stored as its index


async def test_an_answer_after_the_deadline_gets_too_late_and_the_room_goes_on(
        connect: Connect, app_key: str, clock: ManualClock) -> None:
    c = await _bot(connect, app_key)
    room = await _playing_quiz(c)
    clock.jump(21)  # past the 20 s deadline, before the timer has fired
    reply = await c.request("room.act", {"room": room, "player": "u0", "action": {"answer": 1}})
    assert reply["data"]["code"] == "too_late"
    await clock.advance(0)
    await c.drain()
    assert c.events("reveal"), "the question still closes on its timer"


async def test_acting_for_a_member_who_is_not_in_the_room_gets_not_in_room(connect: Connect, app_key: str) -> None:
    c = await _bot(connect, app_key)
    room = await _playing_quiz(c)
    reply = await c.request("room.act", {"room": room, "player": "stranger", "action": {"answer": 1}})
    assert reply["data"]["code"] == "not_in_room"


async def test_too_many_frames_a_second_get_rate_limited_and_the_connection_stays(
        settings: Settings, clock: ManualClock, store: Store, app_key: str) -> None:
    tight = settings.with_values({"frames_per_second": 1.0, "frame_burst": 5}, "test")
    async with EmbeddedServer(tight, clock=clock, store=store, seeds=lambda: 11).running() as srv:
        ws = await websockets.connect(srv.url)
        c = RawClient(ws)
        await c.hello(key=app_key)  # uses one token of five
        for i in range(10):
            await c.send({"type": "ping", "id": 100 + i, "data": {}})
        replies = [await c.recv() for _ in range(10)]
        codes = [r["data"].get("code") if r["type"] == "error" else "ok" for r in replies]
        assert codes.count("ok") == 4 and codes.count("rate_limited") == 6
        await ws.close()


async def test_a_frame_before_hello_gets_hello_required_and_the_connection_closes(connect: Connect) -> None:
    c = await connect()
    reply = await c.request("ping", {})
    assert reply["data"]["code"] == "hello_required"
    with pytest.raises(websockets.ConnectionClosed):
        await c.recv()


async def test_a_wrong_key_gets_unauthorized_and_the_connection_closes(connect: Connect) -> None:
    c = await connect()
    reply = await c.hello(key="cf_not-a-real-key")
    assert reply["type"] == "error" and reply["data"]["code"] == "unauthorized"
    with pytest.raises(websockets.ConnectionClosed):
        await c.recv()


async def test_a_revoked_key_gets_key_revoked(connect: Connect, store: Store, app_key: str, clock: ManualClock) -> None:
    assert await store.revoke_key(hash_key(app_key), clock.now())
    c = await connect()
    reply = await c.hello(key=app_key)
    assert reply["data"]["code"] == "key_revoked"


async def test_an_unsupported_protocol_version_gets_unsupported_version(connect: Connect, app_key: str) -> None:
    c = await connect()
    reply = await c.request("hello", {"protocol": [99], "key": app_key})
    assert reply["data"]["code"] == "unsupported_version" and reply["data"]["supported"] == [1]


async def test_a_forged_player_token_gets_unauthorized(connect: Connect, app_key: str) -> None:
    bot = await _bot(connect, app_key)
    token = (await bot.request("token.mint", {"group": "g1", "player": "u1"}))["data"]["token"]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    c = await connect()
    assert (await c.hello(token=forged))["data"]["code"] == "unauthorized"


async def test_an_expired_player_token_gets_unauthorized(connect: Connect, app_key: str, clock: ManualClock) -> None:
    bot = await _bot(connect, app_key)
    token = (await bot.request("token.mint", {"group": "g1", "player": "u1", "ttl": 60}))["data"]["token"]
    clock.jump(61)
    c = await connect()
    assert (await c.hello(token=token))["data"]["code"] == "unauthorized"


async def test_bad_frames_in_the_middle_of_a_game_lose_nothing_already_recorded(
        connect: Connect, app_key: str, server: EmbeddedServer) -> None:
    c = await _bot(connect, app_key)
    room = await _playing_quiz(c, players=3)
    await c.request("room.act", {"room": room, "player": "u0", "action": {"answer": 1}})
    before = await server.services.store.read_events(room, 0)
    for raw in (b"\xc1", "not json", msgpack.packb({"type": "room.act", "id": 9, "data": {"room": room}}),
                msgpack.packb({"type": "room.act", "id": 10, "data": {"room": room, "player": "u1", "action": "x"}})):
        await c.send_raw(raw)
        await _error(c)
    await c.request("room.act", {"room": room, "player": "u1", "action": {"answer": 2}})
    after = await server.services.store.read_events(room, 0)
    assert after[: len(before)] == before
    assert [e.seq for e in after] == list(range(1, len(after) + 1))
    view = await c.request("room.view", {"room": room, "player": "u0"})
    assert view["data"]["view"]["you"]["answered"] is True
