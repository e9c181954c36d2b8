"""How long the built-in content lasts: one game a day for one group, until the first repeat.

The simulation runs each game's real ``start`` with the content the room runtime would give
it: every item of the kind, and the group's recent ids cut to the window that
``games.content_window.recent_window`` allows (most of the pack). A day's ids are then
remembered, newest first, the way the store keeps them. It counts the days (games) until a
day draws an item the group has already seen.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from games.base import Content
from games.content import builtin_items
from games.content_window import recent_window
from games.registry import get_game

T0 = 1_700_000_000.0


@dataclass(frozen=True, slots=True)
class Lasting:
    game: str
    setting: str
    pack: int  # items the game can draw from with this setting
    per_game: int  # items one game uses
    days: int  # days (one game a day) before the first repeat; == limit when none was seen


def days_until_repeat(game_name: str, items: Sequence[Mapping[str, Any]], config: Mapping[str, Any],
                      players: Sequence[str], limit: int = 1000, seed: int = 1) -> tuple[int, int]:
    """(days before the first repeat, items per game) for one group playing once a day."""
    game: Any = get_game(game_name)
    window = recent_window(len(items))
    memory: list[str] = []
    seen: set[str] = set()
    per_game = 0
    for day in range(limit):
        content = Content(tuple(dict(it) for it in items), tuple(memory[:window]))
        state = game.start(dict(config), list(players), seed + day, T0 + day * 86_400.0, content).state
        used = list(state["content_used"])
        per_game = max(per_game, len(used))
        if seen.intersection(used):
            return day, per_game
        seen.update(used)
        for item_id in used:
            if item_id in memory:
                memory.remove(item_id)
            memory.insert(0, item_id)
        del memory[window:]
    return limit, per_game


def builtin_table(limit: int = 1000) -> list[Lasting]:
    """The built-in packs, per game and language, with each game's default settings."""
    rows = []
    plans: list[tuple[str, str, dict[str, Any], list[str], Any]] = [
        ("quiz", "zh", {"lang": "zh"}, ["ann"], lambda it: it.get("lang") == "zh"),
        ("quiz", "en", {"lang": "en"}, ["ann"], lambda it: it.get("lang") == "en"),
        ("song", "all", {}, ["ann", "bob"], lambda it: True),
        ("spy", "zh", {"lang": "zh"}, ["ann", "bob", "cat", "dan"], lambda it: it.get("lang") == "zh"),
        ("spy", "en", {"lang": "en"}, ["ann", "bob", "cat", "dan"], lambda it: it.get("lang") == "en"),
    ]
    for game, setting, config, players, fits in plans:
        items = builtin_items(game)
        days, per_game = days_until_repeat(game, items, config, players, limit)
        rows.append(Lasting(game, setting, sum(1 for it in items if fits(it)), per_game, days))
    return rows


def main() -> None:
    print(f"{'game':<6} {'lang':<5} {'items':>6} {'per game':>9} {'days before a repeat':>21}")
    for row in builtin_table():
        print(f"{row.game:<6} {row.setting:<5} {row.pack:>6} {row.per_game:>9} {row.days:>21}")


if __name__ == "__main__":
    main()
