"""``campfire rooms``: what an operator needs to know about rooms the server could not run.

``campfire rooms quarantined`` lists the rooms that could not be rebuilt from their snapshot
and log at start or take-over (server/runtime/rooms.py, ``_quarantine``): every other room
started; these wait for a post-mortem, their data untouched in the store.
"""
from __future__ import annotations

import argparse
from typing import Any

from server.cli_common import add_json_option, add_store_option, emit, run_store_command, table
from server.store import Store


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    rooms = sub.add_parser("rooms", help="inspect rooms the server could not run")
    verbs = rooms.add_subparsers(dest="verb", metavar="VERB", required=True)
    quarantined = verbs.add_parser("quarantined", help="list rooms quarantined because they could not be restored")
    add_store_option(quarantined)
    add_json_option(quarantined)
    quarantined.set_defaults(func=lambda a: run_store_command(a, _quarantined))


async def _quarantined(store: Store, args: argparse.Namespace) -> int:
    found: list[dict[str, Any]] = []
    for app in await store.list_apps():
        for room in await store.list_rooms(app.id):
            if room.status == "quarantined":
                found.append({"app": app.id, "room": room.id, "group": room.group, "game": room.game,
                              "updated_at": room.updated_at})
    emit(args, {"rooms": found}, lambda: table(["app", "room", "group", "game"],
                                               [(r["app"], r["room"], r["group"], r["game"]) for r in found])
         if found else "no quarantined rooms")
    return 0
