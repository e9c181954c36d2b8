"""How long content lasts for a group playing once a day: the simulation behind docs/packs.md."""
from __future__ import annotations

from typing import Any

from games.content_days import builtin_table, days_until_repeat


def pair(n: int) -> dict[str, Any]:
    return {"id": f"p{n}", "lang": "en", "words": [f"w{n}a", f"w{n}b"], "category": "other", "difficulty": 1}


def test_a_pack_of_n_spy_pairs_lasts_nearly_n_games_before_a_repeat() -> None:
    days, per_game = days_until_repeat("spy", [pair(n) for n in range(30)], {"lang": "en"},
                                       ["ann", "bob", "cat", "dan"], limit=100)
    assert per_game == 1
    assert 27 <= days <= 30  # the window covers 27 of 30 pairs; the last three are drawn at random


def test_the_built_in_packs_last_a_season() -> None:
    rows = {(r.game, r.setting): r for r in builtin_table(limit=400)}
    assert rows[("spy", "zh")].days >= 60 and rows[("spy", "en")].days >= 60
    assert rows[("quiz", "zh")].days >= 120 and rows[("quiz", "en")].days >= 120
    assert rows[("song", "all")].days >= 12
    assert all(r.per_game >= 1 for r in rows.values())
