"""The SDK never hangs (issue 11, item 6): ``close()`` returns in every state, a connection
lost during a resume fails what is pending at once and reconnects, and a rate-limited request
is answered with ``RateLimited`` and the server's advice instead of a timeout.

Peers that misbehave on purpose are scripted websocket servers (or a bare TCP socket) in this
test's loop. The request timeouts are set far above the hang guards (``asyncio.wait_for``), so
a guard only trips when the SDK would really have waited for a timeout: the guards catch hangs,
they measure no speed.
"""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from sdk import Client
from sdk.errors import ConnectionLost, RateLimited
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store
from tests.sdk_peers import GUARD, SLOW, Scripted, client_for, pack, recv, welcome


async def test_close_returns_while_connecting_to_a_socket_that_accepts_and_never_replies() -> None:
    accepted = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.set()
        await reader.read()  # never answers the HTTP upgrade

    tcp = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = tcp.sockets[0].getsockname()[1]
    client = client_for(f"ws://127.0.0.1:{port}/ws")
    connecting = asyncio.create_task(client.connect())
    await asyncio.wait_for(accepted.wait(), GUARD)
    await asyncio.wait_for(client.close(), GUARD)
    with pytest.raises(ConnectionLost):
        await asyncio.wait_for(connecting, GUARD)
    tcp.close()


async def test_close_returns_while_reading_from_a_server_that_stopped_answering() -> None:
    async def stops_answering(ws: ServerConnection, n: int) -> None:
        await welcome(ws)
        ws.transport.pause_reading()  # will not even read the closing handshake
        await ws.wait_closed()

    async with Scripted(stops_answering) as url:
        client = client_for(url)
        await client.connect()
        await asyncio.wait_for(client.close(), GUARD)


async def test_close_returns_while_resuming_against_a_server_that_never_answers_the_resume() -> None:
    resume_sent = asyncio.Event()

    async def script(ws: ServerConnection, n: int) -> None:
        await welcome(ws)
        if n == 1:
            watch = await recv(ws)
            room = {"id": "r1", "group": "g1", "game": "quiz", "status": "lobby", "seq": 2}
            await ws.send(pack({"type": "ok", "id": watch["id"], "data": {"room": room, "seq": 2}}))
            await ws.close()
            return
        await recv(ws)  # the resume's room.watch: never answered
        resume_sent.set()
        await ws.wait_closed()

    async with Scripted(script) as url:
        client = client_for(url)
        await client.connect()
        await client.watch("r1")
        await asyncio.wait_for(resume_sent.wait(), GUARD)
        await asyncio.wait_for(client.close(), GUARD)


async def test_a_connection_lost_during_a_resume_fails_the_pending_request_at_once_and_reconnects() -> None:
    async def script(ws: ServerConnection, n: int) -> None:
        await welcome(ws)
        if n == 1:
            watch = await recv(ws)
            room = {"id": "r1", "group": "g1", "game": "quiz", "status": "lobby", "seq": 2}
            await ws.send(pack({"type": "ok", "id": watch["id"], "data": {"room": room, "seq": 2}}))
            await ws.close()
        elif n == 2:
            await recv(ws)  # the resume's room.watch: the connection drops instead of answering
            ws.transport.abort()
        else:
            while True:
                frame = await recv(ws)
                await ws.send(pack({"type": "ok", "id": frame["id"], "data": {"room": {
                    "id": "r1", "group": "g1", "game": "quiz", "status": "lobby", "seq": 2}, "seq": 2}}))

    scripted = Scripted(script)
    async with scripted as url:
        client = client_for(url)
        await client.connect()
        await client.watch("r1")
        await scripted.connection(3)  # within GUARD, though the lost request's timeout is SLOW
        await client.close()


async def test_events_end_after_close() -> None:
    async def script(ws: ServerConnection, n: int) -> None:
        await welcome(ws)
        await ws.wait_closed()

    async with Scripted(script) as url:
        client = client_for(url)
        await client.connect()

        async def consume() -> list[Any]:
            return [ev async for ev in client.events()]

        consumer = asyncio.create_task(consume())
        await asyncio.sleep(0)
        await client.close()
        assert await asyncio.wait_for(consumer, GUARD) == []


async def test_rate_limited_requests_raise_rate_limited_with_the_advised_delay(
        settings: Settings, clock: ManualClock, store: Store, app_key: str) -> None:
    tight = settings.with_values({"frames_per_second": 20.0, "frame_burst": 5}, "test")
    async with EmbeddedServer(tight, clock=clock, store=store, seeds=lambda: 11).running() as srv:
        async with Client(srv.url, app_key, request_timeout=SLOW) as client:
            results = await asyncio.wait_for(
                asyncio.gather(*(client.ping() for _ in range(30)), return_exceptions=True), GUARD)
    limited = [r for r in results if isinstance(r, BaseException)]
    assert limited and all(isinstance(r, RateLimited) for r in limited)
    assert all(0 < r.retry_after <= 0.05 for r in limited if isinstance(r, RateLimited))


async def test_rate_limited_requests_are_retried_after_the_advised_delay_when_asked(
        settings: Settings, clock: ManualClock, store: Store, app_key: str) -> None:
    tight = settings.with_values({"frames_per_second": 50.0, "frame_burst": 5}, "test")
    async with EmbeddedServer(tight, clock=clock, store=store, seeds=lambda: 11).running() as srv:
        async with Client(srv.url, app_key, request_timeout=SLOW, rate_limit_retries=50) as client:
            results = await asyncio.wait_for(asyncio.gather(*(client.ping() for _ in range(30))), GUARD)
    assert len(results) == 30


async def test_a_closed_client_refuses_new_requests_at_once(
        server: EmbeddedServer, app_key: str) -> None:
    client = Client(server.url, app_key, request_timeout=SLOW)
    await client.connect()
    await client.close()
    with pytest.raises(ConnectionLost):
        await asyncio.wait_for(client.ping(), GUARD)
    with pytest.raises(ConnectionLost):
        await client.connect()


async def test_a_websocket_error_during_a_reconnect_is_retried_not_fatal() -> None:
    async def script(ws: ServerConnection, n: int) -> None:
        await welcome(ws)
        if n == 1:
            await ws.close()
            return
        await ws.wait_closed()

    attempts: list[int] = []

    async def process_request(conn: ServerConnection, request: Any) -> Any:
        attempts.append(1)
        if len(attempts) == 2:  # the first reconnect is refused at the HTTP level (a 503)
            return conn.respond(503, "busy\n")
        return None

    scripted = Scripted(script)
    server = await serve(scripted.handler, "127.0.0.1", 0, process_request=process_request)
    port = next(iter(server.sockets)).getsockname()[1]
    client = client_for(f"ws://127.0.0.1:{port}/ws")
    await client.connect()
    await scripted.connection(2)
    await client.close()
    server.close()
    await server.wait_closed()
    assert len(attempts) == 3
