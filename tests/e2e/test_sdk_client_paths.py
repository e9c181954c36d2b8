"""The SDK's less travelled paths: refusals at hello, giving up, errors outside a request,
undecodable and repeated frames, JSON mode, timeouts, and every room method against a real
server. Scripted peers come from tests/sdk_peers.py."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection

from sdk import Client
from sdk.activity import ActivityReporter
from sdk.bridge import Bridge
from sdk.errors import AuthError, ConnectionLost, InvalidRequest, MoveRefused, NotFound, RequestTimeout
from server.run import EmbeddedServer
from tests.sdk_peers import GUARD, SLOW, Scripted, client_for, pack, recv, welcome


def test_a_client_needs_a_credential() -> None:
    with pytest.raises(ValueError):
        Client("ws://127.0.0.1:1/ws")


async def test_a_refused_hello_raises_the_servers_error(server: EmbeddedServer) -> None:
    with pytest.raises(AuthError) as err:
        await Client(server.url, "cf_wrong").connect()
    assert err.value.code == "unauthorized"


async def test_giving_up_after_max_attempts_ends_events_with_connection_lost() -> None:
    async def once(ws: ServerConnection, n: int) -> None:
        if n == 1:
            await welcome(ws)
        await ws.close()  # later connections are closed before the welcome

    async with Scripted(once) as url:
        client = client_for(url, max_attempts=2)
        await client.connect()
        with pytest.raises(ConnectionLost) as lost:
            await asyncio.wait_for(client.next_event(), GUARD)
        assert "gave up" in lost.value.message
        await client.close()


async def test_a_key_refused_on_reconnect_ends_events_with_auth_error() -> None:
    async def script(ws: ServerConnection, n: int) -> None:
        if n == 1:
            await welcome(ws)
            await ws.close()
            return
        hello = await recv(ws)
        await ws.send(pack({"type": "error", "id": hello["id"], "data": {"code": "key_revoked", "message": "x"}}))
        await ws.close(1008)

    async with Scripted(script) as url:
        client = client_for(url)
        await client.connect()
        with pytest.raises(AuthError):
            await asyncio.wait_for(client.next_event(), GUARD)
        await client.close()


async def test_without_reconnect_a_dropped_connection_ends_events() -> None:
    async def script(ws: ServerConnection, n: int) -> None:
        await welcome(ws)
        await ws.close()

    async with Scripted(script) as url:
        client = client_for(url, reconnect=False)
        await client.connect()
        with pytest.raises(ConnectionLost):
            await asyncio.wait_for(client.next_event(), GUARD)
        await client.close()


async def test_undecodable_frames_repeated_events_and_stray_errors_do_not_stop_the_stream(
        caplog: pytest.LogCaptureFixture) -> None:
    event = {"room": "r1", "seq": 1, "kind": "note", "data": {}}

    async def script(ws: ServerConnection, n: int) -> None:
        await welcome(ws)
        await ws.send(b"\xc1 not msgpack")
        await ws.send(pack({"type": "event", "data": event}))
        await ws.send(pack({"type": "event", "data": event}))  # a repeat is dropped
        await ws.send(pack({"type": "error", "data": {"code": "internal", "message": "stray"}}))
        await ws.send(pack({"type": "event", "data": {**event, "seq": 2}}))
        await ws.wait_closed()

    async with Scripted(script) as url:
        client = client_for(url)
        await client.connect()
        with caplog.at_level(logging.WARNING, logger="campfire.sdk"):
            first = await asyncio.wait_for(client.next_event(), GUARD)
            second = await asyncio.wait_for(client.next_event(), GUARD)
        assert (first.seq, second.seq) == (1, 2)
        assert any("undecodable" in r.getMessage() for r in caplog.records)
        assert any("stray" in r.getMessage() for r in caplog.records)
        await client.close()
        assert client.pending_events() == []
        with pytest.raises(ConnectionLost):
            await asyncio.wait_for(client.next_event(), GUARD)


async def test_a_request_without_a_reply_raises_request_timeout() -> None:
    async def silent(ws: ServerConnection, n: int) -> None:
        await welcome(ws)
        await ws.wait_closed()

    async with Scripted(silent) as url:
        client = Client(url, "cf_test", request_timeout=0.05, close_timeout=0.2)
        await client.connect()
        with pytest.raises(RequestTimeout):
            await client.ping()
        await client.close()


async def test_a_request_while_disconnected_waits_then_raises_request_timeout() -> None:
    async def drop(ws: ServerConnection, n: int) -> None:
        if n == 1:
            await welcome(ws)
        await ws.close()

    reconnecting = asyncio.Event()

    async def slow_backoff(_: float) -> None:
        reconnecting.set()
        await asyncio.Event().wait()  # never reconnects while the request waits

    async with Scripted(drop) as url:
        client = Client(url, "cf_test", request_timeout=0.05, close_timeout=0.2, sleep=slow_backoff)
        await client.connect()
        await asyncio.wait_for(reconnecting.wait(), GUARD)
        with pytest.raises(RequestTimeout):
            await client.ping()
        await client.close()


async def test_every_room_method_works_in_json_mode(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key, binary=False, request_timeout=SLOW) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 2})
        assert [r.id for r in await bot.rooms("g1")] == [room.id]
        await bot.join(room.id, "u1", "U1")
        await bot.join(room.id, "u2")
        assert [m.player for m in (await bot.leave(room.id, "u2")).players] == ["u1"]
        await bot.join(room.id, "u2")
        assert (await bot.start(room.id)).status == "playing"
        view: dict[str, Any] = await bot.view(room.id, "u1")
        assert view["room"]["id"] == room.id
        assert (await bot.room(room.id)).status == "playing"
        seq = await bot.announce(room.id, {"note": "hello"})
        await bot.unwatch(room.id)
        await bot.watch(room.id, after=seq - 1)
        with pytest.raises(MoveRefused):
            await bot.act(room.id, {"bogus": 1}, player="u1")
        assert (await bot.close_room(room.id)).status == "closed"
        with pytest.raises(NotFound):
            await bot.unwatch("room_missing")


async def test_a_member_client_reads_its_own_records_with_the_arguments_it_may_omit(
        server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key, request_timeout=SLOW) as bot:
        await bot.set_group("g1", {"name": "G1"})
        token = await bot.mint_token("g1", "ann", name="Ann", ttl=600)
        await bot.board_op("ann", "set", 3, group="g1", game="quiz", key="k1")
        await bot.board_op("bob", "set", 1, group="g1", game="quiz")
        assert [e.member for e in await bot.activity()] == []
        async with Client(server.url, token=token, request_timeout=SLOW) as ann:
            assert (await ann.checkin("g1", name="Ann")).member == "ann"
            assert (await ann.calendar("g1", year=2026, month=1))["member"] == "ann"
            assert (await ann.group("g1"))["name"] == "G1"
            assert [g["name"] for g in await ann.games()]
            page, cursor = await ann.board_page("g1", game="quiz", limit=1)
            assert [e.member for e in page] == ["ann"] and cursor is not None
            rest, end = await ann.board_page("g1", game="quiz", limit=1, cursor=cursor)
            assert [e.member for e in rest] == ["bob"] and end is None
            assert (await ann.board_rank("ann", group="g1", game="quiz")) is not None
            assert await ann.board_rank("nobody", group="g1", game="quiz") is None
            assert await ann.member_activity("g1", "nobody") is None
            assert (await ann.health("g1"))["group"] == "g1"
            with pytest.raises(InvalidRequest):
                await ann.makeup("g1", "not a day")
        best = await bot.board_op("ann", "best", 1, group="g1", game="quiz")
        assert best is not None and best.score == 3


async def test_an_activity_batch_the_server_rejects_is_dropped_and_the_rest_still_go(
        server: EmbeddedServer, app_key: str, caplog: pytest.LogCaptureFixture) -> None:
    async with Client(server.url, app_key, request_timeout=SLOW) as bot:
        reporter = ActivityReporter(bot, max_batch=2, batch_prefix="t")
        reporter.joined("g1", "ann", by="bob")
        reporter.left("g1", "carl")  # a full batch of two, cut at once
        reporter.message("g1", "x" * 500)  # a member id the server refuses: its batch is dropped
        with caplog.at_level(logging.ERROR, logger="campfire.activity"):
            assert await reporter.flush() == 1
        assert reporter.pending() == 0
        assert any("rejected" in r.getMessage() for r in caplog.records)
        await reporter.close()


def test_an_unknown_platform_is_refused_by_the_bridge() -> None:
    with pytest.raises(ValueError):
        Bridge(Client("ws://127.0.0.1:1/ws", "cf_x"), platform="myspace")
