"""Campfire's game rules: pure, sans-I/O state machines.

Nothing in this package touches a socket, a clock or the global random generator;
time and randomness are passed in, so every game is deterministic under a seed.
"""
from games.base import Audience, ConfigField, Content, Event, Game, GameMeta, Refusal, Step
from games.registry import get_game, list_games, register

__all__ = [
    "Audience", "Content", "Event", "Game", "GameMeta", "Refusal", "Step", "ConfigField",
    "get_game", "list_games", "register",
]
