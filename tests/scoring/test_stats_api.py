"""Boards, activity and health through REST (/v1, real Starlette app, real auth, SQLite)
and the websocket handler registry: tenant walls, roles, paging and idempotent batches."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any, AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from games.base import GameResult, PlayerResult
from server.auth import Auth, create_app
from server.clock import ManualClock
from server.config import Settings
from server.handlers import load_all
from server.rest_stats import routes
from server.scoring.records import game_record
from server.store import Store
from server.store.sqlite_store import SqliteStore

NOW = dt.datetime(2026, 11, 22, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()


class Api:
    def __init__(self, client: httpx.AsyncClient, store: Store, keys: dict[str, str], auth: Auth) -> None:
        self.client, self.store, self.keys, self.auth = client, store, keys, auth

    async def get(self, path: str, who: str = "a", **params: Any) -> httpx.Response:
        return await self.client.get(path, params=params, headers={"authorization": f"Bearer {self.keys[who]}"})

    async def put(self, path: str, body: dict[str, Any], who: str = "a") -> httpx.Response:
        return await self.client.put(path, json=body, headers={"authorization": f"Bearer {self.keys[who]}"})

    async def post(self, path: str, body: dict[str, Any], who: str = "a") -> httpx.Response:
        return await self.client.post(path, json=body, headers={"authorization": f"Bearer {self.keys[who]}"})


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    store = SqliteStore(str(tmp_path / "c.db"))
    await store.open()
    app_a, key_a = await create_app(store, "A", NOW)
    _, key_b = await create_app(store, "B", NOW)
    auth = await Auth.load(store)
    clock = ManualClock(NOW)
    web = Starlette(routes=[Mount("/v1", routes=routes())])
    web.state.services = SimpleNamespace(settings=Settings(), store=store, clock=clock, auth=auth)
    for i in range(12):
        result = GameResult("quiz", (PlayerResult(f"m{i:02d}", 100 - i, 1, won=True),))
        await store.apply_result(game_record(app_a.id, "g1", f"r{i}", 1, result, NOW, "Asia/Shanghai"))
    keys = {"a": key_a, "b": key_b,
            "player": auth.mint(app_a.id, "g1", "m03", None, 3600, NOW),
            "stranger": auth.mint(app_a.id, "g2", "x", None, 3600, NOW)}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://t/v1") as client:
        yield Api(client, store, keys, auth)
    await store.close()


async def test_top_pages_with_an_opaque_cursor(api: Api) -> None:
    first = (await api.get("/boards/top", group="g1", limit=5)).json()
    assert first["board"] == "g/g1:all:all" and first["size"] == 12
    assert [e["member"] for e in first["entries"]] == ["m00", "m01", "m02", "m03", "m04"]
    second = (await api.get("/boards/top", group="g1", limit=5, cursor=first["next"])).json()
    assert [e["rank"] for e in second["entries"]] == [6, 7, 8, 9, 10]
    bad = await api.get("/boards/top", group="g1", cursor="garbage!")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "cursor"


async def test_period_aliases_resolve_in_the_groups_timezone(api: Api) -> None:
    body = (await api.get("/boards/top", group="g1", game="quiz", period="day", limit=1)).json()
    assert body["board"] == "g/g1:quiz:d2026-11-22" and body["entries"][0]["member"] == "m00"
    assert (await api.get("/boards/top", group="g1", period="week")).json()["board"] == "g/g1:all:w2026-W47"
    assert (await api.get("/boards/top", group="g1", period="q2026")).status_code == 400


async def test_rank_around_and_within(api: Api) -> None:
    rank = (await api.get("/boards/rank", group="g1", member="m05")).json()
    assert rank["entry"] == {"member": "m05", "score": 95.0, "rank": 6}
    around = (await api.get("/boards/around", group="g1", member="m05", before=1, after=1)).json()
    assert [e["member"] for e in around["entries"]] == ["m04", "m05", "m06"]
    within = (await api.get("/boards/within", group="g1", members="m09,m02,ghost")).json()
    assert [(e["member"], e["rank"]) for e in within["entries"]] == [("m02", 1), ("m09", 2)]
    assert [e["rank"] for e in within["global"]] == [3, 10]


async def test_another_apps_key_sees_nothing(api: Api) -> None:
    body = (await api.get("/boards/top", who="b", group="g1")).json()
    assert body["entries"] == [] and body["size"] == 0
    assert (await api.get("/activity", who="b", group="g1")).json()["entries"] == []


async def test_a_player_reads_only_their_own_group_and_never_writes(api: Api) -> None:
    assert (await api.get("/boards/rank", who="player", group="g1", member="m03")).status_code == 200
    assert (await api.get("/boards/top", who="stranger", group="g1")).status_code == 403
    assert (await api.get("/boards/top", who="player")).status_code == 403  # app-wide
    assert (await api.get("/health", who="stranger", group="g1")).status_code == 403
    op = await api.post("/boards/ops", {"group": "g1", "member": "m03", "op": "set", "value": 1e9}, who="player")
    assert op.status_code == 403


async def test_operator_ops_apply_once_per_key(api: Api) -> None:
    body = {"group": "g1", "game": "quiz", "member": "m11", "op": "incr", "value": 50, "key": "fix-1"}
    first = (await api.post("/boards/ops", body)).json()
    again = (await api.post("/boards/ops", body)).json()
    assert first["applied"] is True and again["applied"] is False
    assert first["entry"] == {"member": "m11", "score": 139.0, "rank": 1}
    assert (await api.post("/boards/ops", {**body, "op": "max"})).status_code == 400


async def test_a_reported_batch_counts_once(api: Api) -> None:
    batch = {"group": "g1", "batch": "b-77", "events": [
        {"kind": "message", "member": "m01", "count": 20},
        {"kind": "join", "member": "new", "by": "m01"}]}
    assert (await api.post("/activity/report", batch)).json() == {"batch": "b-77", "applied": True, "events": 2}
    assert (await api.post("/activity/report", batch)).json()["applied"] is False
    member = (await api.get("/activity/member", group="g1", member="m01")).json()
    assert member["entry"]["score"] == pytest.approx(3.0 + 2.0)  # played + won, plus 20 × 0.1
    bad = {"group": "g1", "batch": "b-78", "events": [{"kind": "message", "member": "m01", "at": NOW + 86_400}]}
    assert (await api.post("/activity/report", bad)).status_code == 400


async def test_health_reports_every_figure_over_complete_days(api: Api) -> None:
    body = (await api.get("/health", group="g1")).json()
    assert set(body) >= {"state", "participation", "daily_active", "weeks", "concentration", "at_risk",
                         "key_members", "coplay", "retention", "churn", "newcomers", "heatmap", "settings"}
    assert body["participation"]["members"] == 12
    assert body["today"] == "2026-11-22" and body["daily_active"][-1] == ["2026-11-21", 0]  # today is not over
    assert body["state"]["state"] == "new" and body["state"]["last_active"] == "2026-11-22"


async def test_an_unknown_group_is_an_error_not_zeros(api: Api) -> None:
    r = await api.get("/health", group="nobody-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_group"


async def test_health_at_a_time_without_offset_is_read_in_the_groups_timezone(api: Api) -> None:
    app = (await api.store.list_apps())[0].id
    await api.store.set_group_settings(app, "g1", {"timezone": "America/New_York"})
    body = (await api.get("/health", group="g1", at="2026-11-22T07:00:00")).json()
    assert body["timezone"] == "America/New_York"
    assert body["at"] == dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC).timestamp()
    assert body["participation"]["members"] == 12  # the games at 07:00 New York time had just finished
    early = (await api.get("/health", group="g1", at="2026-11-22T06:59:59")).json()
    assert early["participation"]["members"] == 0  # one second earlier nobody had been seen
    future = await api.get("/health", group="g1", at=str(NOW + 60))
    assert future.status_code == 400 and future.json()["error"]["field"] == "at"
    assert (await api.get("/health", group="g1", at="next tuesday")).status_code == 400


async def test_health_settings_are_validated_and_applied_per_app_and_per_group(api: Api) -> None:
    put = await api.put("/health/settings", {"settings": {"message_cap": 5, "activity_weights": {"message": 0.5}}}, who="a")
    assert put.status_code == 200
    assert put.json()["effective"]["message_cap"] == 5 and put.json()["app"]["activity_weights"] == {"message": 0.5}
    group = await api.put("/health/settings", {"group": "g1", "settings": {"message_cap": 2}}, who="a")
    assert group.json()["effective"]["message_cap"] == 2 and group.json()["group_settings"] == {"message_cap": 2}
    assert (await api.get("/health/settings")).json()["effective"]["message_cap"] == 5
    read = (await api.get("/health/settings", group="g1")).json()
    assert read["effective"]["activity_weights"]["message"] == 0.5 and read["defaults"]["message_cap"] == 20
    bad = await api.put("/health/settings", {"settings": {"cooling_share": 7}}, who="a")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "settings.cooling_share"
    unknown = await api.put("/health/settings", {"settings": {"coolness": 1}}, who="a")
    assert unknown.status_code == 400 and unknown.json()["error"]["field"] == "settings.coolness"
    member = await api.put("/health/settings", {"settings": {"message_cap": 1}}, who="player")
    assert member.status_code == 403
    reset = await api.put("/health/settings", {"group": "g1", "settings": {"message_cap": None}}, who="a")
    assert reset.json()["effective"]["message_cap"] == 5 and reset.json()["group_settings"] == {}


async def test_every_stats_frame_is_registered() -> None:
    routes = load_all()
    for frame in ("board.top", "board.rank", "board.around", "board.within", "board.op", "board.list",
                  "activity.report", "activity.top", "activity.member", "health.group"):
        assert frame in routes
    assert routes["board.op"].bots_only and routes["activity.report"].bots_only
