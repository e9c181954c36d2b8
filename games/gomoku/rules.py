"""Gomoku (五子棋) as a pure state machine: a match of one or more games between two members,
or between a member and the robot.

Why a match inside one room game: a group's favourite pairing is "best of three"
between two members, colours swapping each game. Keeping the whole match in one game
state makes it one result (one line on the boards, one rating change) and lets the
room runtime stay unaware of gomoku.

Time: each move has a limit (``move_seconds``) and each player a total bank
(``bank_seconds``) that every move spends; the deadline of the player to move is the
sooner of the two, and running out loses that game. The robot spends no time.

Nothing here is secret: spectators see what players see.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from games.base import (
    ConfigField,
    Content,
    Event,
    GameMeta,
    GameResult,
    PlayerResult,
    Refusal,
    State,
    Step,
    rank_by_score,
    refuse,
    resolve_config,
)
from games.gomoku import board as B
from games.gomoku import robot
from games.rng import Rng

ROBOT = "@robot"
REASONS = ("five", "resign", "time", "draw_agreed", "board_full")

meta = GameMeta(
    name="gomoku",
    title_zh="五子棋",
    title_en="Gomoku",
    min_players=1,
    max_players=2,
    usage_zh="两人对弈（一人加入时与机器人对弈），黑棋先行，横竖斜连成五子获胜。落子发坐标，如「H8」"
    "「h 8」「8H」；「认输」投降，「求和」提和、对方「同意」即和棋。每步有限时，另有总用时。",
    usage_en="Two members play (one member plays the robot); black moves first; five in a row in any "
    "direction wins. Move by coordinates such as 'H8', 'h 8' or '8H'; 'resign' to give up; "
    "'draw' offers a draw and the opponent's 'accept' agrees. Each move has a time limit and each "
    "player a total time bank.",
    config=(
        ConfigField("size", int, 15, "棋盘边长", "board size (cells per side)", min=9, max=19),
        ConfigField("rule", str, "freestyle", "规则：freestyle 五连及以上胜，exact5 恰好五连才胜",
                    "rule: freestyle (five or more wins) or exact5 (exactly five)",
                    choices=("freestyle", "exact5")),
        ConfigField("best_of", int, 1, "几局几胜（奇数）", "games in the match (odd: best of N)", min=1, max=9),
        ConfigField("move_seconds", int, 60, "每步限时（秒）", "seconds for one move", min=5, max=600),
        ConfigField("bank_seconds", int, 900, "每人总用时（秒）", "each player's total time bank (seconds)",
                    min=10, max=7200),
        ConfigField("robot_level", int, 1, "单人时机器人难度（1 简单，2 普通）",
                    "robot level when one member plays alone (1 easy, 2 normal)", min=1, max=2),
    ),
    late_join=False,
)


def validate_item(item: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [("kind", "gomoku takes no content")]


# ---------------------------------------------------------------------------------------
# Lifecycle


def start(config: Mapping[str, Any] | None, players: Sequence[str], seed: int | str, now: float,
          content: Content | None = None) -> Step:
    cfg = resolve_config(meta, config)
    roster = list(dict.fromkeys(players))
    if not 1 <= len(roster) <= 2:
        raise ValueError("gomoku is played by two members, or one against the robot")
    if ROBOT in roster:
        raise ValueError(f"'{ROBOT}' is the robot's name and cannot be a member")
    if cfg["best_of"] % 2 == 0:
        raise ValueError("best_of must be odd so that a match has a winner")
    vs_robot = len(roster) == 1
    if vs_robot:
        roster.append(ROBOT)
    state: State = {
        "game": "gomoku",
        "config": cfg,
        "rng": Rng.from_seed(seed).state,
        "players": roster,
        "robot": cfg["robot_level"] if vs_robot else None,
        "wins": {p: 0 for p in roster},
        "draws": 0,
        "played": [],  # finished games: {black, white, winner, reason, line, moves}
        "current": None,
        "deadline": None,
        "finished": False,
        "winner": None,
    }
    return Step(state, _new_game(state, now))


def act(state: State, player: str, action: Mapping[str, Any], now: float) -> Step | Refusal:
    if state["finished"]:
        return refuse("game_over", "the match is over")
    if player not in state["players"] or player == ROBOT:
        return refuse("not_a_player", "only the two players move; everyone else watches")
    if not isinstance(action, Mapping):
        return refuse("invalid_action", "send {'type': 'move', 'at': 'H8'}")
    kind = action.get("type", "move")
    game = state["current"]
    if kind == "move":
        return _move(state, player, action, now)
    if kind == "resign":
        return Step(state, _end_game(state, winner=_opponent(state, player), reason="resign", now=now))
    if kind == "offer_draw":
        if game["draw_offer"] is not None:
            return refuse("draw_pending", "a draw offer is already waiting for an answer")
        if state["robot"] is not None:
            return refuse("invalid_action", "the robot does not take draws; play on or resign")
        game["draw_offer"] = player
        return Step(state, [Event("draw_offered", {"by": player})])
    if kind in ("accept_draw", "decline_draw"):
        if game["draw_offer"] is None or game["draw_offer"] == player:
            return refuse("no_draw_offer", "there is no draw offer from your opponent")
        if kind == "decline_draw":
            game["draw_offer"] = None
            return Step(state, [Event("draw_declined", {"by": player})])
        return Step(state, _end_game(state, winner=None, reason="draw_agreed", now=now))
    return refuse("invalid_action", "type must be move, resign, offer_draw, accept_draw or decline_draw")


def tick(state: State, now: float) -> Step:
    if state["finished"] or state["deadline"] is None or now < state["deadline"]:
        return Step(state, [])
    loser = state["current"]["to_move"]
    return Step(state, _end_game(state, winner=_opponent(state, loser), reason="time", now=now))


def join(state: State, player: str, now: float) -> Step | Refusal:
    return refuse("wrong_status", "a gomoku match has its two players; watch instead")


def view(state: State, viewer: str | None) -> dict[str, Any]:
    game = state["current"]
    cfg = state["config"]
    out: dict[str, Any] = {
        "game": "gomoku",
        "size": cfg["size"],
        "rule": cfg["rule"],
        "best_of": cfg["best_of"],
        "players": list(state["players"]),
        "robot": state["robot"],
        "wins": dict(state["wins"]),
        "draws": state["draws"],
        "game_no": len(state["played"]) + (0 if state["finished"] else 1),
        "black": game["black"],
        "white": game["white"],
        "board": game["board"],
        "moves": [list(m) for m in game["moves"]],
        "to_move": None if state["finished"] else game["to_move"],
        "deadline": state["deadline"],
        "bank": dict(game["bank"]),
        "draw_offer": game["draw_offer"],
        "last_game": state["played"][-1] if state["played"] else None,
        "finished": state["finished"],
        "winner": state["winner"],
    }
    if viewer in state["players"]:
        out["you"] = {"player": viewer, "colour": "black" if game["black"] == viewer else "white"}
    return out


def result(state: State) -> GameResult:
    humans = [p for p in state["players"] if p != ROBOT]
    order = list(humans)
    ranked = rank_by_score({p: state["wins"][p] for p in humans}, order)
    players = tuple(
        PlayerResult(p, score, rank, won=(state["winner"] == p),
                     stats={"games_won": state["wins"][p], "draws": state["draws"],
                            "games": len(state["played"])})
        for p, score, rank in ranked
    )
    summary: dict[str, Any] = {
        "pairing": [p for p in state["players"]],
        "winner": state["winner"],
        "robot": state["robot"],
        "games": [{"black": g["black"], "white": g["white"], "winner": g["winner"],
                   "reason": g["reason"], "moves": len(g["moves"])} for g in state["played"]],
    }
    return GameResult("gomoku", players, summary)


def render_text(state: State) -> str:
    """The current board as text for a chat that cannot show the page."""
    game = state["current"]
    last = (game["moves"][-1][0], game["moves"][-1][1]) if game["moves"] else None
    return B.render(game["board"], state["config"]["size"], last)


# ---------------------------------------------------------------------------------------
# Internals


def _opponent(state: State, player: str) -> str:
    a, b = state["players"]
    return str(b if player == a else a)


def _new_game(state: State, now: float) -> list[Event]:
    """Start the next game of the match; colours alternate, the first game's black is the
    first to join (the challenger)."""
    a, b = state["players"]
    n = len(state["played"])
    black, white = (a, b) if n % 2 == 0 else (b, a)
    cfg = state["config"]
    state["current"] = {
        "black": black,
        "white": white,
        "board": B.empty(cfg["size"]),
        "moves": [],
        "to_move": black,
        "turn_started": now,
        "bank": {p: float(cfg["bank_seconds"]) for p in (black, white) if p != ROBOT},
        "draw_offer": None,
    }
    events = [Event("gomoku_game", {
        "game_no": n + 1, "best_of": cfg["best_of"], "black": black, "white": white,
        "size": cfg["size"], "rule": cfg["rule"], "wins": dict(state["wins"]),
    })]
    events.extend(_robot_turn(state, now))
    _set_deadline(state, now)
    if state["deadline"] is not None:
        events.append(_turn_event(state))
    return events


def _turn_event(state: State) -> Event:
    game = state["current"]
    return Event("turn", {"to_move": game["to_move"], "deadline": state["deadline"], "bank": dict(game["bank"])})


def _set_deadline(state: State, now: float) -> None:
    game = state["current"]
    mover = game["to_move"]
    if state["finished"] or mover == ROBOT:
        state["deadline"] = None
        return
    game["turn_started"] = now
    limit = min(float(state["config"]["move_seconds"]), game["bank"][mover])
    state["deadline"] = now + limit


def _move(state: State, player: str, action: Mapping[str, Any], now: float) -> Step | Refusal:
    game = state["current"]
    size = state["config"]["size"]
    cell = _cell(action, size)
    if isinstance(cell, Refusal):
        return cell
    if game["to_move"] != player:
        return refuse("not_your_turn", "wait for your opponent's move", to_move=game["to_move"])
    if state["deadline"] is not None and now > state["deadline"]:
        return refuse("too_late", "your time for this move ran out")
    x, y = cell
    if B.at(game["board"], size, x, y) != B.EMPTY:
        return refuse("occupied", f"{B.name(x, y, size)} already has a stone", at=B.name(x, y, size))
    spent = max(0.0, now - game["turn_started"])
    game["bank"][player] = max(0.0, round(game["bank"][player] - spent, 3))
    events = _place(state, player, x, y, now)
    if not state["finished"] and state["current"] is game:
        events.extend(_robot_turn(state, now))
    if not state["finished"] and state["current"] is game:
        _set_deadline(state, now)
        events.append(_turn_event(state))
    return Step(state, events)


def _cell(action: Mapping[str, Any], size: int) -> tuple[int, int] | Refusal:
    if "at" in action:
        text = action["at"]
        cell = B.parse(text, size) if isinstance(text, str) and len(text) <= 8 else None
        if cell is None:
            last = chr(ord("A") + size - 1)
            return refuse("invalid_move", f"a move is a column A–{last} and a row 1–{size}, like H8")
        return cell
    x, y = action.get("x"), action.get("y")
    if isinstance(x, bool) or isinstance(y, bool) or not isinstance(x, int) or not isinstance(y, int):
        return refuse("invalid_action", "send {'type': 'move', 'at': 'H8'} or integer 'x' and 'y'")
    if not B.inside(size, x, y):
        return refuse("invalid_move", f"x and y run from 0 to {size - 1}")
    return x, y


def _place(state: State, player: str, x: int, y: int, now: float) -> list[Event]:
    """Put ``player``'s stone at (x, y) and end the game if it wins or fills the board."""
    game = state["current"]
    size = state["config"]["size"]
    stone = B.BLACK if game["black"] == player else B.WHITE
    game["board"] = B.place(game["board"], size, x, y, stone)
    game["moves"].append([x, y])
    game["draw_offer"] = None  # a move answers a pending offer with "no"
    game["to_move"] = _opponent(state, player)
    events = [Event("stone", {"x": x, "y": y, "at": B.name(x, y, size), "colour": "black" if stone == B.BLACK
                              else "white", "player": player, "n": len(game["moves"])})]
    line = B.winning_line(game["board"], size, x, y, exact=state["config"]["rule"] == "exact5")
    if line is not None:
        events.extend(_end_game(state, winner=player, reason="five", now=now, line=line))
    elif B.EMPTY not in game["board"]:
        events.extend(_end_game(state, winner=None, reason="board_full", now=now))
    return events


def _robot_turn(state: State, now: float) -> list[Event]:
    game = state["current"]
    if state["finished"] or game["to_move"] != ROBOT:
        return []
    rng = Rng(state["rng"])
    size = state["config"]["size"]
    stone = B.BLACK if game["black"] == ROBOT else B.WHITE
    x, y = robot.choose(game["board"], size, stone, state["robot"], rng)
    state["rng"] = rng.state
    return _place(state, ROBOT, x, y, now)


def _end_game(state: State, *, winner: str | None, reason: str, now: float,
              line: list[tuple[int, int]] | None = None) -> list[Event]:
    game = state["current"]
    if winner is None:
        state["draws"] += 1
    else:
        state["wins"][winner] += 1
    record = {"black": game["black"], "white": game["white"], "winner": winner, "reason": reason,
              "line": [list(c) for c in line] if line else None, "moves": [list(m) for m in game["moves"]]}
    state["played"].append(record)
    state["deadline"] = None
    events = [Event("gomoku_game_over", {"game_no": len(state["played"]), "winner": winner, "reason": reason,
                                         "line": record["line"], "wins": dict(state["wins"]),
                                         "draws": state["draws"]})]
    best_of = state["config"]["best_of"]
    needed = best_of // 2 + 1
    leader = max(state["players"], key=lambda p: state["wins"][p])
    if state["wins"][leader] >= needed or len(state["played"]) >= best_of:
        state["finished"] = True
        a, b = state["players"]
        state["winner"] = None if state["wins"][a] == state["wins"][b] else leader
        return events
    events.extend(_new_game(state, now))
    return events
