"""``campfire apps``: create apps, list them, add and revoke keys."""
from __future__ import annotations

import argparse
import sys
import time

from server.auth import add_key, create_app, hash_key
from server.store import Store, open_store


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    from server.cli import add_store_option

    apps = sub.add_parser("apps", help="manage apps (bot integrations) and their API keys")
    verbs = apps.add_subparsers(dest="verb", metavar="VERB", required=True)
    create = verbs.add_parser("create", help="create an app and print its API key (shown once)")
    create.add_argument("name")
    add_store_option(create)
    create.set_defaults(func=lambda a: _run(a, _create))
    lst = verbs.add_parser("list", help="list apps and their keys (prefixes only)")
    add_store_option(lst)
    lst.set_defaults(func=lambda a: _run(a, _list))
    key = verbs.add_parser("add-key", help="add another key to an app (for rotation)")
    key.add_argument("app")
    add_store_option(key)
    key.set_defaults(func=lambda a: _run(a, _add_key))
    revoke = verbs.add_parser("revoke", help="revoke a key; connections using it are refused from now on")
    revoke.add_argument("key", help="the full key")
    add_store_option(revoke)
    revoke.set_defaults(func=lambda a: _run(a, _revoke))


def _run(args: argparse.Namespace, fn: "object") -> int:
    import asyncio

    from server.config import ConfigFileError, load_settings

    try:
        settings = load_settings(args.config, overrides={"store": args.store})
    except ConfigFileError as exc:
        print(f"campfire: {exc}", file=sys.stderr)
        return 2

    async def go() -> int:
        store = await open_store(settings.store)
        try:
            return await fn(store, args)  # type: ignore[operator]
        finally:
            await store.close()

    return asyncio.run(go())


async def _create(store: Store, args: argparse.Namespace) -> int:
    app, key = await create_app(store, args.name)
    print(f"app:  {app.id}  ({app.name})")
    print(f"key:  {key}")
    print("Keep the key secret: it is stored only hashed and cannot be shown again.")
    return 0


async def _list(store: Store, args: argparse.Namespace) -> int:
    apps = await store.list_apps()
    if not apps:
        print("no apps yet: campfire apps create NAME")
    for app in apps:
        print(f"{app.id}  {app.name}  created {time.strftime('%Y-%m-%d %H:%M', time.localtime(app.created_at))}")
        for k in await store.list_keys(app.id):
            state = "revoked" if k.revoked_at else "active"
            print(f"    {k.prefix}…  {state}")
    return 0


async def _add_key(store: Store, args: argparse.Namespace) -> int:
    if await store.get_app(args.app) is None:
        print(f"campfire: no app '{args.app}'", file=sys.stderr)
        return 1
    print(f"key:  {await add_key(store, args.app)}")
    return 0


async def _revoke(store: Store, args: argparse.Namespace) -> int:
    if await store.revoke_key(hash_key(args.key), time.time()):
        print("revoked")
        return 0
    print("campfire: no such active key", file=sys.stderr)
    return 1
