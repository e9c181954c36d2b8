"""``serve --demo``: a ready-to-use demo app, created on first start.

The key is shown once at creation like any key, and also kept in ``<data_dir>/demo-key``
(readable only by its owner) so that later demo starts can print it again: a demo is for
trying things, and a newcomer who missed the first banner should not be locked out.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from server.auth import Auth, create_app
from server.config import Settings
from server.demo_activity import seed_demo_activity
from server.play.links import KEY_PURPOSE, Launch, sign
from server.store import Store

DEMO_APP_NAME = "demo"
DEMO_GROUP = "demo-group"
DEMO_MEMBERS = (("alice", "Alice"), ("bob", "Bob"))
DEMO_LINK_TTL = 7 * 24 * 3600  # a demo's links outlive the first coffee break


async def ensure_demo(store: Store, settings: Settings, with_activity: bool = False) -> tuple[str, str | None]:
    """Return (app id, key or None if it was created elsewhere and its key is unknown).
    ``with_activity``: on creation, also write a few weeks of made-up games (``serve --demo``,
    for the console; ``play --demo`` starts from an empty group)."""
    key_file = Path(settings.data_dir) / "demo-key"
    for app in await store.list_apps():
        if app.name == DEMO_APP_NAME:
            key = key_file.read_text().strip() if key_file.exists() else None
            return app.id, key
    app, key = await create_app(store, DEMO_APP_NAME, settings={"demo": True})
    await store.set_group_settings(app.id, DEMO_GROUP, {"timezone": settings.default_timezone, "lang": "zh",
                                                        "name": "Campfire 演示群"})
    if with_activity:  # a few weeks of games in a few groups: figures and charts to show
        await seed_demo_activity(store, app.id, time.time(), settings.default_timezone)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return app.id, key


def _command() -> str:
    """The campfire command beside this interpreter (``.venv/bin/campfire`` after make demo),
    relative to the current folder when inside it, so the hint can be pasted as it is."""
    path = Path(sys.executable).parent / "campfire"
    if not path.exists():
        return "campfire"
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def play_links(auth: Auth, settings: Settings, app_id: str, now: float) -> list[tuple[str, str]]:
    """(name, launch link) for each demo member: the demo group's page (check-in, boards, the live
    game), openable in a browser on this machine (or at ``public_url``)."""
    base = settings.public_url.rstrip("/") or f"http://{_browser_host(settings.host)}:{settings.port}"
    key = auth.derive(KEY_PURPOSE)
    return [(name, f"{base}/play/#" + sign(key, Launch(app_id, DEMO_GROUP, None, member, name,
                                                      int(now + DEMO_LINK_TTL))))
            for member, name in DEMO_MEMBERS]


def _browser_host(host: str) -> str:
    """Where a browser on this machine reaches a server listening on ``host``."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def banner(settings: Settings, app_id: str, key: str | None, links: list[tuple[str, str]] | None = None) -> str:
    url = f"ws://{settings.host}:{settings.port}/ws"
    lines = [
        "",
        "  Campfire demo is running.",
        f"  websocket: {url}",
        f"  REST:      http://{settings.host}:{settings.port}/v1/games",
        f"  console:   http://{settings.host}:{settings.port}/console   (sign in with the demo key)",
        f"  demo app:  {app_id}",
        f"  demo key:  {key or '(unknown: see ' + settings.data_dir + '/demo-key)'}",
        f"  try it:    {_command()} play --url {url} --key {key or 'KEY'}",
    ]
    for name, link in links or []:
        lines.append(f"  play page as {name} (open in a browser on this machine): {link}")
    lines += [
        "",
    ]
    return "\n".join(lines)
