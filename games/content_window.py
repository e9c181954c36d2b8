"""How much recent content a group avoids: a share of its packs, not a fixed count.

A fixed count points the wrong way for most packs: 20 remembered pairs out of 700 repeat a
pair within weeks, 200 remembered questions out of 40 make the setting meaningless. By
default a group does not see an item again until it has seen ``RECENT_SHARE`` of what its
packs hold; the last tenth stays fresh so the next game still draws at random rather than
replaying the oldest items in order.

The group setting ``recent`` (per game) overrides the share: an integer is a count of items
(0 turns memory off), a number between 0 and 1 is a share of the pack.
"""
from __future__ import annotations

import math

RECENT_SHARE = 0.9


def recent_window(pack_size: int, setting: object = None, share: float = RECENT_SHARE) -> int:
    """How many of the most recently used items a group avoids, for a pack of ``pack_size``
    items and the group's ``recent`` setting for the game (None when unset)."""
    size = max(0, int(pack_size))
    if isinstance(setting, bool):
        setting = None
    if isinstance(setting, float) and 0 < setting < 1:
        share, setting = setting, None
    if isinstance(setting, (int, float)):
        return max(0, min(int(setting), size))
    return min(size, math.floor(size * share))
