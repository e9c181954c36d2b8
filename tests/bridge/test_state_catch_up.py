"""The bridge's memory of a group's room (sdk/bridge/state.py): catching up from a room view
after a restart, seats and names, and the blank's guess in Who's the Spy."""
from __future__ import annotations

from sdk.bridge.commands import COMMANDS, markdown_table
from sdk.bridge.state import GroupState


def _state(game: str) -> GroupState:
    st = GroupState("g1")
    st.reset("r1", game, "playing", {}, [("ann", "Ann"), ("bob", "Bob")])
    return st


def test_a_quiz_catches_up_from_a_view_of_the_open_question() -> None:
    st = _state("quiz")
    st.apply_view({"phase": "question", "question": {"type": "choice", "choices": ["a", "b"]}})
    assert st.phase == "question" and st.question == {"type": "choice", "choices": ["a", "b"]}


def test_spy_catches_up_from_a_view_with_pk_phases_read_as_their_plain_ones() -> None:
    st = _state("spy")
    st.apply_view({"phase": "pk_vote", "turn": None, "guesser": None, "vote": {"candidates": ["ann"]}})
    assert (st.phase, st.candidates) == ("vote", ["ann"])
    st.apply_view({"phase": "pk_describe", "turn": "bob"})
    assert (st.phase, st.turn, st.candidates) == ("describe", "bob", [])


def test_other_games_take_the_views_phase_and_no_view_changes_nothing() -> None:
    st = _state("gomoku")
    st.apply_view({"phase": "move"})
    st.apply_view(None)
    assert st.phase == "move"


def test_the_voted_out_blank_may_guess_until_the_result() -> None:
    st = _state("spy")
    st.apply("blank_guess_open", {"player": "bob"})
    assert (st.phase, st.guesser) == ("blank_guess", "bob")
    st.apply("blank_guess_result", {"correct": False})
    assert (st.phase, st.guesser) == (None, None)


def test_seats_and_names() -> None:
    st = _state("spy")
    assert (st.seat_of("bob"), st.seat_of("zed"), st.player_at(1), st.player_at(3)) == (2, None, "ann", None)
    assert (st.name_of("ann"), st.name_of("zed")) == ("Ann", "zed")


def test_the_command_table_lists_every_command() -> None:
    table = markdown_table()
    assert all(f"| {c.action} |" in table for c in COMMANDS)
