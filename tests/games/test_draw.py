"""Draw & guess as a specification: turns, choosing, strokes and their bounds, guessing,
hints, scoring and the secrecy of the word."""
from __future__ import annotations

import json

import pytest

from games.base import Content, Event, Refusal, Step
from games.draw import act, join, meta, result, start, tick, validate_item, view
from games.draw import strokes as S
from games.registry import get_game

T0 = 1_000.0
WORDS = [
    {"id": f"w{i}", "lang": "zh", "word": w, "aliases": a, "category": "动物", "difficulty": 1}
    for i, (w, a) in enumerate([("老虎", []), ("长颈鹿", []), ("熊猫", ["大熊猫"]), ("企鹅", []),
                                ("兔子", []), ("蝴蝶", []), ("乌龟", []), ("公鸡", []), ("猴子", [])])
]
EN = [{"id": f"e{i}", "lang": "en", "word": w, "category": "animals", "difficulty": 1}
      for i, w in enumerate(["elephant", "giraffe", "penguin", "rabbit", "butterfly", "tiger"])]


def new(players: tuple[str, ...] = ("ann", "bo", "cy"), **config: object) -> dict:
    return start(config, list(players), seed=5, now=T0, content=Content(tuple(WORDS + EN))).state


def ok(step: Step | Refusal) -> Step:
    assert isinstance(step, Step), step
    return step


def refused(step: Step | Refusal, code: str) -> None:
    assert isinstance(step, Refusal) and step.code == code, step


def drawing(state: dict, index: int = 0, now: float = T0 + 1) -> str:
    """Have the drawer pick option ``index``; returns the word."""
    ok(act(state, state["drawer"], {"type": "choose", "index": index}, now))
    return state["word"]["word"]


def batch(new: bool = True, points: list[int] | None = None, **extra: object) -> dict:
    return {"type": "stroke", "new": new, "p": points or [10, 10, 20, 20], **extra}


def frames_for(events: list[Event], viewer: str) -> str:
    """Everything ``viewer`` receives from these events, as text (bots see all)."""
    return json.dumps([e.data for e in events if e.to == "all" or (isinstance(e.to, tuple) and viewer in e.to)],
                      ensure_ascii=False)


# --- turns and choosing ---------------------------------------------------------------

def test_members_draw_in_join_order_each_round() -> None:
    state = new(rounds=2)
    assert state["order"] == ["ann", "bo", "cy", "ann", "bo", "cy"]
    assert state["drawer"] == "ann" and state["phase"] == "choosing"


def test_only_the_drawer_is_offered_the_words() -> None:
    step = start({"choices": 3}, ["ann", "bo"], seed=5, now=T0, content=Content(tuple(WORDS)))
    offer = [e for e in step.events if e.kind == "choose_word"]
    assert offer and offer[0].to == ("ann",) and len(offer[0].data["options"]) == 3
    assert "options" not in view(step.state, "bo") and len(view(step.state, "ann")["options"]) == 3


def test_the_first_word_is_taken_when_the_drawer_does_not_choose() -> None:
    state = new()
    first = state["options"][0]["word"]
    ok(tick(state, T0 + 15))
    assert state["phase"] == "drawing" and state["word"]["word"] == first


def test_only_the_drawer_chooses_and_only_while_choosing() -> None:
    state = new()
    refused(act(state, "bo", {"type": "choose", "index": 0}, T0 + 1), "not_your_turn")
    refused(act(state, "ann", {"type": "choose", "index": 5}, T0 + 1), "invalid_action")
    drawing(state)
    refused(act(state, "ann", {"type": "choose", "index": 1}, T0 + 2), "wrong_phase")


def test_there_must_be_enough_words_for_one_choice() -> None:
    with pytest.raises(ValueError):
        start({"choices": 3}, ["a", "b"], seed=1, now=T0, content=Content(tuple(WORDS[:2])))


def test_words_come_in_the_rooms_language_only() -> None:
    state = new(lang="en")
    assert all(w["word"].isascii() for w in state["options"] + state["deck"])


# --- strokes ----------------------------------------------------------------------

def test_strokes_from_the_drawer_go_to_everyone_and_build_the_picture() -> None:
    state = new()
    drawing(state)
    step = ok(act(state, "ann", batch(c=3, w=8), T0 + 2))
    assert step.events[0].kind == "stroke" and step.events[0].to == "all"
    ok(act(state, "ann", batch(new=False, points=[30, 30]), T0 + 2))
    assert view(state, "cy")["picture"] == [{"c": 3, "w": 8, "p": [10, 10, 20, 20, 30, 30]}]


def test_undo_and_clear_are_strokes_too() -> None:
    state = new()
    drawing(state)
    ok(act(state, "ann", batch(), T0 + 2))
    ok(act(state, "ann", batch(points=[1, 1]), T0 + 2))
    assert ok(act(state, "ann", {"type": "undo"}, T0 + 3)).events[0].data == {"undo": True}
    assert len(state["picture"]["strokes"]) == 1
    ok(act(state, "ann", {"type": "clear"}, T0 + 3))
    assert state["picture"]["strokes"] == []
    refused(act(state, "ann", {"type": "undo"}, T0 + 3), "nothing_to_undo")


def test_replaying_the_stroke_log_redraws_the_same_picture() -> None:
    state = new()
    drawing(state)
    log = []
    for a in (batch(), batch(new=False, points=[5, 5]), batch(points=[9, 9, 8, 8]), {"type": "undo"},
              batch(points=[7, 7]), {"type": "clear"}, batch(points=[1, 2, 3, 4])):
        log += [e.data for e in ok(act(state, "ann", a, T0 + 2)).events]
    replayed = {"strokes": [], "points": 0}
    for op in log:
        S.apply(replayed, op)
    assert replayed["strokes"] == state["picture"]["strokes"]


@pytest.mark.parametrize("action,code", [
    (batch(points=[1]), "invalid_stroke"), (batch(points=[1, 1000]), "invalid_stroke"),
    (batch(points=[-1, 0]), "invalid_stroke"), (batch(points=[1.5, 2]), "invalid_stroke"),
    (batch(points=[1, 2] * 65), "stroke_too_long"), (batch(c=16), "invalid_stroke"), (batch(w=3), "invalid_stroke"),
    ({"type": "stroke", "p": "1,2"}, "invalid_stroke"), (batch(new="yes"), "invalid_stroke"),
])
def test_bad_batches_are_refused_and_change_nothing(action: dict, code: str) -> None:
    state = new()
    drawing(state)
    before = json.dumps(state)
    refused(act(state, "ann", action, T0 + 2), code)
    assert json.dumps(state) == before


def test_a_picture_is_bounded_in_points() -> None:
    state = new()
    drawing(state)
    full = [1, 1] * S.MAX_BATCH_POINTS
    for _ in range(S.MAX_ROUND_POINTS // S.MAX_BATCH_POINTS):
        ok(act(state, "ann", batch(new=False, points=full), T0 + 2))
    refused(act(state, "ann", batch(new=False, points=full), T0 + 2), "picture_full")


def test_only_the_drawer_draws_and_only_while_drawing() -> None:
    state = new()
    refused(act(state, "ann", batch(), T0 + 1), "wrong_phase")
    drawing(state)
    refused(act(state, "bo", batch(), T0 + 2), "not_your_turn")


# --- guessing -----------------------------------------------------------------------

def test_a_right_guess_scores_by_speed_and_the_drawer_scores_per_guesser() -> None:
    state = new()
    word = drawing(state)
    ok(act(state, "bo", {"type": "guess", "text": word}, T0 + 1))
    ok(act(state, "cy", {"type": "guess", "text": word}, T0 + 41))
    assert state["scores"]["bo"] > state["scores"]["cy"] > 0
    assert state["scores"]["ann"] == 40


def test_everyone_guessing_ends_the_turn_early_and_reveals_the_word() -> None:
    state = new()
    word = drawing(state)
    ok(act(state, "bo", {"type": "guess", "text": word}, T0 + 2))
    step = ok(act(state, "cy", {"type": "guess", "text": word}, T0 + 3))
    over = [e for e in step.events if e.kind == "turn_over"]
    assert over and over[0].data["word"] == word and state["phase"] == "reveal"
    ok(tick(state, T0 + 3 + 5))
    assert state["drawer"] == "bo" and state["phase"] == "choosing"


def test_a_guess_is_matched_forgivingly_in_pinyin_and_traditional_script() -> None:
    state = new()
    state["options"] = [{"id": "x", "word": "长颈鹿", "aliases": []}]
    drawing(state)
    ok(act(state, "bo", {"type": "guess", "text": "chang jing lu"}, T0 + 2))
    ok(act(state, "cy", {"type": "guess", "text": "長頸鹿"}, T0 + 2))
    assert set(state["guessed"]) == {"bo", "cy"}


def test_a_near_word_is_never_accepted_but_gets_a_private_almost() -> None:
    state = new()
    state["options"] = [{"id": "x", "word": "老虎", "aliases": []}]
    drawing(state)
    step = ok(act(state, "bo", {"type": "guess", "text": "老鼠"}, T0 + 2))
    assert [(e.kind, e.to) for e in step.events] == [("almost", ("bo",))]
    assert "bo" not in state["guessed"]


def test_a_wrong_guess_is_echoed_to_the_room() -> None:
    state = new()
    drawing(state)
    step = ok(act(state, "bo", {"type": "guess", "text": "汽车"}, T0 + 2))
    assert [(e.kind, e.to, e.data) for e in step.events] == [("guess", "all", {"player": "bo", "text": "汽车"})]


def test_a_guess_that_contains_the_word_is_never_echoed() -> None:
    state = new()
    state["options"] = [{"id": "x", "word": "老虎", "aliases": []}]
    drawing(state)
    for text in ("我觉得是老虎吧哈哈哈", "laohu吗", "不是laohu"):
        step = act(state, "cy", {"type": "guess", "text": text}, T0 + 2)
        if isinstance(step, Step) and "cy" not in state["guessed"]:
            assert "老虎" not in frames_for(step.events, "ann") and "laohu" not in frames_for(step.events, "ann")


@pytest.mark.parametrize("action,code", [
    ({"type": "guess"}, "invalid_action"), ({"type": "guess", "text": ""}, "invalid_action"),
    ({"type": "guess", "text": "x" * 51}, "invalid_action"), ({"type": "guess", "text": 7}, "invalid_action"),
])
def test_malformed_guesses_are_refused(action: dict, code: str) -> None:
    state = new()
    drawing(state)
    refused(act(state, "bo", action, T0 + 2), code)


def test_the_drawer_cannot_guess_and_nobody_guesses_twice() -> None:
    state = new()
    word = drawing(state)
    refused(act(state, "ann", {"type": "guess", "text": word}, T0 + 2), "drawer_cannot_guess")
    ok(act(state, "bo", {"type": "guess", "text": word}, T0 + 2))
    refused(act(state, "bo", {"type": "guess", "text": word}, T0 + 3), "already_guessed")


# --- hints --------------------------------------------------------------------------

def test_hints_show_the_length_then_characters_as_time_runs_out() -> None:
    state = new(draw_seconds=80)
    state["options"] = [{"id": "x", "word": "长颈鹿", "aliases": []}]
    drawing(state, now=T0)
    assert view(state, "bo")["hints"] == {"length": 3, "mask": "___"}
    assert state["deadline"] == T0 + 40
    one = ok(tick(state, T0 + 40)).events
    assert one[0].kind == "hint" and one[0].data["mask"].count("_") == 2
    two = ok(tick(state, T0 + 60)).events
    assert two[0].data["mask"].count("_") == 1
    over = ok(tick(state, T0 + 80)).events
    assert over[0].kind == "turn_over"


def test_a_two_character_word_shows_at_most_one_character() -> None:
    state = new()
    state["options"] = [{"id": "x", "word": "老虎", "aliases": []}]
    drawing(state, now=T0)
    assert len(state["hint_at"]) == 1


# --- secrecy ------------------------------------------------------------------------

def test_no_event_to_a_guesser_carries_the_word_before_they_guess_or_the_turn_ends() -> None:
    for seed in range(20):
        step = start({}, ["ann", "bo", "cy"], seed=seed, now=T0, content=Content(tuple(WORDS)))
        state, events = step.state, list(step.events)
        events += ok(act(state, "ann", {"type": "choose", "index": seed % 3}, T0 + 1)).events
        word = state["word"]["word"]
        events += ok(act(state, "ann", batch(), T0 + 2)).events
        events += ok(act(state, "cy", {"type": "guess", "text": "汽车"}, T0 + 3)).events
        events += ok(tick(state, state["deadline"])).events  # a hint
        events += ok(act(state, "cy", {"type": "guess", "text": word}, T0 + 50)).events
        assert word not in frames_for(events, "bo")
        assert word in frames_for(events, "cy") and word in frames_for(events, "ann")
        assert "word" not in view(state, "bo") and view(state, "cy")["word"] == word


def test_the_view_shows_the_word_to_all_once_revealed() -> None:
    state = new()
    word = drawing(state)
    while state["phase"] == "drawing":
        ok(tick(state, state["deadline"]))
    assert view(state, "bo")["word"] == word


# --- late joiners, result, pack items ------------------------------------------------

def test_a_late_joiner_guesses() -> None:
    state = new()
    word = drawing(state)
    ok(join(state, "dee", T0 + 2))
    ok(act(state, "dee", {"type": "guess", "text": word}, T0 + 3))
    assert state["scores"]["dee"] > 0


def test_the_game_ends_after_every_turn_and_ranks_by_score() -> None:
    state = new(("ann", "bo"), reveal_seconds=0)
    for _ in range(2):
        word = drawing(state, now=T0)
        guesser = "bo" if state["drawer"] == "ann" else "ann"
        ok(act(state, guesser, {"type": "guess", "text": word}, T0 + 1))
    assert state["finished"]
    res = result(state)
    assert [p.rank for p in res.players] == [1, 2] or [p.rank for p in res.players] == [1, 1]
    assert all(p.score > 0 for p in res.players)


def test_nobody_wins_a_game_where_nobody_scored() -> None:
    state = new(("ann", "bo"), reveal_seconds=0)
    while not state["finished"]:
        ok(tick(state, state["deadline"]))
    assert not any(p.won for p in result(state).players)


def test_pack_items_are_checked() -> None:
    assert validate_item(WORDS[0]) == []
    assert {f for f, _ in validate_item({"id": "", "lang": "fr", "word": "", "difficulty": 9})} >= {
        "id", "lang", "word", "category", "difficulty"}


def test_the_built_in_words_are_valid_and_draw_is_registered() -> None:
    from games.content import builtin_items

    items = builtin_items("draw")
    assert items and all(validate_item(i) == [] for i in items)
    assert get_game("draw").meta is meta and meta.content_kind == "draw"
