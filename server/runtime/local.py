"""The life of the rooms this node owns: load, apply inputs, commit, fan out, timers.

Each input is applied under the room's lock, then committed to the store (input + its
events, and a snapshot every ``snapshot_every`` inputs or when a game starts) under the
room's fencing epoch, and only then handed to watchers. So a client never sees an event
the store could lose, and another node (or this one after a restart) rebuilds every live
room from its snapshot and the inputs after it.
"""
from __future__ import annotations

import logging
import secrets
import time
from typing import TYPE_CHECKING, Any, Callable, Iterable

import msgpack

from games.base import Content, Event
from games.content_window import recent_window
from games.registry import get_game
from server import room_logic
from server.auth import new_id
from server.clock import Clock
from server.observe import RoomObserver
from server.protocol import ProtocolError
from server.runtime.frames import EventFrame
from server.runtime.room import RECENT_EVENTS, Room
from server.runtime.watch import Watcher, WatchTable
from server.scoring.records import game_record
from server.store import Fenced, RoomRecord, Store, StoredEvent, store_unreachable

if TYPE_CHECKING:
    from server.config import Settings

log = logging.getLogger("campfire.rooms")


class NotHere(Exception):
    """This node does not (or no longer) own the room: route the request to its owner."""


def _audience(to: Any) -> Any:
    return list(to) if isinstance(to, tuple) else to


class LocalRooms:
    def __init__(self, store: Store, clock: Clock, settings: "Settings", watchers: WatchTable,
                 seeds: Callable[[], int] | None = None,
                 on_drop: Callable[[str, bool], None] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        self.watchers = watchers
        # Where each game's seed comes from: the OS by default; tests inject a seeded source
        # so that a game played through the real server is reproducible.
        self.seeds = seeds or (lambda: secrets.randbits(63))
        self.on_drop = on_drop
        self.rooms: dict[str, Room] = {}
        # An event's data as logged and sent (server/clips.py turns clip paths into links).
        self.public_data: Callable[[str, dict[str, Any], float], dict[str, Any]] | None = None
        # Metrics, logs and webhooks hear of rooms created, started, finished (server/observe.py).
        self.observer: RoomObserver = RoomObserver()

    # --- lifecycle -----------------------------------------------------------------
    async def close(self) -> None:
        for room in self.rooms.values():
            if room.timer:
                room.timer.cancel()

    async def load(self, record: RoomRecord, epoch: int) -> Room:
        """Rebuild the room from its snapshot and the inputs after it, own it under ``epoch``,
        bring this node's watchers of it up to date, and re-arm its timer (or finish recording
        a result that a crash interrupted)."""
        input_n, snapshot, inputs = await self.store.load_room_state(record.id)
        if snapshot is None:
            raise RuntimeError(f"room {record.id} has no snapshot")
        data = msgpack.unpackb(snapshot, raw=False)
        room = Room(record, data, epoch)
        for room_input in inputs:
            self._replay(room, room_input)
        for ev in await self.store.read_events(record.id, max(0, data["seq"] - RECENT_EVENTS)):
            room.recent.append(ev)
        delivered = self.watchers.delivered(record.id)
        if delivered is not None and delivered < data["seq"]:
            missed = await self.store.read_events(record.id, delivered, limit=data["seq"] - delivered)
            self.watchers.publish(record.id, missed)
        self.rooms[record.id] = room
        async with room.lock:
            await self._resume(room)
        return room

    async def _resume(self, room: Room) -> None:
        if room.data["status"] == "finished" and room.record.status != "finished":
            await self._record_result(room)  # crashed between finishing and recording
        else:
            self._arm_timer(room)  # a game's deadline, or a lobby's expiry

    def drop(self, room_id: str) -> Room | None:
        """Stop owning the room here at once: no timer, no more inputs (queued ones get NotHere)."""
        room = self.rooms.pop(room_id, None)
        if room is not None:
            room.dropped = True
            if room.timer:
                room.timer.cancel()
            room.timer = room.timer_at = None
        return room

    # --- creating ------------------------------------------------------------------
    def new_room(self, app: str, group: str, game_name: str, config: dict[str, Any], lang: str,
                 epoch: int, room_id: str) -> Room:
        try:
            game = get_game(game_name)
        except KeyError:
            raise ProtocolError("unknown_game", f"no game '{game_name}'") from None
        data = room_logic.new_room_data(game, config, lang)
        now = self.clock.now()
        return Room(RoomRecord(room_id, app, group, game_name, "lobby", now, now, 0), data, epoch)

    async def create(self, room: Room) -> None:
        self.rooms[room.id] = room
        async with room.lock:
            now = room.record.created_at
            data = room.data
            await self._commit(room, {"op": "create", "now": now}, [Event("room_created", {
                "game": room.record.game, "group": room.record.group, "config": data["config"]})],
                force_snapshot=True)
            self.observer.room_created(room)

    @staticmethod
    def new_room_id() -> str:
        return new_id("room_")

    # --- one request on an owned room ----------------------------------------------
    async def perform(self, room: Room, op: str, args: dict[str, Any]) -> dict[str, Any]:
        """Run one room operation (``describe``, ``view``, ``join``, ``leave``, ``start``, ``act``,
        ``announce``, ``close``) and return its reply. Tenancy was checked by the caller."""
        if room.dropped:
            raise NotHere(room.id)
        if op == "describe":
            return {"room": room.describe()}
        if op == "view":
            state = room.data["state"]
            return {"room": room.describe(),
                    "view": room.game.view(state, args.get("viewer")) if state is not None else None}
        if op == "start":
            await self._start(room)
            return {"room": room.describe()}
        if op == "join":
            await self._submit(room, {"op": "join", "player": args["player"], "name": args["name"]})
            return {"room": room.describe()}
        if op == "leave":
            await self._submit(room, {"op": "leave", "player": args["player"]})
            return {"room": room.describe()}
        if op == "act":
            events = await self._submit(room, {"op": "act", "player": args["player"], "action": args["action"]})
            return {"seq": events[-1].seq if events else room.data["seq"]}
        if op == "announce":
            events = await self._submit(room, {"op": "announce", "data": args["data"]})
            return {"seq": events[-1].seq}
        if op == "close":
            await self._submit(room, {"op": "close"})
            return {"room": room.describe()}
        raise ProtocolError("unknown_type", f"no room operation '{op}'")

    async def _start(self, room: Room) -> None:
        game = room.game
        meta = game.meta
        async with room.lock:
            if room.dropped:
                raise NotHere(room.id)
            content = Content()
            window = 0
            if meta.content_kind:
                items = await self.store.pack_items(room.record.app, meta.content_kind)
                if not items:
                    from games.content import builtin_items

                    items = list(builtin_items(meta.content_kind))
                window = await self._recent_window(room, len(items))
                recent = (await self.store.recent(room.record.app, room.record.group, room.record.game))[:window]
                content = Content(tuple(items), tuple(recent))
            if room.dropped:
                raise NotHere(room.id)
            now = self.clock.now()
            seed = self.seeds()
            events = room_logic.apply_start(game, room.data, seed, now, content)
            # A start is never replayed (its content is not in the log): it always snapshots.
            await self._commit(room, {"op": "start", "now": now}, events, force_snapshot=True)
            self.observer.room_started(room)
            await self._after_step(room)
        await self._remember_content(room, window)

    async def tick(self, room: Room) -> None:
        async with room.lock:
            if room.dropped:
                return
            room.timer = room.timer_at = None
            now = self.clock.now()
            deadline = self._deadline(room)
            if deadline is None:
                return
            if now < deadline:  # woke early (clock skew): sleep again
                self._arm_timer(room)
                return
            if room.data["status"] == "lobby":
                op, events = "expire", room_logic.apply_expire(room.data)
            else:
                op, events = "tick", room_logic.apply_tick(room.game, room.data, now)
            await self._commit(room, {"op": op, "now": now}, events)
            if op == "expire":
                self.observer.room_expired(room, "the lobby was not started within lobby_ttl")
            await self._after_step(room)

    async def _submit(self, room: Room, room_input: dict[str, Any]) -> list[StoredEvent]:
        async with room.lock:
            if room.dropped:
                raise NotHere(room.id)
            room_input["now"] = self.clock.now()
            events = self._apply(room, room_input)
            stored = await self._commit(room, room_input, events)
            await self._after_step(room)
            return stored

    def _apply(self, room: Room, room_input: dict[str, Any]) -> list[Event]:
        """Apply one input to the room's data. Raises ProtocolError, changing nothing."""
        op, now, data = room_input["op"], room_input["now"], room.data
        game = room.game
        if op == "join":
            return room_logic.apply_join(game, data, room_input["player"], room_input["name"], now)
        if op == "leave":
            return room_logic.apply_leave(data, room_input["player"])
        if op == "act":
            return room_logic.apply_act(game, data, room_input["player"], room_input["action"], now)
        if op == "tick":
            return room_logic.apply_tick(game, data, now)
        if op == "announce":
            return [Event("announce", room_input["data"])]
        if op == "close":
            return room_logic.apply_close(data)
        if op == "expire":
            return room_logic.apply_expire(data)
        raise ValueError(f"unknown room input {op!r}")

    def _replay(self, room: Room, room_input: dict[str, Any]) -> None:
        """Re-apply a logged input after a restart. It succeeded the first time, and games
        are deterministic, so it succeeds again with the same events; only the sequence
        numbers need advancing."""
        events = self._apply(room, room_input)
        room.data["seq"] += len(events)
        room.data["input_n"] += 1
        room.record.status = room.data["status"] if room.data["status"] != "finished" else room.record.status
        room.record.round = room.data["round"]

    async def _commit(self, room: Room, room_input: dict[str, Any], events: list[Event],
                      force_snapshot: bool = False) -> list[StoredEvent]:
        data = room.data
        now = room_input["now"]
        stored = []
        for ev in events:
            data["seq"] += 1
            payload = ev.data if self.public_data is None else self.public_data(ev.kind, ev.data, now)
            stored.append(StoredEvent(data["seq"], ev.kind, payload, _audience(ev.to), now))
        data["input_n"] += 1
        data["epoch"] = room.epoch  # in the snapshot too: it outlives a Redis fail-over that loses the key
        record = room.record
        # "finished" is written only once the result is recorded (see _after_step).
        record.status = data["status"] if data["status"] != "finished" else record.status
        record.round = data["round"]
        record.updated_at = now
        snapshot = None
        if force_snapshot or data["input_n"] % self.settings.snapshot_every == 0:
            snapshot = msgpack.packb(data, use_bin_type=True)
        started = time.perf_counter()
        try:
            await self.store.commit_step(record, data["input_n"], room_input, stored, snapshot, room.epoch)
        except Fenced:
            # Another node owns the room now: this one must not apply anything more to it.
            log.warning("room %s moved to another node (epoch %d is stale); standing down", room.id, room.epoch)
            self._lose(room, fenced=True)
            raise NotHere(room.id) from None
        except Exception as exc:
            # The in-memory room is ahead of the store: throw it away and reload what is durable.
            # Its watchers stay (they belong to the WatchTable), and the runtime reloads it.
            unreachable = store_unreachable(exc)
            log.log(logging.WARNING if unreachable else logging.ERROR, "commit failed for room %s; reloading it "
                    "from the store", room.id, exc_info=not unreachable)
            self.observer.store_error("commit", exc)
            self._lose(room, fenced=False)
            if unreachable:
                raise ProtocolError("unavailable", "the store is unreachable just now; nothing was applied, "
                                    "retry") from None
            raise ProtocolError("internal", "the room could not be saved; please retry") from None
        self.observer.commit_took(time.perf_counter() - started)
        room.recent.extend(stored)
        self.watchers.publish(room.id, stored)
        return stored

    def _lose(self, room: Room, fenced: bool) -> None:
        if self.rooms.get(room.id) is room:
            self.drop(room.id)
            if self.on_drop is not None:
                self.on_drop(room.id, fenced)
        else:
            room.dropped = True

    async def _after_step(self, room: Room) -> None:
        if room.data["status"] == "finished" and room.record.status != "finished":
            await self._record_result(room)
        if room.record.status in ("finished", "closed"):
            self._evict(room)
        else:
            self._arm_timer(room)

    def _evict(self, room: Room) -> None:
        """A finished or closed room leaves memory once its last step is committed (and its
        result recorded): its snapshot, log and result stay in the store, where reads find
        them, and a later request (a new round) loads it again. Its lease goes back too."""
        self._lose(room, fenced=False)

    async def _record_result(self, room: Room) -> None:
        game = room.game
        result = game.result(room.data["state"])
        app = room.record.app
        tz = (await self.store.get_group_settings(app, room.record.group)).get(
            "timezone", self.settings.default_timezone)
        app_record = await self.store.get_app(app)
        record = game_record(app, room.record.group, room.id, room.data["round"], result,
                             self.clock.now(), tz, app_record.settings if app_record else {})
        await self.store.apply_result(record)  # idempotent: a retry after a crash is harmless
        room.record.status = "finished"
        await self.store.save_room(room.record)
        self.observer.room_finished(room, record.to_dict())

    async def _recent_window(self, room: Room, pack_size: int) -> int:
        """How many recent items this group avoids for this game: most of the pack
        (games.content_window), or the group setting ``recent`` ({"spy": 20, "quiz": 0.5})."""
        if not room.game.meta.remember_recent:
            return 0
        settings = await self.store.get_group_settings(room.record.app, room.record.group)
        return recent_window(pack_size, settings.get("recent", {}).get(room.record.game))

    async def _remember_content(self, room: Room, keep: int) -> None:
        state = room.data.get("state") or {}
        if not keep:
            return
        for item_id in state.get("content_used", []):
            await self.store.remember(room.record.app, room.record.group, room.record.game, item_id,
                                      self.clock.now(), keep)

    def _deadline(self, room: Room) -> float | None:
        """When the room's timer must fire: its game's deadline while playing, its expiry while
        a lobby (``lobby_ttl`` after it was created; 0 turns expiry off), else never."""
        status = room.data["status"]
        if status == "playing":
            state = room.data.get("state")
            return state.get("deadline") if state else None
        if status == "lobby" and self.settings.lobby_ttl > 0:
            return room.record.created_at + self.settings.lobby_ttl
        return None

    def _arm_timer(self, room: Room) -> None:
        deadline = self._deadline(room)
        if room.dropped:
            deadline = None
        if deadline == room.timer_at:
            return
        if room.timer:
            room.timer.cancel()
        room.timer, room.timer_at = None, None
        if deadline is not None:
            room.timer_at = deadline
            room.timer = self.clock.call_at(deadline, lambda: self._fire(room))

    async def _fire(self, room: Room) -> None:
        try:
            await self.tick(room)
        except NotHere:
            pass
        except Exception:
            log.exception("timer failed in room %s", room.id)

    # --- watching --------------------------------------------------------------------
    async def watch(self, room: Room, watcher: Watcher, after: int) -> int:
        """Replay what ``watcher`` missed after ``after``, then add it to the live watchers.

        A long replay goes out in pages of half a send queue, read from the store outside the
        room's lock, each sent once the watcher has written the last (``drained``): a reader
        that keeps up gets all of it and is never cut off as a slow consumer, and the room
        plays on meanwhile. The last page is sent under the room lock, so no event can slip
        between the replay and the live stream."""
        page = max(1, self.settings.send_queue_frames // 2)
        while room.data["seq"] - after > page:
            if room.dropped:
                raise NotHere(room.id)
            events = await self.store.read_events(room.id, after, limit=page)
            if not events:
                break
            for ev in events:
                if watcher.may_see(ev.to):
                    watcher.send_event(EventFrame(room.id, ev))
            after = events[-1].seq
            await watcher.drained()
        async with room.lock:
            if room.dropped:
                raise NotHere(room.id)
            last = room.data["seq"]
            if after < last:
                if room.recent and room.recent[0].seq <= after + 1:
                    missed: Iterable[StoredEvent] = [e for e in room.recent if e.seq > after]
                else:
                    missed = await self.store.read_events(room.id, after, limit=last - after)
                for ev in missed:
                    if watcher.may_see(ev.to):
                        watcher.send_event(EventFrame(room.id, ev))
            self.watchers.add(room.id, watcher, max(after, last), last)
            return last
