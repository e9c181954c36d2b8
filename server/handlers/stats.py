"""Boards, activity and health over the websocket. The same functions serve REST
(server/rest_stats.py), so a frame and its REST twin can never disagree.

Tenant wall: every read and write is scoped by ``principal.app``. A player (token holder)
may read only their own group's boards, activity and health and may not write; app-wide
boards and operator ops need the app's key.
"""
from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from server import access, health_read, health_write
from server.handlers import Context, handler
from server.protocol import ProtocolError
from server.scoring import activity as act
from server.scoring import health_settings as hs
from server.scoring.boards import SCOPE_APP, board_id, group_scope
from server.scoring.periods import group_tz, resolve, valid_period
from server.store import BoardEntry, BoardOp, ResultRecord
from server.validate import MAX_SAFE_INT, Field, Id, Int, Map, Schema, Text

if TYPE_CHECKING:
    from server.auth import Principal
    from server.services import Services

MAX_TOP = 100
MAX_WITHIN = 200
MAX_EVENTS = 1000
MAX_OFFSET = 100_000
# A board value, and any score an op would leave on a board, stays within ±(2^53 - 1): exact
# as an integer in every JSON reader, and far from overflowing to infinity.
MAX_SCORE = float(MAX_SAFE_INT)
MAX_ROSTER = 100_000
PAST_REPORT = 7 * 86_400.0  # reported activity may be up to a week old ...
FUTURE_SLACK = 300.0  # ... and at most five minutes ahead of the server's clock

BOARD = dict(group=Id(required=False), game=Text(64, required=False), period=Text(64, required=False))


def _member_list(data: dict[str, Any], name: str = "members") -> list[str]:
    value = data[name]
    if not all(isinstance(m, str) and 0 < len(m) <= 128 for m in value):
        raise ProtocolError("invalid_payload", f"'{name}' must be a list of member ids", field=name)
    return list(value)


own_group = access.group  # players read only their own group; app-wide views need the app's key
require_bot = access.bot_only


async def _tz(svc: "Services", app: str, group: str | None) -> str:
    default = getattr(svc.settings, "default_timezone", "Asia/Shanghai")
    if group is None:
        return default
    return group_tz(await svc.store.get_group_settings(app, group), default)


async def resolve_board(svc: "Services", who: "Principal", data: dict[str, Any]) -> str:
    """{group?, game?, period?} -> a board id; no group means the app-wide board."""
    group = data.get("group")
    own_group(who, group)
    game = data.get("game") or "all"
    period = data.get("period") or "all"
    if ":" in game or not valid_period(period):
        raise ProtocolError("invalid_payload", f"no such board period '{period}'" if ":" not in game
                            else "'game' must not contain ':'", field="period" if ":" not in game else "game")
    period = resolve(period, svc.clock.now(), await _tz(svc, who.app, group))
    return board_id(group_scope(group) if group else SCOPE_APP, game, period)


def entry(e: BoardEntry | None) -> dict[str, Any] | None:
    return None if e is None else {"member": e.member, "score": e.score, "rank": e.rank}


async def board_top(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    board = await resolve_board(svc, who, data)
    try:
        entries, nxt = await svc.store.board_page(who.app, board, data["limit"], data.get("cursor"))
    except ValueError:
        raise ProtocolError("invalid_payload", "'cursor' is not a cursor this server gave out", field="cursor") from None
    return {"board": board, "entries": [entry(e) for e in entries], "next": nxt,
            "size": await svc.store.board_size(who.app, board)}


async def board_rank(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    board = await resolve_board(svc, who, data)
    return {"board": board, "entry": entry(await svc.store.board_rank(who.app, board, data["member"])),
            "size": await svc.store.board_size(who.app, board)}


async def board_around(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    board = await resolve_board(svc, who, data)
    entries = await svc.store.board_around(who.app, board, data["member"], data["before"], data["after"])
    return {"board": board, "entries": [entry(e) for e in entries]}


async def board_within(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    board = await resolve_board(svc, who, data)
    members = _member_list(data)
    entries = await svc.store.board_within(who.app, board, members)
    return {"board": board, "entries": [entry(e) for e in entries],
            "global": [entry(e) for e in await svc.store.board_entries(who.app, board, [e.member for e in entries])]}


async def board_op(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    """Operator ops as in Nakama: ``best`` keeps the higher, ``set`` overwrites, ``incr``
    adds. With a ``key`` the op is applied once per key (safe to retry)."""
    require_bot(who)
    if data["op"] not in ("best", "set", "incr"):
        raise ProtocolError("invalid_payload", "'op' must be best, set or incr", field="op")
    board = await resolve_board(svc, who, data)
    if data["op"] == "incr":  # refuse an increment that would carry the score past the bound
        current = await svc.store.board_rank(who.app, board, data["member"])
        if current is not None and abs(current.score + float(data["value"])) > MAX_SCORE:
            raise ProtocolError("invalid_payload", f"the score would pass ±{MAX_SAFE_INT}", field="value")
    now = svc.clock.now()
    key = data.get("key") or uuid.uuid4().hex
    record = ResultRecord(who.app, f"op:{key}", data.get("group") or "", "op", now,
                          {"board": board, "member": data["member"], "op": data["op"], "value": data["value"]},
                          (BoardOp(board, data["member"], data["op"], float(data["value"])),))
    applied = await svc.store.apply_result(record)
    return {"board": board, "applied": applied, "entry": entry(await svc.store.board_rank(who.app, board, data["member"]))}


async def boards_list(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    group = data.get("group")
    own_group(who, group)
    prefix = f"{group_scope(group)}:" if group else (data.get("prefix") or "")
    return {"boards": await svc.store.list_boards(who.app, prefix)}


def _check_events(events: list[Any], now: float) -> list[dict[str, Any]]:
    out = []
    for i, e in enumerate(events):
        where = f"events[{i}]"
        if not isinstance(e, dict) or e.get("kind") not in act.REPORT_KINDS:
            raise ProtocolError("invalid_payload", f"{where} needs a kind of {', '.join(act.REPORT_KINDS)}",
                                field="events")
        unknown = set(e) - {"kind", "member", "at", "count", "by"}
        if unknown:
            raise ProtocolError("invalid_payload", f"{where} has unknown field '{sorted(unknown)[0]}'", field="events")
        member, at, count, by = e.get("member"), e.get("at"), e.get("count"), e.get("by")
        if not isinstance(member, str) or not 0 < len(member) <= 128:
            raise ProtocolError("invalid_payload", f"{where}.member must be a member id", field="events")
        if at is not None and (not isinstance(at, (int, float)) or isinstance(at, bool)
                               or not now - PAST_REPORT <= at <= now + FUTURE_SLACK):
            raise ProtocolError("invalid_payload", f"{where}.at must be epoch seconds within the last 7 days",
                                field="events")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 10_000):
            raise ProtocolError("invalid_payload", f"{where}.count must be 1..10000", field="events")
        if by is not None and (not isinstance(by, str) or not 0 < len(by) <= 128 or e["kind"] != "join"):
            raise ProtocolError("invalid_payload", f"{where}.by is a member id, on joins only", field="events")
        out.append(e)
    return out


async def activity_report(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    """A bot's batch of ordinary activity; idempotent per (app, batch id)."""
    require_bot(who)
    now = svc.clock.now()
    events = _check_events(data["events"], now)
    app = await svc.store.get_app(who.app)
    record = act.report_record(who.app, data["group"], data["batch"], events, now,
                               await _tz(svc, who.app, data["group"]), app.settings if app else {})
    return {"batch": data["batch"], "applied": await svc.store.apply_result(record), "events": len(events)}


async def activity_top(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    group = data.get("group")
    own_group(who, group)
    scope = group_scope(group) if group else SCOPE_APP
    entries = await svc.store.activity_top(who.app, scope, svc.clock.now(), data["limit"], data["offset"])
    return {"scope": scope, "entries": [entry(e) for e in entries]}


async def activity_member(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    own_group(who, data["group"])
    e = await svc.store.activity_of(who.app, group_scope(data["group"]), data["member"], svc.clock.now())
    return {"group": data["group"], "entry": entry(e)}


def _default_tz(svc: "Services") -> str:
    return str(getattr(svc.settings, "default_timezone", "Asia/Shanghai"))


async def group_health(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    """Every health figure of one group, now or as of ``at`` (epoch seconds, or an ISO time;
    without an offset it is read in the group's timezone)."""
    own_group(who, data["group"])
    now = svc.clock.now()
    at = now
    if data.get("at") is not None:
        try:
            at = health_read.parse_at(data["at"], await _tz(svc, who.app, data["group"]))
        except ValueError as exc:
            raise ProtocolError("invalid_payload", str(exc), field="at") from None
        if at > now:
            raise ProtocolError("invalid_payload", "'at' must not be in the future", field="at")
    try:
        return await health_read.group_report(svc.store, who.app, data["group"], at, _default_tz(svc))
    except health_read.UnknownGroup:
        raise ProtocolError("unknown_group", f"no group '{data['group']}' in this app") from None


async def health_groups(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    """Every group of the app with its state, dormant groups included (bots only)."""
    require_bot(who)
    rows = await health_read.groups_overview(svc.store, who.app, svc.clock.now(), _default_tz(svc))
    return {"groups": rows}


async def health_settings_get(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    """The defaults, what the app set, what the group set, and what applies."""
    group = data.get("group")
    own_group(who, group)
    app = await svc.store.get_app(who.app)
    app_settings = app.settings if app else {}
    gs = await svc.store.get_group_settings(who.app, group) if group else {}
    return {"group": group, "defaults": hs.DEFAULTS.to_dict(), "app": hs.app_level(app_settings),
            "group_settings": hs.group_level(gs) if group else None,
            "effective": hs.effective(app_settings, gs).to_dict()}


async def health_settings_set(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    """Change some settings for the app (no ``group``) or one group; null resets a key."""
    require_bot(who)
    try:
        change = hs.validate(data["settings"])
    except ValueError as exc:
        raise ProtocolError("invalid_payload", exc.args[1], field=f"settings.{exc.args[0]}") from None
    await health_write.change_health_settings(svc.store, who.app, data.get("group"), change)
    return await health_settings_get(svc, who, {"group": data.get("group")})


async def group_members(svc: "Services", who: "Principal", data: dict[str, Any]) -> dict[str, Any]:
    """The bot tells how many members the group has (a full list or a count), so
    participation is honest for a bot added to a group whose silent members it never saw."""
    require_bot(who)
    members, given = data.get("members"), data.get("count")
    if (members is None) == (given is None):
        raise ProtocolError("invalid_payload", "send either 'members' (the full list) or 'count'", field="members")
    count = len(set(_member_list(data))) if members is not None else int(data["count"])
    roster = await health_write.set_roster(svc.store, who.app, data["group"], count, svc.clock.now())
    return {"group": data["group"], "roster": roster}


# --- schemas, shared with REST --------------------------------------------------------
TOP = Schema(**BOARD, limit=Int(required=False, default=10, min=1, max=MAX_TOP), cursor=Text(200, required=False))
RANK = Schema(**BOARD, member=Id())
AROUND = Schema(**BOARD, member=Id(), before=Int(required=False, default=2, min=0, max=50),
                after=Int(required=False, default=2, min=0, max=50))
WITHIN = Schema(**BOARD, members=Field(list, max_len=MAX_WITHIN))
OP = Schema(**BOARD, member=Id(), op=Text(8), value=Field((int, float)), key=Text(128, required=False))
LIST = Schema(group=Id(required=False), prefix=Text(200, required=False))
REPORT = Schema(group=Id(), batch=Text(128), events=Field(list, max_len=MAX_EVENTS))
ACT_TOP = Schema(group=Id(required=False), limit=Int(required=False, default=10, min=1, max=MAX_TOP),
                 offset=Int(required=False, default=0, min=0, max=MAX_OFFSET))
ACT_MEMBER = Schema(group=Id(), member=Id())
HEALTH = Schema(group=Id(), at=Field((int, float, str), required=False))
HEALTH_GROUPS = Schema()
HEALTH_SETTINGS = Schema(group=Id(required=False))
HEALTH_SETTINGS_SET = Schema(group=Id(required=False), settings=Map())
GROUP_MEMBERS = Schema(group=Id(), members=Field(list, required=False, max_len=MAX_ROSTER),
                       count=Int(required=False, min=0, max=MAX_ROSTER))


def _frame(fn: Any) -> Any:
    async def run(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
        return await fn(ctx.services, ctx.principal, data)

    run.__name__ = fn.__name__
    return run


handler("board.top", TOP)(_frame(board_top))
handler("board.rank", RANK)(_frame(board_rank))
handler("board.around", AROUND)(_frame(board_around))
handler("board.within", WITHIN)(_frame(board_within))
handler("board.op", OP, bots_only=True)(_frame(board_op))
handler("board.list", LIST)(_frame(boards_list))
handler("activity.report", REPORT, bots_only=True)(_frame(activity_report))
handler("activity.top", ACT_TOP)(_frame(activity_top))
handler("activity.member", ACT_MEMBER)(_frame(activity_member))
handler("health.group", HEALTH)(_frame(group_health))
handler("health.groups", HEALTH_GROUPS, bots_only=True)(_frame(health_groups))
handler("health.settings", HEALTH_SETTINGS)(_frame(health_settings_get))
handler("health.settings.set", HEALTH_SETTINGS_SET, bots_only=True)(_frame(health_settings_set))
handler("group.members", GROUP_MEMBERS, bots_only=True)(_frame(group_members))
