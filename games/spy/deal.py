"""Setting a game up: how many of each role, which word pair, who gets what.

Kept apart from the turn-by-turn rules because the pack validator and the room settings
page need these answers without running a game.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from games.base import ConfigError, Content
from games.rng import Rng
from games.spy.review import pair_problems
from games.text import fold

MIN_PLAYERS = 4
MAX_PLAYERS = 12

# players -> (civilians, spies, blanks); the table.
DEFAULT_ROLES: dict[int, tuple[int, int, int]] = {
    4: (3, 1, 0), 5: (3, 1, 1), 6: (4, 1, 1), 7: (4, 2, 1), 8: (5, 2, 1),
    9: (6, 2, 1), 10: (6, 3, 1), 11: (7, 3, 1), 12: (8, 3, 1),
}

CATEGORIES = ("food", "places", "objects", "people", "animals", "nature", "activities",
              "culture", "jobs", "tech", "other")
LANGS = ("zh", "en")
DIFFICULTIES = (1, 2, 3)

CIVILIAN, SPY, BLANK = "civilian", "spy", "blank"


def role_counts(n_players: int, spies: int | None = None, blanks: int | None = None) -> tuple[int, int, int]:
    """(civilians, spies, blanks) for a room; overrides must leave civilians > spies."""
    if not MIN_PLAYERS <= n_players <= MAX_PLAYERS:
        raise ConfigError([f"Who's the Spy needs {MIN_PLAYERS} to {MAX_PLAYERS} players, got {n_players}"])
    _, default_spies, default_blanks = DEFAULT_ROLES[n_players]
    s = default_spies if spies is None else spies
    b = default_blanks if blanks is None else blanks
    c = n_players - s - b
    if s < 1:
        raise ConfigError(["there must be at least one spy"])
    if b < 0:
        raise ConfigError(["blanks cannot be negative"])
    if c <= s:
        raise ConfigError([f"{s} spies and {b} blank(s) among {n_players} players leave {c} civilians; "
                           "civilians must outnumber spies"])
    return c, s, b


def validate_item(item: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every problem with one word-pair item, so a pack author can fix them all at once."""
    problems: list[tuple[str, str]] = []
    if not isinstance(item, Mapping):
        return [("item", "must be an object")]
    item_id = item.get("id")
    if not isinstance(item_id, str) or not item_id.strip():
        problems.append(("id", "must be a non-empty string"))
    if item.get("lang") not in LANGS:
        problems.append(("lang", f"must be one of {list(LANGS)}"))
    words = item.get("words")
    if not isinstance(words, list) or len(words) != 2:
        problems.append(("words", "must be a list of exactly two words"))
    else:
        for i, w in enumerate(words):
            if not isinstance(w, str) or not fold(w):
                problems.append((f"words[{i}]", "must be a non-empty word"))
        if all(isinstance(w, str) and fold(w) for w in words) and fold(words[0]) == fold(words[1]):
            problems.append(("words", "the two words must be different"))
        elif all(isinstance(w, str) and fold(w) for w in words):
            problems.extend(("words", reason) for reason in pair_problems(words))
    if item.get("category") not in CATEGORIES:
        problems.append(("category", f"must be one of {list(CATEGORIES)}"))
    difficulty = item.get("difficulty")
    if isinstance(difficulty, bool) or difficulty not in DIFFICULTIES:
        problems.append(("difficulty", "must be 1, 2 or 3"))
    return problems


def pick_pair(content: Content, rng: Rng, lang: str | None = None) -> dict[str, Any]:
    """A random pair among those the group has not had lately; the least recent otherwise.

    Items that fail ``validate_item`` are skipped rather than crashing a room."""
    recent = set(content.recent)
    pool = [it for it in content.fresh_first()
            if not validate_item(it) and (lang is None or it.get("lang") == lang)]
    if not pool:
        raise ConfigError(["no usable word pairs" + (f" in language '{lang}'" if lang else "")])
    fresh = [it for it in pool if it["id"] not in recent]
    return rng.choice(fresh) if fresh else pool[0]


def deal_roles(players: Sequence[str], counts: tuple[int, int, int], rng: Rng) -> dict[str, str]:
    civilians, spies, blanks = counts
    seats = list(players)
    rng.shuffle(seats)
    roles = {p: SPY for p in seats[:spies]}
    roles.update({p: BLANK for p in seats[spies:spies + blanks]})
    roles.update({p: CIVILIAN for p in seats[spies + blanks:]})
    return {p: roles[p] for p in players}
