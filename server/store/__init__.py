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
    "ResultRecord", "RoomRecord", "Store", "StoredEvent", "open_store",
]


async def open_store(url: str) -> Store:
    """``sqlite:///path.db`` (or a bare path) for the embedded store; ``redis://…`` for Redis."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from server.store.redis_store import RedisStore

        store: Store = RedisStore(url)
    else:
        from server.store.sqlite_store import SqliteStore

        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
        store = SqliteStore(path)
    await store.open()
    return store
