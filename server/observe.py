"""What the room runtime tells the outside world about: rooms created, started, finished and
expired, check-ins, commit times and store failures.

Why a Protocol with no-op defaults: the runtime must not know about metrics, logs or webhooks
(dependencies point inward, docs/ARCHITECTURE.md), yet each of them wants these moments. The
runtime calls one ``RoomObserver``; the app hands it a ``Fanout`` of the edges it runs. An
observer must return quickly and never raise: it runs inside a room's lock.
"""
from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger("campfire.observe")


class RoomView(Protocol):
    """What observers may read of a room (server/rooms.py:Room satisfies it)."""

    @property
    def id(self) -> str: ...

    record: Any
    data: dict[str, Any]


class RoomObserver:
    """Every hook, doing nothing. Subclass and override the moments you care about."""

    def room_created(self, room: RoomView) -> None:
        """A room was committed in the lobby."""

    def room_started(self, room: RoomView) -> None:
        """A room's game started."""

    def room_finished(self, room: RoomView, result: dict[str, Any]) -> None:
        """The game's result record (``ResultRecord.to_dict()``) was applied to boards and activity."""

    def room_expired(self, room: RoomView, reason: str) -> None:
        """A room ended without a result (a lifetime ran out, it was abandoned)."""

    def checkin(self, app: str, group: str, member: str, data: dict[str, Any]) -> None:
        """A member checked in (``data`` is what the check-in reply carried)."""

    def commit_took(self, seconds: float) -> None:
        """One room step was written to the store in ``seconds``."""

    def store_error(self, operation: str, exc: BaseException) -> None:
        """The store failed during ``operation``; ``exc`` is the cause."""


class Fanout(RoomObserver):
    """Calls each observer in turn; one that raises is logged and the others still run."""

    def __init__(self, *observers: RoomObserver) -> None:
        self.observers = list(observers)

    def add(self, observer: RoomObserver) -> None:
        self.observers.append(observer)

    def _each(self, name: str, *args: Any) -> None:
        for observer in self.observers:
            try:
                getattr(observer, name)(*args)
            except Exception:  # an observer's bug must never fail a room step
                log.exception("observer %s failed in %s", type(observer).__name__, name)

    def room_created(self, room: RoomView) -> None:
        self._each("room_created", room)

    def room_started(self, room: RoomView) -> None:
        self._each("room_started", room)

    def room_finished(self, room: RoomView, result: dict[str, Any]) -> None:
        self._each("room_finished", room, result)

    def room_expired(self, room: RoomView, reason: str) -> None:
        self._each("room_expired", room, reason)

    def checkin(self, app: str, group: str, member: str, data: dict[str, Any]) -> None:
        self._each("checkin", app, group, member, data)

    def commit_took(self, seconds: float) -> None:
        self._each("commit_took", seconds)

    def store_error(self, operation: str, exc: BaseException) -> None:
        self._each("store_error", operation, exc)
