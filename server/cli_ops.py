"""Operators' commands: ``campfire board …``, ``campfire health …``, ``campfire activity …``
and ``campfire season …``, printing readable tables straight from the store."""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
import uuid
from typing import Any, Awaitable, Callable, Sequence

from server.scoring import health
from server.scoring.boards import SCOPE_APP, board_id, group_scope
from server.scoring.periods import DEFAULT_TZ, group_tz, parse_seasons, resolve, valid_period
from server.store import BoardOp, ResultRecord, Store, open_store


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain aligned table; numbers right-aligned. CJK names count as two columns wide."""
    def width(s: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    def fmt(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:,.2f}" if abs(v) >= 0.01 or v == 0 else f"{v:.2e}"
        return "" if v is None else str(v)

    cells = [[fmt(v) for v in r] for r in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    numeric = [all(isinstance(r[i], (int, float)) for r in rows) and bool(rows) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        out = []
        for v, w, num in zip(values, widths, numeric):
            pad = " " * (w - width(v))
            out.append(pad + v if num else v + pad)
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    from server.cli import add_store_option

    def common(p: argparse.ArgumentParser, group: bool = True) -> None:
        p.add_argument("--app", default=None, help="app id (default: the only app)")
        if group:
            p.add_argument("--group", "-g", default=None, help="group id (default: app-wide)")
        add_store_option(p)

    board = sub.add_parser("board", help="show leaderboards and change scores")
    verbs = board.add_subparsers(dest="verb", metavar="VERB", required=True)
    show = verbs.add_parser("show", help="print a board")
    common(show)
    show.add_argument("--game", default="all", help="a game name, 'checkin' or 'all' (default)")
    show.add_argument("--period", default="all",
                      help="all, day, yesterday, week, last-week, month, last-month, or an id like d2026-11-22")
    show.add_argument("--limit", type=int, default=20)
    show.add_argument("--offset", type=int, default=0)
    show.add_argument("--member", default=None, help="show this member and the members around them")
    show.set_defaults(func=lambda a: _run(a, _show))
    lst = verbs.add_parser("list", help="list the boards that have scores")
    common(lst)
    lst.set_defaults(func=lambda a: _run(a, _list))
    for op in ("best", "set", "incr"):
        p = verbs.add_parser(op, help=f"{op} a member's score (operator op)")
        common(p)
        p.add_argument("--game", default="all")
        p.add_argument("--period", default="all")
        p.add_argument("member")
        p.add_argument("value", type=float)
        p.set_defaults(func=lambda a, op=op: _run(a, lambda s, x: _op(s, x, op)))

    hp = sub.add_parser("health", help="print a group's health figures")
    common(hp, group=False)
    hp.add_argument("group")
    hp.add_argument("--at", default=None, help="evaluate at this ISO time (default: now)")
    hp.add_argument("--json", action="store_true", help="print JSON instead of tables")
    hp.set_defaults(func=lambda a: _run(a, _health))

    ap = sub.add_parser("activity", help="print decayed activity: a group's members, or the app's groups")
    common(ap)
    ap.add_argument("--limit", type=int, default=20)
    ap.set_defaults(func=lambda a: _run(a, _activity))

    sp = sub.add_parser("season", help="define seasons (custom board periods)")
    sverbs = sp.add_subparsers(dest="verb", metavar="VERB", required=True)
    sadd = sverbs.add_parser("add", help="add or replace a season; dates are local to each group, both included")
    common(sadd, group=False)
    sadd.add_argument("name")
    sadd.add_argument("start", help="YYYY-MM-DD")
    sadd.add_argument("end", help="YYYY-MM-DD")
    sadd.set_defaults(func=lambda a: _run(a, _season_add))
    sls = sverbs.add_parser("list", help="list seasons")
    common(sls, group=False)
    sls.set_defaults(func=lambda a: _run(a, _season_list))


def _run(args: argparse.Namespace, fn: Callable[[Store, argparse.Namespace], Awaitable[int]]) -> int:
    from server.config import ConfigFileError, load_settings

    try:
        settings = load_settings(args.config, overrides={"store": args.store})
    except ConfigFileError as exc:
        print(f"campfire: {exc}", file=sys.stderr)
        return 2
    args.default_tz = getattr(settings, "default_timezone", DEFAULT_TZ)

    async def go() -> int:
        store = await open_store(settings.store)
        try:
            if args.app is None:
                apps = await store.list_apps()
                if len(apps) != 1:
                    print("campfire: pass --app (there are %d apps)" % len(apps), file=sys.stderr)
                    return 2
                args.app = apps[0].id
            elif await store.get_app(args.app) is None:
                print(f"campfire: no app '{args.app}'", file=sys.stderr)
                return 1
            return await fn(store, args)
        finally:
            await store.close()

    return asyncio.run(go())


async def _board(store: Store, args: argparse.Namespace) -> str | None:
    if not valid_period(args.period) or ":" in args.game:
        print(f"campfire: no such period '{args.period}'", file=sys.stderr)
        return None
    tz = group_tz(await store.get_group_settings(args.app, args.group), args.default_tz) if args.group else args.default_tz
    period = resolve(args.period, time.time(), tz)
    return board_id(group_scope(args.group) if args.group else SCOPE_APP, args.game, period)


async def _show(store: Store, args: argparse.Namespace) -> int:
    board = await _board(store, args)
    if board is None:
        return 2
    if args.member:
        entries = await store.board_around(args.app, board, args.member, 5, 5)
    else:
        entries = await store.board_top(args.app, board, args.limit, args.offset)
    size = await store.board_size(args.app, board)
    print(f"board {board}  ({size} members)")
    if not entries:
        print("(no scores)")
        return 0
    rows = [(e.rank, ("> " if e.member == args.member else "") + e.member, e.score) for e in entries]
    print(table(["rank", "member", "score"], rows))
    return 0


async def _list(store: Store, args: argparse.Namespace) -> int:
    prefix = f"{group_scope(args.group)}:" if args.group else ""
    boards = await store.list_boards(args.app, prefix)
    rows = [(b, await store.board_size(args.app, b)) for b in boards]
    print(table(["board", "members"], rows) if rows else "(no boards yet)")
    return 0


async def _op(store: Store, args: argparse.Namespace, op: str) -> int:
    board = await _board(store, args)
    if board is None:
        return 2
    now = time.time()
    record = ResultRecord(args.app, f"op:cli:{uuid.uuid4().hex}", args.group or "", "op", now,
                          {"board": board, "member": args.member, "op": op, "value": args.value, "by": "cli"},
                          (BoardOp(board, args.member, op, args.value),))  # type: ignore[arg-type]
    await store.apply_result(record)
    e = await store.board_rank(args.app, board, args.member)
    print(f"{board}: {args.member} now {e.score if e else '-'} (rank {e.rank if e else '-'})")
    return 0


async def _health(store: Store, args: argparse.Namespace) -> int:
    app = await store.get_app(args.app)
    tz = group_tz(await store.get_group_settings(args.app, args.group), args.default_tz)
    now = dt.datetime.fromisoformat(args.at).timestamp() if args.at else time.time()
    facts = await health.load_facts(store, args.app, args.group, now, tz)
    figures = health.report(facts, health.health_settings(app.settings if app else {}))
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    p, t, c = figures["participation"], figures["trend"], figures["coplay"]
    print(f"group {args.group}  ({tz}, today {figures['today']})")
    print()
    print(table(["figure", "value"], [
        ("members", p["members"]),
        ("active in 30 days", p["active"]),
        ("participation (30 days)", f"{p['rate']:.0%}"),
        ("mean daily participation", f"{p['daily_rate']:.0%}"),
        ("points, last 7 days", t["weeks"][0]),
        ("points, the 7 before", t["weeks"][1]),
        ("week over week", "-" if t["wow"] is None else f"{t['wow']:+.0%}"),
        (f"baseline ({t['baseline_weeks']}-week mean)", "-" if t["baseline"] is None else round(t["baseline"], 2)),
        ("cooling", "YES" if t["cooling"] else "no"),
        ("played with 2+ others more than once", f"{c['tied']} of {c['members']} ({c['share']:.0%})"),
    ]))
    print("\ndaily active members (last 14 days)")
    print(table(["day", "active", ""], [(d, n, "#" * n) for d, n in figures["daily_active"][-14:]]))
    print("\nmembers at risk")
    risk = figures["at_risk"]
    print(table(["member", "weekly before", "last week", "last active"],
                [(r["member"], r["weekly_before"], r["last_week"], r["last_active"]) for r in risk]) if risk else "(none)")
    print("\nlikely key members")
    keys = figures["key_members"]
    print(table(["member", "key", "activity", "co-players", "invited"],
                [(k["member"], k["key"], k["activity"], k["coplayers"], k["invited"]) for k in keys])
          if keys else "(none)")
    return 0


async def _activity(store: Store, args: argparse.Namespace) -> int:
    scope = group_scope(args.group) if args.group else SCOPE_APP
    entries = await store.activity_top(args.app, scope, time.time(), args.limit)
    print(f"activity {scope} (decayed, now)")
    print(table(["rank", "group" if scope == SCOPE_APP else "member", "score"],
                [(e.rank, e.member, e.score) for e in entries]) if entries else "(no activity)")
    return 0


async def _season_add(store: Store, args: argparse.Namespace) -> int:
    app = await store.get_app(args.app)
    assert app is not None
    try:
        start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    except ValueError:
        print("campfire: dates look like 2026-11-01", file=sys.stderr)
        return 2
    if end < start or not args.name.replace("-", "").replace("_", "").isalnum():
        print("campfire: the end must not be before the start; names are letters, digits, - and _", file=sys.stderr)
        return 2
    seasons = [s for s in app.settings.get("seasons", []) if s.get("name") != args.name]
    seasons.append({"name": args.name, "start": start.isoformat(), "end": end.isoformat()})
    await store.update_app_settings(args.app, {**app.settings, "seasons": seasons})
    print(f"season {args.name}: {start} .. {end}  (boards ending in :s{args.name})")
    return 0


async def _season_list(store: Store, args: argparse.Namespace) -> int:
    app = await store.get_app(args.app)
    seasons = parse_seasons(app.settings.get("seasons") if app else None)
    print(table(["season", "start", "end", "period id"], [(s.name, s.start, s.end, s.id) for s in seasons])
          if seasons else "(no seasons)")
    return 0
