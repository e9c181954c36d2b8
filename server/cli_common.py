"""What the store-reading CLI commands share: one way to fail, opening a store without
creating an empty one by mistake, finding an app by id or name, and printing data either as
an aligned table or as JSON.

Why a module of its own: ``cli_apps``, ``cli_ops`` and ``cli_packs`` all need these, and
``server/cli.py`` imports them, so living there would make each command module import the
file that imports it.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, Awaitable, Callable, Sequence

from wcwidth import wcswidth

from server.config import ConfigFileError, Settings, load_settings
from server.store import AppRecord, Store, open_store


class CliError(Exception):
    """A failure the user can fix: printed as ``campfire: <message>`` with exit ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", default=None,
                        help="SQLite path or redis://… URL (default: data/campfire.db or CAMPFIRE_STORE)")
    parser.add_argument("--config", default=None, help="a TOML settings file")


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def settings_of(args: argparse.Namespace) -> Settings:
    try:
        return load_settings(getattr(args, "config", None), overrides={"store": getattr(args, "store", None)})
    except ConfigFileError as exc:
        raise CliError(str(exc), 2) from None


def is_redis(url: str) -> bool:
    return url.startswith(("redis://", "rediss://", "unix://"))


def sqlite_path(url: str) -> Path:
    return Path(url[len("sqlite:///"):] if url.startswith("sqlite:///") else url)


async def open_existing(settings: Settings, *, create: bool = False) -> Store:
    """Open the configured store. An embedded store that does not exist yet is created only
    when ``create`` is set (``apps create``); otherwise the error says where we looked, so
    running a command from the wrong folder never answers "0 apps" from a new empty file."""
    url = settings.store
    if not is_redis(url) and not create:
        path = sqlite_path(url)
        if not path.exists():
            raise CliError(f"no Campfire store at {path.resolve()} (from the setting 'store' = {url!r}); "
                           "run from the folder that holds data/, or pass --store PATH (or set CAMPFIRE_STORE)")
    try:
        return await open_store(url)
    except Exception as exc:
        if unreachable(exc):
            raise CliError(f"cannot reach the store at {url}: {exc}") from None
        raise


def unreachable(exc: BaseException) -> bool:
    """A store we could not talk to: Redis down or refusing, a socket error, a locked file."""
    try:
        import redis.exceptions as rex

        if isinstance(exc, (rex.ConnectionError, rex.TimeoutError)):
            return True
    except ImportError:  # pragma: no cover - the server extra installs redis
        pass
    import sqlite3

    return isinstance(exc, (ConnectionError, TimeoutError, sqlite3.OperationalError))


async def find_app(store: Store, ref: str | None) -> AppRecord:
    """The app named by ``ref`` (its id or its name), or the only app when ``ref`` is None."""
    apps = await store.list_apps()
    if ref is None:
        if len(apps) == 1:
            return apps[0]
        if not apps:
            raise CliError("there are no apps yet: campfire apps create NAME", 2)
        raise CliError(f"there are {len(apps)} apps: pass --app ID or NAME ("
                       + ", ".join(f"{a.id} {a.name!r}" for a in apps[:5]) + ")", 2)
    by_id = [a for a in apps if a.id == ref]
    if by_id:
        return by_id[0]
    by_name = [a for a in apps if a.name == ref]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise CliError(f"{len(by_name)} apps are named {ref!r}: pass the id (" + ", ".join(a.id for a in by_name)
                       + ")", 2)
    raise CliError(f"no app with the id or name {ref!r} (campfire apps list)", 2)


def run_store_command(args: argparse.Namespace, fn: Callable[[Store, argparse.Namespace], Awaitable[int]],
                      *, create: bool = False) -> int:
    """Open the store from ``args``, run ``fn`` and close the store whatever happens."""
    settings = settings_of(args)
    args.settings = settings

    async def go() -> int:
        store = await open_existing(settings, create=create)
        try:
            return await fn(store, args)
        finally:
            await store.close()

    return asyncio.run(go())


def iso_time(text: str) -> float:
    """argparse type for ``--at``: an ISO date or time; naive times are local."""
    try:
        return dt.datetime.fromisoformat(text).timestamp()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date or time (like 2026-11-30 or "
                                         "2026-11-30T18:00+08:00)") from None


def emit(args: argparse.Namespace, data: Any, render: Callable[[], str]) -> None:
    """Print ``data`` as JSON when ``--json`` was given, else the human rendering."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(render())


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK and wide emoji count two, combining marks none."""
    w = wcswidth(text)
    return w if w >= 0 else len(text)  # control characters: fall back to the length


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain aligned table; numeric columns right-aligned, wide characters measured."""
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


def fail(message: str) -> int:
    print(f"campfire: {message}", file=sys.stderr)
    return 1
