"""The rooms as the rest of the server sees them: by id, wherever they live.

Handlers and REST call these methods with the caller's app (the tenant wall) and, for a
member, their group. A room this node owns is served here (``LocalRooms``); a room another
node owns is reached through the relay (its inbox stream); a room nobody owns (its lease
lapsed: the owner died) is taken over on demand, and a periodic sweep takes over the rest
so their timers keep running with no client traffic. Watchers always stay on this node's
``WatchTable``: fed by our own commits while we own the room, by the room's event stream
while another node does.
"""
from __future__ import annotations

import asyncio
import builtins
import logging
from typing import TYPE_CHECKING, Any, Callable

from server.clock import Clock, TimerHandle
from server.nodes import Nodes, SingleNode
from server.protocol import ProtocolError
from server.relay import Follower, Inbox, Moved, RelayTimeout
from server.runtime.frames import EventFrame
from server.runtime.local import LocalRooms, NotHere
from server.runtime.room import Room
from server.runtime.watch import Watcher, WatchTable
from server.store import GroupBusy, RoomRecord, Store, StoredEvent, store_unreachable

if TYPE_CHECKING:
    from server.config import Settings

log = logging.getLogger("campfire.rooms")

MAX_OWNER_HINTS = 50_000
PRUNE_EVERY = 3600.0  # seconds between log-retention passes (docs/operators.md "Log retention")
DAY = 86_400.0


def _unknown(room_id: str) -> ProtocolError:
    return ProtocolError("unknown_room", f"no room '{room_id}'")


def _unavailable(why: str) -> ProtocolError:
    return ProtocolError("unavailable", why)


class Rooms:
    def __init__(self, store: Store, clock: Clock, settings: "Settings", nodes: Nodes | None = None,
                 seeds: Callable[[], int] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        self.nodes: Nodes = nodes or SingleNode()
        self.watchers = WatchTable()
        self.local = LocalRooms(store, clock, settings, self.watchers, seeds, on_drop=self._dropped)
        self._loading: dict[str, asyncio.Lock] = {}
        self._owners: dict[str, str] = {}  # room -> the node that owned it when we last asked
        self.inbox: Inbox | None = None
        self.follower: Follower | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self._pruner: TimerHandle | None = None

    @property
    def rooms(self) -> dict[str, Room]:
        """The rooms this node owns right now."""
        return self.local.rooms

    @property
    def node_id(self) -> str:
        return self.nodes.node_id

    # --- lifecycle -------------------------------------------------------------------
    async def start(self) -> int:
        """Start the node's leases (and, sharing a store, its inbox, follower and sweep), then
        take every live room nobody owns. Returns how many rooms this node loaded."""
        await self.nodes.start(self._lost)
        if self.nodes.shared:
            db, prefix = self.nodes.db, self.nodes.p  # type: ignore[attr-defined]  # shared nodes hold Redis
            self.inbox = Inbox(db, prefix, self.node_id, self.serve_remote)
            self.follower = Follower(db, prefix, self._followed, self._deliver)
            await self.inbox.start()
            await self.follower.start()
        count = await self.sweep()
        if self.nodes.shared:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep_loop())
        self._arm_pruner(self.clock.now())
        return count

    def _arm_pruner(self, when: float) -> None:
        if self.settings.log_retention_days > 0:
            self._pruner = self.clock.call_at(when, self._prune_pass)

    async def _prune_pass(self) -> None:
        """Log retention, on the room clock: every node runs it (each prune is idempotent, so
        nodes sharing a Redis store may overlap); a store outage only delays it to the next pass."""
        try:
            await self.prune_logs()
        except Exception:
            log.warning("log retention pass failed; retrying in %d s", PRUNE_EVERY, exc_info=True)
        self._arm_pruner(self.clock.now() + PRUNE_EVERY)

    async def prune_logs(self) -> int:
        """Prune the event logs of rooms finished or closed more than ``log_retention_days`` ago."""
        if self.settings.log_retention_days <= 0:
            return 0
        count = await self.store.prune_room_logs(self.clock.now() - self.settings.log_retention_days * DAY)
        if count:
            log.info("log retention: pruned the event logs of %d rooms", count)
        return count

    async def restore(self) -> int:
        """Load every live room nobody owns (after a restart, or a node's death)."""
        return await self.sweep()

    async def close(self) -> None:
        if self._pruner is not None:
            self._pruner.cancel()
        for task in (self._sweeper, *self._tasks):
            if task is not None:
                task.cancel()
        for part in (self.follower, self.inbox):
            if part is not None:
                await part.close()
        await self.local.close()
        await self.nodes.close()  # gives the leases back: other nodes take the rooms at once

    async def sweep(self) -> int:
        if self.nodes.shared:
            free = await self.nodes.unleased_live() - set(self.local.rooms)
            if not free:
                return 0
            live = [r for r in await self.store.live_rooms() if r.id in free]
        else:
            live = [r for r in await self.store.live_rooms() if r.id not in self.local.rooms]
        count = 0
        for record in live:
            try:
                if await self._take(record) is not None:
                    count += 1
            except Exception as exc:
                await self.nodes.release(record.id)
                if store_unreachable(exc):  # the store, not the room: the next sweep retries
                    log.warning("could not load room %s: the store is unreachable", record.id)
                    continue
                await self._quarantine(record, exc)
        return count

    async def _quarantine(self, record: RoomRecord, exc: Exception) -> None:
        """A room that cannot be rebuilt from its snapshot and log must not stop the others:
        it is marked ``quarantined`` (no longer live, so its group is free and no node tries it
        again), logged, and listed by ``GET /v1/rooms?status=quarantined`` and
        ``campfire rooms quarantined``. Its snapshot and log stay in the store for a post-mortem."""
        log.error("room %s (app %s, group %s) cannot be restored and is quarantined: %r",
                  record.id, record.app, record.group, exc, exc_info=exc)
        record.status = "quarantined"
        try:
            await self.store.save_room(record)
        except Exception:
            log.exception("could not mark room %s as quarantined", record.id)

    async def _sweep_loop(self) -> None:
        interval = max(0.05, self.settings.lease_seconds / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                taken = await self.sweep()
                if taken:
                    log.info("took over %d rooms whose owner is gone", taken)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("room sweep failed; retrying", exc_info=True)

    async def _lost(self, room_id: str) -> None:
        """Our lease on the room lapsed or moved: stop serving it; watchers follow its stream."""
        self.local.drop(room_id)
        self._wake()

    def _dropped(self, room_id: str, fenced: bool) -> None:
        """A commit was refused (fenced: another node owns the room) or failed (the store):
        the room is out of memory; give the lease up so the room is reloaded from the store."""
        if fenced:
            self.nodes.forget(room_id)
        else:
            self._spawn(self.nodes.release(room_id))
        self._wake()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _wake(self) -> None:
        if self.follower is not None:
            self.follower.wake()

    # --- finding a room --------------------------------------------------------------
    async def _take(self, record: RoomRecord) -> Room | None:
        """Take the room's lease and load it; None if another node holds it."""
        lock = self._loading.setdefault(record.id, asyncio.Lock())
        try:
            async with lock:
                room = self.local.rooms.get(record.id)
                if room is not None:
                    return room
                epoch, owner = await self.nodes.acquire(record.id)
                if epoch is None:
                    if owner:
                        self._remember_owner(record.id, owner)
                    return None
                self._owners.pop(record.id, None)
                try:
                    return await self.local.load(record, epoch)
                finally:
                    self._wake()
        finally:
            if not lock.locked() and self._loading.get(record.id) is lock:
                del self._loading[record.id]

    def _remember_owner(self, room_id: str, owner: str) -> None:
        if len(self._owners) >= MAX_OWNER_HINTS:
            self._owners.clear()
        self._owners[room_id] = owner

    async def _route(self, app: str, room_id: str) -> Room | str:
        """The room, if this node owns it (taking it over if nobody does), else its owner's id."""
        room = self.local.rooms.get(room_id)
        if room is not None:
            if room.record.app != app:
                raise _unknown(room_id)
            return room
        owner = self._owners.get(room_id)
        if owner is not None:
            return owner  # the owner checks the tenant wall itself
        record = await self.store.get_room(app, room_id)
        if record is None:
            raise _unknown(room_id)
        room = await self._take(record)
        if room is not None:
            return room
        owner = self._owners.get(room_id)
        if owner is None:
            raise NotHere(room_id)  # the lease changed hands while we asked: ask again
        if not await self.nodes.alive(owner):
            self._owners.pop(room_id, None)
            raise NotHere(room_id)  # its owner died: the lease lapses soon, then we take it
        return owner

    @staticmethod
    def _check(room: Room, app: str, group: str | None) -> None:
        if room.record.app != app or (group is not None and room.record.group != group):
            raise _unknown(room.id)

    async def call(self, app: str, room_id: str, op: str, args: dict[str, Any] | None = None,
                   group: str | None = None) -> dict[str, Any]:
        """Run ``op`` on the room wherever it lives. ``group``: a member's group (None for bots)."""
        args = args or {}
        loop = asyncio.get_running_loop()
        # Long enough for a dead owner's lease to lapse and this node to take the room over.
        deadline = loop.time() + self.settings.lease_seconds + self.settings.relay_timeout
        attempt = 0
        while True:
            attempt += 1
            if attempt > 1:
                if loop.time() > deadline:
                    break
                await asyncio.sleep(min(0.2, 0.01 * attempt))
            try:
                where = await self._route(app, room_id)
                if isinstance(where, Room):
                    self._check(where, app, group)
                    return await self.local.perform(where, op, args)
            except NotHere:
                continue
            assert self.inbox is not None, "a room owned elsewhere needs a shared store"
            body = {"app": app, "room": room_id, "op": op, "args": args, "group": group}
            try:
                reply = await self.inbox.call(where, body, self.settings.relay_timeout, self.nodes.alive)
            except Moved:
                self._owners.pop(room_id, None)
                continue
            except RelayTimeout:
                self._owners.pop(room_id, None)
                raise _unavailable("the room's node did not answer in time; retry") from None
            if "err" in reply:
                err = reply["err"]
                raise ProtocolError(err["code"], err["message"], **err.get("data", {}))
            return reply["ok"]
        raise _unavailable("the room is moving between nodes; retry")

    async def serve_remote(self, body: dict[str, Any]) -> dict[str, Any]:
        """A request relayed from another node: answered only if this node owns the room."""
        room_id = body["room"]
        lock = self._loading.get(room_id)
        if lock is not None:
            async with lock:  # it may be loading right now
                pass
        room = self.local.rooms.get(room_id)
        if room is None:
            return {"moved": True}
        try:
            self._check(room, body["app"], body.get("group"))
            return {"ok": await self.local.perform(room, body["op"], body.get("args") or {})}
        except NotHere:
            return {"moved": True}
        except ProtocolError as err:
            return {"err": {"code": err.code, "message": err.message, "data": err.data}}

    # --- the operations --------------------------------------------------------------
    async def create(self, app: str, group: str, game: str, config: dict[str, Any], lang: str,
                     key: str | None = None) -> dict[str, Any]:
        """A new room in the lobby. The store registers it in one atomic step, so one live
        room per group (``one_game_per_group``) holds however many nodes create at once; with
        ``key``, a retried create returns the room the first one made."""
        room_id = self.local.new_room_id()
        room = self.local.new_room(app, group, game, config, lang, 0, room_id)
        try:
            record, created = await self.store.create_room(
                room.record, exclusive=self.settings.one_game_per_group, key=key, key_ttl=self.settings.create_key_ttl)
        except GroupBusy as busy:
            raise ProtocolError("group_busy", f"group '{group}' already has an active room", room=busy.room) from None
        if not created:
            if (record.group, record.game) != (group, game):
                raise ProtocolError("invalid_payload", "this key was used to create another group's or game's room",
                                    field="key")
            return await self.describe(app, record.id)
        try:
            epoch, _ = await self.nodes.acquire(room_id)
            if epoch is None:  # a fresh id: cannot be held elsewhere
                raise _unavailable("could not take the new room's lease; retry")
            room.epoch = epoch
            await self.local.create(room)
        except Exception:
            await self._abandon(room.record)
            raise
        return room.describe()

    async def _abandon(self, record: RoomRecord) -> None:
        """A create that failed after the store registered the room: close it, so that it
        does not hold its group (best effort; lobby expiry frees it otherwise)."""
        record.status = "closed"
        try:
            await self.store.save_room(record)
        except Exception:
            log.exception("could not close abandoned room %s", record.id)

    async def describe(self, app: str, room_id: str, group: str | None = None) -> dict[str, Any]:
        return (await self.call(app, room_id, "describe", group=group))["room"]

    async def view(self, app: str, room_id: str, viewer: str | None, group: str | None = None) -> dict[str, Any]:
        return await self.call(app, room_id, "view", {"viewer": viewer}, group)

    async def list(self, app: str, group: str | None, live_only: bool = False) -> list[dict[str, Any]]:
        """The app's rooms (of one group, or live only); live ones described in full."""
        out = []
        for record in await self.store.list_rooms(app, group, live_only=live_only):
            room = self.local.rooms.get(record.id)
            if room is None and self.nodes.shared and record.status in ("lobby", "playing"):
                try:
                    out.append(await self.describe(app, record.id))
                    continue
                except ProtocolError:
                    pass
            out.append(room.describe() if room is not None else {
                "id": record.id, "group": record.group, "game": record.game, "status": record.status,
                "round": record.round})
        return out

    async def record(self, app: str, room_id: str, group: str | None = None) -> RoomRecord:
        """The room's record (for reads that go straight to the store, like its event log)."""
        room = self.local.rooms.get(room_id)
        record = room.record if room is not None else await self.store.get_room(app, room_id)
        if record is None or record.app != app or (group is not None and record.group != group):
            raise _unknown(room_id)
        return record

    # --- watching --------------------------------------------------------------------
    async def watch(self, app: str, room_id: str, watcher: Watcher, after: int | None,
                    group: str | None = None) -> dict[str, Any]:
        """Follow the room from ``after`` (None: from now): {"room": …, "seq": last seq}.
        Events it missed are sent before this returns; live ones follow in order. When log
        retention pruned events after ``after``, nothing is replayed: it watches from now and
        the reply carries ``"behind": True`` (the caller adds the room's view)."""
        behind = after is not None and await self.store.first_seq(room_id) > after + 1
        if behind:
            after = None
        out = await self._watch(app, room_id, watcher, after, group)
        if behind:
            out["behind"] = True
        return out

    async def _watch(self, app: str, room_id: str, watcher: Watcher, after: int | None,
                     group: str | None) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.lease_seconds + self.settings.relay_timeout
        for attempt in range(1000):
            if attempt:
                if loop.time() > deadline:
                    break
                await asyncio.sleep(min(0.2, 0.01 * attempt))
            try:
                where = await self._route(app, room_id)
                if isinstance(where, Room):
                    self._check(where, app, group)
                    last = await self.local.watch(where, watcher, where.data["seq"] if after is None else after)
                    return {"room": where.describe(), "seq": last}
            except NotHere:
                continue
            described = await self.describe(app, room_id, group)
            if room_id in self.local.rooms:
                continue  # taken over here meanwhile: watch it as its owner
            return {"room": described, "seq": await self._watch_followed(room_id, watcher, after, described["seq"])}
        raise _unavailable("the room is moving between nodes; retry")

    async def _watch_followed(self, room_id: str, watcher: Watcher, after: int | None, now_seq: int) -> int:
        """Watch a room owned elsewhere: replay from the log, then the follower feeds it."""
        start = now_seq if after is None else after
        page = max(1, self.settings.send_queue_frames // 2)
        while now_seq - start > page:  # a long replay goes out in pages first (LocalRooms.watch)
            events = await self.store.read_events(room_id, start, limit=page)
            if not events:
                break
            for ev in events:
                if watcher.may_see(ev.to):
                    watcher.send_event(EventFrame(room_id, ev))
            start = events[-1].seq
            await watcher.drained()
        missed = await self.store.read_events(room_id, start)
        # From here to the end nothing awaits: no event can be delivered in between.
        delivered = self.watchers.delivered(room_id)
        if delivered is None:
            self.watchers.add(room_id, watcher, start, start)
        else:
            for ev in missed:
                if ev.seq > delivered:
                    break
                if watcher.may_see(ev.to):
                    watcher.send_event(EventFrame(room_id, ev))
            self.watchers.add(room_id, watcher, max(start, delivered), delivered)
        self.watchers.publish(room_id, missed)
        self._wake()
        return max([now_seq, start] + [e.seq for e in missed[-1:]])

    def _followed(self) -> dict[str, int]:
        """Rooms watched here that another node owns, with the last seq delivered here."""
        return {room_id: rw.delivered for room_id, rw in self.watchers.rooms.items()
                if room_id not in self.local.rooms}

    def _deliver(self, room_id: str, events: builtins.list[StoredEvent]) -> None:  # `list` is a method here
        if room_id not in self.local.rooms:  # an owner publishes its own commits
            self.watchers.publish(room_id, events)

    def unwatch(self, room_id: str, watcher: Watcher) -> bool:
        return self.watchers.remove(room_id, watcher)

    def unwatch_all(self, watcher: Watcher) -> None:
        self.watchers.remove_all(watcher)

    def is_watching(self, watcher: Watcher, room_id: str) -> bool:
        return self.watchers.is_watching(watcher, room_id)
