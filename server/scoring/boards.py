"""Board naming and the board operations a finished game or a check-in produces.

Board ids are app-relative strings ``<scope>:<game>:<period>``:
  scope   ``g/<group>`` for one group, ``app`` for the whole app
  game    a game name, ``checkin``, or ``all`` (every game together)
  period  ``all`` (all-time)
"""
from __future__ import annotations

from typing import Iterable

from games.base import GameResult
from server.store import BoardOp


def board_id(scope: str, game: str, period: str = "all") -> str:
    return f"{scope}:{game}:{period}"


def group_scope(group: str) -> str:
    return f"g/{group}"


def result_ops(group: str, result: GameResult) -> list[BoardOp]:
    """A game's points go to the group's board for that game and to its all-games board."""
    return list(_incr(group, result.game, ((p.player, p.score) for p in result.players)))


def checkin_ops(group: str, member: str, points: int) -> list[BoardOp]:
    return list(_incr(group, "checkin", [(member, points)]))


def _incr(group: str, game: str, scores: Iterable[tuple[str, int]]) -> Iterable[BoardOp]:
    for member, score in scores:
        for scope in (group_scope(group), "app"):
            yield BoardOp(board_id(scope, game), member if scope != "app" else f"{group}/{member}", "incr", score)
