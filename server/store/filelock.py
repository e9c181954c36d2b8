"""One serving process per SQLite file: an OS lock, held for the life of ``campfire serve``.

The embedded store is one node (docs/ARCHITECTURE.md, principle 8): its rooms live in one
process's memory, and a second process on the same file would restore them too and fight
the first over every room's log. So ``serve`` takes an exclusive ``flock`` on a lock file
next to the database before it listens, and a second ``serve`` on the same file is refused
at start with a message that names the holder. The kernel drops the lock when the process
ends, however it ends (kill -9 included), so there is no stale lock to clean up.

Only ``serve`` takes it: the CLI's reads and operator commands share the file with a running
server, as SQLite's WAL mode allows.
"""
from __future__ import annotations

import fcntl
import os
from typing import IO


class StoreInUse(Exception):
    """Another process serves this SQLite file; the message says which and what to do."""


def lock_path(db_path: str) -> str:
    return os.path.abspath(db_path) + ".lock"


def hold_serving_lock(db_path: str) -> IO[str]:
    """Take the serving lock of ``db_path`` for as long as the returned file stays open
    (keep it for the life of the process). Raises StoreInUse if another process holds it."""
    path = lock_path(db_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open on purpose
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise StoreInUse(
            f"another campfire serve (pid {holder}) already serves the SQLite store {os.path.abspath(db_path)}; "
            "the embedded store runs one server process. Stop that one, or use a Redis store "
            "(--store redis://…) to run several nodes") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle
