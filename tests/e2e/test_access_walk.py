"""One authorisation rule per resource (server/access.py), whichever transport asks.

The walk: every websocket frame type and every /v1 endpoint, each called by five callers —
the app's key, the member who owns the records read (alice), another member of her group
(bob), a member of another group (carol) and another app's key — against one group's room,
check-ins, boards and activity. Where a frame and an endpoint read or write the same thing,
both must answer the same code; every call must answer what the rule says. A new frame type
or endpoint fails the walk until it is added to it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import websockets
from starlette.routing import Mount, Route

from server.handlers import load_all
from server.run import EmbeddedServer
from tests.conftest import RawClient

CALLERS = ("bot", "alice", "bob", "carol", "stranger")
AUTHZ = {"forbidden", "unknown_room", "unauthorized"}


@dataclass(frozen=True)
class Twin:
    """A frame and the endpoint that serves the same resource."""

    frame: str
    data: dict[str, Any]
    method: str
    path: str
    params: dict[str, str] | None = None
    body: dict[str, Any] | None = None


def twins(room: str) -> list[Twin]:
    report = {"kind": "message", "member": "alice"}
    return [
        Twin("games.list", {}, "GET", "/v1/games"),
        Twin("room.list", {}, "GET", "/v1/rooms"),
        Twin("room.view", {"room": room}, "GET", f"/v1/rooms/{room}"),
        Twin("checkin.calendar", {"group": "g1", "player": "alice"}, "GET", "/v1/checkins/g1/alice"),
        Twin("token.mint", {"group": "g1", "player": "zed"}, "POST", "/v1/tokens", body={"group": "g1", "player": "zed"}),
        Twin("group.get", {"group": "g1"}, "GET", "/v1/groups/g1"),
        Twin("group.set", {"group": "g1", "settings": {"name": "G1"}}, "PUT", "/v1/groups/g1", body={"name": "G1"}),
        Twin("board.top", {"group": "g1"}, "GET", "/v1/boards/top", {"group": "g1"}),
        Twin("board.top", {}, "GET", "/v1/boards/top"),
        Twin("board.rank", {"group": "g1", "member": "alice"}, "GET", "/v1/boards/rank",
             {"group": "g1", "member": "alice"}),
        Twin("board.around", {"group": "g1", "member": "alice"}, "GET", "/v1/boards/around",
             {"group": "g1", "member": "alice"}),
        Twin("board.within", {"group": "g1", "members": ["alice", "bob"]}, "GET", "/v1/boards/within",
             {"group": "g1", "members": "alice,bob"}),
        Twin("board.op", {"group": "g1", "member": "alice", "op": "incr", "value": 1}, "POST", "/v1/boards/ops",
             body={"group": "g1", "member": "alice", "op": "incr", "value": 1}),
        Twin("board.list", {"group": "g1"}, "GET", "/v1/boards", {"group": "g1"}),
        Twin("board.list", {}, "GET", "/v1/boards"),
        Twin("activity.top", {"group": "g1"}, "GET", "/v1/activity", {"group": "g1"}),
        Twin("activity.top", {}, "GET", "/v1/activity"),
        Twin("activity.member", {"group": "g1", "member": "alice"}, "GET", "/v1/activity/member",
             {"group": "g1", "member": "alice"}),
        Twin("activity.report", {"group": "g1", "batch": "b1", "events": [report]}, "POST", "/v1/activity/report",
             body={"group": "g1", "batch": "b1", "events": [report]}),
        Twin("health.group", {"group": "g1"}, "GET", "/v1/health", {"group": "g1"}),
        Twin("health.groups", {}, "GET", "/v1/health/groups"),
        Twin("health.settings", {"group": "g1"}, "GET", "/v1/health/settings", {"group": "g1"}),
        Twin("health.settings.set", {"group": "g1", "settings": {"message_cap": 5}}, "PUT", "/v1/health/settings",
             body={"group": "g1", "settings": {"message_cap": 5}}),
        Twin("group.members", {"group": "g1", "count": 3}, "PUT", "/v1/groups/g1/members", body={"count": 3}),
    ]


# The rule, written out per caller: what each walked call must answer (None: allowed, which
# means any answer that is not an authorisation refusal).
OWN_GROUP = {"bot": None, "alice": None, "bob": None, "carol": "forbidden", "stranger": None}
OWN_RECORD = {"bot": None, "alice": None, "bob": "forbidden", "carol": "forbidden", "stranger": None}
BOTS_ONLY = {"bot": None, "alice": "forbidden", "bob": "forbidden", "carol": "forbidden", "stranger": None}
APP_WIDE = BOTS_ONLY
ROOM = {"bot": None, "alice": None, "bob": None, "carol": "unknown_room", "stranger": "unknown_room"}
ROOM_BOTS = {"bot": None, "alice": "forbidden", "bob": "forbidden", "carol": "forbidden",
             "stranger": "unknown_room"}
ANYONE = {c: None for c in CALLERS}

TWIN_RULES: dict[tuple[str, str], dict[str, str | None]] = {
    ("games.list", "/v1/games"): ANYONE,
    ("room.list", "/v1/rooms"): ANYONE,
    ("checkin.calendar", "/v1/checkins/g1/alice"): OWN_RECORD,
    ("token.mint", "/v1/tokens"): BOTS_ONLY,
    ("group.get", "/v1/groups/g1"): OWN_GROUP,
    ("group.set", "/v1/groups/g1"): BOTS_ONLY,
    ("board.op", "/v1/boards/ops"): BOTS_ONLY,
    ("activity.report", "/v1/activity/report"): BOTS_ONLY,
    ("health.settings.set", "/v1/health/settings"): BOTS_ONLY,
    ("group.members", "/v1/groups/g1/members"): BOTS_ONLY,
}


def twin_rule(t: Twin) -> dict[str, str | None]:
    if t.frame == "room.view":
        return ROOM
    if (t.frame, t.path) in TWIN_RULES:
        return TWIN_RULES[(t.frame, t.path)]
    return OWN_GROUP if "group" in t.data else APP_WIDE


def singles(room: str) -> list[tuple[str, dict[str, Any], dict[str, str | None]]]:
    """Frame types with no endpoint twin, in an order that keeps the room open to the end."""
    return [
        ("ping", {}, ANYONE),
        ("room.get", {"room": room}, ROOM),
        ("room.watch", {"room": room}, ROOM),
        ("room.unwatch", {"room": room}, ROOM),
        ("room.join", {"room": room}, ROOM),
        ("room.act", {"room": room, "action": {"answer": 0}}, ROOM),
        ("room.leave", {"room": room}, ROOM),
        ("room.start", {"room": room}, ROOM_BOTS),
        ("room.announce", {"room": room, "data": {"hi": 1}}, ROOM_BOTS),
        ("checkin", {"group": "g1", "player": "alice"}, OWN_RECORD),
        ("checkin.makeup", {"group": "g1", "player": "alice", "day": "2025-12-30"}, OWN_RECORD),
        ("room.create", {"group": "g9", "game": "quiz"}, BOTS_ONLY),
        ("play.link", {"room": room, "player": "alice"}, ROOM_BOTS),
        ("play.telegram", {"bot_token": "1:test"}, BOTS_ONLY),
        ("room.close", {"room": room}, ROOM_BOTS),
    ]


def rest_only(room: str) -> list[tuple[str, str, dict[str, str | None]]]:
    return [
        ("GET", "/v1/app", ANYONE),
        ("GET", f"/v1/rooms/{room}/events", ROOM_BOTS),
        # Operators' endpoints (docs/operators.md): the app's key only.
        ("GET", "/v1/webhooks", BOTS_ONLY),
        ("POST", "/v1/webhooks", BOTS_ONLY),
        ("GET", "/v1/webhooks/wh_none/deliveries", BOTS_ONLY),
        ("DELETE", "/v1/webhooks/wh_none", BOTS_ONLY),
        ("GET", "/v1/console/groups", BOTS_ONLY),
        ("GET", "/v1/console/groups/g1", BOTS_ONLY),
        ("GET", "/v1/console/groups/g1/members/alice", BOTS_ONLY),
    ]


def _ws_code(reply: dict[str, Any]) -> str:
    return "ok" if reply["type"] == "ok" else str(reply["data"]["code"])


def _rest_code(res: httpx.Response) -> str:
    return "ok" if res.status_code == 200 else str(res.json()["error"]["code"])


def _check(rule: dict[str, str | None], caller: str, code: str, what: str) -> None:
    expected = rule[caller]
    if expected is None:
        assert code not in AUTHZ, f"{caller} was refused {what}: {code}"
    else:
        assert code == expected, f"{caller} on {what}: {code}, the rule says {expected}"


def _v1_paths(server: EmbeddedServer) -> set[str]:
    mount = next(r for r in server.app.starlette.routes if isinstance(r, Mount) and r.path == "/v1")
    return {"/v1" + r.path for r in mount.routes if isinstance(r, Route)}


async def test_every_frame_and_endpoint_follows_one_rule_per_resource_on_both_paths(
        server: EmbeddedServer, app_key: str, other_app_key: str) -> None:
    async def open_ws(**hello: str) -> RawClient:
        c = RawClient(await websockets.connect(server.url))
        assert (await c.hello(**hello))["type"] == "welcome"
        return c

    bot = await open_ws(key=app_key)
    tokens = {who: (await bot.request("token.mint", {"group": group, "player": who}))["data"]["token"]
              for who, group in (("alice", "g1"), ("bob", "g1"), ("carol", "g2"))}
    room = (await bot.request("room.create", {"group": "g1", "game": "quiz"}))["data"]["room"]["id"]
    assert _ws_code(await bot.request("checkin", {"group": "g1", "player": "alice"})) == "ok"
    assert _ws_code(await bot.request("board.op", {"group": "g1", "member": "alice", "op": "set", "value": 5})) == "ok"
    credentials = {"bot": app_key, **tokens, "stranger": other_app_key}
    conns = {"bot": bot, "stranger": await open_ws(key=other_app_key),
             **{who: await open_ws(token=tok) for who, tok in tokens.items()}}

    walked_frames: set[str] = set()
    walked_paths: set[str] = set()
    template = {"/v1/rooms/" + room: "/v1/rooms/{room}", f"/v1/rooms/{room}/events": "/v1/rooms/{room}/events",
                "/v1/checkins/g1/alice": "/v1/checkins/{group}/{member}", "/v1/groups/g1": "/v1/groups/{group}",
                "/v1/groups/g1/members": "/v1/groups/{group}/members",
                "/v1/webhooks/wh_none": "/v1/webhooks/{hook}",
                "/v1/webhooks/wh_none/deliveries": "/v1/webhooks/{hook}/deliveries",
                "/v1/console/groups/g1": "/v1/console/groups/{group}",
                "/v1/console/groups/g1/members/alice": "/v1/console/groups/{group}/members/{member}"}
    for caller in CALLERS:
        ws = conns[caller]
        async with httpx.AsyncClient(base_url=server.http,
                                     headers={"Authorization": f"Bearer {credentials[caller]}"}) as http:
            for t in twins(room):
                over_ws = _ws_code(await ws.request(t.frame, t.data))
                over_rest = _rest_code(await http.request(t.method, t.path, params=t.params, json=t.body))
                assert over_ws == over_rest, f"{caller}: {t.frame} answered {over_ws}, {t.method} {t.path} {over_rest}"
                _check(twin_rule(t), caller, over_ws, t.frame)
                walked_frames.add(t.frame)
                walked_paths.add(template.get(t.path, t.path))
            for method, path, rule in rest_only(room):
                _check(rule, caller, _rest_code(await http.request(method, path)), f"{method} {path}")
                walked_paths.add(template.get(path, path))
        for frame, data, rule in singles(room):
            if caller == "bot" and frame == "room.close":
                continue  # the room stays open for the callers after the bot; closed below
            if caller in ("bot", "stranger") and frame in ("room.join", "room.act", "room.leave"):
                data = {**data, "player": "alice"}  # a key acts for a member it names
            _check(rule, caller, _ws_code(await ws.request(frame, data)), frame)
            walked_frames.add(frame)
    assert _ws_code(await bot.request("room.close", {"room": room})) == "ok"

    assert walked_frames == set(load_all()), "a frame type is missing from the walk"
    assert walked_paths == _v1_paths(server), "an endpoint is missing from the walk"


@pytest.mark.parametrize("reader", ["bob", "carol"])
async def test_a_member_cannot_read_another_members_checkin_calendar_over_rest_or_websocket(
        server: EmbeddedServer, app_key: str, reader: str) -> None:
    bot = RawClient(await websockets.connect(server.url))
    await bot.hello(key=app_key)
    group = "g1" if reader == "bob" else "g2"
    token = (await bot.request("token.mint", {"group": group, "player": reader}))["data"]["token"]
    member = RawClient(await websockets.connect(server.url))
    await member.hello(token=token)
    over_ws = await member.request("checkin.calendar", {"group": "g1", "player": "alice"})
    async with httpx.AsyncClient(base_url=server.http, headers={"Authorization": f"Bearer {token}"}) as http:
        over_rest = await http.get("/v1/checkins/g1/alice")
    assert over_ws["data"]["code"] == "forbidden"
    assert over_rest.status_code == 403 and over_rest.json()["error"]["code"] == "forbidden"
