"""The gomoku board as pure functions: coordinates, placing, and finding a winning line.

The board is a string of ``size * size`` cells (``.`` empty, ``b`` black, ``w`` white),
row by row from the top. A string because it snapshots to msgpack/JSON as one small
value and copies for free; every change builds a new string, which at 225 cells costs
nothing next to a network round trip.

Coordinates follow the go/gomoku convention players type in chat: a column letter
A–O (left to right, no letter skipped) and a row number 1–15 counted from the bottom,
so ``H8`` is the centre of a 15×15 board. Internally a cell is ``(x, y)`` with x the
column index and y the row index from the top.
"""
from __future__ import annotations

import re
from typing import Iterator

EMPTY, BLACK, WHITE = ".", "b", "w"
DIRECTIONS = ((1, 0), (0, 1), (1, 1), (1, -1))  # →, ↓, ↘, ↗

_COORD = re.compile(r"^\s*(?:([a-z])\s*(\d{1,2})|(\d{1,2})\s*([a-z]))\s*$", re.IGNORECASE)


def empty(size: int) -> str:
    return EMPTY * (size * size)


def at(board: str, size: int, x: int, y: int) -> str:
    return board[y * size + x]


def place(board: str, size: int, x: int, y: int, stone: str) -> str:
    i = y * size + x
    return board[:i] + stone + board[i + 1:]


def inside(size: int, x: int, y: int) -> bool:
    return 0 <= x < size and 0 <= y < size


def parse(text: str, size: int) -> tuple[int, int] | None:
    """``H8``, ``h 8`` or ``8H`` → (x, y); None when it is not a cell of this board."""
    m = _COORD.match(text)
    if m is None:
        return None
    letter = (m.group(1) or m.group(4)).upper()
    number = int(m.group(2) or m.group(3))
    x = ord(letter) - ord("A")
    y = size - number
    return (x, y) if inside(size, x, y) else None


def name(x: int, y: int, size: int) -> str:
    """(x, y) → ``H8``."""
    return f"{chr(ord('A') + x)}{size - y}"


def run_through(board: str, size: int, x: int, y: int, dx: int, dy: int) -> list[tuple[int, int]]:
    """The unbroken line of the stone at (x, y) along one direction, both ways, in order."""
    stone = at(board, size, x, y)
    back: list[tuple[int, int]] = []
    cx, cy = x - dx, y - dy
    while inside(size, cx, cy) and at(board, size, cx, cy) == stone:
        back.append((cx, cy))
        cx, cy = cx - dx, cy - dy
    ahead: list[tuple[int, int]] = []
    cx, cy = x + dx, y + dy
    while inside(size, cx, cy) and at(board, size, cx, cy) == stone:
        ahead.append((cx, cy))
        cx, cy = cx + dx, cy + dy
    return list(reversed(back)) + [(x, y)] + ahead


def winning_line(board: str, size: int, x: int, y: int, exact: bool) -> list[tuple[int, int]] | None:
    """The line the stone just placed at (x, y) completes, or None.

    Freestyle: five or more in a row wins. ``exact``: exactly five; an overline (six or
    more) does not count, as in the "standard gomoku" rule many clubs play.
    """
    for dx, dy in DIRECTIONS:
        line = run_through(board, size, x, y, dx, dy)
        if len(line) == 5 or (len(line) > 5 and not exact):
            return line
    return None


def neighbours(board: str, size: int, distance: int = 1) -> Iterator[tuple[int, int]]:
    """Empty cells within ``distance`` of a stone: where a sensible move is played."""
    seen: set[tuple[int, int]] = set()
    for i, cell in enumerate(board):
        if cell == EMPTY:
            continue
        sx, sy = i % size, i // size
        for dy in range(-distance, distance + 1):
            for dx in range(-distance, distance + 1):
                cx, cy = sx + dx, sy + dy
                if (cx, cy) not in seen and inside(size, cx, cy) and at(board, size, cx, cy) == EMPTY:
                    seen.add((cx, cy))
                    yield cx, cy


def render(board: str, size: int, last: tuple[int, int] | None = None) -> str:
    """The board as monospaced text for chats that cannot show a page: ``●`` black,
    ``○`` white, ``+`` empty; the last stone in brackets is not possible in one column,
    so it is drawn as ``◆``/``◇``."""
    header = "   " + " ".join(chr(ord("A") + x) for x in range(size))
    lines = [header]
    for y in range(size):
        cells = []
        for x in range(size):
            stone = at(board, size, x, y)
            is_last = last is not None and (x, y) == tuple(last)
            if stone == BLACK:
                cells.append("◆" if is_last else "●")
            elif stone == WHITE:
                cells.append("◇" if is_last else "○")
            else:
                cells.append("+")
        lines.append(f"{size - y:>2} " + " ".join(cells))
    return "\n".join(lines)
