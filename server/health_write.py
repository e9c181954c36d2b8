"""Writes of the health settings and of a group's roster count, each one atomic change of the
stored settings (docs/ARCHITECTURE.md, principle 9): read with its version, change, write
back naming that version, and start again on a conflict (server/records.py). Shared by the
websocket and REST handlers and by ``campfire health --set``."""
from __future__ import annotations

from typing import Any, Mapping

from server.records import change_atomically
from server.scoring import health_settings as hs
from server.store import Store


async def change_health_settings(store: Store, app: str, group: str | None, change: Mapping[str, Any]) -> None:
    """Apply an already validated ``change`` to the app's settings, or to ``group``'s."""
    async def attempt() -> None:
        if group:
            current, version = await store.load_group_settings(app, group)
            merged = hs.merge(hs.group_level(current), change)
            updated = {**current, "health": merged} if merged else {k: v for k, v in current.items() if k != "health"}
            await store.set_group_settings(app, group, updated, version=version)
        else:
            record = await store.get_app(app)
            if record is not None:
                await store.update_app_settings(app, hs.split_for_app(record.settings, change), version=record.version)

    await change_atomically(attempt)


async def set_roster(store: Store, app: str, group: str, count: int, at: float) -> dict[str, Any]:
    """Keep the member count the bot reported (``{"count", "at"}`` in group setting ``roster``)."""
    roster = {"count": count, "at": at}

    async def attempt() -> None:
        current, version = await store.load_group_settings(app, group)
        await store.set_group_settings(app, group, {**current, "roster": roster}, version=version)

    await change_atomically(attempt)
    return roster
