"""Where webhooks and their delivery queue live: beside the app's data, in the same store.

Why not new methods on ``Store``: webhooks are an edge feature with their own small contract
(this module), so they reach into the two stores' connections here rather than widening the
core storage contract. Both implementations keep the queue durable: a delivery accepted is
sent after a restart, and a delivery is claimed with a lease before it is sent, so two nodes
never send it at once and a node that dies mid-send leaves it to be retried.

Deliveries are keyed ``<hook id>:<event id>``: queueing the same event twice for one hook is
a no-op (the dedupe of retries, resumes and fail-overs).
"""
from __future__ import annotations

import json
from typing import Any, Protocol

from server.store import Store

CLAIM_LEASE = 60.0  # seconds a claimed delivery is hidden from other senders
KEEP_PER_HOOK = 100  # finished deliveries kept per hook for the console and REST


class WebhookStore(Protocol):
    async def put_hook(self, hook: dict[str, Any]) -> None: ...

    async def list_hooks(self, app: str) -> list[dict[str, Any]]: ...

    async def delete_hook(self, app: str, hook_id: str) -> bool: ...

    async def enqueue(self, delivery: dict[str, Any]) -> bool:
        """Queue a delivery; False when one with the same id exists (a duplicate event)."""

    async def claim_due(self, now: float, limit: int) -> list[dict[str, Any]]:
        """Deliveries due at ``now``, each hidden from other senders for CLAIM_LEASE seconds."""

    async def next_due(self) -> float | None: ...

    async def save(self, delivery: dict[str, Any]) -> None:
        """Write a delivery back after an attempt: pending ones are due again at ``next_at``."""

    async def deliveries(self, app: str, hook_id: str, limit: int) -> list[dict[str, Any]]: ...

    async def pending(self) -> int: ...

    async def swap_flag(self, app: str, name: str, value: bool) -> bool:
        """Set a remembered flag (``cooling:<group>``) and return its previous value, atomically."""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def webhook_store(store: Store) -> WebhookStore:
    from server.store.redis_store import RedisStore
    from server.store.sqlite_store import SqliteStore

    if isinstance(store, SqliteStore):
        return SqliteWebhooks(store)
    if isinstance(store, RedisStore):
        return RedisWebhooks(store)
    raise TypeError(f"webhooks do not support {type(store).__name__}")


SCHEMA = """
CREATE TABLE IF NOT EXISTS webhooks (app TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (app, id));
CREATE TABLE IF NOT EXISTS webhook_deliveries (id TEXT PRIMARY KEY, app TEXT NOT NULL, hook TEXT NOT NULL,
    state TEXT NOT NULL, next_at REAL NOT NULL, created_at REAL NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS webhook_due ON webhook_deliveries (state, next_at);
CREATE INDEX IF NOT EXISTS webhook_log ON webhook_deliveries (app, hook, created_at);
CREATE TABLE IF NOT EXISTS webhook_flags (app TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (app, name));
"""


class SqliteWebhooks:
    """Two tables in the embedded store's file; every change is one transaction."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._ready = False

    async def _tx(self, fn: Any) -> Any:
        if not self._ready:
            await self.store._tx(lambda db: db.executescript(SCHEMA))
            self._ready = True
        return await self.store._tx(fn)

    async def put_hook(self, hook: dict[str, Any]) -> None:
        await self._tx(lambda db: db.execute(
            "INSERT INTO webhooks (app, id, data) VALUES (?, ?, ?) ON CONFLICT (app, id) DO UPDATE SET "
            "data = excluded.data", (hook["app"], hook["id"], _dumps(hook))))

    async def list_hooks(self, app: str) -> list[dict[str, Any]]:
        rows = await self._tx(lambda db: db.execute(
            "SELECT data FROM webhooks WHERE app = ? ORDER BY id", (app,)).fetchall())
        hooks = [json.loads(r[0]) for r in rows]
        return sorted(hooks, key=lambda h: h["created_at"])

    async def delete_hook(self, app: str, hook_id: str) -> bool:
        def run(db: Any) -> bool:
            gone = db.execute("DELETE FROM webhooks WHERE app = ? AND id = ?", (app, hook_id)).rowcount > 0
            db.execute("DELETE FROM webhook_deliveries WHERE app = ? AND hook = ?", (app, hook_id))
            return bool(gone)

        return bool(await self._tx(run))

    async def enqueue(self, delivery: dict[str, Any]) -> bool:
        return bool(await self._tx(lambda db: db.execute(
            "INSERT OR IGNORE INTO webhook_deliveries (id, app, hook, state, next_at, created_at, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (delivery["id"], delivery["app"], delivery["hook"], delivery["state"],
                                             delivery["next_at"], delivery["created_at"], _dumps(delivery))
        ).rowcount > 0))

    async def claim_due(self, now: float, limit: int) -> list[dict[str, Any]]:
        def run(db: Any) -> list[dict[str, Any]]:
            rows = db.execute("SELECT id, data FROM webhook_deliveries WHERE state = 'pending' AND next_at <= ? "
                              "ORDER BY next_at LIMIT ?", (now, limit)).fetchall()
            for row in rows:
                db.execute("UPDATE webhook_deliveries SET next_at = ? WHERE id = ?", (now + CLAIM_LEASE, row[0]))
            return [json.loads(r[1]) for r in rows]

        result: list[dict[str, Any]] = await self._tx(run)
        return result

    async def next_due(self) -> float | None:
        row = await self._tx(lambda db: db.execute(
            "SELECT MIN(next_at) FROM webhook_deliveries WHERE state = 'pending'").fetchone())
        return None if row is None or row[0] is None else float(row[0])

    async def save(self, delivery: dict[str, Any]) -> None:
        def run(db: Any) -> None:
            db.execute("UPDATE webhook_deliveries SET state = ?, next_at = ?, data = ? WHERE id = ?",
                       (delivery["state"], delivery["next_at"], _dumps(delivery), delivery["id"]))
            db.execute("DELETE FROM webhook_deliveries WHERE app = ? AND hook = ? AND state != 'pending' AND id NOT IN "
                       "(SELECT id FROM webhook_deliveries WHERE app = ? AND hook = ? ORDER BY created_at DESC "
                       "LIMIT ?)", (delivery["app"], delivery["hook"], delivery["app"], delivery["hook"],
                                    KEEP_PER_HOOK))

        await self._tx(run)

    async def deliveries(self, app: str, hook_id: str, limit: int) -> list[dict[str, Any]]:
        rows = await self._tx(lambda db: db.execute(
            "SELECT data FROM webhook_deliveries WHERE app = ? AND hook = ? ORDER BY created_at DESC, id LIMIT ?",
            (app, hook_id, limit)).fetchall())
        return [json.loads(r[0]) for r in rows]

    async def pending(self) -> int:
        row = await self._tx(lambda db: db.execute(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'").fetchone())
        return int(row[0])

    async def swap_flag(self, app: str, name: str, value: bool) -> bool:
        def run(db: Any) -> bool:
            row = db.execute("SELECT value FROM webhook_flags WHERE app = ? AND name = ?", (app, name)).fetchone()
            db.execute("INSERT INTO webhook_flags (app, name, value) VALUES (?, ?, ?) ON CONFLICT (app, name) "
                       "DO UPDATE SET value = excluded.value", (app, name, int(value)))
            return bool(row and row[0])

        return bool(await self._tx(run))


# KEYS: due zset, delivery prefix; ARGV: now, lease, limit. Returns the claimed deliveries' JSON.
CLAIM_LUA = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), id)
  local data = redis.call('GET', KEYS[2] .. id)
  if data then table.insert(out, data) else redis.call('ZREM', KEYS[1], id) end
end
return out
"""


class RedisWebhooks:
    """Keys (``P`` the store's prefix): ``P wh:A`` hash id -> hook JSON; ``P whd:ID`` delivery JSON;
    ``P whdue`` zset of pending delivery ids by next attempt; ``P whlog:A:HOOK`` zset of a hook's
    delivery ids by creation (trimmed to KEEP_PER_HOOK); ``P whflag:A`` hash of remembered flags."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.p: str = store.p

    @property
    def r(self) -> Any:
        return self.store.r

    async def put_hook(self, hook: dict[str, Any]) -> None:
        await self.r.hset(f"{self.p}wh:{hook['app']}", hook["id"], _dumps(hook))

    async def list_hooks(self, app: str) -> list[dict[str, Any]]:
        raw = await self.r.hvals(f"{self.p}wh:{app}")
        return sorted((json.loads(v) for v in raw), key=lambda h: h["created_at"])

    async def delete_hook(self, app: str, hook_id: str) -> bool:
        gone = await self.r.hdel(f"{self.p}wh:{app}", hook_id)
        log_key = f"{self.p}whlog:{app}:{hook_id}"
        ids = [i.decode() for i in await self.r.zrange(log_key, 0, -1)]
        async with self.r.pipeline(transaction=True) as pipe:
            for i in ids:
                pipe.delete(f"{self.p}whd:{i}")
                pipe.zrem(f"{self.p}whdue", i)
            pipe.delete(log_key)
            await pipe.execute()
        return bool(gone)

    async def enqueue(self, delivery: dict[str, Any]) -> bool:
        key = f"{self.p}whd:{delivery['id']}"
        if not await self.r.set(key, _dumps(delivery), nx=True):
            return False
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.zadd(f"{self.p}whdue", {delivery["id"]: delivery["next_at"]})
            pipe.zadd(f"{self.p}whlog:{delivery['app']}:{delivery['hook']}", {delivery["id"]: delivery["created_at"]})
            await pipe.execute()
        return True

    async def claim_due(self, now: float, limit: int) -> list[dict[str, Any]]:
        raw = await self.r.eval(CLAIM_LUA, 2, f"{self.p}whdue", f"{self.p}whd:", repr(now), repr(CLAIM_LEASE), limit)
        return [json.loads(v) for v in raw]

    async def next_due(self) -> float | None:
        first = await self.r.zrange(f"{self.p}whdue", 0, 0, withscores=True)
        return float(first[0][1]) if first else None

    async def save(self, delivery: dict[str, Any]) -> None:
        log_key = f"{self.p}whlog:{delivery['app']}:{delivery['hook']}"
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.set(f"{self.p}whd:{delivery['id']}", _dumps(delivery))
            if delivery["state"] == "pending":
                pipe.zadd(f"{self.p}whdue", {delivery["id"]: delivery["next_at"]})
            else:
                pipe.zrem(f"{self.p}whdue", delivery["id"])
            await pipe.execute()
        old = await self.r.zrange(log_key, 0, -KEEP_PER_HOOK - 1)
        if old:
            async with self.r.pipeline(transaction=True) as pipe:
                for i in old:
                    ident = i.decode()
                    pipe.delete(f"{self.p}whd:{ident}")
                    pipe.zrem(f"{self.p}whdue", ident)
                    pipe.zrem(log_key, ident)
                await pipe.execute()

    async def deliveries(self, app: str, hook_id: str, limit: int) -> list[dict[str, Any]]:
        ids = await self.r.zrevrange(f"{self.p}whlog:{app}:{hook_id}", 0, limit - 1)
        if not ids:
            return []
        raw = await self.r.mget([f"{self.p}whd:{i.decode()}" for i in ids])
        return [json.loads(v) for v in raw if v is not None]

    async def pending(self) -> int:
        return int(await self.r.zcard(f"{self.p}whdue"))

    async def swap_flag(self, app: str, name: str, value: bool) -> bool:
        async with self.r.pipeline(transaction=True) as pipe:  # MULTI: the read sees the value just replaced
            pipe.hget(f"{self.p}whflag:{app}", name)
            pipe.hset(f"{self.p}whflag:{app}", name, "1" if value else "0")
            old, _ = await pipe.execute()
        return old == b"1"
