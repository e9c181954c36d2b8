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
    LogEntry,
    Membership,
    ResultRecord,
    RoomRecord,
    Store,
    StoredEvent,
)

__all__ = [
    "Act", "AppRecord", "BoardEntry", "BoardOp", "Conflict", "Fenced", "GroupBusy", "KeyRecord", "LogEntry",
    "Membership", "ResultRecord", "RoomRecord", "Store", "StoredEvent", "is_redis_url", "open_store",
    "sqlite_path", "store_unreachable",
]


def store_unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` means the store could not be reached or written just now: Redis down,
    restarting or too slow (its client's timeouts), or the SQLite file locked, busy or full.
    Nothing was committed; the request gets ``unavailable`` and may be retried."""
    import sqlite3

    if isinstance(exc, sqlite3.OperationalError):
        message = str(exc).lower()
        return any(word in message for word in ("locked", "busy", "full", "disk i/o"))
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return isinstance(exc, (RedisConnectionError, RedisTimeoutError))


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
