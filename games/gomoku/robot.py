"""A simple robot opponent: pure, deterministic under the game's seed, two levels.

Level 1 ("easy") wins when it can, blocks an immediate five, and otherwise plays a
random cell next to the stones on the board: beatable by a beginner. Level 2 ("normal")
scores every cell near the stones by the lines it would make for itself and the lines
it would break for the opponent (the classic threat-counting evaluation) and plays the
best; it sees open fours and open threes, which is enough to beat a careless player.
Neither searches ahead: the point is a companion for a member playing alone and a
steady opponent for tests, not a strong engine.
"""
from __future__ import annotations

from games.gomoku.board import BLACK, DIRECTIONS, EMPTY, WHITE, at, inside, neighbours
from games.rng import Rng

LEVELS = (1, 2)

# Value of a line of n stones (the one to be placed included) with `open_ends` free ends.
_LINE_VALUE = {
    (5, 0): 1_000_000, (5, 1): 1_000_000, (5, 2): 1_000_000,
    (4, 2): 50_000, (4, 1): 5_000,
    (3, 2): 5_000, (3, 1): 300,
    (2, 2): 200, (2, 1): 20,
    (1, 2): 10, (1, 1): 1,
}


def _line(board: str, size: int, x: int, y: int, dx: int, dy: int, stone: str) -> tuple[int, int]:
    """Length and open ends of ``stone``'s line through (x, y) if it stood there."""
    length, open_ends = 1, 0
    for sign in (1, -1):
        cx, cy = x + sign * dx, y + sign * dy
        while inside(size, cx, cy) and at(board, size, cx, cy) == stone:
            length += 1
            cx, cy = cx + sign * dx, cy + sign * dy
        if inside(size, cx, cy) and at(board, size, cx, cy) == EMPTY:
            open_ends += 1
    return min(length, 5), open_ends


def _value(board: str, size: int, x: int, y: int, stone: str) -> int:
    total = 0
    for dx, dy in DIRECTIONS:
        length, open_ends = _line(board, size, x, y, dx, dy, stone)
        total += _LINE_VALUE.get((length, open_ends), 0)
    return total


def _candidates(board: str, size: int, distance: int) -> list[tuple[int, int]]:
    cells = sorted(neighbours(board, size, distance), key=lambda c: (c[1], c[0]))
    if not cells:
        centre = size // 2
        return [(centre, centre)]
    return cells


def choose(board: str, size: int, stone: str, level: int, rng: Rng) -> tuple[int, int]:
    """The robot's move for ``stone`` (``b`` or ``w``) on ``board``. The board has room."""
    other = WHITE if stone == BLACK else BLACK
    cells = _candidates(board, size, 1 if level <= 1 else 2)
    for target in (stone, other):  # win now, else stop the opponent's five
        for x, y in cells:
            if _value(board, size, x, y, target) >= 1_000_000:
                return x, y
    if level <= 1:
        return cells[rng.below(len(cells))]
    best: list[tuple[int, int]] = []
    best_score = -1
    for x, y in cells:
        score = _value(board, size, x, y, stone) + (_value(board, size, x, y, other) * 9) // 10
        if score > best_score:
            best, best_score = [(x, y)], score
        elif score == best_score:
            best.append((x, y))
    return best[rng.below(len(best))]
