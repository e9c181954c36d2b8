"""Builders shared by the store contract tests."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from games.base import GameResult, PlayerResult


def ts(iso: str) -> float:
    """Epoch seconds of an ISO time with offset, e.g. '2026-11-22T23:59:59+08:00'."""
    return dt.datetime.fromisoformat(iso).timestamp()


def local_ts(y: int, m: int, d: int, hh: int, mm: int, tz: str) -> float:
    return dt.datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(tz)).timestamp()


def game(name: str, *scores: tuple[str, int], winner: str | None = None) -> GameResult:
    ranked = sorted(scores, key=lambda s: -s[1])
    return GameResult(name, tuple(PlayerResult(p, s, i + 1, won=(p == winner)) for i, (p, s) in enumerate(ranked)))
