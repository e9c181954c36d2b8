"""Room leases in Redis: one owner node per live room, and a fencing epoch per owner.

  P lease:ROOM   string  the owner's node id, with a PX expiry; renewed every third of it
  P room:ROOM    hash    field ``epoch``: raised by one each time the lease changes hands
  P snap:ROOM    hash    field ``e``: the epoch the last snapshot was written under
  P node:NODE    string  "1" while the node is alive (renewed with its leases)

Taking a lease is one script: SET if absent, and raise the epoch above both the room's
and its snapshot's (Redis replication is asynchronous: if a fail-over of Redis loses the
latest epoch, the durable snapshot still carries one at least as new as any write). Every
commit checks the epoch in the same script that writes it (server/store/redis_store.py),
so an owner that was paused or cut off past its lease can never write again.
"""
from __future__ import annotations

import asyncio
import logging
import time

import redis.asyncio as aioredis

from server.nodes.base import LostFn, new_node_id

log = logging.getLogger("campfire.nodes")

ACQUIRE_LUA = r"""
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {tonumber(redis.call('HGET', KEYS[2], 'epoch') or '0'), ''}
end
if cur then return {-1, cur} end
local e = tonumber(redis.call('HGET', KEYS[2], 'epoch') or '0')
local se = tonumber(redis.call('HGET', KEYS[3], 'e') or '0')
if se > e then e = se end
e = e + 1
redis.call('HSET', KEYS[2], 'epoch', e)
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {e, ''}
"""

# ARGV: P, node, ms, then room id and the epoch held, per room. Returns the rooms lost.
RENEW_LUA = r"""
local P, node, ms = ARGV[1], ARGV[2], ARGV[3]
redis.call('SET', P .. 'node:' .. node, '1', 'PX', ms)
local lost = {}
local i = 4
while i <= #ARGV do
  local id, epoch = ARGV[i], ARGV[i + 1]
  local lk = P .. 'lease:' .. id
  local cur = redis.call('GET', lk)
  if cur == node then
    redis.call('PEXPIRE', lk, ms)
  elseif (not cur) and (redis.call('HGET', P .. 'room:' .. id, 'epoch') or '0') == epoch then
    redis.call('SET', lk, node, 'PX', ms)  -- lapsed but nobody took it: still ours
  else
    table.insert(lost, id)
  end
  i = i + 2
end
return lost
"""

RELEASE_LUA = r"""
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisNodes:
    """This node's leases. ``held`` maps each owned room to the epoch it holds it under."""

    shared = True

    def __init__(self, db: aioredis.Redis, prefix: str, lease_seconds: float, node_id: str | None = None) -> None:
        self.db = db
        self.p = prefix
        self.node_id = node_id or new_node_id()
        self.lease_ms = max(100, int(lease_seconds * 1000))
        self.held: dict[str, int] = {}
        self._acquire = db.register_script(ACQUIRE_LUA)
        self._renew = db.register_script(RENEW_LUA)
        self._release = db.register_script(RELEASE_LUA)
        self._task: asyncio.Task[None] | None = None
        self._on_lost: LostFn | None = None

    async def start(self, on_lost: LostFn) -> None:
        self._on_lost = on_lost
        await self.db.set(f"{self.p}node:{self.node_id}", "1", px=self.lease_ms)
        self._task = asyncio.get_running_loop().create_task(self._renew_loop())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        for room_id in list(self.held):
            await self.release(room_id)
        try:
            await self.db.delete(f"{self.p}node:{self.node_id}")
        except Exception:
            pass

    async def alive(self, node_id: str) -> bool:
        """Whether the node renewed its leases within the last lease time."""
        return bool(await self.db.exists(f"{self.p}node:{node_id}"))

    async def acquire(self, room_id: str) -> tuple[int | None, str | None]:
        epoch, owner = await self._acquire(
            keys=[f"{self.p}lease:{room_id}", f"{self.p}room:{room_id}", f"{self.p}snap:{room_id}"],
            args=[self.node_id, self.lease_ms])
        if int(epoch) < 0:
            return None, owner.decode() if isinstance(owner, bytes) else str(owner)
        self.held[room_id] = int(epoch)
        return int(epoch), None

    async def owner(self, room_id: str) -> str | None:
        raw = await self.db.get(f"{self.p}lease:{room_id}")
        return raw.decode() if isinstance(raw, bytes) else raw

    async def release(self, room_id: str) -> None:
        self.held.pop(room_id, None)
        try:
            await self._release(keys=[f"{self.p}lease:{room_id}"], args=[self.node_id])
        except Exception:  # it lapses by itself
            log.warning("could not release the lease of room %s", room_id)

    def forget(self, room_id: str) -> None:
        """Stop renewing a lease this node no longer uses (it lapses, or is already gone)."""
        self.held.pop(room_id, None)

    async def unleased_live(self) -> set[str]:
        """The live rooms (``P live``) no node holds a lease on and that have a snapshot to load
        (a room being created is listed as live a moment before its creator's first commit)."""
        room_ids = [r.decode() if isinstance(r, bytes) else r for r in await self.db.zrange(f"{self.p}live", 0, -1)]
        if not room_ids:
            return set()
        async with self.db.pipeline(transaction=False) as pipe:
            for room_id in room_ids:
                pipe.exists(f"{self.p}lease:{room_id}")
                pipe.exists(f"{self.p}snap:{room_id}")
            found = await pipe.execute()
        return {r for i, r in enumerate(room_ids) if not found[2 * i] and found[2 * i + 1]}

    async def _renew_loop(self) -> None:
        """Renew every lease a third of the way into its life. If renewing fails for longer
        than a lease, every room is assumed lost (another node may own it by now): the
        fencing epoch already stops our writes, this also stops our timers."""
        interval = self.lease_ms / 3000
        last_ok = time.monotonic()
        while True:
            await asyncio.sleep(interval)
            held = dict(self.held)
            try:
                lost = [r.decode() if isinstance(r, bytes) else r for r in await self._renew(
                    args=[self.p, self.node_id, self.lease_ms,
                          *[x for room_id, epoch in held.items() for x in (room_id, epoch)]])]
                last_ok = time.monotonic()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("could not renew room leases", exc_info=True)
                if time.monotonic() - last_ok < self.lease_ms / 1000:
                    continue
                lost = list(held)
            for room_id in lost:
                if self.held.get(room_id) == held.get(room_id):
                    self.held.pop(room_id, None)
                    log.warning("lost the lease of room %s; handing it on", room_id)
                    if self._on_lost is not None:
                        await self._on_lost(room_id)
