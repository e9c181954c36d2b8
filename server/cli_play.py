"""``campfire play``: a pretend group in the terminal.

One person types as several members ("alice: 签到", or "/as bob" to switch) and sees what
a bot would post in the group, and each member's private messages, exactly as the chat
bridge renders them. Operators use it to try a game before rolling it out; developers use
it to see their template overrides. ``--demo`` runs a server in this process on a
throwaway embedded store, so there is nothing else to start.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import sys
import tempfile
from typing import Any, AsyncIterator, TextIO

NAME_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]{0,31})\s*[:：]\s*(.*)$")

HELP = """Type as the current member; prefix a line with "name:" to speak as someone else once.
  /as NAME      switch the current member        /who   who has spoken so far
  /help         this text                        /quit  leave (Ctrl-D works too)
Try: 答题 · bob: 加入 · 开始 · A · 签到 · 排行榜 · 帮助      (English: /quiz /join /start /checkin)"""


def register(sub: Any) -> None:
    p = sub.add_parser("play", help="a pretend group chat in the terminal, played through the chat bridge")
    p.add_argument("--url", help="the server's websocket URL, e.g. ws://127.0.0.1:8765/ws")
    p.add_argument("--key", help="an app key (campfire apps create NAME prints one)")
    p.add_argument("--demo", action="store_true",
                   help="run a server in this process on a temporary embedded store, with a demo app")
    p.add_argument("--store", default=None, help="with --demo: keep the embedded store in this SQLite file")
    p.add_argument("--group", default="demo-group", help="the pretend group's id")
    p.add_argument("--lang", default="zh", choices=("zh", "en"), help="the group's language")
    p.add_argument("--as", dest="member", default="alice", help="who you type as at first")
    p.add_argument("--rate", type=float, default=5.0, help="bot messages per second in the group")
    p.add_argument("--set", dest="settings", action="append", default=[], metavar="GAME.KEY=VALUE",
                   help="a room setting, e.g. quiz.questions=3 (repeatable)")
    p.add_argument("--templates", default=None, help="a JSON file of template overrides")
    p.set_defaults(func=_main)


def parse_settings(items: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        game, dot, name = key.partition(".")
        if not sep or not dot or not game or not name:
            raise ValueError(f"--set wants GAME.KEY=VALUE, got {item!r}")
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        out.setdefault(game.strip(), {})[name.strip()] = value
    return out


def _main(args: argparse.Namespace) -> int:
    if not args.demo and not (args.url and args.key):
        print("campfire play: give --url and --key, or --demo", file=sys.stderr)
        return 2
    try:
        game_config = parse_settings(args.settings)
    except ValueError as exc:
        print(f"campfire play: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(play(args, game_config))
    except KeyboardInterrupt:
        return 130


@contextlib.asynccontextmanager
async def demo_server(store_path: str | None) -> AsyncIterator[tuple[str, str]]:
    """An in-process server on the embedded store with the demo app: (url, key)."""
    from server.config import Settings
    from server.demo import ensure_demo
    from server.run import EmbeddedServer
    from server.store import open_store

    with tempfile.TemporaryDirectory(prefix="campfire-play-") as tmp:
        settings = Settings(host="127.0.0.1", port=0, store=store_path or f"{tmp}/campfire.db", data_dir=tmp)
        store = await open_store(settings.store)
        try:
            _, key = await ensure_demo(store, settings)
            if key is None:
                raise RuntimeError("the demo app exists but its key is unknown; use a fresh --store")
            server = EmbeddedServer(settings, store=store, log_level="error")
            async with server.running():
                yield server.url, key
        finally:
            await store.close()


class Terminal:
    """Prints the group's messages and DMs without trampling the prompt line."""

    def __init__(self, out: TextIO, member: str) -> None:
        self.out = out
        self.member = member
        self.prompting = False

    def prompt(self) -> None:
        self.out.write(f"{self.member}> ")
        self.out.flush()
        self.prompting = True

    def show(self, text: str) -> None:
        if self.prompting:
            self.out.write("\r\x1b[K")
        self.out.write(text + "\n")
        if self.prompting:
            self.out.write(f"{self.member}> ")
        self.out.flush()

    async def send(self, message: Any) -> None:
        lines = message.text.split("\n")
        if message.private:
            head = f"[私聊 → {message.member}] " if self._zh else f"[DM → {message.member}] "
        else:
            head = "[群] " if self._zh else "[group] "
        pad = " " * _width(head)
        self.show(head + lines[0] + "".join("\n" + pad + line for line in lines[1:]))

    _zh = True


def _width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


async def _read_line() -> str:
    return await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


async def play(args: argparse.Namespace, game_config: dict[str, dict[str, Any]]) -> int:
    from sdk import Client
    from sdk.bridge import Bridge, IncomingMessage

    async with contextlib.AsyncExitStack() as stack:
        if args.demo:
            url, key = await stack.enter_async_context(demo_server(args.store))
        else:
            url, key = args.url, args.key
        client = await stack.enter_async_context(Client(url, key))
        bridge = Bridge(client, lang=args.lang, rate=args.rate, burst=3, game_config=game_config,
                        templates=args.templates)
        bridge.set_lang(args.group, args.lang)  # --lang is this group's language, whatever its settings say
        term = Terminal(sys.stdout, args.member)
        term._zh = args.lang == "zh"
        runner = asyncio.create_task(bridge.run(term.send))
        names: dict[str, str] = {}
        term.show(HELP)
        try:
            while True:
                term.prompt()
                raw = await _read_line()
                term.prompting = False
                if not raw:
                    break
                line = raw.strip()
                if not line:
                    continue
                if line in ("/quit", "/exit"):
                    break
                if line == "/help":
                    term.show(HELP)
                    continue
                if line == "/who":
                    term.show(", ".join(sorted(names.values())) or "-")
                    continue
                if line.startswith("/as "):
                    term.member = line[4:].strip().lower() or term.member
                    continue
                member, text = term.member, line
                m = NAME_PREFIX.match(line)
                if m:
                    member, text = m.group(1).lower(), m.group(2)
                name = names.setdefault(member, member[:1].upper() + member[1:])
                mentions = tuple(w[1:].lower() for w in text.split() if w.startswith("@") and len(w) > 1)
                await bridge.handle(IncomingMessage(args.group, member, name, text, mentions))
                await asyncio.sleep(0.05)  # let the bot's answer print before the next prompt
        finally:
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await runner
            await bridge.drain()
            await bridge.close()
    return 0
