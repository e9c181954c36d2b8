"""``campfire apps``: create apps, list them, add and revoke keys."""
from __future__ import annotations

import argparse
import time
from typing import Any

from server.auth import READ_ONLY_PREFIX, add_key, create_app, hash_key
from server.cli_common import (
    CliError,
    add_json_option,
    add_store_option,
    emit,
    find_app,
    run_store_command,
    table,
)
from server.store import Store


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    apps = sub.add_parser("apps", help="manage apps (bot integrations) and their API keys")
    verbs = apps.add_subparsers(dest="verb", metavar="VERB", required=True)
    create = verbs.add_parser("create", help="create an app and print its API key (shown once)")
    create.add_argument("name", help="a name for people (the id is generated)")
    add_store_option(create)
    add_json_option(create)
    create.set_defaults(func=lambda a: run_store_command(a, _create, create=True))
    lst = verbs.add_parser("list", help="list apps and their keys (prefixes only)")
    add_store_option(lst)
    add_json_option(lst)
    lst.set_defaults(func=lambda a: run_store_command(a, _list))
    key = verbs.add_parser("add-key", help="add another key to an app (for rotation)")
    key.add_argument("app", help="the app's id or name")
    add_store_option(key)
    add_json_option(key)
    key.set_defaults(func=lambda a: run_store_command(a, _add_key))
    keys = verbs.add_parser("keys", help="an app's keys: create one (full or read-only)")
    key_verbs = keys.add_subparsers(dest="key_verb", metavar="VERB", required=True)
    kcreate = key_verbs.add_parser("create", help="create a key for an app and print it (shown once)")
    kcreate.add_argument("app", help="the app's id or name")
    kcreate.add_argument("--read-only", action="store_true",
                         help="an operator key that reads everything of the app and changes nothing")
    add_store_option(kcreate)
    add_json_option(kcreate)
    kcreate.set_defaults(func=lambda a: run_store_command(a, _add_key))
    revoke = verbs.add_parser("revoke", help="revoke a key: refused at once at hello and over REST, with the member tokens it "
                                "minted; open connections using either are closed within 10 s")
    revoke.add_argument("key", help="the full key")
    add_store_option(revoke)
    revoke.set_defaults(func=lambda a: run_store_command(a, _revoke))


async def _create(store: Store, args: argparse.Namespace) -> int:
    app, key = await create_app(store, args.name)
    emit(args, {"app": {"id": app.id, "name": app.name}, "key": key}, lambda: "\n".join([
        f"app:  {app.id}  ({app.name})",
        f"key:  {key}",
        "Keep the key secret: it is stored only hashed and cannot be shown again."]))
    return 0


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(at))


async def _list(store: Store, args: argparse.Namespace) -> int:
    apps = await store.list_apps()
    data: list[dict[str, Any]] = []
    for app in apps:
        keys = [{"prefix": k.prefix, "created_at": k.created_at, "revoked_at": k.revoked_at}
                for k in await store.list_keys(app.id)]
        data.append({"id": app.id, "name": app.name, "created_at": app.created_at, "keys": keys})

    def render() -> str:
        if not data:
            return "no apps yet: campfire apps create NAME"
        rows = [(a["id"], a["name"], _when(a["created_at"]),
                 ", ".join(k["prefix"] + "…" + (" (read-only)" if k["prefix"].startswith(READ_ONLY_PREFIX) else "")
                           + (" (revoked)" if k["revoked_at"] else "") for k in a["keys"]))
                for a in data]
        return table(["app", "name", "created", "keys"], rows)

    emit(args, {"apps": data}, render)
    return 0


async def _add_key(store: Store, args: argparse.Namespace) -> int:
    app = await find_app(store, args.app)
    read_only = bool(getattr(args, "read_only", False))
    key = await add_key(store, app.id, read_only=read_only)
    emit(args, {"app": app.id, "key": key, "read_only": read_only},
         lambda: f"key:  {key}" + ("  (read-only)" if read_only else ""))
    return 0


async def _revoke(store: Store, args: argparse.Namespace) -> int:
    if await store.revoke_key(hash_key(args.key), time.time()):
        print("revoked")
        return 0
    raise CliError("no such active key")
