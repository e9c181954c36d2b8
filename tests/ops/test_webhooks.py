"""Webhooks end to end (docs/operators.md, "Webhooks"): registered over REST, delivered to a
real local HTTP receiver, signed, retried after a failure on the injected clock, deduplicated
by event id, durable across a restart, and their last status readable over REST."""
from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from sdk import Client
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store
from server.webhooks import HEADER, verify
from tests.ops.receiver import Receiver


async def register(server: EmbeddedServer, key: str, url: str, events: list[str]) -> dict[str, Any]:
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{server.http}/v1/webhooks", json={"url": url, "events": events},
                                   headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def hooks(server: EmbeddedServer, key: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{server.http}/v1/webhooks", headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 200
    return response.json()["webhooks"]  # type: ignore[no-any-return]


async def test_a_checkin_is_delivered_signed_with_its_event_id(server: EmbeddedServer, clock: ManualClock,
                                                               app_key: str) -> None:
    async with Receiver().running() as receiver:
        created = await register(server, app_key, receiver.url, ["checkin"])
        async with Client(server.url, app_key) as bot:
            await bot.checkin("g1", "u1", "Alice")
        await receiver.wait_for(1)
    got = receiver.received[0]
    assert verify(created["secret"], got.headers[HEADER.lower()], got.body, clock.now())
    assert not verify(created["secret"], got.headers[HEADER.lower()], got.body + b" ", clock.now())
    body = json.loads(got.body)
    assert body["type"] == "checkin" and body["data"]["group"] == "g1" and body["data"]["member"] == "u1"
    assert got.headers["campfire-event-id"] == body["id"] and body["id"].startswith("checkin:g1:u1:")


async def test_a_finished_game_delivers_its_result_record(server: EmbeddedServer, clock: ManualClock,
                                                          app_key: str) -> None:
    async with Receiver().running() as receiver:
        await register(server, app_key, receiver.url, ["game.finished"])
        async with Client(server.url, app_key) as bot:
            room = await bot.create_room("g1", "quiz", {"questions": 1, "seconds": 10, "reveal_seconds": 1})
            await bot.join(room.id, "u1", "Alice")
            await bot.start(room.id)
            await clock.advance(11)
            await clock.advance(2)
            await bot.next_event("game_over", timeout=5)
            await server.services.webhooks.settled()
        await receiver.wait_for(1)
    body = json.loads(receiver.received[0].body)
    assert body["type"] == "game.finished" and body["data"]["room"] == room.id
    assert body["data"]["result"]["players"] == ["u1"] and body["data"]["result"]["game"] == "quiz"


async def test_a_failed_delivery_is_retried_after_its_backoff_and_then_shows_delivered(
        server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Receiver(statuses=[500]).running() as receiver:
        await register(server, app_key, receiver.url, ["checkin"])
        async with Client(server.url, app_key) as bot:
            await bot.checkin("g1", "u1", "Alice")
        await receiver.wait_for(1)
        await server.services.webhooks.settled()
        [hook] = await hooks(server, app_key)
        assert hook["last_delivery"]["state"] == "pending" and hook["last_delivery"]["last_status"] == 500
        await clock.advance(9)
        assert len(receiver.received) == 1  # not yet: the first backoff is 10 s
        await clock.advance(1)
        await receiver.wait_for(2)
        await server.services.webhooks.settled()
        [hook] = await hooks(server, app_key)
    first, second = receiver.received
    assert second.headers["campfire-event-id"] == first.headers["campfire-event-id"]
    assert second.headers["campfire-delivery-attempt"] == "2"
    assert hook["last_delivery"]["state"] == "delivered" and hook["last_delivery"]["attempts"] == 2


async def test_the_same_event_twice_is_delivered_once(server: EmbeddedServer, app_key: str) -> None:
    async with Receiver().running() as receiver:
        created = await register(server, app_key, receiver.url, ["room.expired"])
        dispatcher = server.services.webhooks
        app = created["webhook"]["id"] and (await server.services.auth.bot(app_key)).app
        assert await dispatcher.emit(app, "room.expired", "room.expired:room_x", {"room": "room_x"}) == 1
        assert await dispatcher.emit(app, "room.expired", "room.expired:room_x", {"room": "room_x"}) == 0
        await dispatcher.settled()
        await receiver.wait_for(1)
    assert len(receiver.received) == 1


async def test_a_delivery_queued_before_a_restart_is_sent_after_it(settings: Settings, clock: ManualClock,
                                                                   store: Store, app_key: str) -> None:
    receiver = Receiver()
    first = EmbeddedServer(settings, clock=clock, store=store)
    async with first.running():
        await register(first, app_key, receiver.url, ["checkin"])
        async with Client(first.url, app_key) as bot:
            await bot.checkin("g1", "u1", "Alice")  # the receiver is not listening yet: refused
        await first.services.webhooks.settled()
    second = EmbeddedServer(settings, clock=clock, store=store)
    async with receiver.running(), second.running():
        await clock.advance(10)
        await receiver.wait_for(1)
    assert json.loads(receiver.received[0].body)["data"]["member"] == "u1"


@pytest.mark.parametrize("url, events, field", [
    ("http://example.com/hook", ["checkin"], "url"),
    ("ftp://127.0.0.1/hook", ["checkin"], "url"),
    ("https://example.com/hook", ["checkin", "nope"], "events"),
    ("https://example.com/hook", [], "events"),
])
async def test_a_bad_url_or_event_is_refused_with_the_field_named(server: EmbeddedServer, app_key: str, url: str,
                                                                   events: list[str], field: str) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{server.http}/v1/webhooks", json={"url": url, "events": events},
                                   headers={"authorization": f"Bearer {app_key}"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_payload" and response.json()["error"]["field"] == field


async def test_a_member_token_cannot_list_webhooks(server: EmbeddedServer, app_key: str) -> None:
    async with httpx.AsyncClient() as http:
        token = (await http.post(f"{server.http}/v1/tokens", json={"group": "g1", "player": "u1"},
                                 headers={"authorization": f"Bearer {app_key}"})).json()["token"]
        response = await http.get(f"{server.http}/v1/webhooks", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 403
