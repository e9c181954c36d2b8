"""Board naming and the board operations a finished game or a check-in produces.

Board ids are app-relative strings ``<scope>:<game>:<period>``:
  scope   ``g/<group>`` for one group, ``app`` for the whole app
  game    a game name, ``checkin``, or ``all`` (every game together; check-ins excluded)
  period  ``all`` (all-time), ``d<date>``, ``w<iso week>``, ``m<month>``, ``s<season>``
          (see server.scoring.periods)
On app-wide boards a member is ``<group>/<member>``: the same person in two groups is
two entries, because member ids are only unique within a group.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from games.base import GameResult
from server.store import BoardOp

SCOPE_APP = "app"
GAME_ALL = "all"


def board_id(scope: str, game: str, period: str = "all") -> str:
    return f"{scope}:{game}:{period}"


def group_scope(group: str) -> str:
    return f"g/{group}"


def parse_board(board: str) -> tuple[str, str, str]:
    """(scope, game, period); raises ValueError when ``board`` is not a board id."""
    scope, game, period = board.rsplit(":", 2) if board.count(":") >= 2 else ("", "", "")
    if not scope or not game or not period or not (scope == SCOPE_APP or scope.startswith("g/") and len(scope) > 2):
        raise ValueError(f"not a board id: {board!r}")
    return scope, game, period


def app_member(group: str, member: str) -> str:
    return f"{group}/{member}"


def result_ops(group: str, result: GameResult, periods: Sequence[str] = ("all",)) -> list[BoardOp]:
    """A game's points go to the group's and the app's boards, for that game and for all
    games together, in every period the result falls in."""
    return list(_incr(group, (result.game, GAME_ALL), ((p.player, p.score) for p in result.players), periods))


def checkin_ops(group: str, member: str, points: int, periods: Sequence[str] = ("all",)) -> list[BoardOp]:
    return list(_incr(group, ("checkin",), [(member, points)], periods))


def _incr(group: str, games: Sequence[str], scores: Iterable[tuple[str, int]],
          periods: Sequence[str]) -> Iterable[BoardOp]:
    for member, score in scores:
        for scope in (group_scope(group), SCOPE_APP):
            who = member if scope != SCOPE_APP else app_member(group, member)
            for game in games:
                for period in periods:
                    yield BoardOp(board_id(scope, game, period), who, "incr", score)
