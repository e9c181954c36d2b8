"""The storage contract. Both stores implement exactly this, and one contract test suite
runs against both; anything the server persists goes through here.

Scoping: every record that belongs to a tenant carries its ``app`` id, and every read
takes it, so a caller cannot ask for another app's data by guessing an id.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class AppRecord:
    id: str
    name: str
    created_at: float
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class KeyRecord:
    key_hash: str
    app: str
    prefix: str  # the first characters of the key, so an operator can tell keys apart
    created_at: float
    revoked_at: float | None = None


@dataclass(slots=True)
class RoomRecord:
    """A room's identity and lifecycle; its game state lives in snapshots and inputs."""

    id: str
    app: str
    group: str
    game: str
    status: str  # lobby | playing | finished | closed
    created_at: float
    updated_at: float
    round: int = 0


@dataclass(frozen=True, slots=True)
class StoredEvent:
    seq: int
    kind: str
    data: dict[str, Any]
    to: Any  # "all" | "bots" | list of player ids
    at: float


@dataclass(frozen=True, slots=True)
class BoardOp:
    """One change to one member's score on one board. ``board`` is app-relative."""

    board: str
    member: str
    op: Literal["incr", "set", "best"]
    value: float


@dataclass(frozen=True, slots=True)
class BoardEntry:
    member: str
    score: float
    rank: int  # 1-based; ties broken by who reached the score first


@dataclass(frozen=True, slots=True)
class ResultRecord:
    """A finished game (or a check-in). ``key`` makes applying it idempotent."""

    app: str
    key: str  # e.g. "room:<id>:<round>" or "checkin:<group>:<member>:<day>"
    group: str
    game: str
    at: float
    payload: dict[str, Any]
    ops: tuple[BoardOp, ...] = ()


class Store(abc.ABC):
    """Async storage contract. Implementations must make every method safe to call
    concurrently from many tasks of one process (and, for Redis, many processes)."""

    async def open(self) -> None:  # noqa: B027 - optional hook
        """Connect, create schema. Called once before use."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    # --- apps and keys -------------------------------------------------------------
    @abc.abstractmethod
    async def create_app(self, app: AppRecord) -> None: ...

    @abc.abstractmethod
    async def get_app(self, app_id: str) -> AppRecord | None: ...

    @abc.abstractmethod
    async def list_apps(self) -> list[AppRecord]: ...

    @abc.abstractmethod
    async def update_app_settings(self, app_id: str, settings: dict[str, Any]) -> None: ...

    @abc.abstractmethod
    async def add_key(self, key: KeyRecord) -> None: ...

    @abc.abstractmethod
    async def find_key(self, key_hash: str) -> KeyRecord | None: ...

    @abc.abstractmethod
    async def list_keys(self, app_id: str) -> list[KeyRecord]: ...

    @abc.abstractmethod
    async def revoke_key(self, key_hash: str, at: float) -> bool: ...

    @abc.abstractmethod
    async def get_secret(self, name: str, generate: bytes) -> bytes:
        """The server-wide secret ``name``; stores ``generate`` if none exists yet, so
        every node (and every restart) signs player tokens with the same secret."""

    # --- groups --------------------------------------------------------------------
    @abc.abstractmethod
    async def get_group_settings(self, app: str, group: str) -> dict[str, Any]: ...

    @abc.abstractmethod
    async def set_group_settings(self, app: str, group: str, settings: dict[str, Any]) -> None: ...

    @abc.abstractmethod
    async def remember(self, app: str, group: str, kind: str, item: str, at: float, keep: int) -> None:
        """Note that ``group`` used ``item`` (a word pair, a song) and keep the last ``keep``."""

    @abc.abstractmethod
    async def recent(self, app: str, group: str, kind: str) -> list[str]:
        """The remembered items, newest first."""

    # --- rooms ---------------------------------------------------------------------
    @abc.abstractmethod
    async def save_room(self, room: RoomRecord) -> None: ...

    @abc.abstractmethod
    async def get_room(self, app: str, room_id: str) -> RoomRecord | None: ...

    @abc.abstractmethod
    async def list_rooms(self, app: str, group: str | None = None, live_only: bool = False) -> list[RoomRecord]: ...

    @abc.abstractmethod
    async def live_rooms(self) -> list[RoomRecord]:
        """Every room of every app that is in the lobby or playing: what a restarted
        server loads back."""

    @abc.abstractmethod
    async def commit_step(
        self,
        room: RoomRecord,
        input_n: int,
        room_input: dict[str, Any],
        events: list[StoredEvent],
        snapshot: bytes | None,
    ) -> None:
        """Atomically: append input number ``input_n`` and its events to the room's logs,
        update the room record, and (if given) replace the snapshot, which then reflects
        every input up to ``input_n``."""

    @abc.abstractmethod
    async def load_room_state(self, room_id: str) -> tuple[int, bytes | None, list[dict[str, Any]]]:
        """(input number of the snapshot, the snapshot, the inputs after it in order)."""

    @abc.abstractmethod
    async def read_events(self, room_id: str, after: int, limit: int = 10_000) -> list[StoredEvent]: ...

    @abc.abstractmethod
    async def last_seq(self, room_id: str) -> int: ...

    # --- results and boards --------------------------------------------------------
    @abc.abstractmethod
    async def apply_result(self, result: ResultRecord) -> bool:
        """Record ``result`` and apply its board ops, exactly once per (app, key).
        Returns False (and changes nothing) when that key was already applied."""

    @abc.abstractmethod
    async def get_result(self, app: str, key: str) -> ResultRecord | None: ...

    @abc.abstractmethod
    async def board_top(self, app: str, board: str, limit: int = 10, offset: int = 0) -> list[BoardEntry]: ...

    @abc.abstractmethod
    async def board_rank(self, app: str, board: str, member: str) -> BoardEntry | None: ...

    @abc.abstractmethod
    async def board_size(self, app: str, board: str) -> int: ...

    # --- content packs -----------------------------------------------------------
    @abc.abstractmethod
    async def put_pack(self, app: str, kind: str, name: str, items: list[dict[str, Any]], at: float) -> None:
        """Store (or replace) an operator's pack of ``kind`` ("quiz", "spy", "song")."""

    @abc.abstractmethod
    async def list_packs(self, app: str, kind: str | None = None) -> list[dict[str, Any]]:
        """[{"kind", "name", "count", "at"}] for the app's packs."""

    @abc.abstractmethod
    async def pack_items(self, app: str, kind: str) -> list[dict[str, Any]]:
        """Every item of every pack of ``kind`` the app has loaded, in pack then item order."""

    @abc.abstractmethod
    async def delete_pack(self, app: str, kind: str, name: str) -> bool: ...

    # --- check-ins -----------------------------------------------------------------
    @abc.abstractmethod
    async def get_checkin(self, app: str, group: str, member: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    async def save_checkin(
        self, app: str, group: str, member: str, record: dict[str, Any], result: ResultRecord | None = None
    ) -> bool:
        """Save a member's check-in record and apply ``result`` in the same transaction, so
        a crash can never keep the check-in and lose its points (or the reverse). Returns
        False, changing nothing, when ``result`` was already applied."""
