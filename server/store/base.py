"""The storage contract. Both stores implement exactly this, and one contract test suite
runs against both; anything the server persists goes through here.

Scoping: every record that belongs to a tenant carries its ``app`` id, and every read
takes it, so a caller cannot ask for another app's data by guessing an id.
"""
from __future__ import annotations

import abc
import base64
from dataclasses import dataclass, field
from typing import Any, Literal


class Fenced(Exception):
    """A room commit refused because the room's fencing epoch moved on: another node owns
    the room now, and this one must stand down (server/nodes/leases.py)."""


@dataclass(frozen=True, slots=True)
class AppRecord:
    id: str
    name: str
    created_at: float
    settings: dict[str, Any] = field(default_factory=dict)
    version: int = 0  # of ``settings``: pass it back to ``update_app_settings`` to change them safely


class Conflict(Exception):
    """A versioned write found the record changed since the caller read it: nothing was
    written. Read again, re-run the change on the fresh record, and write again
    (server/records.py does exactly that)."""


class GroupBusy(Exception):
    """``create_room`` refused: the group already has a live room, ``room``."""

    def __init__(self, room: str) -> None:
        super().__init__(f"the group already has a live room {room!r}")
        self.room = room


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
class Act:
    """Weighted activity points one member earned at ``at`` (``day`` is the group's local
    ISO date). ``n`` counts the acts folded into it (a batch of messages)."""

    member: str
    kind: str  # checkin | played | won | message | invite
    points: float
    at: float
    day: str
    n: int = 1


@dataclass(frozen=True, slots=True)
class Membership:
    """A fact about who belongs to a group: ``join`` (``by`` = who invited them), ``leave``,
    or ``seen`` (first sign of life, no other change)."""

    member: str
    kind: str  # join | leave | seen
    at: float
    by: str | None = None


@dataclass(frozen=True, slots=True)
class ResultRecord:
    """A finished game (or a check-in, or a bot's activity batch). ``key`` makes applying
    it idempotent: everything below is applied together, exactly once.

    ``acts`` add decayed activity to each member and to the group, and to the group's daily
    rows; ``players`` (a game's players) count one co-play for every pair of them and credit
    the ``invite_points`` to whoever invited a player who had not played before."""

    app: str
    key: str  # e.g. "room:<id>:<round>" or "checkin:<group>:<member>:<day>"
    group: str
    game: str
    at: float
    payload: dict[str, Any]
    ops: tuple[BoardOp, ...] = ()
    day: str = ""
    acts: tuple[Act, ...] = ()
    players: tuple[str, ...] = ()
    members: tuple[Membership, ...] = ()
    invite_points: float = 0.0
    half_life: float = 7 * 86_400.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "app": self.app, "key": self.key, "group": self.group, "game": self.game, "at": self.at,
            "payload": self.payload, "ops": [[o.board, o.member, o.op, o.value] for o in self.ops],
            "day": self.day, "acts": [[a.member, a.kind, a.points, a.at, a.day, a.n] for a in self.acts],
            "players": list(self.players), "members": [[m.member, m.kind, m.at, m.by] for m in self.members],
            "invite_points": self.invite_points, "half_life": self.half_life,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ResultRecord":
        return cls(
            app=d["app"], key=d["key"], group=d["group"], game=d["game"], at=d["at"], payload=d["payload"],
            ops=tuple(BoardOp(*o) for o in d.get("ops", ())), day=d.get("day", ""),
            acts=tuple(Act(*a) for a in d.get("acts", ())), players=tuple(d.get("players", ())),
            members=tuple(Membership(*m) for m in d.get("members", ())),
            invite_points=d.get("invite_points", 0.0), half_life=d.get("half_life", 7 * 86_400.0),
        )


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line of a group's activity log, kept so health figures can be recomputed for any
    instant, any weights and any timezone: an act (``member``, ``kind``, ``n`` acts folded
    in, the ``points`` credited when it was applied) or, with ``kind == "game"``, one
    finished game and its ``players`` (for co-play that decays)."""

    at: float
    kind: str  # an act kind (checkin | played | won | message | invite) or "game"
    member: str = ""
    n: int = 1
    points: float = 0.0
    players: tuple[str, ...] = ()


def pair_key(a: str, b: str) -> str:
    """The co-play counter key of two members, the same whichever order they come in."""
    x, y = (a, b) if a <= b else (b, a)
    return f"{x}\x1f{y}"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """Cursors are opaque to clients; a malformed one raises ValueError."""
    if not cursor:
        return 0
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    if not raw.startswith("o") or not raw[1:].isdigit():
        raise ValueError("bad cursor")
    return int(raw[1:])


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
    async def update_app_settings(self, app_id: str, settings: dict[str, Any], version: int | None = None) -> None:
        """Replace the app's settings. With ``version`` (``AppRecord.version`` as read), only
        if nobody changed them since: raises Conflict otherwise. A missing app is left alone."""

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
    async def load_group_settings(self, app: str, group: str) -> tuple[dict[str, Any], int]:
        """The group's settings and their version (0 when never set), read together."""

    @abc.abstractmethod
    async def set_group_settings(self, app: str, group: str, settings: dict[str, Any],
                                 version: int | None = None) -> None:
        """Replace the group's settings. With ``version`` (from ``load_group_settings``), only
        if nobody changed them since: raises Conflict otherwise."""

    @abc.abstractmethod
    async def remember(self, app: str, group: str, kind: str, item: str, at: float, keep: int) -> None:
        """Note that ``group`` used ``item`` (a word pair, a song) and keep the last ``keep``."""

    @abc.abstractmethod
    async def recent(self, app: str, group: str, kind: str) -> list[str]:
        """The remembered items, newest first."""

    # --- rooms ---------------------------------------------------------------------
    @abc.abstractmethod
    async def create_room(self, room: RoomRecord, *, exclusive: bool, key: str | None = None,
                          key_ttl: float = 86_400.0) -> tuple[RoomRecord, bool]:
        """Register a new room in one atomic step, across every process on the store.

        With ``key``, a create the app already made under that key within ``key_ttl``
        seconds returns that room instead: ``(its record, False)``. With ``exclusive``,
        raises GroupBusy when the group has a live (lobby or playing) room. Otherwise saves
        ``room`` and returns ``(room, True)``. The group is free again as soon as its room's
        status is written as finished or closed (``commit_step``, ``save_room``)."""

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
        epoch: int = 0,
    ) -> None:
        """Atomically: append input number ``input_n`` and its events to the room's logs,
        update the room record, and (if given) replace the snapshot, which then reflects
        every input up to ``input_n``. A store shared by several nodes first checks that the
        room's fencing ``epoch`` is still ``epoch`` and raises Fenced, writing nothing, if not."""

    @abc.abstractmethod
    async def load_room_state(self, room_id: str) -> tuple[int, bytes | None, list[dict[str, Any]]]:
        """(input number of the snapshot, the snapshot, the inputs after it in order)."""

    @abc.abstractmethod
    async def read_events(self, room_id: str, after: int, limit: int = 10_000) -> list[StoredEvent]: ...

    @abc.abstractmethod
    async def last_seq(self, room_id: str) -> int: ...

    @abc.abstractmethod
    async def prune_room_logs(self, before: float) -> int:
        """Log retention: for every finished or closed room last updated before ``before``,
        delete its event log but its last event (so ``last_seq`` and a later round's numbering
        hold) and mark the room pruned. Live and quarantined rooms (kept for a post-mortem)
        are never touched; results, boards and activity live elsewhere and stay. Inputs a
        snapshot covers are already dropped at each snapshot; those after it are what rebuilds
        the room, so they stay. Idempotent (several nodes may run it at once). Returns how
        many rooms lost events."""

    @abc.abstractmethod
    async def first_seq(self, room_id: str) -> int:
        """The oldest event number the room's log still holds (0 when empty): a resume from
        before it cannot be replayed."""

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

    @abc.abstractmethod
    async def board_entries(self, app: str, board: str, members: list[str]) -> list[BoardEntry]:
        """Board-wide entries of those ``members`` that are on the board, in rank order."""

    @abc.abstractmethod
    async def list_boards(self, app: str, prefix: str = "") -> list[str]:
        """Every board id of the app starting with ``prefix``, sorted."""

    async def board_page(self, app: str, board: str, limit: int = 10,
                         cursor: str | None = None) -> tuple[list[BoardEntry], str | None]:
        """One page of the board from ``cursor`` (None: the top) and the next page's cursor
        (None at the end). Raises ValueError on a malformed cursor."""
        offset = decode_cursor(cursor)
        entries = await self.board_top(app, board, limit + 1, offset)
        more = len(entries) > limit
        return entries[:limit], encode_cursor(offset + limit) if more else None

    async def board_around(self, app: str, board: str, member: str, before: int = 2,
                           after: int = 2) -> list[BoardEntry]:
        """The member's entry with up to ``before`` entries above and ``after`` below."""
        me = await self.board_rank(app, board, member)
        if me is None:
            return []
        start = max(0, me.rank - 1 - before)
        return await self.board_top(app, board, me.rank - 1 - start + 1 + after, start)

    async def board_within(self, app: str, board: str, members: list[str]) -> list[BoardEntry]:
        """The ranking among ``members`` only (friends, co-players): ranks 1..k in board order;
        members without a score are left out."""
        entries = await self.board_entries(app, board, list(dict.fromkeys(members)))
        return [BoardEntry(e.member, e.score, i + 1) for i, e in enumerate(entries)]

    # --- activity and the facts health figures are computed from ---------------------
    @abc.abstractmethod
    async def activity_top(self, app: str, scope: str, now: float, limit: int = 10,
                           offset: int = 0) -> list[BoardEntry]:
        """Decayed activity at ``now``, highest first. ``scope`` ``g/<group>`` ranks the group's
        members; ``app`` ranks the app's groups."""

    @abc.abstractmethod
    async def activity_of(self, app: str, scope: str, member: str, now: float) -> BoardEntry | None: ...

    @abc.abstractmethod
    async def daily_activity(self, app: str, group: str, first: str, last: str) -> dict[str, dict[str, float]]:
        """{ISO day: {member: points}} for days ``first``..``last`` (inclusive) with any activity."""

    @abc.abstractmethod
    async def group_members(self, app: str, group: str) -> dict[str, dict[str, Any]]:
        """{member: {"first": at, "left": at | None, "invited_by": str | None, "credited": bool}}."""

    @abc.abstractmethod
    async def coplay_pairs(self, app: str, group: str) -> dict[tuple[str, str], int]:
        """{(a, b) with a < b: number of finished games they played together}."""

    @abc.abstractmethod
    async def activity_log(self, app: str, group: str, since: float, until: float) -> list[LogEntry]:
        """The group's log entries with ``since <= at <= until``, oldest first. Written by
        ``apply_result`` in the same atomic step as everything else: one entry per act
        (invitation credit included) and one ``game`` entry per result with players."""

    @abc.abstractmethod
    async def activity_span(self, app: str, group: str, until: float) -> tuple[float, float] | None:
        """(first, last) ``at`` of the group's log entries at or before ``until``; None if none."""

    @abc.abstractmethod
    async def activity_groups(self, app: str) -> list[str]:
        """Every group of the app with at least one log entry, sorted."""

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
    async def load_checkin(self, app: str, group: str, member: str) -> tuple[dict[str, Any] | None, int]:
        """The member's check-in record and its version (0 when there is none), read together."""

    @abc.abstractmethod
    async def save_checkin(
        self, app: str, group: str, member: str, record: dict[str, Any], result: ResultRecord | None = None,
        version: int | None = None,
    ) -> bool:
        """Save a member's check-in record and apply ``result`` in the same transaction, so
        a crash can never keep the check-in and lose its points (or the reverse). With
        ``version`` (from ``load_checkin``), only if the record is still that version:
        raises Conflict, changing nothing, otherwise. Returns False, changing nothing, when
        ``result`` was already applied."""
