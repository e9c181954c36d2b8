"""The games a room can run, by name.

Entries are module paths imported on first use, so listing games is cheap and a game's
content (question banks, word packs) loads only when a room needs it.
"""
from __future__ import annotations

import importlib
from typing import Any

from games.base import Game

_BUILTIN: dict[str, str] = {
    "quiz": "games.quiz",
    "spy": "games.spy",
    "song": "games.song",
    "gomoku": "games.gomoku",
    "draw": "games.draw",
}
_loaded: dict[str, Game] = {}


def register(name: str, module_path: str) -> None:
    """Add a game (for plugins and tests). The module must expose the Game contract."""
    _BUILTIN[name] = module_path
    _loaded.pop(name, None)


def get_game(name: str) -> Game:
    if name not in _BUILTIN:
        raise KeyError(name)
    if name not in _loaded:
        module: Any = importlib.import_module(_BUILTIN[name])
        _loaded[name] = module
    return _loaded[name]


def names() -> list[str]:
    return sorted(_BUILTIN)


def list_games() -> list[dict[str, Any]]:
    return [get_game(n).meta.describe() for n in names()]
