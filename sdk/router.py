"""Event handlers by decorator, for bots that want their own wording instead of the bridge's.

    router = Router()

    @router.on("question", game="quiz")
    async def ask(event, ctx):
        await my_chat.send(ctx.group, event.data["text"])

    @router.on("game_over")
    async def done(event):
        ...

    await router.run(client)          # or: await router.dispatch(event) from your own loop

Like aiogram's routers: a handler takes the event (and, if it wants, a ``Context`` with the
client, the room's game and group), filters are keyword arguments, and routers nest with
``include``. Unlike aiogram, *every* matching handler runs (in registration order), because
one event often feeds several independent things (the group message, a DM, a log line).
A handler that raises is logged and the others still run.
"""
from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Iterable

log = logging.getLogger("campfire.router")

Handler = Callable[..., Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Context:
    client: Any
    room: str
    game: str | None
    group: str | None


@dataclass(frozen=True, slots=True)
class _Entry:
    fn: Handler
    kinds: frozenset[str] | None
    games: frozenset[str] | None
    private: bool | None
    where: Callable[[Any], bool] | None
    wants_context: bool

    def matches(self, event: Any, game: str | None) -> bool:
        if self.kinds is not None and event.kind not in self.kinds:
            return False
        if self.games is not None and game not in self.games:
            return False
        if self.private is not None and isinstance(event.to, list) != self.private:
            return False
        return self.where is None or bool(self.where(event))


def _as_set(value: str | Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset([value] if isinstance(value, str) else value)


class Router:
    def __init__(self, name: str = "") -> None:
        self.name = name
        self._entries: list[_Entry] = []
        self._children: list[Router] = []
        self._rooms: dict[str, tuple[str | None, str | None]] = {}  # room -> (game, group)
        self.client: Any = None

    def on(self, kind: str | Iterable[str] | None = None, *, game: str | Iterable[str] | None = None,
           private: bool | None = None, where: Callable[[Any], bool] | None = None) -> Callable[[Handler], Handler]:
        """Register a handler for events of ``kind`` (one, several, or None for all), in
        rooms of ``game``; ``private=True`` for events addressed to some members only (DMs),
        ``False`` for public ones; ``where`` is any extra predicate on the event."""
        def register(fn: Handler) -> Handler:
            params = [p for p in inspect.signature(fn).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            self._entries.append(_Entry(fn, _as_set(kind), _as_set(game), private, where, len(params) >= 2))
            return fn

        return register

    def include(self, router: "Router") -> "Router":
        self._children.append(router)
        return router

    def track(self, room: Any) -> None:
        """Tell the router a room's game and group (a ``Room`` from create_room/join)."""
        self._rooms[room.id] = (room.game, room.group)

    async def _room_info(self, event: Any) -> tuple[str | None, str | None]:
        if event.kind == "room_created":
            self._rooms[event.room] = (event.data.get("game"), event.data.get("group"))
        info = self._rooms.get(event.room)
        if info is None and self.client is not None:
            try:
                room = await self.client.room(event.room)
                info = self._rooms[event.room] = (room.game, room.group)
            except Exception:  # an unknown or foreign room: handle without a game
                log.debug("cannot look up room %s", event.room, exc_info=True)
        return info or (None, None)

    def _all_entries(self) -> list[_Entry]:
        out = list(self._entries)
        for child in self._children:
            out.extend(child._all_entries())
        return out

    async def dispatch(self, event: Any) -> int:
        """Run every matching handler; returns how many ran."""
        entries = self._all_entries()
        needs_info = any(e.games is not None or e.wants_context for e in entries)
        game, group = await self._room_info(event) if needs_info else (None, None)
        ran = 0
        for entry in entries:
            if not entry.matches(event, game):
                continue
            ran += 1
            try:
                if entry.wants_context:
                    await entry.fn(event, Context(self.client, event.room, game, group))
                else:
                    await entry.fn(event)
            except Exception:
                log.exception("handler %s failed on %s", getattr(entry.fn, "__name__", entry.fn), event.kind)
        return ran

    async def run(self, client: Any) -> None:
        """Dispatch every event of ``client`` until its stream ends."""
        self.client = client
        for child in self._children:
            child.client = client
        async for event in client.events():
            await self.dispatch(event)
