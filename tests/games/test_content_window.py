"""The recent-content window follows the pack: a share of its size, unless a group sets one."""
from __future__ import annotations

import pytest

from games.content_window import RECENT_SHARE, recent_window


@pytest.mark.parametrize(("size", "window"), [(0, 0), (1, 0), (10, 9), (40, 36), (100, 90), (1000, 900)])
def test_by_default_a_group_avoids_most_of_its_pack(size: int, window: int) -> None:
    assert recent_window(size) == window


def test_the_default_share_is_most_of_the_pack() -> None:
    assert 0.8 <= RECENT_SHARE < 1


@pytest.mark.parametrize(("setting", "window"), [(0, 0), (20, 20), (5000, 1000), (0.5, 500), (0.25, 250)])
def test_a_group_setting_is_a_count_or_a_share(setting: float, window: int) -> None:
    assert recent_window(1000, setting) == window


@pytest.mark.parametrize("nonsense", [None, True, "x", -1.5, [3]])
def test_a_missing_or_odd_setting_falls_back_to_the_share(nonsense: object) -> None:
    expected = 0 if isinstance(nonsense, float) else 900
    assert recent_window(1000, nonsense) == expected
