"""Strokes as data: what a drawer's page sends, checked and bounded before it enters the log.

A picture is a list of strokes; each stroke is a colour, a width and a flat list of integer
points ``[x0, y0, x1, y1, …]`` on a fixed canvas of ``CANVAS`` × ``CANVAS`` units (the
page scales it to its own size), so a batch is small and exact on every screen. The page
sends a stroke in batches (about 20 a second at most): the first batch of a stroke opens it
(``"new": true``), later ones append to it. Undo removes the last stroke, clear removes them
all; both are entries in the round's log too, so replaying the log redraws the picture
exactly for a member who joins late, reloads or resumes.
"""
from __future__ import annotations

from typing import Any, Mapping

CANVAS = 1000
MAX_BATCH_POINTS = 64        # points (x, y pairs) in one batch
MAX_ROUND_POINTS = 20_000    # points in one round's picture, undo and clear included
MAX_STROKES = 2_000
COLOURS = 16                 # palette indices 0..15; the page owns the palette
WIDTHS = (2, 4, 8, 16, 32)


class StrokeError(ValueError):
    """A batch that does not fit the format or the bounds; ``code`` goes onto the wire."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_batch(action: Mapping[str, Any]) -> dict[str, Any]:
    """The batch as the log keeps it: ``{"new": bool, "c": int, "w": int, "p": [ints]}``."""
    points = action.get("p")
    if not isinstance(points, list) or not points or len(points) % 2:
        raise StrokeError("invalid_stroke", "'p' is a flat list of x, y integer pairs")
    if len(points) // 2 > MAX_BATCH_POINTS:
        raise StrokeError("stroke_too_long", f"at most {MAX_BATCH_POINTS} points in one batch")
    for v in points:
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < CANVAS:
            raise StrokeError("invalid_stroke", f"coordinates are integers from 0 to {CANVAS - 1}")
    new = action.get("new", False)
    colour = action.get("c", 0)
    width = action.get("w", WIDTHS[1])
    if not isinstance(new, bool):
        raise StrokeError("invalid_stroke", "'new' is true for the first batch of a stroke")
    if isinstance(colour, bool) or not isinstance(colour, int) or not 0 <= colour < COLOURS:
        raise StrokeError("invalid_stroke", f"'c' is a colour index from 0 to {COLOURS - 1}")
    if isinstance(width, bool) or width not in WIDTHS:
        raise StrokeError("invalid_stroke", f"'w' is one of {list(WIDTHS)}")
    return {"new": new, "c": colour, "w": width, "p": list(points)}


def apply(picture: dict[str, Any], op: dict[str, Any]) -> None:
    """Apply one checked entry (a batch, ``{"undo": true}`` or ``{"clear": true}``) to the
    picture ``{"strokes": [...], "points": n}``. Bounds are checked before anything changes."""
    strokes: list[dict[str, Any]] = picture["strokes"]
    if op.get("undo"):
        if not strokes:
            raise StrokeError("nothing_to_undo", "the canvas is empty")
        strokes.pop()
        return
    if op.get("clear"):
        strokes.clear()
        return
    added = len(op["p"]) // 2
    if picture["points"] + added > MAX_ROUND_POINTS:
        raise StrokeError("picture_full", f"a picture holds at most {MAX_ROUND_POINTS} points")
    if op["new"] or not strokes:
        if len(strokes) >= MAX_STROKES:
            raise StrokeError("picture_full", f"a picture holds at most {MAX_STROKES} strokes")
        strokes.append({"c": op["c"], "w": op["w"], "p": list(op["p"])})
    else:
        strokes[-1]["p"].extend(op["p"])
    picture["points"] += added
