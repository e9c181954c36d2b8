"""REST under /v1/console: the figures the console's pages show, one request per page.

Why endpoints of their own: a page of 200 groups would otherwise cost 200 × 4 requests from
the browser. Each figure still comes from the functions the rest of the API uses (the health
report of ``/v1/health``, the boards of ``/v1/boards``), so the console and the API agree.
Readable with an app key or a read-only operator key; members' tokens are refused.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from games import checkin as checkin_rules
from server.auth import Principal
from server.handlers import stats
from server.openapi import describe
from server.protocol import ProtocolError
from server.rest import endpoint, require_bot, services
from server.scoring.boards import SCOPE_APP, group_scope, parse_board
from server.scoring.periods import group_tz
from server.services import Services
from server.validate import Int, Schema

GROUPS_QUERY = Schema(limit=Int(required=False, default=500, min=1, max=2000))
GROUP_QUERY = Schema(days=Int(required=False, default=56, min=7, max=366))
WEEK = 7 * 86_400.0
RECENT_GAMES = 30
BOARD_TOP = 10

_OBJ = {"type": "object"}
GROUP_ROW = {"type": "object", "required": ["id", "name", "activity", "wow", "cooling", "at_risk", "members", "active",
                                            "games_week"],
             "properties": {"id": {"type": "string"}, "name": {"type": ["string", "null"]},
                            "activity": {"type": "number"}, "wow": {"type": ["number", "null"]},
                            "cooling": {"type": "boolean"}, "at_risk": {"type": "integer"},
                            "members": {"type": "integer"}, "active": {"type": "integer"},
                            "games_week": {"type": "integer"}}}
GROUPS_RESPONSE = {"type": "object", "required": ["groups"], "properties": {"groups": {"type": "array",
                                                                                     "items": GROUP_ROW}}}
DAY = {"type": "object", "required": ["day", "points", "active"],
       "properties": {"day": {"type": "string"}, "points": {"type": "number"}, "active": {"type": "integer"}}}
GROUP_RESPONSE = {"type": "object", "required": ["group", "health", "daily", "boards", "pairs", "games"],
                  "properties": {"group": {"type": "string"}, "name": {"type": ["string", "null"]},
                                 "health": _OBJ, "daily": {"type": "array", "items": DAY},
                                 "boards": {"type": "array"}, "pairs": {"type": "array"},
                                 "games": {"type": "array"}}}
MEMBER_RESPONSE = {"type": "object", "required": ["group", "member", "activity", "daily", "checkin", "boards", "games"],
                   "properties": {"group": {"type": "string"}, "member": {"type": "string"},
                                  "activity": {"type": "number"}, "activity_rank": {"type": ["integer", "null"]},
                                  "daily": {"type": "array", "items": DAY}, "checkin": _OBJ,
                                  "boards": {"type": "array"}, "games": {"type": "array"}}}


def _query(request: Request, schema: Schema) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for name, value in request.query_params.items():
        try:
            raw[name] = int(value)
        except ValueError:
            raise ProtocolError("invalid_payload", f"'{name}' must be an integer", field=name) from None
    return schema(raw)


def _name(settings: dict[str, Any]) -> str | None:
    name = settings.get("name")
    return name if isinstance(name, str) else None


async def _games(svc: Services, app: str, group: str, since: float | None = None,
                 limit: int = RECENT_GAMES) -> list[dict[str, Any]]:
    """Finished games of a group, newest first, each with its result."""
    records = [r for r in await svc.store.list_rooms(app, group) if r.status == "finished"
               and (since is None or r.updated_at >= since)]
    out = []
    for record in sorted(records, key=lambda r: r.updated_at, reverse=True)[:limit]:
        result = await svc.store.get_result(app, f"room:{record.id}:{record.round}")
        players = (result.payload.get("players") if result else None) or []
        out.append({"room": record.id, "game": record.game, "finished_at": result.at if result else record.updated_at,
                    "players": [p for p in players if isinstance(p, dict)],
                    "winners": [p["player"] for p in players if isinstance(p, dict) and p.get("won")]})
    return out


async def _summary(svc: Services, who: Principal, group: str, activity: float, now: float) -> dict[str, Any]:
    figures = await stats.group_health(svc, who, {"group": group})
    settings = await svc.store.get_group_settings(who.app, group)
    week = [r for r in await svc.store.list_rooms(who.app, group) if r.status == "finished"
            and r.updated_at >= now - WEEK]
    trend, part = figures["state"], figures["participation"]  # "state": the cooling state machine, with wow
    return {"id": group, "name": _name(settings), "activity": activity, "wow": trend.get("wow"),
            "cooling": bool(trend.get("cooling")), "at_risk": len(figures["at_risk"]),
            "members": int(part.get("members", 0)), "active": int(part.get("active", 0)), "games_week": len(week)}


@describe("Every group of the app with its activity, trend, cooling alarm, members at risk and games this week",
          auth="operator", query=GROUPS_QUERY, response=GROUPS_RESPONSE, tag="console")
@endpoint
async def groups(request: Request, who: Principal) -> Any:
    require_bot(who)
    svc = services(request)
    q = _query(request, GROUPS_QUERY)
    now = svc.clock.now()
    ranked = await svc.store.activity_top(who.app, SCOPE_APP, now, q["limit"])
    return {"groups": [await _summary(svc, who, e.member, e.score, now) for e in ranked]}


async def _daily(svc: Services, app: str, group: str, days: int, member: str | None = None) -> list[dict[str, Any]]:
    tz = group_tz(await svc.store.get_group_settings(app, group), svc.settings.default_timezone)
    today = checkin_rules.local_day(svc.clock.now(), tz)
    first = today - dt.timedelta(days=days - 1)
    rows = await svc.store.daily_activity(app, group, first.isoformat(), today.isoformat())
    out = []
    for n in range(days):
        day = (first + dt.timedelta(days=n)).isoformat()
        members = rows.get(day, {})
        if member is not None:
            members = {member: members[member]} if member in members else {}
        out.append({"day": day, "points": round(sum(members.values()), 2),
                    "active": sum(1 for v in members.values() if v > 0)})
    return out


@describe("One group: health figures, daily activity, boards, who plays with whom and recent games",
          auth="operator", query=GROUP_QUERY, response=GROUP_RESPONSE, tag="console")
@endpoint
async def group(request: Request, who: Principal) -> Any:
    require_bot(who)
    svc = services(request)
    group_id = request.path_params["group"]
    q = _query(request, GROUP_QUERY)
    settings = await svc.store.get_group_settings(who.app, group_id)
    figures = await stats.group_health(svc, who, {"group": group_id})
    boards = []
    for board in await svc.store.list_boards(who.app, group_scope(group_id) + ":"):
        try:
            _, game, period = parse_board(board)
        except ValueError:
            continue
        top = await svc.store.board_top(who.app, board, BOARD_TOP)
        boards.append({"board": board, "game": game, "period": period,
                       "size": await svc.store.board_size(who.app, board),
                       "top": [{"rank": e.rank, "member": e.member, "score": e.score} for e in top]})
    pairs = sorted(((a, b, n) for (a, b), n in (await svc.store.coplay_pairs(who.app, group_id)).items()),
                   key=lambda p: (-p[2], p[0], p[1]))[:100]
    return {"group": group_id, "name": _name(settings), "health": figures,
            "daily": await _daily(svc, who.app, group_id, q["days"]),
            "boards": boards, "pairs": [{"a": a, "b": b, "games": n} for a, b, n in pairs],
            "games": await _games(svc, who.app, group_id)}


@describe("One member of a group: activity, daily points, check-in streak and calendar, ranks and games",
          auth="operator", query=GROUP_QUERY, response=MEMBER_RESPONSE, tag="console")
@endpoint
async def member(request: Request, who: Principal) -> Any:
    require_bot(who)
    svc = services(request)
    group_id, member_id = request.path_params["group"], request.path_params["member"]
    q = _query(request, GROUP_QUERY)
    settings = await svc.store.get_group_settings(who.app, group_id)
    now = svc.clock.now()
    scope = group_scope(group_id)
    activity = await svc.store.activity_of(who.app, scope, member_id, now)
    tz = group_tz(settings, svc.settings.default_timezone)
    today = checkin_rules.local_day(now, tz)
    record = await svc.store.get_checkin(who.app, group_id, member_id)
    streak, longest = checkin_rules.streaks((record or {}).get("days", []), today)
    calendar = checkin_rules.calendar(record, today.year, today.month, today)
    boards = []
    for board in await svc.store.list_boards(who.app, scope + ":"):
        rank = await svc.store.board_rank(who.app, board, member_id)
        if rank is None:
            continue
        _, game, period = parse_board(board)
        boards.append({"board": board, "game": game, "period": period, "rank": rank.rank, "score": rank.score,
                       "size": await svc.store.board_size(who.app, board)})
    games = []
    for g in await _games(svc, who.app, group_id, limit=200):
        mine = [p for p in g["players"] if p.get("player") == member_id]
        if mine:
            games.append({"room": g["room"], "game": g["game"], "finished_at": g["finished_at"],
                          "rank": mine[0].get("rank"), "score": mine[0].get("score"), "won": bool(mine[0].get("won"))})
    return {"group": group_id, "group_name": _name(settings), "member": member_id,
            "activity": activity.score if activity else 0.0, "activity_rank": activity.rank if activity else None,
            "daily": await _daily(svc, who.app, group_id, q["days"], member_id),
            "checkin": {"streak": streak, "longest": longest, **calendar},
            "boards": boards, "games": games[:RECENT_GAMES]}


def routes() -> list[Route]:
    return [
        Route("/console/groups", groups, methods=["GET"]),
        Route("/console/groups/{group}", group, methods=["GET"]),
        Route("/console/groups/{group}/members/{member}", member, methods=["GET"]),
    ]
