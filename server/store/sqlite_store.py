"""The embedded store: one SQLite file, nothing to install.

SQLite calls block, so they all run on one dedicated thread: that serialises writes
(SQLite allows one writer anyway) without blocking the event loop. WAL mode lets the
file be read by the CLI while the server runs.
"""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, Callable, TypeVar

from server.scoring import activity
from server.store.base import (
    Act,
    AppRecord,
    BoardEntry,
    BoardOp,
    Conflict,
    GroupBusy,
    KeyRecord,
    LogEntry,
    ResultRecord,
    RoomRecord,
    Store,
    StoredEvent,
)

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS apps (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at REAL NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS keys (key_hash TEXT PRIMARY KEY, app TEXT NOT NULL, prefix TEXT NOT NULL,
    created_at REAL NOT NULL, revoked_at REAL);
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS groups (app TEXT NOT NULL, grp TEXT NOT NULL, settings TEXT NOT NULL,
    PRIMARY KEY (app, grp));
CREATE TABLE IF NOT EXISTS memory (app TEXT NOT NULL, grp TEXT NOT NULL, kind TEXT NOT NULL,
    item TEXT NOT NULL, at REAL NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (app, grp, kind, item));
CREATE TABLE IF NOT EXISTS rooms (id TEXT PRIMARY KEY, app TEXT NOT NULL, grp TEXT NOT NULL,
    game TEXT NOT NULL, status TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
    round INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS rooms_by_group ON rooms (app, grp);
CREATE INDEX IF NOT EXISTS rooms_by_status ON rooms (status);
CREATE TABLE IF NOT EXISTS room_inputs (room TEXT NOT NULL, n INTEGER NOT NULL, input TEXT NOT NULL,
    PRIMARY KEY (room, n));
CREATE TABLE IF NOT EXISTS room_events (room TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
    data TEXT NOT NULL, audience TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (room, seq));
CREATE TABLE IF NOT EXISTS room_snapshots (room TEXT PRIMARY KEY, input_n INTEGER NOT NULL,
    snapshot BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS results (app TEXT NOT NULL, key TEXT NOT NULL, grp TEXT NOT NULL,
    game TEXT NOT NULL, at REAL NOT NULL, payload TEXT NOT NULL, ops TEXT NOT NULL,
    PRIMARY KEY (app, key));
CREATE TABLE IF NOT EXISTS board_scores (app TEXT NOT NULL, board TEXT NOT NULL, member TEXT NOT NULL,
    score REAL NOT NULL, reached INTEGER NOT NULL, PRIMARY KEY (app, board, member));
CREATE INDEX IF NOT EXISTS board_order ON board_scores (app, board, score DESC, reached ASC);
CREATE TABLE IF NOT EXISTS board_clock (id INTEGER PRIMARY KEY CHECK (id = 1), tick INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS packs (app TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    items TEXT NOT NULL, count INTEGER NOT NULL, at REAL NOT NULL, PRIMARY KEY (app, kind, name));
CREATE TABLE IF NOT EXISTS checkins (app TEXT NOT NULL, grp TEXT NOT NULL, member TEXT NOT NULL,
    record TEXT NOT NULL, PRIMARY KEY (app, grp, member));
CREATE TABLE IF NOT EXISTS activity (app TEXT NOT NULL, scope TEXT NOT NULL, member TEXT NOT NULL,
    stored REAL NOT NULL, PRIMARY KEY (app, scope, member));
CREATE INDEX IF NOT EXISTS activity_order ON activity (app, scope, stored DESC);
CREATE TABLE IF NOT EXISTS activity_base (app TEXT NOT NULL, scope TEXT NOT NULL, t0 REAL NOT NULL,
    PRIMARY KEY (app, scope));
CREATE TABLE IF NOT EXISTS daily_activity (app TEXT NOT NULL, grp TEXT NOT NULL, day TEXT NOT NULL,
    member TEXT NOT NULL, points REAL NOT NULL, PRIMARY KEY (app, grp, day, member));
CREATE TABLE IF NOT EXISTS members (app TEXT NOT NULL, grp TEXT NOT NULL, member TEXT NOT NULL,
    first REAL NOT NULL, left_at REAL, invited_by TEXT, credited INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (app, grp, member));
CREATE TABLE IF NOT EXISTS coplay (app TEXT NOT NULL, grp TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
    n INTEGER NOT NULL, PRIMARY KEY (app, grp, a, b));
CREATE TABLE IF NOT EXISTS room_keys (app TEXT NOT NULL, key TEXT NOT NULL, room TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (app, key));
CREATE TABLE IF NOT EXISTS activity_log (app TEXT NOT NULL, grp TEXT NOT NULL, at REAL NOT NULL,
    kind TEXT NOT NULL, member TEXT NOT NULL, n INTEGER NOT NULL, points REAL NOT NULL, players TEXT);
CREATE INDEX IF NOT EXISTS activity_log_by_time ON activity_log (app, grp, at);
"""

# Columns added after the first release, with what older files get (see SqliteStore.open).
# ``version`` counts the writes of a record that is changed by reading, computing and
# writing back: a write names the version it read and fails (Conflict) if another landed.
ADDED_COLUMNS = (
    ("results", "extra", "TEXT"),
    ("apps", "version", "INTEGER NOT NULL DEFAULT 0"),
    ("groups", "version", "INTEGER NOT NULL DEFAULT 0"),
    ("checkins", "version", "INTEGER NOT NULL DEFAULT 0"),
)
LIVE = ("lobby", "playing")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SqliteStore(Store):
    def __init__(self, path: str) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="campfire-sqlite")
        self._steps: list[tuple[Any, asyncio.Future[None]]] = []  # room steps waiting for the next commit
        self._flushing: asyncio.Task[None] | None = None

    # --- plumbing ------------------------------------------------------------------
    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        db = self._db
        assert db is not None, "store is not open"
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, db)

    async def _tx(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        def run(db: sqlite3.Connection) -> T:
            with db:  # commits, or rolls back on an exception
                return fn(db)

        return await self._run(run)

    async def _tx_immediate(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """A transaction that takes the write lock before its first read, for a check that
        must still hold when the write lands (another process may share the file)."""
        def run(db: sqlite3.Connection) -> T:
            db.execute("BEGIN IMMEDIATE")
            try:
                out = fn(db)
            except BaseException:
                db.rollback()
                raise
            db.commit()
            return out

        return await self._run(run)

    @staticmethod
    def _versioned_update(db: sqlite3.Connection, version: int | None, update: str, insert: str | None,
                          args: tuple[Any, ...], key: tuple[Any, ...]) -> None:
        """Write a versioned row: ``update`` (``... SET x = ?, version = version + 1 WHERE <key>``)
        gets `` AND version = ?`` when a version is expected; a row that does not exist yet
        is inserted by ``insert`` (version 1) only when the expected version is 0 or None.
        Raises Conflict, writing nothing, when another write got there first."""
        if version is None:
            cur = db.execute(update, (*args, *key))
        else:
            cur = db.execute(update + " AND version = ?", (*args, *key, version))
        if cur.rowcount == 1:
            return
        if insert is not None and version in (None, 0):
            if db.execute(insert, (*key, *args)).rowcount == 1:
                return
        if version is not None:
            raise Conflict("the record changed since it was read")

    async def open(self) -> None:
        if self.path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)

        def connect() -> sqlite3.Connection:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=5000")
            db.executescript(SCHEMA)
            db.execute("INSERT OR IGNORE INTO board_clock (id, tick) VALUES (1, 0)")
            for table, column, decl in ADDED_COLUMNS:  # files written by older versions
                if column not in [r[1] for r in db.execute(f"PRAGMA table_info({table})")]:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
            db.isolation_level = "DEFERRED"  # back to implicit transactions for `with db:`
            return db

        self._db = await asyncio.get_running_loop().run_in_executor(self._pool, connect)

    async def close(self) -> None:
        if self._flushing is not None:
            await self._flushing  # room steps already accepted are written before closing
        if self._db is not None:
            db, self._db = self._db, None
            await asyncio.get_running_loop().run_in_executor(self._pool, db.close)
        self._pool.shutdown(wait=True)

    # --- apps and keys -------------------------------------------------------------
    async def create_app(self, app: AppRecord) -> None:
        await self._tx(lambda db: db.execute(
            "INSERT INTO apps (id, name, created_at, settings) VALUES (?, ?, ?, ?)",
            (app.id, app.name, app.created_at, _dumps(app.settings))))

    @staticmethod
    def _app(row: tuple[Any, ...] | None) -> AppRecord | None:
        return AppRecord(row[0], row[1], row[2], json.loads(row[3]), row[4]) if row else None

    async def get_app(self, app_id: str) -> AppRecord | None:
        return await self._run(lambda db: self._app(db.execute(
            "SELECT id, name, created_at, settings, version FROM apps WHERE id = ?", (app_id,)).fetchone()))

    async def list_apps(self) -> list[AppRecord]:
        rows = await self._run(lambda db: db.execute(
            "SELECT id, name, created_at, settings, version FROM apps ORDER BY created_at").fetchall())
        return [a for a in map(self._app, rows) if a is not None]

    async def update_app_settings(self, app_id: str, settings: dict[str, Any], version: int | None = None) -> None:
        def run(db: sqlite3.Connection) -> None:
            if db.execute("SELECT 1 FROM apps WHERE id = ?", (app_id,)).fetchone() is None:
                return
            self._versioned_update(db, version, "UPDATE apps SET settings = ?, version = version + 1 WHERE id = ?",
                                   None, (_dumps(settings),), (app_id,))

        await self._tx(run)

    async def add_key(self, key: KeyRecord) -> None:
        await self._tx(lambda db: db.execute(
            "INSERT INTO keys (key_hash, app, prefix, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)",
            (key.key_hash, key.app, key.prefix, key.created_at, key.revoked_at)))

    async def find_key(self, key_hash: str) -> KeyRecord | None:
        row = await self._run(lambda db: db.execute(
            "SELECT key_hash, app, prefix, created_at, revoked_at FROM keys WHERE key_hash = ?",
            (key_hash,)).fetchone())
        return KeyRecord(*row) if row else None

    async def list_keys(self, app_id: str) -> list[KeyRecord]:
        rows = await self._run(lambda db: db.execute(
            "SELECT key_hash, app, prefix, created_at, revoked_at FROM keys WHERE app = ? ORDER BY created_at",
            (app_id,)).fetchall())
        return [KeyRecord(*r) for r in rows]

    async def revoke_key(self, key_hash: str, at: float) -> bool:
        cur = await self._tx(lambda db: db.execute(
            "UPDATE keys SET revoked_at = ? WHERE key_hash = ? AND revoked_at IS NULL", (at, key_hash)))
        return cur.rowcount == 1

    async def get_secret(self, name: str, generate: bytes) -> bytes:
        def run(db: sqlite3.Connection) -> bytes:
            db.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)", (name, generate))
            return bytes(db.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()[0])

        return await self._tx(run)

    # --- groups --------------------------------------------------------------------
    async def get_group_settings(self, app: str, group: str) -> dict[str, Any]:
        row = await self._run(lambda db: db.execute(
            "SELECT settings FROM groups WHERE app = ? AND grp = ?", (app, group)).fetchone())
        return json.loads(row[0]) if row else {}

    async def load_group_settings(self, app: str, group: str) -> tuple[dict[str, Any], int]:
        row = await self._run(lambda db: db.execute(
            "SELECT settings, version FROM groups WHERE app = ? AND grp = ?", (app, group)).fetchone())
        return (json.loads(row[0]), int(row[1])) if row else ({}, 0)

    async def set_group_settings(self, app: str, group: str, settings: dict[str, Any],
                                 version: int | None = None) -> None:
        await self._tx(lambda db: self._versioned_update(
            db, version, "UPDATE groups SET settings = ?, version = version + 1 WHERE app = ? AND grp = ?",
            "INSERT INTO groups (app, grp, settings, version) VALUES (?, ?, ?, 1) ON CONFLICT DO NOTHING",
            (_dumps(settings),), (app, group)))

    async def remember(self, app: str, group: str, kind: str, item: str, at: float, keep: int) -> None:
        def run(db: sqlite3.Connection) -> None:
            n = db.execute("SELECT COALESCE(MAX(n), 0) + 1 FROM memory WHERE app = ? AND grp = ? AND kind = ?",
                           (app, group, kind)).fetchone()[0]
            db.execute("INSERT INTO memory (app, grp, kind, item, at, n) VALUES (?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (app, grp, kind, item) DO UPDATE SET at = excluded.at, n = excluded.n",
                       (app, group, kind, item, at, n))
            db.execute("DELETE FROM memory WHERE app = ? AND grp = ? AND kind = ? AND n <= ?",
                       (app, group, kind, n - keep))

        await self._tx(run)

    async def recent(self, app: str, group: str, kind: str) -> list[str]:
        rows = await self._run(lambda db: db.execute(
            "SELECT item FROM memory WHERE app = ? AND grp = ? AND kind = ? ORDER BY n DESC",
            (app, group, kind)).fetchall())
        return [r[0] for r in rows]

    # --- rooms ---------------------------------------------------------------------
    @staticmethod
    def _upsert_room(db: sqlite3.Connection, room: RoomRecord) -> None:
        db.execute(
            "INSERT INTO rooms (id, app, grp, game, status, created_at, updated_at, round) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
            "updated_at = excluded.updated_at, round = excluded.round",
            (room.id, room.app, room.group, room.game, room.status, room.created_at, room.updated_at,
             room.round))

    async def create_room(self, room: RoomRecord, *, exclusive: bool, key: str | None = None,
                          key_ttl: float = 86_400.0) -> tuple[RoomRecord, bool]:
        def run(db: sqlite3.Connection) -> tuple[RoomRecord, bool]:
            if key is not None:
                db.execute("DELETE FROM room_keys WHERE app = ? AND at < ?", (room.app, room.created_at - key_ttl))
                row = db.execute(f"SELECT {self._ROOM_COLS} FROM rooms WHERE id = "
                                 "(SELECT room FROM room_keys WHERE app = ? AND key = ?)", (room.app, key)).fetchone()
                if row is not None:
                    return RoomRecord(*row), False
            if exclusive:
                row = db.execute("SELECT id FROM rooms WHERE app = ? AND grp = ? AND status IN (?, ?) "
                                 "ORDER BY created_at LIMIT 1", (room.app, room.group, *LIVE)).fetchone()
                if row is not None:
                    raise GroupBusy(row[0])
            self._upsert_room(db, room)
            if key is not None:
                db.execute("INSERT INTO room_keys (app, key, room, at) VALUES (?, ?, ?, ?)",
                           (room.app, key, room.id, room.created_at))
            return room, True

        return await self._tx_immediate(run)

    async def save_room(self, room: RoomRecord) -> None:
        await self._tx(lambda db: self._upsert_room(db, room))

    _ROOM_COLS = "id, app, grp, game, status, created_at, updated_at, round"

    async def get_room(self, app: str, room_id: str) -> RoomRecord | None:
        row = await self._run(lambda db: db.execute(
            f"SELECT {self._ROOM_COLS} FROM rooms WHERE id = ? AND app = ?", (room_id, app)).fetchone())
        return RoomRecord(*row) if row else None

    async def list_rooms(self, app: str, group: str | None = None, live_only: bool = False) -> list[RoomRecord]:
        sql = f"SELECT {self._ROOM_COLS} FROM rooms WHERE app = ?"
        args: list[Any] = [app]
        if group is not None:
            sql += " AND grp = ?"
            args.append(group)
        if live_only:
            sql += " AND status IN ('lobby', 'playing')"
        sql += " ORDER BY created_at"
        rows = await self._run(lambda db: db.execute(sql, args).fetchall())
        return [RoomRecord(*r) for r in rows]

    async def live_rooms(self) -> list[RoomRecord]:
        rows = await self._run(lambda db: db.execute(
            f"SELECT {self._ROOM_COLS} FROM rooms WHERE status IN ('lobby', 'playing') ORDER BY created_at"
        ).fetchall())
        return [RoomRecord(*r) for r in rows]

    async def commit_step(self, room: RoomRecord, input_n: int, room_input: dict[str, Any],
                          events: list[StoredEvent], snapshot: bytes | None, epoch: int = 0) -> None:
        """The embedded store has one node, always the owner, so ``epoch`` is not checked.
        Group commit: steps from many rooms that arrive while a transaction is running are
        written together in the next one, so a busy server pays one commit for many moves.
        Each caller still returns only once its own step is durable."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        # Rows are prepared here, on the event loop, so the database thread only writes.
        rows = (
            room, input_n, _dumps(room_input),
            [(room.id, e.seq, e.kind, _dumps(e.data), _dumps(e.to), e.at) for e in events], snapshot,
        )
        self._steps.append((rows, done))
        if self._flushing is None:
            self._flushing = loop.create_task(self._flush_steps())
        await done

    async def _flush_steps(self) -> None:
        try:
            while self._steps:
                batch, self._steps = self._steps, []
                try:
                    await self._tx(partial(self._write_steps, steps=[rows for rows, _ in batch]))
                except Exception as exc:
                    if len(batch) == 1:
                        batch[0][1].set_exception(exc)
                        continue
                    # One bad step must not fail the others: retry them one by one.
                    for rows, fut in batch:
                        try:
                            await self._tx(partial(self._write_steps, steps=[rows]))
                        except Exception as one:
                            fut.set_exception(one)
                        else:
                            fut.set_result(None)
                    continue
                for _, fut in batch:
                    if not fut.done():
                        fut.set_result(None)
        finally:
            self._flushing = None

    def _write_steps(self, db: sqlite3.Connection, steps: list[Any]) -> None:
        for room, input_n, room_input, events, snapshot in steps:
            self._upsert_room(db, room)
            db.execute("INSERT INTO room_inputs (room, n, input) VALUES (?, ?, ?)", (room.id, input_n, room_input))
            db.executemany(
                "INSERT INTO room_events (room, seq, kind, data, audience, at) VALUES (?, ?, ?, ?, ?, ?)", events)
            if snapshot is not None:
                db.execute("INSERT INTO room_snapshots (room, input_n, snapshot) VALUES (?, ?, ?) "
                           "ON CONFLICT (room) DO UPDATE SET input_n = excluded.input_n, "
                           "snapshot = excluded.snapshot", (room.id, input_n, snapshot))
                db.execute("DELETE FROM room_inputs WHERE room = ? AND n <= ?", (room.id, input_n))

    async def load_room_state(self, room_id: str) -> tuple[int, bytes | None, list[dict[str, Any]]]:
        def run(db: sqlite3.Connection) -> tuple[int, bytes | None, list[dict[str, Any]]]:
            row = db.execute("SELECT input_n, snapshot FROM room_snapshots WHERE room = ?", (room_id,)).fetchone()
            n, snap = (row[0], bytes(row[1])) if row else (0, None)
            inputs = db.execute("SELECT input FROM room_inputs WHERE room = ? AND n > ? ORDER BY n",
                                (room_id, n)).fetchall()
            return n, snap, [json.loads(r[0]) for r in inputs]

        return await self._run(run)

    async def read_events(self, room_id: str, after: int, limit: int = 10_000) -> list[StoredEvent]:
        rows = await self._run(lambda db: db.execute(
            "SELECT seq, kind, data, audience, at FROM room_events WHERE room = ? AND seq > ? "
            "ORDER BY seq LIMIT ?", (room_id, after, limit)).fetchall())
        return [StoredEvent(r[0], r[1], json.loads(r[2]), json.loads(r[3]), r[4]) for r in rows]

    async def last_seq(self, room_id: str) -> int:
        row = await self._run(lambda db: db.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM room_events WHERE room = ?", (room_id,)).fetchone())
        return int(row[0])

    async def prune_room_logs(self, before: float) -> int:
        def run(db: sqlite3.Connection) -> int:
            rooms = [r[0] for r in db.execute(
                "SELECT r.id FROM rooms r WHERE r.status IN ('finished', 'closed') AND r.updated_at < ? "
                "AND (SELECT COUNT(*) FROM room_events e WHERE e.room = r.id) > 1", (before,)).fetchall()]
            for room in rooms:
                db.execute("DELETE FROM room_events WHERE room = ? AND seq < "
                           "(SELECT MAX(seq) FROM room_events WHERE room = ?)", (room, room))
            return len(rooms)

        return await self._tx(run)

    async def first_seq(self, room_id: str) -> int:
        row = await self._run(lambda db: db.execute(
            "SELECT COALESCE(MIN(seq), 0) FROM room_events WHERE room = ?", (room_id,)).fetchone())
        return int(row[0])

    # --- results and boards --------------------------------------------------------
    @staticmethod
    def _apply_result(db: sqlite3.Connection, r: ResultRecord) -> bool:
        cur = db.execute(
            "INSERT OR IGNORE INTO results (app, key, grp, game, at, payload, ops, extra) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (r.app, r.key, r.group, r.game, r.at, _dumps(r.payload),
             _dumps([[o.board, o.member, o.op, o.value] for o in r.ops]), _dumps(r.to_dict())))
        if cur.rowcount == 0:
            return False
        for op in r.ops:
            SqliteStore._apply_op(db, r.app, op)
        SqliteStore._apply_facts(db, r)
        return True

    @staticmethod
    def _apply_facts(db: sqlite3.Connection, r: ResultRecord) -> None:
        """Membership, invitation credit, decayed activity, daily rows and co-play pairs;
        mirrors the Redis store's apply script step for step."""
        app, grp = r.app, r.group
        for m in r.members:
            if m.kind == "join":
                db.execute("INSERT INTO members (app, grp, member, first, invited_by) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT (app, grp, member) DO UPDATE SET left_at = NULL, "
                           "first = MIN(first, excluded.first), "
                           "invited_by = COALESCE(invited_by, excluded.invited_by)",
                           (app, grp, m.member, m.at, m.by))
            elif m.kind == "leave":
                db.execute("INSERT INTO members (app, grp, member, first, left_at) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT (app, grp, member) DO UPDATE SET left_at = excluded.left_at",
                           (app, grp, m.member, m.at, m.at))
            else:
                SqliteStore._seen(db, app, grp, m.member, m.at)
        acts = list(r.acts)
        for p in r.players:
            SqliteStore._seen(db, app, grp, p, r.at)
            row = db.execute("SELECT invited_by FROM members WHERE app = ? AND grp = ? AND member = ? "
                             "AND invited_by IS NOT NULL AND credited = 0", (app, grp, p)).fetchone()
            if row:
                db.execute("UPDATE members SET credited = 1 WHERE app = ? AND grp = ? AND member = ?", (app, grp, p))
                if r.invite_points:
                    acts.append(Act(row[0], "invite", r.invite_points, r.at, r.day))
        for a in acts:
            SqliteStore._seen(db, app, grp, a.member, a.at)
            SqliteStore._add_activity(db, app, f"g/{grp}", a.member, a.points, a.at, r.half_life)
            SqliteStore._add_activity(db, app, "app", grp, a.points, a.at, r.half_life)
            db.execute("INSERT INTO daily_activity (app, grp, day, member, points) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (app, grp, day, member) DO UPDATE SET points = points + excluded.points",
                       (app, grp, a.day, a.member, a.points))
        db.executemany("INSERT INTO activity_log (app, grp, at, kind, member, n, points) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [(app, grp, a.at, a.kind, a.member, a.n, a.points) for a in acts])
        if r.players:
            db.execute("INSERT INTO activity_log (app, grp, at, kind, member, n, points, players) "
                       "VALUES (?, ?, ?, 'game', '', 1, 0, ?)", (app, grp, r.at, _dumps(list(r.players))))
        players = sorted(set(r.players))
        db.executemany("INSERT INTO coplay (app, grp, a, b, n) VALUES (?, ?, ?, ?, 1) "
                       "ON CONFLICT (app, grp, a, b) DO UPDATE SET n = n + 1",
                       [(app, grp, a, b) for i, a in enumerate(players) for b in players[i + 1:]])

    @staticmethod
    def _seen(db: sqlite3.Connection, app: str, grp: str, member: str, at: float) -> None:
        db.execute("INSERT INTO members (app, grp, member, first) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (app, grp, member) DO UPDATE SET first = MIN(first, excluded.first)",
                   (app, grp, member, at))

    @staticmethod
    def _add_activity(db: sqlite3.Connection, app: str, scope: str, member: str, points: float,
                      at: float, h: float) -> None:
        row = db.execute("SELECT t0 FROM activity_base WHERE app = ? AND scope = ?", (app, scope)).fetchone()
        if row is None:
            t0 = at
            db.execute("INSERT INTO activity_base (app, scope, t0) VALUES (?, ?, ?)", (app, scope, t0))
        else:
            t0 = row[0]
            if activity.needs_rebase(at, t0, h):
                factor = activity.decayed(1.0, at, t0, h)
                db.execute("UPDATE activity SET stored = stored * ? WHERE app = ? AND scope = ?", (factor, app, scope))
                db.execute("UPDATE activity_base SET t0 = ? WHERE app = ? AND scope = ?", (at, app, scope))
                t0 = at
        db.execute("INSERT INTO activity (app, scope, member, stored) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (app, scope, member) DO UPDATE SET stored = stored + excluded.stored",
                   (app, scope, member, activity.grow(points, at, t0, h)))

    @staticmethod
    def _apply_op(db: sqlite3.Connection, app: str, op: BoardOp) -> None:
        # `reached` is a store-wide counter: whoever reached a score first ranks first.
        tick = db.execute("UPDATE board_clock SET tick = tick + 1 WHERE id = 1 RETURNING tick").fetchone()[0]
        row = db.execute("SELECT score FROM board_scores WHERE app = ? AND board = ? AND member = ?",
                         (app, op.board, op.member)).fetchone()
        old = row[0] if row else None
        if op.op == "incr":
            new = (old or 0) + op.value
        elif op.op == "set":
            new = op.value
        elif op.op == "best":
            new = op.value if old is None else max(old, op.value)
        else:
            raise ValueError(f"unknown board op {op.op!r}")
        if old is not None and new == old:
            return
        db.execute("INSERT INTO board_scores (app, board, member, score, reached) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT (app, board, member) DO UPDATE SET score = excluded.score, "
                   "reached = excluded.reached", (app, op.board, op.member, new, tick))

    async def apply_result(self, result: ResultRecord) -> bool:
        return await self._tx(lambda db: self._apply_result(db, result))

    async def get_result(self, app: str, key: str) -> ResultRecord | None:
        row = await self._run(lambda db: db.execute(
            "SELECT app, key, grp, game, at, payload, ops, extra FROM results WHERE app = ? AND key = ?",
            (app, key)).fetchone())
        if not row:
            return None
        if row[7]:
            return ResultRecord.from_dict(json.loads(row[7]))
        ops = tuple(BoardOp(*o) for o in json.loads(row[6]))
        return ResultRecord(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), ops)

    async def board_top(self, app: str, board: str, limit: int = 10, offset: int = 0) -> list[BoardEntry]:
        rows = await self._run(lambda db: db.execute(
            "SELECT member, score FROM board_scores WHERE app = ? AND board = ? "
            "ORDER BY score DESC, reached ASC LIMIT ? OFFSET ?", (app, board, limit, offset)).fetchall())
        return [BoardEntry(m, s, offset + i + 1) for i, (m, s) in enumerate(rows)]

    async def board_rank(self, app: str, board: str, member: str) -> BoardEntry | None:
        def run(db: sqlite3.Connection) -> BoardEntry | None:
            row = db.execute("SELECT score, reached FROM board_scores WHERE app = ? AND board = ? AND member = ?",
                             (app, board, member)).fetchone()
            if not row:
                return None
            return BoardEntry(member, row[0], self._ahead(db, app, board, row[0], row[1]) + 1)

        return await self._run(run)

    @staticmethod
    def _ahead(db: sqlite3.Connection, app: str, board: str, score: float, reached: int) -> int:
        """Entries ranked above (score, reached): two range counts on the board index (one
        query with OR would scan the whole board)."""
        return int(db.execute(
            "SELECT (SELECT COUNT(*) FROM board_scores WHERE app = ?1 AND board = ?2 AND score > ?3) + "
            "(SELECT COUNT(*) FROM board_scores WHERE app = ?1 AND board = ?2 AND score = ?3 AND reached < ?4)",
            (app, board, score, reached)).fetchone()[0])

    async def board_size(self, app: str, board: str) -> int:
        row = await self._run(lambda db: db.execute(
            "SELECT COUNT(*) FROM board_scores WHERE app = ? AND board = ?", (app, board)).fetchone())
        return int(row[0])

    async def board_entries(self, app: str, board: str, members: list[str]) -> list[BoardEntry]:
        def run(db: sqlite3.Connection) -> list[BoardEntry]:
            found: list[tuple[float, int, str]] = []
            for m in members:
                row = db.execute("SELECT score, reached FROM board_scores WHERE app = ? AND board = ? AND member = ?",
                                 (app, board, m)).fetchone()
                if row:
                    found.append((row[0], row[1], m))
            found.sort(key=lambda t: (-t[0], t[1]))
            out = []
            for score, reached, m in found:
                out.append(BoardEntry(m, score, self._ahead(db, app, board, score, reached) + 1))
            return out

        return await self._run(run)

    async def list_boards(self, app: str, prefix: str = "") -> list[str]:
        rows = await self._run(lambda db: db.execute(
            "SELECT DISTINCT board FROM board_scores WHERE app = ? AND substr(board, 1, ?) = ? ORDER BY board",
            (app, len(prefix), prefix)).fetchall())
        return [r[0] for r in rows]

    # --- activity and health facts ---------------------------------------------------
    async def activity_top(self, app: str, scope: str, now: float, limit: int = 10,
                           offset: int = 0) -> list[BoardEntry]:
        def run(db: sqlite3.Connection) -> list[BoardEntry]:
            base = db.execute("SELECT t0 FROM activity_base WHERE app = ? AND scope = ?", (app, scope)).fetchone()
            if base is None:
                return []
            rows = db.execute("SELECT member, stored FROM activity WHERE app = ? AND scope = ? "
                              "ORDER BY stored DESC, member LIMIT ? OFFSET ?", (app, scope, limit, offset)).fetchall()
            h = self._half_life(db, app)
            return [BoardEntry(m, activity.decayed(v, now, base[0], h), offset + i + 1)
                    for i, (m, v) in enumerate(rows)]

        return await self._run(run)

    async def activity_of(self, app: str, scope: str, member: str, now: float) -> BoardEntry | None:
        def run(db: sqlite3.Connection) -> BoardEntry | None:
            base = db.execute("SELECT t0 FROM activity_base WHERE app = ? AND scope = ?", (app, scope)).fetchone()
            row = db.execute("SELECT stored FROM activity WHERE app = ? AND scope = ? AND member = ?",
                             (app, scope, member)).fetchone()
            if base is None or row is None:
                return None
            ahead = db.execute("SELECT COUNT(*) FROM activity WHERE app = ? AND scope = ? AND "
                               "(stored > ? OR (stored = ? AND member < ?))",
                               (app, scope, row[0], row[0], member)).fetchone()[0]
            return BoardEntry(member, activity.decayed(row[0], now, base[0], self._half_life(db, app)), ahead + 1)

        return await self._run(run)

    @staticmethod
    def _half_life(db: sqlite3.Connection, app: str) -> float:
        row = db.execute("SELECT settings FROM apps WHERE id = ?", (app,)).fetchone()
        return activity.half_life(json.loads(row[0]) if row else {})

    async def daily_activity(self, app: str, group: str, first: str, last: str) -> dict[str, dict[str, float]]:
        rows = await self._run(lambda db: db.execute(
            "SELECT day, member, points FROM daily_activity WHERE app = ? AND grp = ? AND day >= ? AND day <= ? "
            "ORDER BY day, member", (app, group, first, last)).fetchall())
        out: dict[str, dict[str, float]] = {}
        for day, member, points in rows:
            out.setdefault(day, {})[member] = points
        return out

    async def group_members(self, app: str, group: str) -> dict[str, dict[str, Any]]:
        rows = await self._run(lambda db: db.execute(
            "SELECT member, first, left_at, invited_by, credited FROM members WHERE app = ? AND grp = ? "
            "ORDER BY member", (app, group)).fetchall())
        return {r[0]: {"first": r[1], "left": r[2], "invited_by": r[3], "credited": bool(r[4])} for r in rows}

    async def activity_log(self, app: str, group: str, since: float, until: float) -> list[LogEntry]:
        rows = await self._run(lambda db: db.execute(
            "SELECT at, kind, member, n, points, players FROM activity_log WHERE app = ? AND grp = ? "
            "AND at >= ? AND at <= ? ORDER BY at, rowid", (app, group, since, until)).fetchall())
        return [LogEntry(at, kind, member, n, points, tuple(json.loads(players)) if players else ())
                for at, kind, member, n, points, players in rows]

    async def activity_span(self, app: str, group: str, until: float) -> tuple[float, float] | None:
        row = await self._run(lambda db: db.execute(
            "SELECT MIN(at), MAX(at) FROM activity_log WHERE app = ? AND grp = ? AND at <= ?",
            (app, group, until)).fetchone())
        return None if row is None or row[0] is None else (float(row[0]), float(row[1]))

    async def activity_groups(self, app: str) -> list[str]:
        rows = await self._run(lambda db: db.execute(
            "SELECT DISTINCT grp FROM activity_log WHERE app = ? ORDER BY grp", (app,)).fetchall())
        return [r[0] for r in rows]

    async def coplay_pairs(self, app: str, group: str) -> dict[tuple[str, str], int]:
        rows = await self._run(lambda db: db.execute(
            "SELECT a, b, n FROM coplay WHERE app = ? AND grp = ?", (app, group)).fetchall())
        return {(a, b): n for a, b, n in rows}

    # --- content packs -----------------------------------------------------------
    async def put_pack(self, app: str, kind: str, name: str, items: list[dict[str, Any]], at: float) -> None:
        await self._tx(lambda db: db.execute(
            "INSERT INTO packs (app, kind, name, items, count, at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (app, kind, name) DO UPDATE SET items = excluded.items, count = excluded.count, "
            "at = excluded.at", (app, kind, name, _dumps(items), len(items), at)))

    async def list_packs(self, app: str, kind: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT kind, name, count, at FROM packs WHERE app = ?"
        args: list[Any] = [app]
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        rows = await self._run(lambda db: db.execute(sql + " ORDER BY kind, name", args).fetchall())
        return [{"kind": r[0], "name": r[1], "count": r[2], "at": r[3]} for r in rows]

    async def pack_items(self, app: str, kind: str) -> list[dict[str, Any]]:
        rows = await self._run(lambda db: db.execute(
            "SELECT items FROM packs WHERE app = ? AND kind = ? ORDER BY name", (app, kind)).fetchall())
        return [item for r in rows for item in json.loads(r[0])]

    async def delete_pack(self, app: str, kind: str, name: str) -> bool:
        cur = await self._tx(lambda db: db.execute(
            "DELETE FROM packs WHERE app = ? AND kind = ? AND name = ?", (app, kind, name)))
        return cur.rowcount == 1

    # --- check-ins -----------------------------------------------------------------
    async def get_checkin(self, app: str, group: str, member: str) -> dict[str, Any] | None:
        row = await self._run(lambda db: db.execute(
            "SELECT record FROM checkins WHERE app = ? AND grp = ? AND member = ?",
            (app, group, member)).fetchone())
        return json.loads(row[0]) if row else None

    async def load_checkin(self, app: str, group: str, member: str) -> tuple[dict[str, Any] | None, int]:
        row = await self._run(lambda db: db.execute(
            "SELECT record, version FROM checkins WHERE app = ? AND grp = ? AND member = ?",
            (app, group, member)).fetchone())
        return (json.loads(row[0]), int(row[1])) if row else (None, 0)

    async def save_checkin(self, app: str, group: str, member: str, record: dict[str, Any],
                           result: ResultRecord | None = None, version: int | None = None) -> bool:
        def run(db: sqlite3.Connection) -> bool:
            if result is not None and db.execute("SELECT 1 FROM results WHERE app = ? AND key = ?",
                                                 (result.app, result.key)).fetchone():
                return False
            self._versioned_update(
                db, version, "UPDATE checkins SET record = ?, version = version + 1 WHERE app = ? AND grp = ? "
                "AND member = ?", "INSERT INTO checkins (app, grp, member, record, version) VALUES (?, ?, ?, ?, 1) "
                "ON CONFLICT DO NOTHING", (_dumps(record),), (app, group, member))
            if result is not None:
                self._apply_result(db, result)
            return True

        return await self._tx(run)
