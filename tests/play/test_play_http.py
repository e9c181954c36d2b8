"""The play page over plain HTTP and websockets: the exchange's answers, the page's headers,
and the websocket's Origin check (docs/play.md, Security; docs/PROTOCOL.md, /play/session)."""
from __future__ import annotations

import dataclasses

import httpx
import pytest
import websockets

from sdk import Client
from server.auth import hash_key
from server.clock import ManualClock
from server.config import ConfigFileError, Settings
from server.run import EmbeddedServer
from server.store import Store


async def _link(server: EmbeddedServer, app_key: str, **kw: str) -> tuple[str, str]:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1})
        return room.id, await bot.play_link(room.id, "u1", "Alice", **kw)


async def test_a_launch_link_is_exchanged_for_a_player_token_that_opens_the_websocket(
        server: EmbeddedServer, app_key: str) -> None:
    room, link = await _link(server, app_key)
    assert link.startswith(f"{server.http}/play/{room}#cfl_")
    async with httpx.AsyncClient(base_url=server.http) as http:
        reply = await http.post("/play/session", json={"link": link.split("#", 1)[1], "room": room})
    assert reply.status_code == 200 and reply.headers["cache-control"] == "no-store"
    session = reply.json()
    assert (session["group"], session["room"], session["player"], session["name"]) == ("g1", room, "u1", "Alice")
    async with Client(server.url, token=session["token"]) as member:
        assert (await member.room(room)).id == room


@pytest.mark.parametrize(("body", "status", "code"), [
    ({}, 403, "link_invalid"),
    ({"link": "cfl_nonsense"}, 403, "link_invalid"),
    ({"link": 7}, 403, "link_invalid"),
])
async def test_a_bad_exchange_gets_a_stable_code_not_a_stack_trace(
        server: EmbeddedServer, body: dict[str, object], status: int, code: str) -> None:
    async with httpx.AsyncClient(base_url=server.http) as http:
        reply = await http.post("/play/session", json=body)
    assert reply.status_code == status and reply.json()["error"]["code"] == code


async def test_an_exchange_body_that_is_not_json_is_refused(server: EmbeddedServer) -> None:
    async with httpx.AsyncClient(base_url=server.http) as http:
        reply = await http.post("/play/session", content=b"\xff{")
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "bad_frame"


async def test_the_page_and_its_modules_carry_a_strict_policy_and_come_gzipped(server: EmbeddedServer) -> None:
    async with httpx.AsyncClient(base_url=server.http) as http:
        page = await http.get("/play/room_abc")
        module = await http.get("/play/static/main.js", headers={"accept-encoding": "gzip"})
        missing = await http.get("/play/static/nope.js")
        again = await http.get("/play/static/main.js", headers={"if-none-match": module.headers["etag"]})
    csp = page.headers["content-security-policy"]
    for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'", "base-uri 'none'",
                      f"connect-src 'self' ws://127.0.0.1:{server.port}"):
        assert directive in csp
    assert "<script" in page.text and "<script>" not in page.text  # module by src, nothing inline
    assert module.headers["content-encoding"] == "gzip" and module.headers["content-type"].startswith("text/javascript")
    assert missing.status_code == 404 and again.status_code == 304


async def test_a_browser_on_another_site_cannot_open_the_websocket(server: EmbeddedServer) -> None:
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(server.url, origin=websockets.Origin("http://evil.example")):
            pass
    assert refused.value.response.status_code == 403
    async with websockets.connect(server.url, origin=websockets.Origin(server.http)) as ws:  # the page's own
        await ws.send('{"type": "ping", "id": 1}')
        assert "hello_required" in await ws.recv()
    async with websockets.connect(server.url) as ws:  # a bot: no Origin at all
        await ws.send('{"type": "ping", "id": 1}')
        assert "hello_required" in await ws.recv()


async def test_with_a_public_url_only_that_origin_may_connect_and_links_use_it(
        settings: Settings, clock: ManualClock, store: object, app_key: str) -> None:
    public = dataclasses.replace(settings, public_url="https://play.example.com")
    srv = EmbeddedServer(public, clock=clock, store=store)  # type: ignore[arg-type]
    async with srv.running():
        room, link = await _link(srv, app_key)
        assert link.startswith(f"https://play.example.com/play/{room}#cfl_")
        with pytest.raises(websockets.InvalidStatus):
            async with websockets.connect(srv.url, origin=websockets.Origin(srv.http)):
                pass
        async with websockets.connect(srv.url, origin=websockets.Origin("https://play.example.com")):
            pass


@pytest.mark.parametrize("url", ["play.example.com", "ftp://x", "https://x/play", "https://x?a=1"])
def test_a_public_url_that_is_not_a_bare_http_address_stops_the_server_from_starting(url: str) -> None:
    with pytest.raises(ConfigFileError):
        Settings().with_values({"public_url": url}, "test")


async def test_a_link_made_with_a_key_revoked_since_opens_nothing(
        server: EmbeddedServer, clock: ManualClock, store: Store, app_key: str) -> None:
    room, link = await _link(server, app_key)
    assert await store.revoke_key(hash_key(app_key), clock.now())
    async with httpx.AsyncClient(base_url=server.http) as http:
        reply = await http.post("/play/session", json={"link": link.split("#", 1)[1], "room": room})
    assert reply.status_code == 403 and reply.json()["error"]["code"] == "link_invalid"
