"""Gomoku's rules as a specification: coordinates, every win direction and edge, the
exact-five rule, turns, time, resign, draws, matches and the robot."""
from __future__ import annotations

import itertools

import pytest

from games.base import Refusal, Step
from games.gomoku import ROBOT, act, join, meta, render_text, result, start, tick, view
from games.gomoku import board as B
from games.gomoku.robot import choose
from games.registry import get_game
from games.rng import Rng

T0 = 1_000.0


def new(players: tuple[str, ...] = ("ann", "bo"), **config: object) -> dict:
    return start(config, list(players), seed=7, now=T0).state


def move(state: dict, player: str, at: str, now: float = T0 + 1) -> Step:
    step = act(state, player, {"type": "move", "at": at}, now)
    assert isinstance(step, Step), step
    return step


def play(state: dict, moves: list[tuple[str, str]]) -> list:
    events = []
    for i, (player, at) in enumerate(moves):
        events += move(state, player, at, T0 + 1 + i).events
    return events


def kinds(events: list) -> list[str]:
    return [e.kind for e in events]


# --- coordinates -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["H8", "h8", "h 8", "8H", "8 h", " H8 "])
def test_a_move_may_be_typed_as_letter_and_number_either_way_round(text: str) -> None:
    assert B.parse(text, 15) == (7, 7)


@pytest.mark.parametrize("text,cell", [("A1", (0, 14)), ("O15", (14, 0)), ("A15", (0, 0)), ("O1", (14, 14))])
def test_the_corners_are_a1_bottom_left_to_o15_top_right(text: str, cell: tuple[int, int]) -> None:
    assert B.parse(text, 15) == cell
    assert B.name(*cell, 15) == text


@pytest.mark.parametrize("text", ["P1", "A0", "A16", "Z9", "", "H", "88", "HH", "H8H"])
def test_cells_off_the_board_or_malformed_are_not_cells(text: str) -> None:
    assert B.parse(text, 15) is None


# --- winning ----------------------------------------------------------------------

LINES = {
    "row": ["A8", "B8", "C8", "D8", "E8"],
    "column": ["H1", "H2", "H3", "H4", "H5"],
    "diagonal down": ["A15", "B14", "C13", "D12", "E11"],
    "diagonal up": ["K1", "L2", "M3", "N4", "O5"],
    "top edge": ["K15", "L15", "M15", "N15", "O15"],
    "right edge": ["O11", "O12", "O13", "O14", "O15"],
}


@pytest.mark.parametrize("direction", LINES)
def test_five_in_a_row_wins_in_every_direction_and_along_the_edges(direction: str) -> None:
    state = new()
    black = LINES[direction]
    filler = [c for c in ("A1", "C1", "E1", "G1", "J15", "A3", "C3") if c not in black][:4]
    order = list(itertools.chain.from_iterable(zip(black, filler + ["X"])))[:9]
    events = play(state, [("ann" if i % 2 == 0 else "bo", at) for i, at in enumerate(order)])
    over = [e for e in events if e.kind == "gomoku_game_over"]
    assert over and over[0].data["winner"] == "ann" and over[0].data["reason"] == "five"
    assert sorted(B.name(x, y, 15) for x, y in over[0].data["line"]) == sorted(black)
    assert state["finished"] and state["winner"] == "ann"


def test_the_winning_stone_may_complete_the_line_in_its_middle() -> None:
    state = new()
    events = play(state, [("ann", "D8"), ("bo", "A1"), ("ann", "E8"), ("bo", "B1"), ("ann", "G8"),
                          ("bo", "C1"), ("ann", "H8"), ("bo", "D1"), ("ann", "F8")])
    assert "gomoku_game_over" in kinds(events)
    assert state["winner"] == "ann"


def test_four_in_a_row_does_not_win() -> None:
    state = new()
    play(state, [("ann", "D8"), ("bo", "A1"), ("ann", "E8"), ("bo", "B1"), ("ann", "F8"), ("bo", "C1"),
                 ("ann", "G8")])
    assert not state["finished"]


def test_six_in_a_row_wins_in_freestyle() -> None:
    state = new()
    play(state, [("ann", "A8"), ("bo", "A1"), ("ann", "B8"), ("bo", "B1"), ("ann", "D8"), ("bo", "C1"),
                 ("ann", "E8"), ("bo", "D1"), ("ann", "F8"), ("bo", "F1")])
    assert not state["finished"]
    move(state, "ann", "C8", T0 + 20)  # A8–F8: six
    assert state["winner"] == "ann"


def test_six_in_a_row_does_not_win_under_exact_five() -> None:
    state = new(rule="exact5")
    play(state, [("ann", "A8"), ("bo", "A1"), ("ann", "B8"), ("bo", "B1"), ("ann", "D8"), ("bo", "C1"),
                 ("ann", "E8"), ("bo", "D1"), ("ann", "F8"), ("bo", "F1")])
    move(state, "ann", "C8", T0 + 20)
    assert not state["finished"]


def test_a_line_broken_by_the_other_colour_does_not_win() -> None:
    state = new()
    play(state, [("ann", "A8"), ("bo", "C8"), ("ann", "B8"), ("bo", "A1"), ("ann", "D8"), ("bo", "B1"),
                 ("ann", "E8"), ("bo", "C1"), ("ann", "F8")])
    assert not state["finished"]


def test_a_full_board_with_no_five_is_a_draw() -> None:
    state = new(size=9)
    # Fill by a pattern with no five: pairs of columns, alternating every row, so no
    # line in any direction is longer than two.
    cells = [(x, y) for y in range(9) for x in range(9)]
    colour = {(x, y): ((x // 2) + y) % 2 for x, y in cells}
    blacks = [c for c in cells if colour[c] == 0]
    whites = [c for c in cells if colour[c] == 1]
    assert len(blacks) == len(whites) + 1
    for i in range(len(whites)):
        assert isinstance(act(state, "ann", {"x": blacks[i][0], "y": blacks[i][1]}, T0 + i), Step)
        assert isinstance(act(state, "bo", {"x": whites[i][0], "y": whites[i][1]}, T0 + i), Step)
    step = act(state, "ann", {"x": blacks[-1][0], "y": blacks[-1][1]}, T0 + len(whites))
    assert isinstance(step, Step)
    assert state["played"][-1]["reason"] == "board_full"
    assert state["finished"] and state["winner"] is None


# --- turns and refusals -------------------------------------------------------------

def test_black_is_the_first_to_join_and_moves_first() -> None:
    state = new()
    assert view(state, None)["black"] == "ann"
    refusal = act(state, "bo", {"at": "H8"}, T0 + 1)
    assert isinstance(refusal, Refusal) and refusal.code == "not_your_turn"


def test_a_stone_cannot_go_on_another_stone() -> None:
    state = new()
    move(state, "ann", "H8")
    refusal = act(state, "bo", {"at": "8h"}, T0 + 2)
    assert isinstance(refusal, Refusal) and refusal.code == "occupied"
    assert state["current"]["to_move"] == "bo"


@pytest.mark.parametrize("action,code", [
    ({"at": "Z99"}, "invalid_move"), ({"x": 15, "y": 0}, "invalid_move"), ({"x": "1", "y": 2}, "invalid_action"),
    ({"x": True, "y": 2}, "invalid_action"), ({"type": "castle"}, "invalid_action"), ({"at": 5}, "invalid_move"),
])
def test_malformed_moves_are_refused_and_change_nothing(action: dict, code: str) -> None:
    state = new()
    before = repr(state)
    refusal = act(state, "ann", action, T0 + 1)
    assert isinstance(refusal, Refusal) and refusal.code == code
    assert repr(state) == before


def test_a_spectator_cannot_move() -> None:
    state = new()
    refusal = act(state, "cy", {"at": "H8"}, T0 + 1)
    assert isinstance(refusal, Refusal) and refusal.code == "not_a_player"


def test_nobody_joins_a_running_match() -> None:
    assert isinstance(join(new(), "cy", T0), Refusal)


# --- time ----------------------------------------------------------------------------

def test_the_deadline_is_the_move_limit_while_the_bank_lasts() -> None:
    state = new(move_seconds=30, bank_seconds=100)
    assert state["deadline"] == T0 + 30


def test_each_move_spends_the_movers_bank() -> None:
    state = new(move_seconds=30, bank_seconds=100)
    move(state, "ann", "H8", T0 + 20)
    assert state["current"]["bank"] == {"ann": 80.0, "bo": 100.0}
    assert state["deadline"] == T0 + 20 + 30


def test_the_deadline_shrinks_to_what_is_left_in_the_bank() -> None:
    state = new(move_seconds=30, bank_seconds=40)
    move(state, "ann", "H8", T0 + 25)   # ann has 15 s left
    move(state, "bo", "A1", T0 + 26)
    assert state["deadline"] == T0 + 26 + 15


def test_running_out_of_time_loses_the_game() -> None:
    state = new(move_seconds=30)
    move(state, "ann", "H8", T0 + 1)
    assert tick(state, T0 + 30).events == []  # not yet
    events = tick(state, T0 + 31).events
    assert events[0].kind == "gomoku_game_over" and events[0].data == {
        **events[0].data, "winner": "ann", "reason": "time"}
    assert state["winner"] == "ann"


def test_a_move_after_the_deadline_is_too_late() -> None:
    state = new(move_seconds=30)
    refusal = act(state, "ann", {"at": "H8"}, T0 + 31)
    assert isinstance(refusal, Refusal) and refusal.code == "too_late"


# --- resign and draws ----------------------------------------------------------------

def test_resigning_gives_the_opponent_the_game_even_out_of_turn() -> None:
    state = new()
    step = act(state, "bo", {"type": "resign"}, T0 + 1)
    assert isinstance(step, Step)
    assert state["winner"] == "ann" and state["played"][-1]["reason"] == "resign"


def test_a_draw_needs_the_opponents_acceptance() -> None:
    state = new()
    assert isinstance(act(state, "ann", {"type": "offer_draw"}, T0 + 1), Step)
    refusal = act(state, "ann", {"type": "accept_draw"}, T0 + 2)
    assert isinstance(refusal, Refusal) and refusal.code == "no_draw_offer"
    assert isinstance(act(state, "bo", {"type": "accept_draw"}, T0 + 3), Step)
    assert state["finished"] and state["winner"] is None
    assert state["played"][-1]["reason"] == "draw_agreed"


def test_a_declined_draw_plays_on() -> None:
    state = new()
    act(state, "ann", {"type": "offer_draw"}, T0 + 1)
    step = act(state, "bo", {"type": "decline_draw"}, T0 + 2)
    assert isinstance(step, Step) and kinds(step.events) == ["draw_declined"]
    assert not state["finished"] and state["current"]["draw_offer"] is None


def test_a_move_answers_a_pending_draw_offer_with_no() -> None:
    state = new()
    act(state, "bo", {"type": "offer_draw"}, T0 + 1)
    move(state, "ann", "H8")
    refusal = act(state, "ann", {"type": "accept_draw"}, T0 + 3)
    assert isinstance(refusal, Refusal) and refusal.code == "no_draw_offer"


# --- matches -------------------------------------------------------------------------

def test_colours_swap_each_game_of_a_match() -> None:
    state = new(best_of=3)
    act(state, "bo", {"type": "resign"}, T0 + 1)
    assert not state["finished"]
    assert (state["current"]["black"], state["current"]["white"]) == ("bo", "ann")
    assert state["wins"] == {"ann": 1, "bo": 0}


def test_a_best_of_three_ends_when_one_player_has_two_wins() -> None:
    state = new(best_of=3)
    act(state, "bo", {"type": "resign"}, T0 + 1)
    act(state, "bo", {"type": "resign"}, T0 + 2)
    assert state["finished"] and state["winner"] == "ann"
    res = result(state)
    assert [(p.player, p.score, p.rank, p.won) for p in res.players] == [("ann", 2, 1, True), ("bo", 0, 2, False)]
    assert [g["reason"] for g in res.summary["games"]] == ["resign", "resign"]


def test_an_even_best_of_is_refused() -> None:
    with pytest.raises(ValueError):
        start({"best_of": 2}, ["ann", "bo"], seed=1, now=T0)


# --- the robot -----------------------------------------------------------------------

def test_one_member_plays_the_robot_which_answers_each_move_at_once() -> None:
    state = new(("ann",))
    assert state["players"] == ["ann", ROBOT]
    events = move(state, "ann", "H8").events
    stones = [e for e in events if e.kind == "stone"]
    assert [s.data["player"] for s in stones] == ["ann", ROBOT]
    assert state["current"]["to_move"] == "ann"


def test_the_robot_is_left_out_of_the_result() -> None:
    state = new(("ann",))
    act(state, "ann", {"type": "resign"}, T0 + 1)
    assert [p.player for p in result(state).players] == ["ann"]
    assert state["winner"] == ROBOT


@pytest.mark.parametrize("level", [1, 2])
def test_the_robot_takes_a_win_when_it_has_four(level: int) -> None:
    board = B.empty(15)
    for at in ("D8", "E8", "F8", "G8"):
        board = B.place(board, 15, *B.parse(at, 15), B.WHITE)  # type: ignore[misc]
    board = B.place(board, 15, *B.parse("C8", 15), B.BLACK)  # type: ignore[misc]
    assert B.name(*choose(board, 15, B.WHITE, level, Rng(1)), 15) == "H8"


@pytest.mark.parametrize("level", [1, 2])
def test_the_robot_blocks_an_open_four(level: int) -> None:
    board = B.empty(15)
    for at in ("D8", "E8", "F8", "G8"):
        board = B.place(board, 15, *B.parse(at, 15), B.BLACK)  # type: ignore[misc]
    assert B.name(*choose(board, 15, B.WHITE, level, Rng(1)), 15) in ("C8", "H8")


def test_the_normal_robot_blocks_an_open_three() -> None:
    board = B.empty(15)
    for at in ("E8", "F8", "G8"):
        board = B.place(board, 15, *B.parse(at, 15), B.BLACK)  # type: ignore[misc]
    board = B.place(board, 15, *B.parse("H9", 15), B.WHITE)  # type: ignore[misc]
    assert B.name(*choose(board, 15, B.WHITE, 2, Rng(1)), 15) in ("D8", "H8")


def test_the_normal_robot_beats_the_easy_robot_most_of_the_time() -> None:
    wins = 0
    for seed in range(10):
        board, size, rng = B.empty(15), 15, Rng(seed)
        stones = {B.BLACK: 1, B.WHITE: 2}  # levels: black easy, white normal
        turn, winner = B.BLACK, None
        for _ in range(225):
            x, y = choose(board, size, turn, stones[turn], rng)
            board = B.place(board, size, x, y, turn)
            if B.winning_line(board, size, x, y, exact=False):
                winner = turn
                break
            turn = B.WHITE if turn == B.BLACK else B.BLACK
        wins += winner == B.WHITE
    assert wins >= 8


def test_robot_games_are_deterministic_under_a_seed() -> None:
    def game(seed: int) -> list:
        state = start({"robot_level": 1}, ["ann"], seed=seed, now=T0).state
        for at in ("H8", "J10", "K3"):
            if not state["finished"]:
                act(state, "ann", {"at": at}, T0 + 1)
        return state["current"]["moves"]

    assert game(5) == game(5)


# --- views and the contract -----------------------------------------------------------

def test_the_view_shows_the_board_to_spectators_and_their_colour_to_players() -> None:
    state = new()
    move(state, "ann", "H8")
    spectator = view(state, None)
    assert spectator["moves"] == [[7, 7]] and "you" not in spectator
    assert view(state, "bo")["you"] == {"player": "bo", "colour": "white"}


def test_the_board_renders_as_text_with_the_last_stone_marked() -> None:
    state = new()
    move(state, "ann", "H8")
    text = render_text(state)
    lines = text.splitlines()
    assert lines[0].split() == [chr(ord("A") + i) for i in range(15)]
    assert lines[8].startswith(" 8 ") and "◆" in lines[8]
    assert len(lines) == 16


def test_gomoku_is_in_the_registry_with_its_settings() -> None:
    game = get_game("gomoku")
    assert game.meta is meta
    names = [f["name"] for f in meta.describe()["config"]]
    assert names == ["size", "rule", "best_of", "move_seconds", "bank_seconds", "robot_level"]
