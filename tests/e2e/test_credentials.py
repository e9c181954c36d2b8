"""Credentials end when they should (issue 11, item 1; docs/PROTOCOL.md, "Revocation").

Revoking a key (as `campfire apps revoke` does, through the store) ends its open connections
within one credential check, and every member token it minted, over the websocket and REST;
a member whose token expires is told and disconnected; auth failures close with 1008; and the
SDK can fetch a fresh member token for each reconnect.
"""
from __future__ import annotations

import asyncio
import itertools
from typing import Any, Awaitable, Callable

import httpx
import pytest
import websockets

from sdk import Client
from sdk.errors import AuthError
from server.auth import add_key, create_app, hash_key
from server.clock import ManualClock
from server.config import Settings
from server.credentials import CHECK_SECONDS
from server.run import EmbeddedServer
from server.store import Store
from server.store.redis_store import RedisStore
from tests.conftest import RawClient
from tests.redis_server import RedisServer

Connect = Callable[..., Awaitable[RawClient]]
GUARD = 10.0  # hang guard only
_namespaces = itertools.count()


async def _hello(connect: Connect, **credential: str) -> RawClient:
    c = await connect()
    reply = await c.hello(**credential)
    assert reply["type"] == "welcome", reply
    return c


async def _told_and_closed(c: RawClient) -> tuple[str, int]:
    """The unsolicited error the server sent, and the close code that followed it."""
    code = ""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            frame = await c.recv()
            if frame["type"] == "error" and "id" not in frame:
                code = frame["data"]["code"]
    assert closed.value.rcvd is not None
    return code, closed.value.rcvd.code


async def _mint(bot: RawClient, player: str, ttl: int | None = None) -> str:
    data: dict[str, Any] = {"group": "g1", "player": player}
    if ttl is not None:
        data["ttl"] = ttl
    reply = await bot.request("token.mint", data)
    return str(reply["data"]["token"])


async def test_revoking_a_key_closes_its_open_connection_within_one_check(
        connect: Connect, app_key: str, store: Store, clock: ManualClock) -> None:
    bot = await _hello(connect, key=app_key)
    assert await store.revoke_key(hash_key(app_key), clock.now())
    await clock.advance(CHECK_SECONDS)
    assert await asyncio.wait_for(_told_and_closed(bot), GUARD) == ("key_revoked", 1008)


async def test_revoking_a_key_ends_the_open_connections_of_the_members_it_minted_for(
        connect: Connect, app_key: str, store: Store, clock: ManualClock) -> None:
    bot = await _hello(connect, key=app_key)
    member = await _hello(connect, token=await _mint(bot, "ann"))
    assert await store.revoke_key(hash_key(app_key), clock.now())
    await clock.advance(CHECK_SECONDS)
    assert await asyncio.wait_for(_told_and_closed(member), GUARD) == ("key_revoked", 1008)


async def test_tokens_minted_by_a_revoked_key_are_refused_at_hello_and_over_rest(
        server: EmbeddedServer, connect: Connect, app_key: str, store: Store, clock: ManualClock) -> None:
    bot = await _hello(connect, key=app_key)
    token = await _mint(bot, "ann")
    assert await store.revoke_key(hash_key(app_key), clock.now())
    late = await connect()
    assert (await late.hello(token=token))["data"]["code"] == "key_revoked"
    async with httpx.AsyncClient(base_url=server.http, headers={"Authorization": f"Bearer {token}"}) as http:
        res = await http.get("/v1/app")
    assert res.status_code == 401 and res.json()["error"]["code"] == "key_revoked"


async def test_revoking_one_key_leaves_the_apps_other_keys_and_their_tokens_working(
        connect: Connect, app_key: str, store: Store, clock: ManualClock) -> None:
    first = await _hello(connect, key=app_key)
    app = await store.find_key(hash_key(app_key))
    assert app is not None
    second_key = await add_key(store, app.app, clock.now())
    second = await _hello(connect, key=second_key)
    member = await _hello(connect, token=await _mint(second, "bob"))
    assert await store.revoke_key(hash_key(app_key), clock.now())
    await clock.advance(CHECK_SECONDS)
    assert (await asyncio.wait_for(_told_and_closed(first), GUARD))[0] == "key_revoked"
    assert (await second.request("ping", {}))["type"] == "ok"
    assert (await member.request("ping", {}))["type"] == "ok"


async def test_a_member_whose_token_expires_is_told_and_disconnected(
        connect: Connect, app_key: str, clock: ManualClock) -> None:
    bot = await _hello(connect, key=app_key)
    member = await _hello(connect, token=await _mint(bot, "ann", ttl=60))
    await clock.advance(60 + CHECK_SECONDS)
    assert await asyncio.wait_for(_told_and_closed(member), GUARD) == ("unauthorized", 1008)
    assert (await bot.request("ping", {}))["type"] == "ok"


async def test_a_revoked_key_at_hello_closes_with_1008(
        connect: Connect, app_key: str, store: Store, clock: ManualClock) -> None:
    assert await store.revoke_key(hash_key(app_key), clock.now())
    c = await connect()
    assert (await c.hello(key=app_key))["data"]["code"] == "key_revoked"
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await c.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def _no_wait(_: float) -> None:
    await asyncio.sleep(0)


async def test_the_sdk_fetches_a_fresh_member_token_for_each_reconnect(
        server: EmbeddedServer, app_key: str, clock: ManualClock) -> None:
    minted: list[str] = []
    second = asyncio.Event()
    async with Client(server.url, app_key) as bot:
        async def provider() -> str:
            minted.append(await bot.mint_token("g1", "ann", ttl=60))
            if len(minted) == 2:
                second.set()
            return minted[-1]

        async with Client(server.url, token_provider=provider, sleep=_no_wait) as member:
            assert member.welcome["player"] == "ann"
            await clock.advance(60 + CHECK_SECONDS)  # the first token expires; the server says so
            await asyncio.wait_for(second.wait(), GUARD)
            assert await asyncio.wait_for(member.ping(), GUARD) == clock.now()
            assert member.reconnects == 1
    assert len(minted) == 2


async def test_without_a_token_provider_an_expired_token_ends_events_with_auth_error(
        server: EmbeddedServer, app_key: str, clock: ManualClock) -> None:
    async with Client(server.url, app_key) as bot:
        token = await bot.mint_token("g1", "ann", ttl=60)
    async with Client(server.url, token=token, sleep=_no_wait) as member:
        await clock.advance(60 + CHECK_SECONDS)
        with pytest.raises(AuthError):
            await asyncio.wait_for(member.next_event(), GUARD)


async def test_a_revocation_reaches_the_connections_of_every_node_sharing_the_store(
        settings: Settings, clock: ManualClock, redis_server: RedisServer) -> None:
    prefix = f"revoke{next(_namespaces)}:"
    stores = [RedisStore(redis_server.url, prefix=prefix) for _ in range(3)]
    for st in stores:
        await st.open()
    cli = stores[2]  # the `campfire apps revoke` process: it only writes to the store
    _, key = await create_app(cli, "bot")
    nodes = [EmbeddedServer(settings, clock=clock, store=st, seeds=lambda: 1) for st in stores[:2]]
    try:
        for node in nodes:
            await node.start()
        conns = []
        for node in nodes:
            c = RawClient(await websockets.connect(node.url))
            assert (await c.hello(key=key))["type"] == "welcome"
            conns.append(c)
        assert await cli.revoke_key(hash_key(key), clock.now())
        await clock.advance(CHECK_SECONDS)
        for c in conns:
            assert await asyncio.wait_for(_told_and_closed(c), GUARD) == ("key_revoked", 1008)
    finally:
        for node in nodes:
            await node.stop()
        for st in stores:
            await st.close()
