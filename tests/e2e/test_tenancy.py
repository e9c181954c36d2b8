"""Tenants are walls: an app's key never reaches another app's rooms, groups or check-ins,
and a member's token never reaches another group."""
from __future__ import annotations

import httpx
import pytest

from sdk import Client, Forbidden, NotFound
from server.run import EmbeddedServer


async def test_an_app_cannot_see_or_touch_another_apps_room(server: EmbeddedServer, app_key: str,
                                                            other_app_key: str) -> None:
    async with Client(server.url, app_key) as a, Client(server.url, other_app_key) as b:
        room = await a.create_room("g1", "quiz")
        for attempt in (b.room(room.id), b.join(room.id, "x", "X"), b.start(room.id), b.watch(room.id, 0),
                        b.act(room.id, {"answer": 0}, player="x"), b.close_room(room.id)):
            with pytest.raises(NotFound):
                await attempt
        assert await b.rooms(group="g1") == []


async def test_two_apps_may_use_the_same_group_name_without_meeting(server: EmbeddedServer, app_key: str,
                                                                    other_app_key: str) -> None:
    async with Client(server.url, app_key) as a, Client(server.url, other_app_key) as b:
        await a.create_room("g1", "quiz")
        await b.create_room("g1", "quiz")  # not "group_busy": it is another app's g1
        await a.checkin("g1", "u1", "Alice")
        cal = await b.calendar("g1", "u1")
        assert cal["count"] == 0 and cal["total_points"] == 0


async def test_an_app_never_reads_another_apps_check_ins_or_rooms_over_rest(
        server: EmbeddedServer, app_key: str, other_app_key: str) -> None:
    async with Client(server.url, app_key) as a:
        room = await a.create_room("g1", "quiz")
        await a.checkin("g1", "u1", "Alice")
    async with httpx.AsyncClient(base_url=server.http, headers={"Authorization": f"Bearer {other_app_key}"}) as http:
        assert (await http.get(f"/v1/rooms/{room.id}")).status_code == 404
        assert (await http.get("/v1/rooms", params={"group": "g1"})).json() == {"rooms": []}
        assert (await http.get("/v1/checkins/g1/u1")).json()["count"] == 0
        assert (await http.get(f"/v1/rooms/{room.id}/events")).status_code == 404


async def test_a_member_token_reaches_only_its_own_group(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        other_group_room = await bot.create_room("g2", "quiz")
        token = await bot.mint_token("g1", "u1", "Alice")
    async with Client(server.url, token=token) as member:
        with pytest.raises(NotFound):
            await member.join(other_group_room.id)
        with pytest.raises(Forbidden):
            await member.checkin("g2")
        with pytest.raises(Forbidden):
            await member.create_room("g1", "quiz")


async def test_a_member_acts_only_as_themselves(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1})
        await bot.join(room.id, "u2", "Bob")
        token = await bot.mint_token("g1", "u1", "Alice")
        async with Client(server.url, token=token) as member:
            await member.join(room.id)
            await bot.start(room.id)
            with pytest.raises(Forbidden):
                await member.act(room.id, {"answer": 0}, player="u2")
            await member.act(room.id, {"answer": 0})
            assert (await bot.view(room.id, "u1"))["view"]["you"]["answered"] is True


async def test_rest_refuses_requests_without_a_valid_key(server: EmbeddedServer) -> None:
    async with httpx.AsyncClient(base_url=server.http) as http:
        assert (await http.get("/v1/rooms")).status_code == 401
        r = await http.get("/v1/rooms", headers={"Authorization": "Bearer cf_wrong"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
