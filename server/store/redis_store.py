"""The production store: Redis, through redis-py's asyncio client (hiredis parser).

Key layout (``P`` is the prefix, ``cf:`` by default; ``A`` an app id, ``G`` a group):

  P app:A            hash   name, created_at, settings (JSON), version (of settings)
  P apps             zset   app ids by created_at
  P key:HASH         hash   app, prefix, created_at, revoked_at
  P appkeys:A        zset   key hashes by created_at
  P secret:NAME      string
  P gs:A:G           string group settings (JSON);  P gsv:A:G string their version
  P glive:A:G        string the id of the group's live room (exclusive creates; stale once that room ends)
  P rkey:A:KEY       string the room a create with idempotency key KEY made (expires)
  P mem:A:G:KIND     zset   remembered items by a per-list counter; P memn:A:G:KIND the counter
  P room:ID          hash   the RoomRecord fields, and ``epoch``: the room's fencing epoch;
                            ``pruned``: when log retention trimmed its events
  P lease:ID         string the owner node's id, expiring (server/nodes/leases.py)
  P inbox:NODE       stream requests to a node and replies to it (server/relay/)
  P rooms:A          zset   room ids by created_at;  P live: live room ids
  P in:ID            stream inputs, entry id ``<n>-0``, trimmed when a snapshot covers them
  P ev:ID            stream events, entry id ``<seq>-0``
  P snap:ID          hash   n, s (the snapshot bytes), e (the epoch it was written under)
  P res:A            hash   result key -> the applied record (JSON): the idempotency record
  P b:A:BOARD        zset   score -> ordering member (see below)
  P bm:A:BOARD       hash   member -> its current ordering member
  P bt:A:BOARD       string the board's update counter
  P boards:A         set    board ids
  P act:A:SCOPE      zset   re-based activity (SCOPE ``g/<group>``: members; ``app``: groups)
  P actb:A           hash   SCOPE -> t0 of that set
  P day:A:G:DATE     hash   member -> activity points that local day
  P gm:A:G           hash   member -> {"f": first seen, "l": left, "b": invited by, "c": credited}
  P pair:A:G         hash   "a\\x1fb" -> games a and b played together
  P log:A:G          zset   the group's activity log by time: "<result key>\\x1f<i>\\x1e<JSON entry>"
  P loggroups:A      set    groups with a log
  P chk:A:G          hash   member -> check-in record (JSON);  P chkv:A:G hash member -> its version
  P pack:A:KIND      hash   pack name -> {"items", "count", "at"};  P packkinds:A set of kinds

Tie order on boards: a sorted set orders equal scores by member bytes, so each member is
stored as a 15-digit ordering prefix followed by its id. The prefix is
``999999999999999 - tick`` where tick counts updates of that board: whoever reached a
score earlier has the larger prefix and comes first in ZREVRANGE. The score itself stays
the exact double (no composite float, so no precision bound on scores); the bound is
10**15 updates per board. ``bm`` maps a member to its current ordering member.

Atomicity: applying a result (boards, activity, daily rows, members, pairs, invitation
credit, the check-in record) is one Lua script guarded by HSETNX on ``res:A``, so two
processes applying the same record at the same moment apply it exactly once. A room step
is one Lua script too. Records that callers read, change and write back (settings, check-in
records) carry a version that the writing script checks (``Conflict`` when it moved), and
an exclusive room create claims its group in the script that saves the room. Scripts touch keys they compute, so this store needs a single Redis
(or a replicated primary), not Redis Cluster.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.connection import BlockingConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from server.scoring import activity
from server.store.base import (
    AppRecord,
    BoardEntry,
    Conflict,
    Fenced,
    GroupBusy,
    KeyRecord,
    LogEntry,
    ResultRecord,
    RoomRecord,
    Store,
    StoredEvent,
)

ORDER_WIDTH = 15

# While Redis is unreachable a request must fail fast with `unavailable`, not hang: a command
# is retried RETRIES times (backoff up to RETRY_CAP s) on a dropped connection, a connect gives
# up after CONNECT_TIMEOUT s and a reply after SOCKET_TIMEOUT s (above the relay's longest
# XREAD BLOCK, 1 s). Worst case, a request learns Redis is gone in about (RETRIES + 1) x
# SOCKET_TIMEOUT; a stopped Redis (connection refused) in well under a second. The runtime
# reloads what it could not commit once Redis is back (docs/operators.md, "When Redis goes away").
RETRIES = 2
RETRY_CAP = 0.1
CONNECT_TIMEOUT = 1.0
SOCKET_TIMEOUT = 2.5
POOL_SIZE = 256  # Redis connections per process (blocking stream reads hold one each)
POOL_WAIT = 2.0  # seconds a command may wait for a free connection before failing
LIVE = ("lobby", "playing")

_LUA_COMMON = r"""
local P = ARGV[1]
local function fmt(x) return string.format('%.17g', x) end
"""

APPLY_LUA = _LUA_COMMON + r"""
local raw = ARGV[2]
local r = cjson.decode(raw)
local app, grp = r.app, r.group
local chk = nil
if ARGV[3] ~= '' then chk = cjson.decode(ARGV[3]) end
if chk and chk[3] ~= cjson.null then
  local v = tonumber(redis.call('HGET', P .. 'chkv:' .. app .. ':' .. grp, chk[1]) or '0')
  if v ~= tonumber(chk[3]) then return -1 end
end
if redis.call('HEXISTS', P .. 'res:' .. app, r.key) == 1 then return 0 end
redis.call('HSET', P .. 'res:' .. app, r.key, raw)
local REBASE = tonumber(ARGV[4])

for _, o in ipairs(r.ops) do
  local board, member, op, value = o[1], o[2], o[3], tonumber(o[4])
  local z = P .. 'b:' .. app .. ':' .. board
  local h = P .. 'bm:' .. app .. ':' .. board
  local zold = redis.call('HGET', h, member)
  local old = nil
  if zold then old = tonumber(redis.call('ZSCORE', z, zold)) end
  local new
  if op == 'incr' then new = (old or 0) + value
  elseif op == 'set' then new = value
  elseif op == 'best' then
    if old == nil or value > old then new = value else new = old end
  else return redis.error_reply('unknown board op ' .. tostring(op)) end
  if old == nil or new ~= old then
    local tick = redis.call('INCR', P .. 'bt:' .. app .. ':' .. board)
    local zm = string.format('%015d', 999999999999999 - tick) .. member
    if zold then redis.call('ZREM', z, zold) end
    redis.call('ZADD', z, fmt(new), zm)
    redis.call('HSET', h, member, zm)
    redis.call('SADD', P .. 'boards:' .. app, board)
  end
end

local gm = P .. 'gm:' .. app .. ':' .. grp
local function getm(member)
  local v = redis.call('HGET', gm, member)
  if v then return cjson.decode(v) end
  return nil
end
local function putm(member, m) redis.call('HSET', gm, member, cjson.encode(m)) end
local function seen(member, at)
  local m = getm(member)
  if not m then putm(member, {f = fmt(at), l = false, b = false, c = 0})
  elseif at < tonumber(m.f) then m.f = fmt(at); putm(member, m) end
end

for _, x in ipairs(r.members) do
  local member, kind, at, by = x[1], x[2], tonumber(x[3]), x[4]
  if kind == 'join' then
    local m = getm(member)
    if not m then m = {f = fmt(at), l = false, b = false, c = 0} end
    if at < tonumber(m.f) then m.f = fmt(at) end
    m.l = false
    if (not m.b) and by ~= nil and by ~= cjson.null then m.b = by end
    putm(member, m)
  elseif kind == 'leave' then
    local m = getm(member)
    if not m then m = {f = fmt(at), l = false, b = false, c = 0} end
    m.l = fmt(at)
    putm(member, m)
  else
    seen(member, at)
  end
end

local acts = {}
for _, a in ipairs(r.acts) do table.insert(acts, a) end
local at = tonumber(r.at)
for _, p in ipairs(r.players) do
  seen(p, at)
  local m = getm(p)
  if m.b and m.c == 0 then
    m.c = 1
    putm(p, m)
    if tonumber(r.invite_points) > 0 then
      table.insert(acts, {m.b, 'invite', tonumber(r.invite_points), at, r.day, 1})
    end
  end
end

local h = tonumber(r.half_life)
local bases = P .. 'actb:' .. app
local function add_activity(scope, member, points, t)
  local z = P .. 'act:' .. app .. ':' .. scope
  local t0 = redis.call('HGET', bases, scope)
  if not t0 then
    t0 = t
    redis.call('HSET', bases, scope, fmt(t))
  else
    t0 = tonumber(t0)
    if (t - t0) / h > REBASE then
      redis.call('ZUNIONSTORE', z, 1, z, 'WEIGHTS', fmt(2 ^ (-(t - t0) / h)))
      t0 = t
      redis.call('HSET', bases, scope, fmt(t))
    end
  end
  redis.call('ZINCRBY', z, fmt(points * 2 ^ ((t - t0) / h)), member)
end

for _, a in ipairs(acts) do
  local member, points, t, day = a[1], tonumber(a[3]), tonumber(a[4]), a[5]
  seen(member, t)
  add_activity('g/' .. grp, member, points, t)
  add_activity('app', grp, points, t)
  redis.call('HINCRBYFLOAT', P .. 'day:' .. app .. ':' .. grp .. ':' .. day, member, fmt(points))
end

local lk = P .. 'log:' .. app .. ':' .. grp
for i, a in ipairs(acts) do
  local entry = cjson.encode({a[2], a[1], tonumber(a[6] or 1), tonumber(a[3])})
  redis.call('ZADD', lk, fmt(tonumber(a[4])), r.key .. '\31' .. i .. '\30' .. entry)
end
if #r.players > 0 then
  redis.call('ZADD', lk, fmt(at), r.key .. '\31g\30' .. cjson.encode({'game', '', 1, 0, r.players}))
end
if #acts > 0 or #r.players > 0 then redis.call('SADD', P .. 'loggroups:' .. app, grp) end

local players = {}
local uniq = {}
for _, p in ipairs(r.players) do
  if not uniq[p] then uniq[p] = true; table.insert(players, p) end
end
table.sort(players)
local pk = P .. 'pair:' .. app .. ':' .. grp
for i = 1, #players do
  for j = i + 1, #players do
    redis.call('HINCRBY', pk, players[i] .. '\31' .. players[j], 1)
  end
end

if chk then
  redis.call('HSET', P .. 'chk:' .. app .. ':' .. grp, chk[1], chk[2])
  redis.call('HINCRBY', P .. 'chkv:' .. app .. ':' .. grp, chk[1], 1)
end
return 1
"""

# A versioned write: KEYS = value key, version key; ARGV = value field ('' for a string
# key), version field ('' for a string key), expected version ('' for any), new value,
# '1' to write only if the value key exists. Returns the new version, 0 when the value key
# was required and missing, -1 (writing nothing) when the version moved.
VERSIONED_SET_LUA = r"""
local function get(k, f) if f == '' then return redis.call('GET', k) end return redis.call('HGET', k, f) end
local function put(k, f, v) if f == '' then redis.call('SET', k, v) else redis.call('HSET', k, f, v) end end
if ARGV[5] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local v = tonumber(get(KEYS[2], ARGV[2]) or '0')
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= v then return -1 end
put(KEYS[1], ARGV[1], ARGV[4])
put(KEYS[2], ARGV[2], v + 1)
return v + 1
"""

# Register a new room: ARGV = P, room fields JSON, exclusive '1'/'0', idempotency key ('' for
# none), key TTL (ms). Returns {'created', id}, {'existing', id} or {'busy', live room id}.
CREATE_ROOM_LUA = r"""
local P = ARGV[1]
local room = cjson.decode(ARGV[2])
local ik = P .. 'rkey:' .. room.app .. ':' .. ARGV[4]
if ARGV[4] ~= '' then
  local prev = redis.call('GET', ik)
  if prev then return {'existing', prev} end
end
if ARGV[3] == '1' then
  local gk = P .. 'glive:' .. room.app .. ':' .. room.grp
  local holder = redis.call('GET', gk)
  if holder then
    local st = redis.call('HGET', P .. 'room:' .. holder, 'status')
    if st == 'lobby' or st == 'playing' then return {'busy', holder} end
  end
  redis.call('SET', gk, room.id)
end
local rk = P .. 'room:' .. room.id
redis.call('HSET', rk, 'id', room.id, 'app', room.app, 'grp', room.grp, 'game', room.game, 'status', room.status,
           'created_at', room.created_at, 'updated_at', room.updated_at, 'round', room.round)
redis.call('ZADD', P .. 'rooms:' .. room.app, 'NX', room.created_at, room.id)
redis.call('ZADD', P .. 'live', 'NX', room.created_at, room.id)
if ARGV[4] ~= '' then redis.call('SET', ik, room.id, 'PX', ARGV[5]) end
return {'created', room.id}
"""

# Claims for the live rooms written before exclusive creates claimed their group.
CLAIM_LIVE_LUA = r"""
local P = ARGV[1]
for _, id in ipairs(redis.call('ZRANGE', P .. 'live', 0, -1)) do
  local app = redis.call('HGET', P .. 'room:' .. id, 'app')
  local grp = redis.call('HGET', P .. 'room:' .. id, 'grp')
  if app and grp then redis.call('SET', P .. 'glive:' .. app .. ':' .. grp, id, 'NX') end
end
redis.call('SET', P .. 'glive-claimed', '1')
return 1
"""

# Board-wide entries of the given members: flat [member, score, rank, ...].
ENTRIES_LUA = _LUA_COMMON + r"""
local z, h = KEYS[1], KEYS[2]
local out = {}
for i = 2, #ARGV do
  local zm = redis.call('HGET', h, ARGV[i])
  if zm then
    local rank = redis.call('ZREVRANK', z, zm)
    local score = redis.call('ZSCORE', z, zm)
    if rank then
      table.insert(out, ARGV[i]); table.insert(out, score); table.insert(out, rank)
    end
  end
end
return out
"""

# One room step: ARGV = P, room id, input n, input JSON, snapshot ('' for none),
# has snapshot ('1'/'0'), room fields JSON, live ('1'/'0'), fencing epoch, then seq, kind,
# data, to, at per event. The epoch check comes first: a stale owner writes nothing.
STEP_LUA = _LUA_COMMON + r"""
local id, n = ARGV[2], tonumber(ARGV[3])
local rk = P .. 'room:' .. id
local held = tonumber(redis.call('HGET', rk, 'epoch') or '0')
if held ~= tonumber(ARGV[9]) then
  return redis.error_reply('fenced: room ' .. id .. ' is at epoch ' .. held .. ', not ' .. ARGV[9])
end
local inputs = P .. 'in:' .. id
local last = redis.call('XREVRANGE', inputs, '+', '-', 'COUNT', 1)
if #last > 0 then
  local top = tonumber(string.match(last[1][1], '^(%d+)'))
  if top >= n then return redis.error_reply('input ' .. n .. ' already stored for room ' .. id) end
end
local snapn = tonumber(redis.call('HGET', P .. 'snap:' .. id, 'n') or '0')
if snapn >= n then return redis.error_reply('input ' .. n .. ' is covered by the snapshot') end
local evs = P .. 'ev:' .. id
local lastev = redis.call('XREVRANGE', evs, '+', '-', 'COUNT', 1)
local topev = 0
if #lastev > 0 then topev = tonumber(string.match(lastev[1][1], '^(%d+)')) end
local i = 10
while i <= #ARGV do
  if tonumber(ARGV[i]) <= topev then return redis.error_reply('event ' .. ARGV[i] .. ' already stored') end
  topev = tonumber(ARGV[i])
  i = i + 5
end
local room = cjson.decode(ARGV[7])
for _, f in ipairs({'id', 'app', 'grp', 'game', 'created_at'}) do redis.call('HSETNX', rk, f, room[f]) end
redis.call('HSET', rk, 'status', room.status, 'updated_at', room.updated_at, 'round', room.round)
redis.call('ZADD', P .. 'rooms:' .. room.app, 'NX', room.created_at, id)
if ARGV[8] == '1' then redis.call('ZADD', P .. 'live', 'NX', room.created_at, id)
else redis.call('ZREM', P .. 'live', id) end
redis.call('XADD', inputs, n .. '-0', 'i', ARGV[4])
i = 10
while i <= #ARGV do
  redis.call('XADD', evs, ARGV[i] .. '-0', 'k', ARGV[i + 1], 'd', ARGV[i + 2], 't', ARGV[i + 3], 'a', ARGV[i + 4])
  i = i + 5
end
if ARGV[6] == '1' then
  redis.call('HSET', P .. 'snap:' .. id, 'n', n, 's', ARGV[5], 'e', ARGV[9])
  redis.call('XTRIM', inputs, 'MINID', (n + 1) .. '-0')
end
return 1
"""

REMEMBER_LUA = r"""
local n = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], n, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', n - tonumber(ARGV[2]))
return n
"""

REVOKE_LUA = r"""
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local r = redis.call('HGET', KEYS[1], 'revoked_at')
if r and r ~= '' then return 0 end
redis.call('HSET', KEYS[1], 'revoked_at', ARGV[1])
return 1
"""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _s(v: bytes | str | None) -> str:
    return v.decode() if isinstance(v, bytes) else (v or "")


def _num(v: bytes | str | None) -> float | None:
    s = _s(v)
    return float(s) if s and s != "false" else None


class RedisStore(Store):
    def __init__(self, url: str, prefix: str = "cf:") -> None:
        self.url = url
        self.p = prefix
        self.r: aioredis.Redis | None = None

    async def open(self) -> None:
        # A few quick retries ride out a dropped connection; a longer outage fails fast (RETRIES).
        # Many concurrent requests share the pool: past its size a command waits for a free
        # connection (redis-py 8 would refuse the 101st at once).
        pool = BlockingConnectionPool.from_url(
            self.url, decode_responses=False,
            retry=Retry(ExponentialBackoff(cap=RETRY_CAP, base=0.02), RETRIES),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
            socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=SOCKET_TIMEOUT,
            max_connections=POOL_SIZE, timeout=POOL_WAIT,
        )
        self.r = aioredis.Redis.from_pool(pool)
        self._apply = self.r.register_script(APPLY_LUA)
        self._entries = self.r.register_script(ENTRIES_LUA)
        self._step = self.r.register_script(STEP_LUA)
        self._remember = self.r.register_script(REMEMBER_LUA)
        self._revoke = self.r.register_script(REVOKE_LUA)
        self._versioned_set = self.r.register_script(VERSIONED_SET_LUA)
        self._create_room = self.r.register_script(CREATE_ROOM_LUA)
        await self.r.ping()
        if not await self.r.exists(f"{self.p}glive-claimed"):
            await self.r.register_script(CLAIM_LIVE_LUA)(args=[self.p])

    async def close(self) -> None:
        if self.r is not None:
            r, self.r = self.r, None
            await r.aclose()

    @property
    def db(self) -> aioredis.Redis:
        assert self.r is not None, "store is not open"
        return self.r

    # --- apps and keys -------------------------------------------------------------
    async def create_app(self, app: AppRecord) -> None:
        key = f"{self.p}app:{app.id}"
        if not await self.db.hsetnx(key, "name", app.name):
            raise ValueError(f"app {app.id!r} exists")
        async with self.db.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping={"created_at": repr(app.created_at), "settings": _dumps(app.settings)})
            pipe.zadd(f"{self.p}apps", {app.id: app.created_at})
            await pipe.execute()

    async def get_app(self, app_id: str) -> AppRecord | None:
        h = await self.db.hgetall(f"{self.p}app:{app_id}")
        if not h or b"created_at" not in h:
            return None
        return AppRecord(app_id, _s(h[b"name"]), float(h[b"created_at"]), json.loads(h[b"settings"]),
                         int(h.get(b"version") or 0))

    async def list_apps(self) -> list[AppRecord]:
        ids = await self.db.zrange(f"{self.p}apps", 0, -1)
        apps = [await self.get_app(_s(i)) for i in ids]
        return [a for a in apps if a is not None]

    async def _set_versioned(self, key: str, field: str, version_key: str, version_field: str,
                             version: int | None, value: str, must_exist: bool = False) -> None:
        done = await self._versioned_set(keys=[key, version_key], args=[
            field, version_field, "" if version is None else version, value, "1" if must_exist else "0"])
        if int(done) == -1:
            raise Conflict("the record changed since it was read")

    async def update_app_settings(self, app_id: str, settings: dict[str, Any], version: int | None = None) -> None:
        key = f"{self.p}app:{app_id}"
        await self._set_versioned(key, "settings", key, "version", version, _dumps(settings), must_exist=True)

    async def add_key(self, key: KeyRecord) -> None:
        async with self.db.pipeline(transaction=True) as pipe:
            pipe.hset(f"{self.p}key:{key.key_hash}", mapping={
                "app": key.app, "prefix": key.prefix, "created_at": repr(key.created_at),
                "revoked_at": "" if key.revoked_at is None else repr(key.revoked_at)})
            pipe.zadd(f"{self.p}appkeys:{key.app}", {key.key_hash: key.created_at})
            await pipe.execute()

    async def find_key(self, key_hash: str) -> KeyRecord | None:
        h = await self.db.hgetall(f"{self.p}key:{key_hash}")
        if not h:
            return None
        return KeyRecord(key_hash, _s(h[b"app"]), _s(h[b"prefix"]), float(h[b"created_at"]), _num(h.get(b"revoked_at")))

    async def list_keys(self, app_id: str) -> list[KeyRecord]:
        hashes = await self.db.zrange(f"{self.p}appkeys:{app_id}", 0, -1)
        keys = [await self.find_key(_s(k)) for k in hashes]
        return [k for k in keys if k is not None]

    async def revoke_key(self, key_hash: str, at: float) -> bool:
        return bool(await self._revoke(keys=[f"{self.p}key:{key_hash}"], args=[repr(at)]))

    async def get_secret(self, name: str, generate: bytes) -> bytes:
        key = f"{self.p}secret:{name}"
        await self.db.set(key, generate, nx=True)
        return bytes(await self.db.get(key))

    # --- groups --------------------------------------------------------------------
    async def get_group_settings(self, app: str, group: str) -> dict[str, Any]:
        raw = await self.db.get(f"{self.p}gs:{app}:{group}")
        return json.loads(raw) if raw else {}

    async def load_group_settings(self, app: str, group: str) -> tuple[dict[str, Any], int]:
        raw, version = await self.db.mget([f"{self.p}gs:{app}:{group}", f"{self.p}gsv:{app}:{group}"])
        return (json.loads(raw) if raw else {}), int(version or 0)

    async def set_group_settings(self, app: str, group: str, settings: dict[str, Any],
                                 version: int | None = None) -> None:
        await self._set_versioned(f"{self.p}gs:{app}:{group}", "", f"{self.p}gsv:{app}:{group}", "", version,
                                  _dumps(settings))

    async def remember(self, app: str, group: str, kind: str, item: str, at: float, keep: int) -> None:
        await self._remember(keys=[f"{self.p}mem:{app}:{group}:{kind}", f"{self.p}memn:{app}:{group}:{kind}"],
                             args=[item, keep])

    async def recent(self, app: str, group: str, kind: str) -> list[str]:
        return [_s(i) for i in await self.db.zrevrange(f"{self.p}mem:{app}:{group}:{kind}", 0, -1)]

    # --- rooms ---------------------------------------------------------------------
    @staticmethod
    def _room_fields(room: RoomRecord) -> dict[str, Any]:
        return {"id": room.id, "app": room.app, "grp": room.group, "game": room.game, "status": room.status,
                "created_at": repr(room.created_at), "updated_at": repr(room.updated_at), "round": room.round}

    async def create_room(self, room: RoomRecord, *, exclusive: bool, key: str | None = None,
                          key_ttl: float = 86_400.0) -> tuple[RoomRecord, bool]:
        fields = self._room_fields(room)
        outcome, room_id = await self._create_room(args=[
            self.p, _dumps(fields), "1" if exclusive else "0", key or "", max(1, int(key_ttl * 1000))])
        outcome, room_id = _s(outcome), _s(room_id)
        if outcome == "busy":
            raise GroupBusy(room_id)
        if outcome == "existing":
            existing = await self.get_room(room.app, room_id)
            if existing is not None:
                return existing, False
            raise GroupBusy(room_id)  # pragma: no cover - a key always names a saved room
        return room, True

    async def save_room(self, room: RoomRecord) -> None:
        key = f"{self.p}room:{room.id}"
        async with self.db.pipeline(transaction=True) as pipe:
            for f in ("id", "app", "grp", "game", "created_at"):
                pipe.hsetnx(key, f, self._room_fields(room)[f])
            pipe.hset(key, mapping={"status": room.status, "updated_at": repr(room.updated_at), "round": room.round})
            pipe.zadd(f"{self.p}rooms:{room.app}", {room.id: room.created_at}, nx=True)
            if room.status in LIVE:
                pipe.zadd(f"{self.p}live", {room.id: room.created_at}, nx=True)
            else:
                pipe.zrem(f"{self.p}live", room.id)
            await pipe.execute()

    @staticmethod
    def _room(h: dict[bytes, bytes]) -> RoomRecord | None:
        if not h or b"id" not in h:
            return None
        return RoomRecord(_s(h[b"id"]), _s(h[b"app"]), _s(h[b"grp"]), _s(h[b"game"]), _s(h[b"status"]),
                          float(h[b"created_at"]), float(h[b"updated_at"]), int(h[b"round"]))

    async def _rooms(self, ids: list[bytes]) -> list[RoomRecord]:
        async with self.db.pipeline(transaction=False) as pipe:
            for i in ids:
                pipe.hgetall(f"{self.p}room:{_s(i)}")
            rows = await pipe.execute()
        return [r for r in map(self._room, rows) if r is not None]

    async def get_room(self, app: str, room_id: str) -> RoomRecord | None:
        room = self._room(await self.db.hgetall(f"{self.p}room:{room_id}"))
        return room if room is not None and room.app == app else None

    async def list_rooms(self, app: str, group: str | None = None, live_only: bool = False) -> list[RoomRecord]:
        rooms = await self._rooms(await self.db.zrange(f"{self.p}rooms:{app}", 0, -1))
        return [r for r in rooms if (group is None or r.group == group) and (not live_only or r.status in LIVE)]

    async def live_rooms(self) -> list[RoomRecord]:
        return [r for r in await self._rooms(await self.db.zrange(f"{self.p}live", 0, -1)) if r.status in LIVE]

    async def commit_step(self, room: RoomRecord, input_n: int, room_input: dict[str, Any],
                          events: list[StoredEvent], snapshot: bytes | None, epoch: int = 0) -> None:
        fields = self._room_fields(room)
        args: list[Any] = [self.p, room.id, input_n, _dumps(room_input), snapshot or b"",
                           "1" if snapshot is not None else "0", _dumps(fields), "1" if room.status in LIVE else "0",
                           epoch]
        for e in events:
            args += [e.seq, e.kind, _dumps(e.data), _dumps(e.to), repr(e.at)]
        try:
            await self._step(args=args)
        except ResponseError as exc:
            if str(exc).startswith("fenced"):
                raise Fenced(str(exc)) from None
            raise

    async def load_room_state(self, room_id: str) -> tuple[int, bytes | None, list[dict[str, Any]]]:
        n_raw, snap = await self.db.hmget(f"{self.p}snap:{room_id}", ["n", "s"])
        n = int(n_raw) if n_raw else 0
        entries = await self.db.xrange(f"{self.p}in:{room_id}", f"{n + 1}-0", "+")
        return n, (bytes(snap) if snap is not None else None), [json.loads(f[b"i"]) for _, f in entries]

    async def read_events(self, room_id: str, after: int, limit: int = 10_000) -> list[StoredEvent]:
        entries = await self.db.xrange(f"{self.p}ev:{room_id}", f"{after + 1}-0", "+", count=limit)
        return [StoredEvent(int(_s(eid).split("-")[0]), _s(f[b"k"]), json.loads(f[b"d"]), json.loads(f[b"t"]),
                            float(f[b"a"])) for eid, f in entries]

    async def last_seq(self, room_id: str) -> int:
        last = await self.db.xrevrange(f"{self.p}ev:{room_id}", "+", "-", count=1)
        return int(_s(last[0][0]).split("-")[0]) if last else 0

    async def first_seq(self, room_id: str) -> int:
        first = await self.db.xrange(f"{self.p}ev:{room_id}", "-", "+", count=1)
        return int(_s(first[0][0]).split("-")[0]) if first else 0

    async def prune_room_logs(self, before: float) -> int:
        """XTRIM MINID to the last event is idempotent, so nodes pruning at once agree; the
        room hash gets ``pruned`` (the time) so reads can say why the log is short."""
        count = 0
        for app in await self.db.zrange(f"{self.p}apps", 0, -1):
            for room in await self._rooms(await self.db.zrange(f"{self.p}rooms:{_s(app)}", 0, -1)):
                if room.status not in ("finished", "closed") or room.updated_at >= before:
                    continue
                last = await self.last_seq(room.id)
                if last == 0:
                    continue
                if await self.db.xtrim(f"{self.p}ev:{room.id}", minid=f"{last}-0", approximate=False):
                    await self.db.hset(f"{self.p}room:{room.id}", "pruned", repr(before))
                    count += 1
        return count

    # --- results and boards --------------------------------------------------------
    async def _apply_script(self, result: ResultRecord) -> bool:
        return int(await self._apply(args=[self.p, _dumps(result.to_dict()), "", activity.REBASE_AFTER])) == 1

    async def apply_result(self, result: ResultRecord) -> bool:
        return await self._apply_script(result)

    async def get_result(self, app: str, key: str) -> ResultRecord | None:
        raw = await self.db.hget(f"{self.p}res:{app}", key)
        return ResultRecord.from_dict(json.loads(raw)) if raw else None

    def _bkeys(self, app: str, board: str) -> tuple[str, str]:
        return f"{self.p}b:{app}:{board}", f"{self.p}bm:{app}:{board}"

    async def board_top(self, app: str, board: str, limit: int = 10, offset: int = 0) -> list[BoardEntry]:
        if limit <= 0:
            return []
        z, _ = self._bkeys(app, board)
        rows = await self.db.zrevrange(z, offset, offset + limit - 1, withscores=True)
        return [BoardEntry(_s(m)[ORDER_WIDTH:], float(s), offset + i + 1) for i, (m, s) in enumerate(rows)]

    async def board_rank(self, app: str, board: str, member: str) -> BoardEntry | None:
        found = await self.board_entries(app, board, [member])
        return found[0] if found else None

    async def board_entries(self, app: str, board: str, members: list[str]) -> list[BoardEntry]:
        if not members:
            return []
        flat = await self._entries(keys=list(self._bkeys(app, board)), args=[self.p, *members])
        out = [BoardEntry(_s(flat[i]), float(flat[i + 1]), int(flat[i + 2]) + 1) for i in range(0, len(flat), 3)]
        return sorted(out, key=lambda e: e.rank)

    async def board_size(self, app: str, board: str) -> int:
        return int(await self.db.zcard(self._bkeys(app, board)[0]))

    async def list_boards(self, app: str, prefix: str = "") -> list[str]:
        return sorted(b for b in map(_s, await self.db.smembers(f"{self.p}boards:{app}")) if b.startswith(prefix))

    # --- activity and health facts ---------------------------------------------------
    async def _activity_base(self, app: str, scope: str) -> tuple[float | None, float]:
        t0 = _num(await self.db.hget(f"{self.p}actb:{app}", scope))
        rec = await self.get_app(app)
        return t0, activity.half_life(rec.settings if rec else {})

    async def activity_top(self, app: str, scope: str, now: float, limit: int = 10,
                           offset: int = 0) -> list[BoardEntry]:
        t0, h = await self._activity_base(app, scope)
        if t0 is None or limit <= 0:
            return []
        rows = await self.db.zrevrange(f"{self.p}act:{app}:{scope}", offset, offset + limit - 1, withscores=True)
        return [BoardEntry(_s(m), activity.decayed(float(s), now, t0, h), offset + i + 1)
                for i, (m, s) in enumerate(rows)]

    async def activity_of(self, app: str, scope: str, member: str, now: float) -> BoardEntry | None:
        t0, h = await self._activity_base(app, scope)
        z = f"{self.p}act:{app}:{scope}"
        async with self.db.pipeline(transaction=True) as pipe:
            pipe.zscore(z, member)
            pipe.zrevrank(z, member)
            score, rank = await pipe.execute()
        if t0 is None or score is None:
            return None
        return BoardEntry(member, activity.decayed(float(score), now, t0, h), int(rank) + 1)

    async def daily_activity(self, app: str, group: str, first: str, last: str) -> dict[str, dict[str, float]]:
        d, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        days: list[str] = []
        while d <= end:
            days.append(d.isoformat())
            d += dt.timedelta(days=1)
        async with self.db.pipeline(transaction=False) as pipe:
            for day in days:
                pipe.hgetall(f"{self.p}day:{app}:{group}:{day}")
            rows = await pipe.execute()
        return {day: {_s(m): float(v) for m, v in sorted(row.items())} for day, row in zip(days, rows) if row}

    async def group_members(self, app: str, group: str) -> dict[str, dict[str, Any]]:
        rows = await self.db.hgetall(f"{self.p}gm:{app}:{group}")
        out: dict[str, dict[str, Any]] = {}
        for m, v in sorted(rows.items()):
            d = json.loads(v)
            out[_s(m)] = {"first": float(d["f"]), "left": _num(d["l"]) if d.get("l") else None,
                          "invited_by": d["b"] or None, "credited": bool(d["c"])}
        return out

    async def activity_log(self, app: str, group: str, since: float, until: float) -> list[LogEntry]:
        rows = await self.db.zrangebyscore(f"{self.p}log:{app}:{group}", since, until, withscores=True)
        out = []
        for raw, at in rows:
            kind, member, n, points, *rest = json.loads(_s(raw).rpartition("\x1e")[2])
            out.append(LogEntry(float(at), kind, member, int(n), float(points), tuple(rest[0]) if rest else ()))
        return out  # ZRANGEBYSCORE orders equal times by member bytes: result key, then position

    async def activity_span(self, app: str, group: str, until: float) -> tuple[float, float] | None:
        key = f"{self.p}log:{app}:{group}"
        async with self.db.pipeline(transaction=False) as pipe:
            pipe.zrangebyscore(key, "-inf", until, start=0, num=1, withscores=True)
            pipe.zrevrangebyscore(key, until, "-inf", start=0, num=1, withscores=True)
            first, last = await pipe.execute()
        return (float(first[0][1]), float(last[0][1])) if first else None

    async def activity_groups(self, app: str) -> list[str]:
        return sorted(map(_s, await self.db.smembers(f"{self.p}loggroups:{app}")))

    async def coplay_pairs(self, app: str, group: str) -> dict[tuple[str, str], int]:
        rows = await self.db.hgetall(f"{self.p}pair:{app}:{group}")
        out: dict[tuple[str, str], int] = {}
        for k, v in rows.items():
            a, b = _s(k).split("\x1f", 1)
            out[(a, b)] = int(v)
        return out

    # --- content packs -----------------------------------------------------------
    async def put_pack(self, app: str, kind: str, name: str, items: list[dict[str, Any]], at: float) -> None:
        async with self.db.pipeline(transaction=True) as pipe:
            pipe.hset(f"{self.p}pack:{app}:{kind}", name, _dumps({"items": items, "count": len(items), "at": at}))
            pipe.sadd(f"{self.p}packkinds:{app}", kind)
            await pipe.execute()

    async def list_packs(self, app: str, kind: str | None = None) -> list[dict[str, Any]]:
        kinds = [kind] if kind is not None else sorted(map(_s, await self.db.smembers(f"{self.p}packkinds:{app}")))
        out = []
        for k in kinds:
            rows = await self.db.hgetall(f"{self.p}pack:{app}:{k}")
            for name in sorted(rows, key=_s):
                d = json.loads(rows[name])
                out.append({"kind": k, "name": _s(name), "count": d["count"], "at": d["at"]})
        return out

    async def pack_items(self, app: str, kind: str) -> list[dict[str, Any]]:
        rows = await self.db.hgetall(f"{self.p}pack:{app}:{kind}")
        return [item for name in sorted(rows, key=_s) for item in json.loads(rows[name])["items"]]

    async def delete_pack(self, app: str, kind: str, name: str) -> bool:
        return bool(await self.db.hdel(f"{self.p}pack:{app}:{kind}", name))

    # --- check-ins -----------------------------------------------------------------
    async def get_checkin(self, app: str, group: str, member: str) -> dict[str, Any] | None:
        raw = await self.db.hget(f"{self.p}chk:{app}:{group}", member)
        return json.loads(raw) if raw else None

    async def load_checkin(self, app: str, group: str, member: str) -> tuple[dict[str, Any] | None, int]:
        async with self.db.pipeline(transaction=True) as pipe:
            pipe.hget(f"{self.p}chk:{app}:{group}", member)
            pipe.hget(f"{self.p}chkv:{app}:{group}", member)
            raw, version = await pipe.execute()
        return (json.loads(raw) if raw else None), int(version or 0)

    async def save_checkin(self, app: str, group: str, member: str, record: dict[str, Any],
                           result: ResultRecord | None = None, version: int | None = None) -> bool:
        if result is None:
            await self._set_versioned(f"{self.p}chk:{app}:{group}", member, f"{self.p}chkv:{app}:{group}", member,
                                      version, _dumps(record))
            return True
        if result.app != app or result.group != group:
            raise ValueError("the check-in's result belongs to another app or group")
        done = int(await self._apply(args=[self.p, _dumps(result.to_dict()), _dumps([member, _dumps(record), version]),
                                           activity.REBASE_AFTER]))
        if done == -1:
            raise Conflict("the check-in record changed since it was read")
        return done == 1
