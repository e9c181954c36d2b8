"""The quiz rules, as a specification: scoring, timing, secrecy, ranking, determinism."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import msgpack
import pytest

from games import quiz
from games.base import ConfigError, Content, Event, Refusal, Step
from games.content import builtin_items

T0 = 1_000_000.0
CONTENT_DIR = Path(quiz.__file__).parent / "content"


def choice_q(qid: str, answer: int = 1, lang: str = "en", category: str = "test") -> dict[str, Any]:
    return {"id": qid, "lang": lang, "type": "choice", "question": f"Question {qid}?",
            "choices": ["red", "green", "blue", "yellow"], "answer": answer,
            "explanation": f"because {qid}", "category": category, "difficulty": 1}


def text_q(qid: str, answer: str = "Canberra", aliases: list[str] | None = None,
           lang: str = "en", category: str = "test") -> dict[str, Any]:
    return {"id": qid, "lang": lang, "type": "text", "question": f"Question {qid}?",
            "answer": answer, "aliases": aliases or [], "category": category, "difficulty": 2}


def bank(n: int = 5) -> Content:
    return Content(items=tuple(choice_q(f"q{i}") for i in range(n)))


def new_game(players=("ann", "bob"), content: Content | None = None, seed: int = 7, **config: Any) -> Step:
    config.setdefault("questions", 3)
    return quiz.start(config, list(players), seed, T0, content or bank())


def current(state: dict[str, Any]) -> dict[str, Any]:
    return state["questions"][state["index"]]


def right_answer(state: dict[str, Any]) -> Any:
    return current(state)["answer"]


def wrong_answer(state: dict[str, Any]) -> Any:
    q = current(state)
    return (q["answer"] + 1) % len(q["choices"]) if q["type"] == "choice" else "definitely not it"


def answer(state: dict[str, Any], player: str, value: Any, now: float) -> Step:
    step = quiz.act(state, player, {"type": "answer", "answer": value}, now)
    assert isinstance(step, Step), step
    return step


def kinds(step: Step) -> list[str]:
    return [e.kind for e in step.events]


def event(step: Step, kind: str) -> Event:
    return next(e for e in step.events if e.kind == kind)


# --- scoring --------------------------------------------------------------------------


def test_speed_points_fall_linearly_to_half_at_the_deadline() -> None:
    assert quiz.speed_points(0.5, 20, 1000) == round((1 - 0.5 / 20 / 2) * 1000)
    assert quiz.speed_points(10, 20, 1000) == 750
    assert quiz.speed_points(20, 20, 1000) == 500


def test_answers_within_half_a_second_get_full_base_points() -> None:
    assert quiz.speed_points(0.0, 20, 1000) == 1000
    assert quiz.speed_points(0.49, 20, 1000) == 1000
    assert quiz.speed_points(0.5, 20, 1000) < 1000


def test_streak_bonus_starts_at_the_second_right_answer_and_is_capped() -> None:
    assert [quiz.streak_points(s, 100, 500) for s in range(1, 9)] == [0, 100, 200, 300, 400, 500, 500, 500]
    assert quiz.streak_points(3, 100, 150) == 150


def test_a_right_answer_scores_by_speed_and_a_wrong_one_scores_nothing() -> None:
    state = new_game().state
    answer(state, "ann", right_answer(state), T0 + 10)
    step = answer(state, "bob", wrong_answer(state), T0 + 1)
    reveal = event(step, "reveal").data
    assert reveal["points"] == {"ann": 750, "bob": 0}
    assert reveal["right"] == ["ann"]
    assert state["scores"] == {"ann": 750, "bob": 0}


def test_streak_bonus_adds_up_and_a_miss_resets_it() -> None:
    state = new_game(players=("ann",), content=bank(8), questions=8, streak_cap=250, reveal_seconds=0).state
    gained = []
    for i in range(8):
        value = wrong_answer(state) if i == 5 else right_answer(state)
        step = answer(state, "ann", value, state["asked_at"] + 0.1)
        gained.append(event(step, "reveal").data["points"]["ann"])
    # streaks 1,2,3,4,5 (capped at 250), a miss, then 1,2 again
    assert gained == [1000, 1100, 1200, 1250, 1250, 0, 1000, 1100]
    assert quiz.result(state).players[0].stats == {"right": 7, "answered": 8, "best_streak": 5}


def test_no_answer_resets_the_streak() -> None:
    state = new_game(content=bank(3), reveal_seconds=0).state
    answer(state, "ann", right_answer(state), T0)
    answer(state, "bob", right_answer(state), T0)
    quiz.tick(state, state["deadline"])  # question 2: nobody answers
    answer(state, "ann", right_answer(state), state["asked_at"])
    step = answer(state, "bob", right_answer(state), state["asked_at"])
    assert event(step, "reveal").data["bonus"] == {"ann": 0, "bob": 0}


# --- answering --------------------------------------------------------------------------


def test_one_answer_per_member_per_question() -> None:
    state = new_game().state
    answer(state, "ann", 0, T0 + 1)
    refusal = quiz.act(state, "ann", {"answer": 1}, T0 + 2)
    assert isinstance(refusal, Refusal) and refusal.code == "already_answered"


def test_an_answer_after_the_deadline_is_too_late() -> None:
    state = new_game(seconds=20).state
    refusal = quiz.act(state, "ann", {"answer": 0}, T0 + 20.01)
    assert isinstance(refusal, Refusal) and refusal.code == "too_late"


def test_an_answer_for_an_earlier_question_is_too_late() -> None:
    state = new_game(reveal_seconds=0).state
    answer(state, "ann", 0, T0)
    answer(state, "bob", 0, T0)
    refusal = quiz.act(state, "ann", {"answer": 0, "index": 0}, T0 + 1)
    assert isinstance(refusal, Refusal) and refusal.code == "too_late"


def test_an_answer_during_the_reveal_pause_is_the_wrong_phase() -> None:
    state = new_game(players=("ann",)).state
    answer(state, "ann", 0, T0)
    assert state["phase"] == "reveal"
    refusal = quiz.act(state, "ann", {"answer": 0}, T0 + 1)
    assert isinstance(refusal, Refusal) and refusal.code == "wrong_phase"


def test_only_players_may_answer() -> None:
    state = new_game().state
    refusal = quiz.act(state, "eve", {"answer": 0}, T0)
    assert isinstance(refusal, Refusal) and refusal.code == "not_a_player"


@pytest.mark.parametrize("value", [2, "C", "c", "Ｃ", "ｃ", " c ", "blue", "BLUE", "C."])
def test_choice_answers_accept_index_letter_full_width_letter_and_text(value: Any) -> None:
    state = new_game().state
    answer(state, "ann", value, T0)
    assert state["answers"]["ann"]["given"] == 2


@pytest.mark.parametrize("value", [4, -1, "E", "purple", "", True, None, ["A"], "x" * 500])
def test_unreadable_choice_answers_are_refused_without_using_up_the_answer(value: Any) -> None:
    state = new_game().state
    refusal = quiz.act(state, "ann", {"answer": value}, T0)
    assert isinstance(refusal, Refusal) and refusal.code == "invalid_answer"
    answer(state, "ann", 0, T0 + 1)


@pytest.mark.parametrize("action", [{}, {"type": "skip"}, {"type": "answer"}, {"answer": 0, "index": "x"}])
def test_malformed_actions_are_invalid(action: dict[str, Any]) -> None:
    state = new_game().state
    refusal = quiz.act(state, "ann", action, T0)
    assert isinstance(refusal, Refusal) and refusal.code == "invalid_action"


def test_text_answers_are_matched_leniently() -> None:
    content = Content(items=(text_q("t1", "Canberra", ["CBR"]),))
    state = quiz.start({"questions": 1}, ["ann", "bob", "cat", "dan"], 1, T0, content).state
    answer(state, "ann", "  canbera ", T0 + 1)   # one typo
    answer(state, "bob", "cbr", T0 + 1)          # alias
    answer(state, "cat", "Sydney", T0 + 1)
    step = answer(state, "dan", "CANBERRA!", T0 + 1)
    assert sorted(event(step, "reveal").data["right"]) == ["ann", "bob", "dan"]


def test_numeric_text_answers_must_be_exact() -> None:
    content = Content(items=(text_q("t1", "1945", ["nineteen forty-five"]),))
    state = quiz.start({"questions": 1}, ["ann", "bob", "cat"], 1, T0, content).state
    answer(state, "ann", "1946", T0 + 1)
    answer(state, "bob", 1945, T0 + 1)
    step = answer(state, "cat", "１９４５", T0 + 1)
    assert event(step, "reveal").data["right"] == ["bob", "cat"]


def test_refusals_leave_the_state_unchanged() -> None:
    state = new_game(seconds=20).state
    answer(state, "ann", 0, T0 + 1)
    before = copy.deepcopy(state)
    attempts = [
        ("ann", {"answer": 1}, T0 + 2),             # already answered
        ("bob", {"answer": 1}, T0 + 30),            # too late
        ("eve", {"answer": 1}, T0 + 2),             # not a player
        ("bob", {"answer": "Z"}, T0 + 2),           # unreadable
        ("bob", {"type": "dance"}, T0 + 2),         # invalid action
        ("bob", {"answer": 1, "index": 2}, T0 + 2),  # not asked yet
    ]
    for player, action, now in attempts:
        assert isinstance(quiz.act(state, player, action, now), Refusal)
        assert state == before
    assert isinstance(quiz.join(state, "ann", T0 + 2), Refusal)
    assert state == before
    answer(state, "bob", 1, T0 + 3)  # reveal pause, then the end of a one-question game
    for game_state in (state, new_game(players=("ann",), questions=1).state):
        if game_state["phase"] == "question":
            answer(game_state, "ann", 0, T0)
        before = copy.deepcopy(game_state)
        assert isinstance(quiz.act(game_state, "ann", {"answer": 0}, T0 + 4), Refusal)
        assert game_state == before


# --- reveal timing ------------------------------------------------------------------------


def test_reveal_comes_early_once_every_player_has_answered() -> None:
    state = new_game(reveal_seconds=3).state
    step = answer(state, "ann", 0, T0 + 2)
    assert kinds(step) == ["answer_received", "answered"]
    step = answer(state, "bob", 1, T0 + 4)
    assert kinds(step) == ["answer_received", "answered", "reveal"]
    assert state["phase"] == "reveal" and state["deadline"] == T0 + 4 + 3


def test_reveal_at_the_deadline_via_tick_then_next_question_after_the_pause() -> None:
    state = new_game(seconds=20, reveal_seconds=3).state
    answer(state, "ann", right_answer(state), T0 + 5)
    assert quiz.tick(state, T0 + 19.9).events == []
    step = quiz.tick(state, T0 + 20)
    assert kinds(step) == ["reveal"]
    reveal = step.events[0].data
    assert reveal["points"]["bob"] == 0 and "bob" not in reveal["answers"]
    assert reveal["answer_index"] == state["questions"][0]["answer"]
    assert reveal["answer"] == state["questions"][0]["choices"][reveal["answer_index"]]
    assert reveal["explanation"] == state["questions"][0]["explanation"]
    assert state["deadline"] == T0 + 23
    step = quiz.tick(state, T0 + 23)
    assert kinds(step) == ["question"]
    question = step.events[0].data
    assert question["index"] == 1 and question["total"] == 3
    assert question["deadline"] == T0 + 23 + 20 and question["seconds"] == 20


def test_zero_reveal_seconds_asks_the_next_question_at_once() -> None:
    state = new_game(players=("ann",), reveal_seconds=0).state
    step = answer(state, "ann", 0, T0 + 1)
    assert kinds(step) == ["answer_received", "answered", "reveal", "question"]
    assert state["index"] == 1 and state["asked_at"] == T0 + 1


def test_answered_event_counts_without_saying_who_was_right() -> None:
    state = new_game(players=("ann", "bob", "cat")).state
    step = answer(state, "ann", right_answer(state), T0 + 1)
    public = event(step, "answered")
    assert public.to == "all" and public.data == {"player": "ann", "count": 1, "of": 3}
    private = event(step, "answer_received")
    assert private.to == ("ann",)


# --- late join ----------------------------------------------------------------------------


def test_a_member_can_join_mid_question_and_answer_it() -> None:
    state = new_game(players=("ann",)).state
    step = quiz.join(state, "bob", T0 + 3)
    assert isinstance(step, Step) and kinds(step) == ["joined"]
    step = answer(state, "ann", 0, T0 + 4)
    assert "reveal" not in kinds(step)  # bob has not answered yet
    assert event(step, "answered").data["of"] == 2
    step = answer(state, "bob", right_answer(state), T0 + 5)
    assert "reveal" in kinds(step)
    assert state["scores"]["bob"] > 0


def test_joining_twice_or_after_the_end_is_refused() -> None:
    state = new_game(players=("ann",), questions=1).state
    refusal = quiz.join(state, "ann", T0)
    assert isinstance(refusal, Refusal) and refusal.code == "already_joined"
    answer(state, "ann", 0, T0)
    refusal = quiz.join(state, "bob", T0 + 1)
    assert isinstance(refusal, Refusal) and refusal.code == "game_over"


# --- a whole game -------------------------------------------------------------------------


def test_full_game_ends_with_a_ranking_where_ties_go_to_who_got_there_first() -> None:
    state = new_game(players=("ann", "bob", "cat", "dan"), questions=2, reveal_seconds=2).state
    # Q1: ann and bob right at the same speed; cat wrong; dan silent.
    answer(state, "bob", right_answer(state), T0 + 10)
    answer(state, "ann", right_answer(state), T0 + 10)
    answer(state, "cat", wrong_answer(state), T0 + 1)
    quiz.tick(state, T0 + 20)
    quiz.tick(state, T0 + 22)
    # Q2: both right at the same instant, but bob's answer arrives first.
    t2 = state["asked_at"]
    answer(state, "bob", right_answer(state), t2 + 4)
    answer(state, "ann", right_answer(state), t2 + 4)
    answer(state, "cat", wrong_answer(state), t2 + 5)
    step = answer(state, "dan", wrong_answer(state), t2 + 6)
    assert kinds(step)[-2:] == ["reveal", "finished"]
    assert state["finished"] is True and state["deadline"] is None and state["phase"] == "finished"
    ranking = event(step, "finished").data["ranking"]
    assert [(r["player"], r["rank"]) for r in ranking] == [("bob", 1), ("ann", 1), ("cat", 3), ("dan", 3)]
    assert ranking[0]["score"] == ranking[1]["score"] == 750 + 900 + 100
    result = quiz.result(state)
    assert result.game == "quiz" and result.summary == {"questions": 2}
    assert [(p.player, p.score, p.rank, p.won) for p in result.players] == [
        ("bob", 1750, 1, True), ("ann", 1750, 1, True), ("cat", 0, 3, False), ("dan", 0, 3, False)]
    assert result.players[2].stats == {"right": 0, "answered": 2, "best_streak": 0}
    assert result.players[3].stats == {"right": 0, "answered": 1, "best_streak": 0}


def test_a_quiz_nobody_scored_in_has_no_winner() -> None:
    state = new_game(players=("ann", "bob"), questions=1, reveal_seconds=0).state
    answer(state, "ann", wrong_answer(state), T0 + 1)
    answer(state, "bob", wrong_answer(state), T0 + 2)
    result = quiz.result(state)
    assert [(p.player, p.score, p.rank) for p in result.players] == [("ann", 0, 1), ("bob", 0, 1)]
    assert not any(p.won for p in result.players)


def test_ties_favour_the_player_who_reached_the_score_earlier() -> None:
    state = new_game(players=("ann", "bob"), questions=2, reveal_seconds=0).state
    answer(state, "ann", right_answer(state), T0 + 10)  # 750 at T0+10
    answer(state, "bob", wrong_answer(state), T0 + 1)
    t2 = state["asked_at"]
    answer(state, "ann", wrong_answer(state), t2 + 1)
    step = answer(state, "bob", right_answer(state), t2 + 10)  # 750, later
    ranking = event(step, "finished").data["ranking"]
    assert [(r["player"], r["score"], r["rank"]) for r in ranking] == [("ann", 750, 1), ("bob", 750, 1)]
    state2 = new_game(players=("ann", "bob"), questions=2, reveal_seconds=0).state
    answer(state2, "ann", wrong_answer(state2), T0 + 1)
    answer(state2, "bob", right_answer(state2), T0 + 10)
    t2 = state2["asked_at"]
    answer(state2, "bob", wrong_answer(state2), t2 + 1)
    step = answer(state2, "ann", right_answer(state2), t2 + 10)
    assert [r["player"] for r in event(step, "finished").data["ranking"]] == ["bob", "ann"]


def test_finished_games_refuse_moves_and_ignore_ticks() -> None:
    state = new_game(players=("ann",), questions=1).state
    answer(state, "ann", 0, T0)
    refusal = quiz.act(state, "ann", {"answer": 0}, T0 + 1)
    assert isinstance(refusal, Refusal) and refusal.code == "game_over"
    assert quiz.tick(state, T0 + 999).events == []


# --- secrecy ------------------------------------------------------------------------------


def _leaks(payload: Any, question: dict[str, Any]) -> bool:
    """Does this payload carry the answer or whether an answer was right?"""
    text = json.dumps(payload, ensure_ascii=False)
    secrets = ['"answer_index"', '"right"', '"points"', '"explanation"']
    if question["type"] == "text":
        secrets.append(question["answer"])
    return any(s in text for s in secrets)


def test_no_answer_leaks_before_the_reveal() -> None:
    content = Content(items=(text_q("t1", "Zanzibar"), choice_q("c1", 3), choice_q("c2", 0)))
    step = quiz.start({"questions": 3, "reveal_seconds": 1}, ["ann", "bob", "cat"], 3, T0, content)
    state = step.state
    pending = list(step.events)
    for _ in range(3):
        q = current(state)
        assert [e.kind for e in pending] == ["question"]
        assert "answer" not in pending[0].data and not _leaks(pending[0].data, q)
        for who, value in (("ann", q["answer"]), ("bob", wrong_answer(state))):
            step = answer(state, who, value, state["asked_at"] + 1)
            assert kinds(step) == ["answer_received", "answered"]
            private, public = step.events
            # The member's own answer echoed to them alone, never a verdict.
            assert private.to == (who,) and set(private.data) == {"index", "answer"}
            assert public.to == "all" and set(public.data) == {"player", "count", "of"}
            for viewer in (None, "ann", "bob", "cat", "eve"):
                v = quiz.view(state, viewer)
                assert "answer" not in v["question"]
                assert v["reveal"] is None and not _leaks({k: x for k, x in v.items() if k != "you"}, q)
        step = answer(state, "cat", wrong_answer(state), state["asked_at"] + 2)
        assert event(step, "reveal").data["answer"] == (q["answer"] if q["type"] == "text"
                                                      else q["choices"][q["answer"]])
        pending = quiz.tick(state, state["deadline"]).events if not state["finished"] else []


def test_view_shows_the_viewer_their_own_answer_only() -> None:
    state = new_game(players=("ann", "bob")).state
    answer(state, "ann", "B", T0 + 1)
    mine = quiz.view(state, "ann")
    assert mine["you"]["answered"] is True and mine["you"]["answer"] == 1
    theirs = quiz.view(state, "bob")
    assert theirs["you"]["answered"] is False and theirs["you"]["answer"] is None
    assert "you" not in quiz.view(state, None)
    assert quiz.view(state, None)["answered_count"] == 1
    assert json.dumps(quiz.view(state, "bob")).count('"answer": 1') == 0


def test_view_after_the_reveal_includes_the_answer() -> None:
    state = new_game(players=("ann",)).state
    answer(state, "ann", 0, T0 + 1)
    v = quiz.view(state, None)
    assert v["phase"] == "reveal"
    assert v["reveal"]["answer_index"] == right_answer(state)


# --- start and content ----------------------------------------------------------------------


def test_start_asks_the_first_question_and_records_content_used() -> None:
    step = new_game(seconds=15)
    state = step.state
    assert kinds(step) == ["question"]
    q = step.events[0].data
    assert q["index"] == 0 and q["total"] == 3 and q["deadline"] == T0 + 15
    assert q["choices"] == ["red", "green", "blue", "yellow"]
    assert state["content_used"] == [x["id"] for x in state["questions"]]
    assert len(set(state["content_used"])) == 3


def test_start_prefers_questions_the_group_has_not_seen_lately() -> None:
    content = Content(items=bank(6).items, recent=("q0", "q1", "q2"))
    for seed in range(10):
        used = quiz.start({"questions": 3}, ["ann"], seed, T0, content).state["content_used"]
        assert sorted(used) == ["q3", "q4", "q5"]
    content = Content(items=bank(6).items, recent=("q5", "q4", "q3", "q2", "q1"))
    used = quiz.start({"questions": 3}, ["ann"], 1, T0, content).state["content_used"]
    assert sorted(used) == ["q0", "q1", "q2"]  # q0 is fresh; q1, q2 the oldest used


def test_start_filters_by_language_and_category() -> None:
    items = (choice_q("en1"), choice_q("zh1", lang="zh"), choice_q("zh2", lang="zh", category="food"))
    state = quiz.start({"questions": 5, "lang": "zh"}, ["ann"], 1, T0, Content(items=items)).state
    assert sorted(state["content_used"]) == ["zh1", "zh2"]
    state = quiz.start({"lang": "zh", "category": "Food"}, ["ann"], 1, T0, Content(items=items)).state
    assert state["content_used"] == ["zh2"]


def test_start_uses_fewer_questions_when_fewer_fit() -> None:
    step = quiz.start({"questions": 10}, ["ann"], 1, T0, bank(2))
    assert step.events[0].data["total"] == 2


def test_start_refuses_when_no_question_fits() -> None:
    with pytest.raises(ValueError, match="no quiz questions"):
        quiz.start({"category": "astrology"}, ["ann"], 1, T0, bank(3))
    with pytest.raises(ValueError):
        quiz.start({}, [], 1, T0, bank(3))


def test_start_skips_broken_items() -> None:
    items = (choice_q("ok"), {"id": "broken", "lang": "en", "type": "choice"})
    state = quiz.start({"questions": 5}, ["ann"], 1, T0, Content(items=items)).state
    assert state["content_used"] == ["ok"]


def test_config_is_checked_against_the_schema() -> None:
    with pytest.raises(ConfigError):
        quiz.start({"questions": 0}, ["ann"], 1, T0, bank())
    with pytest.raises(ConfigError):
        quiz.start({"seconds": 4}, ["ann"], 1, T0, bank())
    with pytest.raises(ConfigError):
        quiz.start({"lang": "fr"}, ["ann"], 1, T0, bank())
    defaults = {f.name: f.default for f in quiz.meta.config}
    assert defaults == {"questions": 5, "seconds": 20, "base": 1000, "streak_bonus": 100, "streak_cap": 500,
                        "reveal_seconds": 3, "lang": "any", "category": None, "difficulty": None}
    assert quiz.meta.late_join and quiz.meta.content_kind == "quiz" and quiz.meta.remember_recent == 200


def test_the_same_seed_plays_the_same_game() -> None:
    def play(seed: int) -> list[Any]:
        content = Content(items=builtin_items("quiz"))
        step = quiz.start({"questions": 6, "reveal_seconds": 1}, ["ann", "bob"], seed, T0, content)
        log = [(e.kind, e.data, e.to) for e in step.events]
        state = step.state
        while not state["finished"]:
            if state["phase"] == "question":
                s = answer(state, "ann", right_answer(state), state["asked_at"] + 2)
                log += [(e.kind, e.data, e.to) for e in s.events]
            s = quiz.tick(state, state["deadline"])
            log += [(e.kind, e.data, e.to) for e in s.events]
        return log

    assert play(42) == play(42)
    assert play(42) != play(43)


def test_state_survives_a_msgpack_round_trip_mid_question() -> None:
    state = new_game().state
    answer(state, "ann", right_answer(state), T0 + 3)
    restored = msgpack.unpackb(msgpack.packb(state), strict_map_key=True)
    assert restored == state
    a = answer(state, "bob", 0, T0 + 4).events
    b = answer(restored, "bob", 0, T0 + 4).events
    assert a == b and restored == state


# --- the demo bank ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_demo_pack_is_a_cc0_quiz_pack(lang: str) -> None:
    pack = json.loads((CONTENT_DIR / f"quiz_demo_{lang}.json").read_text(encoding="utf-8"))
    assert pack["campfire_pack"] == 1 and pack["kind"] == "quiz" and pack["license"] == "CC0-1.0"
    assert len(pack["items"]) >= 35
    assert {it["lang"] for it in pack["items"]} == {lang}
    assert {it["type"] for it in pack["items"]} == {"choice", "text"}


def test_every_demo_item_validates_and_ids_are_unique() -> None:
    items = [it for it in builtin_items("quiz") if it["id"].startswith(("zh-", "en-"))]
    assert len(items) >= 70
    for it in items:
        assert quiz.validate_item(it) == [], it["id"]
    ids = [it["id"] for it in items]
    assert len(ids) == len(set(ids))


def test_every_demo_text_answer_matches_itself_and_its_aliases() -> None:
    for it in builtin_items("quiz"):
        if it["type"] == "text":
            for candidate in [it["answer"], *it.get("aliases", [])]:
                assert quiz._is_right(it, candidate), (it["id"], candidate)


def test_validate_item_reports_every_problem() -> None:
    problems = dict(quiz.validate_item({"id": "", "lang": "fr", "type": "choice", "question": "?",
                                        "choices": ["a"], "answer": True, "aliases": ["x"],
                                        "difficulty": 4, "colour": "red"}))
    assert set(problems) == {"id", "lang", "choices", "answer", "aliases", "category", "difficulty", "colour"}
    assert quiz.validate_item({**text_q("t"), "answer": ""}) == [("answer", "must be a non-empty string")]
    assert quiz.validate_item({**choice_q("c"), "answer": 9}) == [("answer", "must be between 0 and 3")]
    assert quiz.validate_item("nope") == [("item", "must be an object")]  # type: ignore[arg-type]


def test_a_group_chooses_several_categories_in_either_language_and_a_difficulty() -> None:
    items = (choice_q("h1", category="history"), choice_q("s1", category="science"),
             choice_q("f1", category="food"), {**choice_q("h2", category="历史"), "difficulty": 3})
    state = quiz.start({"questions": 9, "category": "历史, science"}, ["ann"], 1, T0, Content(items=items)).state
    assert sorted(state["content_used"]) == ["h1", "h2", "s1"]
    state = quiz.start({"questions": 9, "category": "history", "difficulty": 3}, ["ann"], 1, T0,
                       Content(items=items)).state
    assert state["content_used"] == ["h2"]


def test_fact_and_source_are_accepted_but_must_be_text() -> None:
    assert quiz.validate_item({**choice_q("a"), "fact": "Water boils at 100 °C at sea level.", "source": "SI"}) == []
    assert ("fact", "must be a string") in quiz.validate_item({**choice_q("a"), "fact": 3})
