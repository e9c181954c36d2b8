"""Typed views of what the server sends. Unknown fields are kept in ``raw`` so a newer
server never breaks an older SDK."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Member:
    player: str
    name: str


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    group: str
    game: str
    status: str  # lobby | playing | finished | closed
    round: int = 0
    seq: int = 0
    players: tuple[Member, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    lang: str = "zh"

    @classmethod
    def from_wire(cls, d: dict[str, Any]) -> "Room":
        return cls(
            id=d["id"], group=d["group"], game=d["game"], status=d["status"], round=d.get("round", 0),
            seq=d.get("seq", 0), players=tuple(Member(p["player"], p["name"]) for p in d.get("players", [])),
            config=d.get("config", {}), lang=d.get("lang", "zh"),
        )


@dataclass(frozen=True, slots=True)
class PlayerResult:
    player: str
    score: int
    rank: int
    won: bool
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GameResult:
    game: str
    round: int
    players: tuple[PlayerResult, ...]
    summary: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_wire(cls, d: dict[str, Any], round_no: int = 0) -> "GameResult":
        return cls(d["game"], round_no, tuple(
            PlayerResult(p["player"], p["score"], p["rank"], p.get("won", False), p.get("stats", {}))
            for p in d["players"]), d.get("summary", {}))

    @property
    def winners(self) -> list[str]:
        return [p.player for p in self.players if p.won]


@dataclass(frozen=True, slots=True)
class Event:
    """One event of a room's log. ``to`` is None for everyone, "bots" for bots only, or the
    list of members it is private to (a bot relays those as direct messages)."""

    room: str
    seq: int
    kind: str
    data: dict[str, Any]
    to: list[str] | str | None = None

    @property
    def private(self) -> bool:
        return isinstance(self.to, list)

    @property
    def result(self) -> GameResult | None:
        """The game's result, on a ``game_over`` event."""
        if self.kind != "game_over":
            return None
        return GameResult.from_wire(self.data["result"], self.data.get("round", 0))

    @classmethod
    def from_wire(cls, d: dict[str, Any]) -> "Event":
        return cls(d["room"], d["seq"], d["kind"], d.get("data", {}), d.get("to"))


@dataclass(frozen=True, slots=True)
class BoardEntry:
    member: str
    score: float
    rank: int


@dataclass(frozen=True, slots=True)
class CheckinResult:
    member: str
    already: bool
    day: str
    streak: int
    longest: int
    points: int
    total_points: int
    total_days: int
    cards_left: int
    message: dict[str, str]
    made_up: bool = False

    @classmethod
    def from_wire(cls, d: dict[str, Any]) -> "CheckinResult":
        return cls(d["member"], d["already"], d["day"], d["streak"], d["longest"], d["points"],
                   d["total_points"], d["total_days"], d["cards_left"], d["message"], d.get("made_up", False))
