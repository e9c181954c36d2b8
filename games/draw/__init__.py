"""Draw & guess (你画我猜): the game contract (meta, start, act, tick, view, join, result,
validate_item). Turn and scoring rules live in ``rules``; the stroke format and its bounds
in ``strokes``."""
from games.draw.rules import act, join, meta, result, start, tick, validate_item, view

__all__ = ["meta", "start", "act", "tick", "view", "join", "result", "validate_item"]
