"""Every contract test runs twice: on SQLite in a temp file and on a real redis-server
started for this session on a free port."""
from __future__ import annotations

import itertools
from typing import AsyncIterator

import pytest

from server.store import Store
from server.store.redis_store import RedisStore
from server.store.sqlite_store import SqliteStore

try:
    from tests.redis_server import RedisServer
except ImportError:  # tests/ is on sys.path, not its parent
    from redis_server import RedisServer  # type: ignore[no-redef]

_prefixes = itertools.count()


@pytest.fixture(params=["sqlite", "redis"])
async def store(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Store]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        s: Store = SqliteStore(str(tmp_path / "campfire.db"))
    else:
        server: RedisServer = request.getfixturevalue("redis_server")
        s = RedisStore(server.url, prefix=f"t{next(_prefixes)}:")  # a fresh namespace per test
    await s.open()
    try:
        yield s
    finally:
        await s.close()
