"""Storage behind one async contract (``Store``) with SQLite and Redis implementations."""
from server.store.base import (
    Act,
    AppRecord,
    BoardEntry,
    BoardOp,
    Conflict,
    Fenced,
    GroupBusy,
    KeyRecord,
    Membership,
    ResultRecord,
    RoomRecord,
    Store,
    StoredEvent,
)

__all__ = [
    "Act", "AppRecord", "BoardEntry", "BoardOp", "Conflict", "Fenced", "GroupBusy", "KeyRecord", "Membership",
    "ResultRecord", "RoomRecord", "Store", "StoredEvent", "is_redis_url", "open_store",
    "sqlite_path",
]


def is_redis_url(url: str) -> bool:
    return url.startswith(("redis://", "rediss://", "unix://"))


def sqlite_path(url: str) -> str:
    """The file of an embedded store URL (``sqlite:///path.db`` or a bare path)."""
    return url[len("sqlite:///"):] if url.startswith("sqlite:///") else url


async def open_store(url: str) -> Store:
    """``sqlite:///path.db`` (or a bare path) for the embedded store; ``redis://…`` for Redis."""
    if is_redis_url(url):
        from server.store.redis_store import RedisStore

        store: Store = RedisStore(url)
    else:
        from server.store.sqlite_store import SqliteStore

        store = SqliteStore(sqlite_path(url))
    await store.open()
    return store
