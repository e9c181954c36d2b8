"""Score-keeping shared by games where everyone scores points (quiz, song guessing).

Such a game keeps ``state["players"]`` (join order), ``state["scores"]``, ``state["stats"]``
and ``state["reached"]`` (when each player last raised their score: the earlier of two
equal scores ranks first). These helpers read and write only those keys.
"""
from __future__ import annotations

from typing import Any, Callable

from games.base import Event, GameMeta, PlayerResult, Refusal, State, rank_by_score, refuse


def join_refusal(state: State, player: str, meta: GameMeta) -> Refusal | None:
    """Why ``player`` may not join the running game, or None if they may."""
    if state["finished"]:
        return refuse("game_over", f"the {meta.title_en.lower()} game is over")
    if player in state["scores"]:
        return refuse("already_joined", "you are already playing")
    if len(state["players"]) >= meta.max_players:
        return refuse("room_full", f"{meta.title_en} takes at most {meta.max_players} players")
    return None


def joined(state: State, player: str) -> Event:
    return Event("joined", {"player": player, "players": len(state["players"])})


def ranking(state: State) -> list[dict[str, Any]]:
    """Competition ranking; ties go to whoever reached the score first, then to join order."""
    order = sorted(state["players"], key=lambda p: (state["reached"][p], state["players"].index(p)))
    return [{"player": p, "score": s, "rank": r} for p, s, r in rank_by_score(state["scores"], order)]


def finish(state: State, **summary: Any) -> Event:
    """End the game: no more deadlines, the final ranking fixed in the state and announced."""
    state["phase"] = "finished"
    state["finished"] = True
    state["deadline"] = None
    state["ranking"] = ranking(state)
    return Event("finished", {"ranking": state["ranking"], **summary})


def player_results(state: State, won: Callable[[dict[str, Any]], bool]) -> tuple[PlayerResult, ...]:
    """Each player's result. Nobody wins with no points: a game where nobody scored has no
    winner, whatever ``won`` says (everyone ranks first at 0, and "everyone won" would
    feed boards and activity scores with wins nobody earned)."""
    return tuple(
        PlayerResult(player=r["player"], score=r["score"], rank=r["rank"], won=r["score"] > 0 and won(r),
                     stats=dict(state["stats"][r["player"]]))
        for r in state["ranking"] or ranking(state)
    )
