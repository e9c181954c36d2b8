"""Gomoku (五子棋): the game contract (meta, start, act, tick, view, join, result,
validate_item). Board geometry and coordinates live in ``board``, the match rules in
``rules``, the robot opponent in ``robot``."""
from games.gomoku.rules import ROBOT, act, join, meta, render_text, result, start, tick, validate_item, view

__all__ = ["ROBOT", "meta", "start", "act", "tick", "view", "join", "result", "validate_item", "render_text"]
