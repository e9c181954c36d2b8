"""Operators' commands: ``campfire board …``, ``campfire health …``, ``campfire activity …``
and ``campfire season …``, printing readable tables straight from the store."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import time
import uuid
from typing import Any, Awaitable, Callable

from games.registry import names as game_names
from server import health_read, health_write
from server.cli_common import (
    CliError,
    add_json_option,
    add_store_option,
    emit,
    find_app,
    run_store_command,
    table,
)
from server.records import change_atomically
from server.scoring import health_settings as hs
from server.scoring.boards import SCOPE_APP, board_id, group_scope
from server.scoring.periods import (
    DEFAULT_TZ,
    group_tz,
    parse_seasons,
    resolve,
    valid_period,
)
from server.store import BoardOp, ResultRecord, Store

__all__ = ["register", "table"]


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    def common(p: argparse.ArgumentParser, group: bool = True) -> None:
        p.add_argument("--app", default=None, help="the app's id or name (default: the only app)")
        if group:
            p.add_argument("--group", "-g", default=None, help="group id (default: app-wide)")
        add_store_option(p)
        add_json_option(p)

    board = sub.add_parser("board", help="show leaderboards and change scores")
    verbs = board.add_subparsers(dest="verb", metavar="VERB", required=True)
    show = verbs.add_parser("show", help="print a board")
    common(show)
    show.add_argument("--game", default="all", help="a game name, 'checkin' or 'all' (default)")
    show.add_argument("--period", default="all",
                      help="all, day, yesterday, week, last-week, month, last-month, or an id like d2026-11-22")
    show.add_argument("--limit", type=int, default=20, help="how many rows (default 20)")
    show.add_argument("--offset", type=int, default=0, help="rows to skip from the top (default 0)")
    show.add_argument("--member", default=None, help="show this member and the members around them")
    show.set_defaults(func=lambda a: _run(a, _show))
    lst = verbs.add_parser("list", help="list the boards that have scores")
    common(lst)
    lst.set_defaults(func=lambda a: _run(a, _list))
    for op in ("best", "set", "incr"):
        p = verbs.add_parser(op, help=f"{op} a member's score (operator op)")
        common(p)
        p.add_argument("--game", default="all", help="a game name, 'checkin' or 'all' (default)")
        p.add_argument("--period", default="all", help="the board's period (default all)")
        p.add_argument("member", help="the member's id (app-wide boards: GROUP/MEMBER)")
        p.add_argument("value", type=float, help={"best": "keep the higher of this and the current score",
                                                  "set": "the new score", "incr": "points to add (may be negative)"}[op])
        p.set_defaults(func=lambda a, op=op: _run(a, lambda s, x: _op(s, x, op)))

    hp = sub.add_parser("health", help="print a group's health figures, or every group's state")
    common(hp, group=False)
    hp.add_argument("group", nargs="?", default=None, help="a group id (default: list every group)")
    hp.add_argument("--at", default=None,
                    help="read as of this time: epoch seconds or ISO; without an offset, in the group's timezone")
    hp.add_argument("--settings", dest="show_settings", action="store_true",
                    help="print the health settings (the app's, or GROUP's)")
    hp.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="change a health setting of the app (or of GROUP); VALUE is JSON, 'null' resets; "
                         "activity_weights.KIND=W sets one weight (repeatable)")
    hp.set_defaults(func=lambda a: _run(a, _health))

    ap = sub.add_parser("activity", help="print decayed activity: a group's members, or the app's groups")
    common(ap)
    ap.add_argument("--limit", type=int, default=20, help="how many rows (default 20)")
    ap.set_defaults(func=lambda a: _run(a, _activity))

    sp = sub.add_parser("season", help="define seasons (custom board periods)")
    sverbs = sp.add_subparsers(dest="verb", metavar="VERB", required=True)
    sadd = sverbs.add_parser("add", help="add or replace a season; dates are local to each group, both included")
    common(sadd, group=False)
    sadd.add_argument("name", help="letters, digits, - and _ (boards end in :sNAME)")
    sadd.add_argument("start", help="YYYY-MM-DD")
    sadd.add_argument("end", help="YYYY-MM-DD")
    sadd.set_defaults(func=lambda a: _run(a, _season_add))
    sls = sverbs.add_parser("list", help="list seasons")
    common(sls, group=False)
    sls.set_defaults(func=lambda a: _run(a, _season_list))


def _run(args: argparse.Namespace, fn: Callable[[Store, argparse.Namespace], Awaitable[int]]) -> int:
    return run_store_command(args, lambda store, a: _with_app(store, a, fn))


async def _with_app(store: Store, args: argparse.Namespace,
                    fn: Callable[[Store, argparse.Namespace], Awaitable[int]]) -> int:
    """Resolve ``--app`` (id or name), then check the group and game named, so that a typo
    is an error rather than an empty table."""
    args.default_tz = getattr(args.settings, "default_timezone", DEFAULT_TZ)
    args.app = (await find_app(store, args.app)).id
    if getattr(args, "group", None):
        await _known_group(store, args.app, args.group)
    game = getattr(args, "game", None)
    if game is not None and game not in ("all", "checkin", "op") and game not in game_names():
        raise CliError(f"no game {game!r}: one of all, checkin, " + ", ".join(sorted(game_names())), 2)
    return await fn(store, args)


async def _known_group(store: Store, app: str, group: str) -> None:
    """A group is known once anything was stored for it: settings, members, rooms or activity."""
    if (await store.get_group_settings(app, group) or await store.group_members(app, group)
            or await store.list_rooms(app, group) or await store.activity_of(app, SCOPE_APP, group, time.time())):
        return
    raise CliError(f"no group {group!r} in this app: nothing was ever stored for it "
                   "(campfire activity lists the app's groups)")


def _group_name(settings: dict[str, Any]) -> str:
    name = settings.get("name")
    return name if isinstance(name, str) else ""


async def _board(store: Store, args: argparse.Namespace) -> str:
    if not valid_period(args.period) or ":" in args.game:
        raise CliError(f"no such period {args.period!r}: all, day, yesterday, week, last-week, month, "
                       "last-month, or an id like d2026-11-22", 2)
    tz = group_tz(await store.get_group_settings(args.app, args.group), args.default_tz) if args.group else args.default_tz
    period = resolve(args.period, time.time(), tz)
    return board_id(group_scope(args.group) if args.group else SCOPE_APP, args.game, period)


async def _show(store: Store, args: argparse.Namespace) -> int:
    board = await _board(store, args)
    if args.member:
        entries = await store.board_around(args.app, board, args.member, 5, 5)
    else:
        entries = await store.board_top(args.app, board, args.limit, args.offset)
    size = await store.board_size(args.app, board)

    def render() -> str:
        rows = [(e.rank, ("> " if e.member == args.member else "") + e.member, e.score) for e in entries]
        return f"board {board}  ({size} members)\n" + (table(["rank", "member", "score"], rows) if rows
                                                         else "(no scores)")

    emit(args, {"board": board, "size": size,
                "entries": [{"rank": e.rank, "member": e.member, "score": e.score} for e in entries]}, render)
    return 0


async def _list(store: Store, args: argparse.Namespace) -> int:
    prefix = f"{group_scope(args.group)}:" if args.group else ""
    boards = await store.list_boards(args.app, prefix)
    rows = [(b, await store.board_size(args.app, b)) for b in boards]
    emit(args, {"boards": [{"board": b, "members": n} for b, n in rows]},
         lambda: table(["board", "members"], rows) if rows else "(no boards yet)")
    return 0


async def _op(store: Store, args: argparse.Namespace, op: str) -> int:
    board = await _board(store, args)
    now = time.time()
    record = ResultRecord(args.app, f"op:cli:{uuid.uuid4().hex}", args.group or "", "op", now,
                          {"board": board, "member": args.member, "op": op, "value": args.value, "by": "cli"},
                          (BoardOp(board, args.member, op, args.value),))  # type: ignore[arg-type]
    await store.apply_result(record)
    e = await store.board_rank(args.app, board, args.member)
    emit(args, {"board": board, "member": args.member, "score": e.score if e else None, "rank": e.rank if e else None},
         lambda: f"{board}: {args.member} now {e.score if e else '-'} (rank {e.rank if e else '-'})")
    return 0


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def _setting_change(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs (VALUE is JSON, or a bare word) into one settings change."""
    change: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise CliError(f"--set takes KEY=VALUE, not {pair!r}", 2)
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        if key.startswith("activity_weights."):
            change.setdefault("activity_weights", {})[key.split(".", 1)[1]] = value
        else:
            change[key] = value
    return change


async def _health_settings(store: Store, args: argparse.Namespace) -> int:
    if args.set:
        try:
            change = hs.validate(_setting_change(args.set))
        except ValueError as exc:
            raise CliError(str(exc.args[-1]), 2) from None
        await health_write.change_health_settings(store, args.app, args.group, change)
    app = await store.get_app(args.app)
    app_settings = app.settings if app else {}
    gs = await store.get_group_settings(args.app, args.group) if args.group else {}
    own = hs.group_level(gs) if args.group else hs.app_level(app_settings)
    eff = hs.effective(app_settings, gs).to_dict()
    where = f"group {args.group}" if args.group else f"app {args.app}"
    emit(args, {"set": own, "effective": eff}, lambda: f"health settings of {where} (* = set here)\n" + table(
        ["setting", "value", "default"],
        [(("* " if k in own else "") + k, json.dumps(v), json.dumps(hs.DEFAULTS.to_dict()[k])) for k, v in eff.items()]))
    return 0


async def _health_groups(store: Store, args: argparse.Namespace, now: float) -> int:
    rows = await health_read.groups_overview(store, args.app, now, args.default_tz)
    emit(args, rows, lambda: table(
        ["group", "state", "since", "last active", "members", "weekly", "monthly", "breadth"],
        [(r["group"], r["state"], r["since"], r["last_active"], r["members"], r["weekly_active"],
          r["monthly_active"], r["breadth"]) for r in rows]) if rows else "(no groups with activity)")
    return 0


async def _health(store: Store, args: argparse.Namespace) -> int:
    if args.show_settings or args.set:
        return await _health_settings(store, args)
    tz = group_tz(await store.get_group_settings(args.app, args.group), args.default_tz) if args.group \
        else args.default_tz
    try:
        now = health_read.parse_at(args.at, tz) if args.at else time.time()
    except ValueError as exc:
        raise CliError(str(exc), 2) from None
    if args.group is None:
        return await _health_groups(store, args, now)
    try:
        figures = await health_read.group_report(store, args.app, args.group, now, args.default_tz)
    except health_read.UnknownGroup:
        raise CliError(f"no group {args.group!r} in this app") from None
    emit(args, figures, lambda: _health_text(args.group, tz, figures))
    return 0


def _health_text(group: str, tz: str, figures: dict[str, Any]) -> str:
    out: list[str] = []
    line = out.append
    p, t, c, k = figures["participation"], figures["state"], figures["coplay"], figures["concentration"]
    w = figures["weeks"]
    line(f"group {group}  ({tz}, complete days up to {figures['today']}, not included)")
    line("")
    line(table(["figure", "value"], [
        ("state", f"{t['state']} since {t['since']}"),
        ("last active day", t["last_active"] or "-"),
        ("members (N)", p["members"]),
        ("weekly / monthly active", f"{p['weekly_active']} / {p['monthly_active']}"),
        ("stickiness (WAU/MAU)", _pct(p["stickiness"])),
        ("participation (30 days)", _pct(p["rate"])),
        ("mean daily participation", _pct(p["daily_rate"])),
        ("member-days, last 7 / the 7 before", f"{w[0]['member_days']} / {w[1]['member_days']}"),
        (f"baseline ({t['baseline_weeks']} weeks, median)", "-" if t["baseline"] is None else t["baseline"]),
        ("last 7 days vs baseline", _pct(t["ratio_7"])),
        ("top member / top 3 share", f"{_pct(k['top1'])} / {_pct(k['top3'])}"),
        (f"connected ({c['min_partners']}+ current co-players)", f"{c['connected']} of {c['members']} ({_pct(c['share'])})"),
        ("newcomers who played (28 days)", f"{figures['newcomers']['played']} of {figures['newcomers']['new']}"),
    ]))
    line("\ndaily active members (last 14 days)")
    line(table(["day", "active", ""], [(d, n, "#" * n) for d, n in figures["daily_active"][-14:]]))
    line("\nmembers at risk")
    risk = figures["at_risk"]
    line(table(["member", "usual gap", "silent days", "last active"],
               [(r["member"], r["usual_gap"], r["silent_days"], r["last_active"]) for r in risk]) if risk else "(none)")
    line("\nlikely key members")
    keys = figures["key_members"]
    line(table(["member", "key", "activity", "co-players", "invited"],
               [(k["member"], k["key"], k["activity"], k["coplayers"], k["invited"]) for k in keys])
         if keys else "(none)")
    return "\n".join(out)


async def _activity(store: Store, args: argparse.Namespace) -> int:
    scope = group_scope(args.group) if args.group else SCOPE_APP
    entries = await store.activity_top(args.app, scope, time.time(), args.limit)
    names = {e.member: _group_name(await store.get_group_settings(args.app, e.member)) for e in entries} \
        if scope == SCOPE_APP else {}
    data = [{"rank": e.rank, "id": e.member, "name": names.get(e.member, ""), "score": e.score} for e in entries]

    def render() -> str:
        if not entries:
            return f"activity {scope} (decayed, now)\n(no activity)"
        if scope == SCOPE_APP:
            rows: list[tuple[Any, ...]] = [(d["rank"], d["id"], d["name"], d["score"]) for d in data]
            return f"activity {scope} (decayed, now)\n" + table(["rank", "group", "name", "score"], rows)
        return f"activity {scope} (decayed, now)\n" + table(
            ["rank", "member", "score"], [(d["rank"], d["id"], d["score"]) for d in data])

    emit(args, {"scope": scope, "entries": data}, render)
    return 0


async def _season_add(store: Store, args: argparse.Namespace) -> int:
    app = await store.get_app(args.app)
    assert app is not None
    try:
        start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    except ValueError:
        raise CliError("dates look like 2026-11-01", 2) from None
    if end < start or not args.name.replace("-", "").replace("_", "").isalnum():
        raise CliError("the end must not be before the start; names are letters, digits, - and _", 2)
    season = {"name": args.name, "start": start.isoformat(), "end": end.isoformat()}

    async def attempt() -> None:  # a version-checked write: a concurrent change is kept, not lost
        fresh = await store.get_app(args.app)
        assert fresh is not None
        seasons = [s for s in fresh.settings.get("seasons", []) if s.get("name") != args.name]
        await store.update_app_settings(args.app, {**fresh.settings, "seasons": [*seasons, season]}, fresh.version)

    await change_atomically(attempt)
    emit(args, season, lambda: f"season {args.name}: {start} .. {end}  (boards ending in :s{args.name})")
    return 0


async def _season_list(store: Store, args: argparse.Namespace) -> int:
    app = await store.get_app(args.app)
    seasons = parse_seasons(app.settings.get("seasons") if app else None)
    emit(args, {"seasons": [{"name": s.name, "start": str(s.start), "end": str(s.end), "id": s.id} for s in seasons]},
         lambda: table(["season", "start", "end", "period id"], [(s.name, s.start, s.end, s.id) for s in seasons])
         if seasons else "(no seasons)")
    return 0
