"""The room runtime: one asyncio lock per room, an ordered event log, timers, persistence.

Each input is applied under the room's lock, then committed to the store (input + its
events, and a snapshot every ``snapshot_every`` inputs or when a game starts), and only
then sent to watchers. So a client never sees an event the store could lose, and a
restarted server rebuilds every live room from its snapshot and the inputs after it.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

import msgpack

from games.base import Content, Event
from games.registry import get_game
from server import room_logic
from server.auth import new_id
from server.clock import Clock, TimerHandle
from server.direct import frame_payload
from server.protocol import ProtocolError, encode_text
from server.scoring.records import game_record
from server.store import RoomRecord, Store, StoredEvent

if TYPE_CHECKING:
    from server.config import Settings
    from server.session import Session

log = logging.getLogger("campfire.rooms")

RECENT_EVENTS = 512  # events kept in memory per room for fast resume; older ones come from the store


@dataclass(eq=False)
class Room:
    record: RoomRecord
    data: dict[str, Any]
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    watchers: dict["Session", None] = field(default_factory=dict)
    recent: deque[StoredEvent] = field(default_factory=lambda: deque(maxlen=RECENT_EVENTS))
    timer: TimerHandle | None = None
    timer_at: float | None = None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def game(self) -> Any:
        return get_game(self.record.game)

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id, "group": self.record.group, "game": self.record.game,
            "status": self.data["status"], "round": self.data["round"], "seq": self.data["seq"],
            "players": [{"player": p, "name": n} for p, n in self.data["players"]],
            "config": self.data["config"], "lang": self.data["lang"],
        }


def _audience(to: Any) -> Any:
    return list(to) if isinstance(to, tuple) else to


class RoomManager:
    def __init__(self, store: Store, clock: Clock, settings: "Settings",
                 seeds: Callable[[], int] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        # Where each game's seed comes from: the OS by default; tests inject a seeded source
        # so that a game played through the real server is reproducible.
        self.seeds = seeds or (lambda: secrets.randbits(63))
        self.rooms: dict[str, Room] = {}
        self._loading: dict[str, asyncio.Lock] = {}

    # --- lifecycle -----------------------------------------------------------------
    async def restore(self) -> int:
        """Load every live room from the store and re-arm its timer (after a restart)."""
        count = 0
        for record in await self.store.live_rooms():
            room = await self._load(record)
            await self._after_restore(room)
            count += 1
        return count

    async def _after_restore(self, room: Room) -> None:
        state = room.data.get("state")
        if room.data["status"] == "finished" and room.record.status != "finished":
            await self._record_result(room)  # crashed between finishing and recording
        elif state is not None and room.data["status"] == "playing":
            self._arm_timer(room)

    async def close(self) -> None:
        for room in self.rooms.values():
            if room.timer:
                room.timer.cancel()

    async def _load(self, record: RoomRecord) -> Room:
        input_n, snapshot, inputs = await self.store.load_room_state(record.id)
        if snapshot is None:
            raise RuntimeError(f"room {record.id} has no snapshot")
        data = msgpack.unpackb(snapshot, raw=False)
        room = Room(record, data)
        for room_input in inputs:
            self._replay(room, room_input)
        for ev in await self.store.read_events(record.id, max(0, data["seq"] - RECENT_EVENTS)):
            room.recent.append(ev)
        self.rooms[record.id] = room
        return room

    async def get(self, app: str, room_id: str) -> Room:
        room = self.rooms.get(room_id)
        if room is not None:
            if room.record.app != app:
                raise ProtocolError("unknown_room", f"no room '{room_id}'")
            return room
        lock = self._loading.setdefault(room_id, asyncio.Lock())
        async with lock:
            if room_id in self.rooms:
                return await self.get(app, room_id)
            record = await self.store.get_room(app, room_id)
            if record is None:
                raise ProtocolError("unknown_room", f"no room '{room_id}'")
            return await self._load(record)

    # --- creating ------------------------------------------------------------------
    async def create(self, app: str, group: str, game_name: str, config: dict[str, Any],
                     lang: str) -> Room:
        try:
            game = get_game(game_name)
        except KeyError:
            raise ProtocolError("unknown_game", f"no game '{game_name}'") from None
        data = room_logic.new_room_data(game, config, lang)
        if self.settings.one_game_per_group:
            live = [r for r in await self.store.list_rooms(app, group, live_only=True)]
            if live:
                raise ProtocolError("group_busy", f"group '{group}' already has an active room",
                                    room=live[0].id)
        now = self.clock.now()
        record = RoomRecord(new_id("room_"), app, group, game_name, "lobby", now, now, 0)
        room = Room(record, data)
        self.rooms[room.id] = room
        async with room.lock:
            await self._commit(room, {"op": "create", "now": now}, [Event("room_created", {
                "game": game_name, "group": group, "config": data["config"]})], force_snapshot=True)
        return room

    # --- inputs --------------------------------------------------------------------
    async def join(self, room: Room, player: str, name: str) -> None:
        await self._submit(room, {"op": "join", "player": player, "name": name})

    async def leave(self, room: Room, player: str) -> None:
        await self._submit(room, {"op": "leave", "player": player})

    async def act(self, room: Room, player: str, action: dict[str, Any]) -> list[StoredEvent]:
        return await self._submit(room, {"op": "act", "player": player, "action": action})

    async def announce(self, room: Room, data: dict[str, Any]) -> list[StoredEvent]:
        return await self._submit(room, {"op": "announce", "data": data})

    async def close_room(self, room: Room) -> None:
        await self._submit(room, {"op": "close"})

    async def start(self, room: Room) -> None:
        game = room.game
        meta = game.meta
        async with room.lock:
            content = Content()
            if meta.content_kind:
                items = await self.store.pack_items(room.record.app, meta.content_kind)
                if not items:
                    from games.content import builtin_items

                    items = list(builtin_items(meta.content_kind))
                window = await self._recent_window(room)
                recent = (await self.store.recent(room.record.app, room.record.group, room.record.game))[:window]
                content = Content(tuple(items), tuple(recent))
            now = self.clock.now()
            seed = self.seeds()
            events = room_logic.apply_start(game, room.data, seed, now, content)
            # A start is never replayed (its content is not in the log): it always snapshots.
            await self._commit(room, {"op": "start", "now": now}, events, force_snapshot=True)
            await self._after_step(room)
        await self._remember_content(room)

    async def tick(self, room: Room) -> None:
        async with room.lock:
            room.timer = room.timer_at = None
            now = self.clock.now()
            state = room.data.get("state")
            if state is None or room.data["status"] != "playing":
                return
            deadline = state.get("deadline")
            if deadline is None:
                return
            if now < deadline:  # woke early (clock skew): sleep again
                self._arm_timer(room)
                return
            events = room_logic.apply_tick(room.game, room.data, now)
            await self._commit(room, {"op": "tick", "now": now}, events)
            await self._after_step(room)

    async def _submit(self, room: Room, room_input: dict[str, Any]) -> list[StoredEvent]:
        async with room.lock:
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
            stored.append(StoredEvent(data["seq"], ev.kind, ev.data, _audience(ev.to), now))
        data["input_n"] += 1
        record = room.record
        # "finished" is written only once the result is recorded (see _after_step).
        record.status = data["status"] if data["status"] != "finished" else record.status
        record.round = data["round"]
        record.updated_at = now
        snapshot = None
        if force_snapshot or data["input_n"] % self.settings.snapshot_every == 0:
            snapshot = msgpack.packb(data, use_bin_type=True)
        try:
            await self.store.commit_step(record, data["input_n"], room_input, stored, snapshot)
        except Exception:
            # The in-memory room is ahead of the store: throw it away and reload what is durable.
            log.exception("commit failed for room %s; reloading it from the store", room.id)
            self.rooms.pop(room.id, None)
            if room.timer:
                room.timer.cancel()
            raise ProtocolError("internal", "the room could not be saved; please retry") from None
        room.recent.extend(stored)
        self._fan_out(room, stored)
        return stored

    async def _after_step(self, room: Room) -> None:
        if room.data["status"] == "finished" and room.record.status != "finished":
            await self._record_result(room)
        self._arm_timer(room)

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

    async def _recent_window(self, room: Room) -> int:
        """How many recent items this group avoids for this game: the group setting
        ``recent`` ({"spy": 20, "song": 50}) or the game's default."""
        settings = await self.store.get_group_settings(room.record.app, room.record.group)
        return int(settings.get("recent", {}).get(room.record.game, room.game.meta.remember_recent))

    async def _remember_content(self, room: Room) -> None:
        state = room.data.get("state") or {}
        keep = await self._recent_window(room)
        if not keep:
            return
        for item_id in state.get("content_used", []):
            await self.store.remember(room.record.app, room.record.group, room.record.game, item_id,
                                      self.clock.now(), keep)

    def _arm_timer(self, room: Room) -> None:
        state = room.data.get("state")
        deadline = state.get("deadline") if state and room.data["status"] == "playing" else None
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
        except Exception:
            log.exception("timer failed in room %s", room.id)

    # --- watching and fan-out ------------------------------------------------------
    def _fan_out(self, room: Room, events: Iterable[StoredEvent]) -> None:
        if not room.watchers:
            return
        for ev in events:
            frame = EventFrame(room.id, ev)
            for session in list(room.watchers):
                if session.may_see(room, ev.to):
                    session.send_event(frame)

    async def watch(self, room: Room, session: "Session", after: int) -> int:
        """Replay what ``session`` missed after ``after``, then add it to the live watchers.
        Under the room lock, so no event can slip between the replay and the live stream."""
        async with room.lock:
            last = room.data["seq"]
            if after < last:
                if room.recent and room.recent[0].seq <= after + 1:
                    missed: Iterable[StoredEvent] = [e for e in room.recent if e.seq > after]
                else:
                    missed = await self.store.read_events(room.id, after, limit=last - after)
                for ev in missed:
                    if session.may_see(room, ev.to):
                        session.send_event(EventFrame(room.id, ev))
            room.watchers[session] = None
            session.watching[room.id] = room
            return last

    def unwatch(self, room: Room, session: "Session") -> None:
        room.watchers.pop(session, None)
        session.watching.pop(room.id, None)


class EventFrame:
    """One event as a frame, encoded at most once per format however many watchers get it."""

    __slots__ = ("room", "event", "_binary", "_text", "_framed_binary", "_framed_text")

    def __init__(self, room: str, event: StoredEvent) -> None:
        self.room = room
        self.event = event
        self._binary: bytes | None = None
        self._text: str | None = None
        self._framed_binary: bytes | None = None
        self._framed_text: bytes | None = None

    def frame(self) -> dict[str, Any]:
        ev = self.event
        data: dict[str, Any] = {"room": self.room, "seq": ev.seq, "kind": ev.kind, "data": ev.data}
        if ev.to != "all":
            data["to"] = ev.to
        return {"type": "event", "data": data}

    def binary(self) -> bytes:
        if self._binary is None:
            self._binary = msgpack.packb(self.frame(), use_bin_type=True)
        return self._binary

    def text(self) -> str:
        if self._text is None:
            self._text = encode_text(self.frame())
        return self._text

    def framed_binary(self) -> bytes:
        """The whole websocket frame, for writing straight to every member's socket."""
        if self._framed_binary is None:
            self._framed_binary = frame_payload(self.binary())
        return self._framed_binary

    def framed_text(self) -> bytes:
        if self._framed_text is None:
            self._framed_text = frame_payload(self.text())
        return self._framed_text
