"""The game contract every Campfire game implements.

A game is a set of pure functions over a plain-data state::

    start(config, players, seed, now) -> Step        # a new game
    act(state, player, action, now)   -> Step | Refusal
    tick(state, now)                  -> Step        # called once now >= state["deadline"]
    view(state, viewer)               -> dict        # what that viewer may see

Why plain data: the state is what the server snapshots and what a second node loads to
take a room over, so it must survive msgpack/JSON unchanged. It holds its own random
generator state (``state["rng"]``) and its next deadline (``state["deadline"]``, epoch
seconds or None); the room runtime turns that deadline into a timer.

Why mutate in place: the runtime owns the state and applies one action at a time, so
copying on every move (thousands of quiz answers a second) buys nothing. The rule that
keeps this safe: ``act`` checks everything first and returns a ``Refusal`` *before*
changing anything, so a refused move leaves the state exactly as it was.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Protocol, Sequence, cast

State = dict[str, Any]

# Who receives an event: everyone in the room (players and spectators), only the app's
# bots (trusted relays), or a tuple of player ids (plus the bots, who relay privately).
Audience = Literal["all", "bots"] | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    to: Audience = "all"

    def is_public(self) -> bool:
        return self.to == "all"


@dataclass(slots=True)
class Step:
    """The outcome of a move or a tick: the (same, mutated) state and what happened."""

    state: State
    events: list[Event] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return bool(self.state.get("finished"))


@dataclass(frozen=True, slots=True)
class Refusal:
    """A move the rules refuse. ``code`` is stable and goes onto the wire unchanged."""

    code: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ConfigField:
    """One room setting: its type, default and bounds, validated before a game starts."""

    name: str
    type: type
    default: Any
    help_zh: str = ""
    help_en: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[Any, ...] | None = None
    optional: bool = False  # None is an accepted value (e.g. "use the default table")


@dataclass(frozen=True, slots=True)
class Content:
    """The items a game may draw from (questions, word pairs, songs), chosen by the server
    from the app's own packs or the built-in demo packs. ``recent`` are item ids this group
    used lately, newest first: a game avoids them while it has others to choose from, and
    records the ids it uses in ``state["content_used"]`` so the server can remember them."""

    items: tuple[dict[str, Any], ...] = ()
    recent: tuple[str, ...] = ()

    def fresh_first(self) -> list[dict[str, Any]]:
        """Items never used lately, then the least recently used ones (oldest first)."""
        age = {item_id: i for i, item_id in enumerate(self.recent)}
        fresh = [it for it in self.items if it.get("id") not in age]
        stale = sorted((it for it in self.items if it.get("id") in age), key=lambda it: -age[it["id"]])
        return fresh + stale


@dataclass(frozen=True, slots=True)
class GameMeta:
    name: str
    title_zh: str
    title_en: str
    min_players: int
    max_players: int
    usage_zh: str
    usage_en: str
    config: tuple[ConfigField, ...] = ()
    # Whether members may join after the game has started (quiz: yes; spy: no).
    late_join: bool = False
    # Which content-pack kind the game draws from ("quiz", "spy", "song"), if any.
    content_kind: str | None = None
    # How many recent item ids a group remembers for this game (spy: last 20 pairs).
    remember_recent: int = 0

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "min_players": self.min_players,
            "max_players": self.max_players,
            "usage": {"zh": self.usage_zh, "en": self.usage_en},
            "late_join": self.late_join,
            "config": [
                {
                    "name": f.name,
                    "type": f.type.__name__,
                    "default": f.default,
                    "help": {"zh": f.help_zh, "en": f.help_en},
                    **({"min": f.min} if f.min is not None else {}),
                    **({"max": f.max} if f.max is not None else {}),
                    **({"choices": list(f.choices)} if f.choices else {}),
                }
                for f in self.config
            ],
        }


class ConfigError(ValueError):
    """A room's settings do not fit the game's schema. ``problems`` names each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def resolve_config(meta: GameMeta, given: Mapping[str, Any] | None) -> dict[str, Any]:
    """Fill defaults and check types and bounds; unknown keys are an error, not ignored."""
    given = dict(given or {})
    problems: list[str] = []
    out: dict[str, Any] = {}
    known = {f.name for f in meta.config}
    for key in given:
        if key not in known:
            problems.append(f"unknown setting '{key}'")
    for f in meta.config:
        value = given.get(f.name, f.default)
        if value is None and (f.optional or f.default is None):
            out[f.name] = None
            continue
        if f.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if f.type is not bool and isinstance(value, bool) or not isinstance(value, f.type):
            problems.append(f"'{f.name}' must be {f.type.__name__}, got {type(value).__name__}")
            continue
        if isinstance(value, float) and not math.isfinite(value):  # NaN passes every comparison
            problems.append(f"'{f.name}' must be a finite number")
            continue
        if f.min is not None and cast(float, value) < f.min:
            problems.append(f"'{f.name}' must be at least {f.min}")
        elif f.max is not None and cast(float, value) > f.max:
            problems.append(f"'{f.name}' must be at most {f.max}")
        elif f.choices is not None and value not in f.choices:
            problems.append(f"'{f.name}' must be one of {list(f.choices)}")
        out[f.name] = value
    if problems:
        raise ConfigError(problems)
    return out


class Game(Protocol):
    """What the registry holds. Implementations are modules or plain objects."""

    meta: GameMeta

    def start(self, config: dict[str, Any], players: Sequence[str], seed: int, now: float,
              content: Content) -> Step: ...

    def act(self, state: State, player: str, action: Mapping[str, Any], now: float) -> Step | Refusal: ...

    def tick(self, state: State, now: float) -> Step: ...

    def view(self, state: State, viewer: str | None) -> dict[str, Any]: ...

    def join(self, state: State, player: str, now: float) -> Step | Refusal:
        """A member joins a running game (only called when ``meta.late_join``)."""
        ...

    def result(self, state: State) -> "GameResult": ...

    def validate_item(self, item: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Problems with one content-pack item, as (field, reason); empty when it is good."""
        ...


@dataclass(frozen=True, slots=True)
class PlayerResult:
    player: str
    score: int
    rank: int
    won: bool = False
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GameResult:
    """What a finished game hands to boards and activity: applied once per room and round."""

    game: str
    players: tuple[PlayerResult, ...]
    summary: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "game": self.game,
            "players": [
                {"player": p.player, "score": p.score, "rank": p.rank, "won": p.won, "stats": p.stats}
                for p in self.players
            ],
            "summary": self.summary,
        }


def refuse(code: str, message: str, **data: Any) -> Refusal:
    return Refusal(code, message, data)


def rank_by_score(scores: Mapping[str, int], order: Sequence[str]) -> list[tuple[str, int, int]]:
    """Competition ranking (1, 2, 2, 4); ties keep ``order`` (who got there first)."""
    position = {p: i for i, p in enumerate(order)}
    ordered = sorted(scores, key=lambda p: (-scores[p], position.get(p, len(position))))
    out: list[tuple[str, int, int]] = []
    prev_score: int | None = None
    prev_rank = 0
    for i, p in enumerate(ordered, start=1):
        rank = prev_rank if scores[p] == prev_score else i
        out.append((p, scores[p], rank))
        prev_score, prev_rank = scores[p], rank
    return out
