"""Who's the Spy (谁是卧底): the rules, one behaviour per test. Word packs are built here
so the tests do not depend on the bundled packs."""
from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import games.spy as spy
from games.base import ConfigError, Content, Event, Refusal, Step
from games.registry import get_game
from games.spy.deal import DEFAULT_ROLES

T0 = 1_000.0


def pair(i: int, a: str = "苹果", b: str = "香蕉", lang: str = "zh") -> dict[str, Any]:
    return {"id": f"p{i}", "lang": lang, "words": [a, b], "category": "food", "difficulty": 1}


ONE_PAIR = Content(items=(pair(1),))


def names(n: int) -> list[str]:
    return [f"u{i}" for i in range(1, n + 1)]


def new(n: int = 6, seed: int = 1, content: Content = ONE_PAIR, **config: Any) -> tuple[dict, list[Event]]:
    step = spy.start(config, names(n), seed, T0, content)
    return step.state, step.events


def role_of(state: dict, role: str) -> list[str]:
    return [p for p in state["players"] if state["roles"][p] == role]


def ok(result: Step | Refusal) -> list[Event]:
    assert isinstance(result, Step), result
    return result.events


def kinds(events: list[Event]) -> list[str]:
    return [e.kind for e in events]


def describe_round(state: dict, now: float = T0) -> list[Event]:
    """Every speaker in turn gives an innocent description."""
    events: list[Event] = []
    while state["phase"] in ("describe", "pk_describe"):
        who = spy.view(state, None)["turn"]
        events += ok(spy.act(state, who, {"describe": "it is something you meet every day"}, now))
    return events


def vote(state: dict, choices: dict[str, str | None], now: float = T0) -> list[Event]:
    """Each voter votes as told (abstains when not told)."""
    events: list[Event] = []
    for voter in list(state["voters"]):
        if state["phase"] not in ("vote", "pk_vote"):
            break
        events += ok(spy.act(state, voter, {"vote": choices.get(voter)}, now))
    return events


def vote_out(state: dict, target: str, now: float = T0) -> list[Event]:
    """Everyone votes ``target``; ``target`` votes for someone else, so it is a clear majority."""
    other = next(p for p in state["candidates"] if p != target)
    return vote(state, {v: (target if v != target else other) for v in state["voters"]}, now)


def round_out(state: dict, target: str) -> list[Event]:
    return describe_round(state) + vote_out(state, target)


def find(events: list[Event], kind: str) -> Event:
    return next(e for e in events if e.kind == kind)


# ----------------------------------------------------------------------------- setup

def test_registry_knows_spy() -> None:
    assert get_game("spy") is spy
    assert spy.meta.content_kind == "spy" and spy.meta.remember_recent == 20
    assert (spy.meta.min_players, spy.meta.max_players) == (4, 12)


@pytest.mark.parametrize("n", range(4, 13))
def test_default_role_counts_follow_the_table(n: int) -> None:
    state, events = new(n)
    c, s, b = DEFAULT_ROLES[n]
    assert (len(role_of(state, "civilian")), len(role_of(state, "spy")), len(role_of(state, "blank"))) == (c, s, b)
    assert find(events, "started").data["counts"] == {"civilians": c, "spies": s, "blanks": b}


def test_table_matches_the_issue() -> None:
    assert DEFAULT_ROLES == {4: (3, 1, 0), 5: (3, 1, 1), 6: (4, 1, 1), 7: (4, 2, 1), 8: (5, 2, 1),
                             9: (6, 2, 1), 10: (6, 3, 1), 11: (7, 3, 1), 12: (8, 3, 1)}


def test_room_may_override_spies_and_blanks() -> None:
    state, _ = new(8, spies=3, blanks=0)
    assert (len(role_of(state, "civilian")), len(role_of(state, "spy")), len(role_of(state, "blank"))) == (5, 3, 0)


@pytest.mark.parametrize("n, config", [
    (6, {"spies": 3, "blanks": 1}),   # 2 civilians vs 3 spies
    (4, {"spies": 2}),                # 2 vs 2: civilians must outnumber spies
    (6, {"blanks": 2}),               # at most one blank
    (6, {"spies": 0}),
    (6, {"describe_seconds": 1}),
    (6, {"leak_penalty": "shout"}),
    (6, {"colour": "red"}),
])
def test_bad_overrides_are_refused_at_start(n: int, config: dict) -> None:
    with pytest.raises(ConfigError):
        new(n, **config)


@pytest.mark.parametrize("n", [3, 13])
def test_player_count_must_be_4_to_12(n: int) -> None:
    with pytest.raises(ConfigError):
        new(n)


def test_no_usable_pairs_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        spy.start({}, names(5), 1, T0, Content(items=({"id": "x", "words": ["a"]},)))


def test_which_word_the_civilians_get_is_random() -> None:
    civilian_words = set()
    for seed in range(40):
        state, _ = new(5, seed=seed)
        civilian_words.add(state["words"]["civilian"])
    assert civilian_words == {"苹果", "香蕉"}


def test_start_is_deterministic_under_a_seed() -> None:
    a, ea = new(9, seed=7)
    b, eb = new(9, seed=7)
    assert a == b and ea == eb


def test_state_survives_json() -> None:
    state, _ = new(7)
    round_out(state, role_of(state, "civilian")[0])
    assert json.loads(json.dumps(state)) == state


# ----------------------------------------------------------------------------- words

def test_each_player_gets_their_word_privately() -> None:
    state, events = new(8, seed=3)
    words = [e for e in events if e.kind == "your_word"]
    assert sorted(e.to for e in words) == sorted((p,) for p in state["players"])
    for e in words:
        (p,) = e.to
        role = state["roles"][p]
        if role == "blank":
            assert e.data == {"word": None, "blank": True}
        else:
            assert e.data == {"word": state["words"][role], "blank": False}


def test_your_word_looks_the_same_for_spies_and_civilians() -> None:
    state, events = new(8)
    shapes = {tuple(sorted(e.data)) for e in events if e.kind == "your_word"}
    assert shapes == {("blank", "word")}
    assert all("role" not in json.dumps(e.data) for e in events)


def test_view_shows_only_your_own_word_and_no_roles() -> None:
    state, _ = new(6)
    for p in state["players"]:
        v = spy.view(state, p)
        assert v["me"]["word"] == state["words"].get(state["roles"][p])
        assert "roles" not in v and "words" not in v
    public = spy.view(state, None)
    assert "me" not in public and "roles" not in public and "words" not in public
    assert "苹果" not in json.dumps(public, ensure_ascii=False) and "香蕉" not in json.dumps(public, ensure_ascii=False)


# ----------------------------------------------------------------------------- turns

def test_first_round_order_is_a_random_permutation() -> None:
    orders = set()
    for seed in range(10):
        state, events = new(6, seed=seed)
        order = find(events, "round").data["order"]
        assert sorted(order) == sorted(state["players"])
        assert find(events, "turn").data["player"] == order[0]
        orders.add(tuple(order))
    assert len(orders) > 1


def test_order_rotates_by_one_each_round() -> None:
    state, events = new(6, seed=2)
    first = find(events, "round").data["order"]
    events = describe_round(state) + vote(state, {})  # everyone abstains: nobody out
    assert find(events, "vote_result").data["out"] is None
    assert find(events, "round").data == {"round": 2, "order": first[1:] + first[:1]}


def test_rotation_skips_the_eliminated() -> None:
    state, events = new(6, seed=2)
    first = find(events, "round").data["order"]
    victim = next(p for p in first if state["roles"][p] == "civilian")
    events = round_out(state, victim)
    survivors = [p for p in first if p != victim]
    assert find(events, "round").data["order"] == survivors[1:] + survivors[:1]


def test_describing_out_of_turn_is_refused() -> None:
    state, _ = new(5)
    other = spy.view(state, None)["order"][1]
    r = spy.act(state, other, {"describe": "hello"}, T0)
    assert isinstance(r, Refusal) and r.code == "not_your_turn"


def test_a_turn_times_out_and_is_skipped() -> None:
    state, events = new(5)
    turn = find(events, "turn").data
    assert turn["deadline"] == T0 + 60
    assert spy.tick(state, T0 + 59).events == []
    events = spy.tick(state, T0 + 60).events
    assert kinds(events) == ["skipped", "turn"]
    assert events[0].data["player"] == turn["player"]
    assert state["skips"][turn["player"]] == 1
    assert spy.view(state, None)["descriptions"][-1] == {"round": 1, "player": turn["player"], "text": None,
                                                         "pk": False, "skipped": True}


def test_describe_seconds_setting_sets_the_turn_deadline() -> None:
    state, events = new(5, describe_seconds=20)
    assert find(events, "turn").data["deadline"] == T0 + 20


def test_descriptions_are_public() -> None:
    state, _ = new(5)
    who = spy.view(state, None)["turn"]
    events = ok(spy.act(state, who, {"describe": "red and round"}, T0))
    assert events[0] == Event("described", {"player": who, "text": "red and round", "round": 1, "pk": False})
    assert spy.view(state, None)["descriptions"][0]["text"] == "red and round"


@pytest.mark.parametrize("text", ["", "   ", "！？。", "..."])
def test_empty_description_is_refused(text: str) -> None:
    state, _ = new(5)
    r = spy.act(state, spy.view(state, None)["turn"], {"describe": text}, T0)
    assert isinstance(r, Refusal) and r.code == "empty_description"


def test_all_timeouts_lead_to_the_vote() -> None:
    state, _ = new(4)
    now = T0
    for _ in range(4):
        now += 60
        spy.tick(state, now)
    assert state["phase"] == "vote"
    assert state["deadline"] == now + 60


# ----------------------------------------------------------------------------- votes

def test_vote_events_carry_counts_only() -> None:
    state, _ = new(6, seed=4)
    events = describe_round(state)
    opened = find(events, "vote_open").data
    assert sorted(opened["candidates"]) == sorted(state["alive"]) and opened["deadline"] == T0 + 60
    civ = role_of(state, "civilian")[0]
    voter = next(p for p in state["voters"] if p != civ)
    events = ok(spy.act(state, voter, {"vote": civ}, T0))
    assert events == [Event("voted", {"count": 1, "of": 6})]
    public = spy.view(state, None)
    assert public["vote"] == {"candidates": opened["candidates"], "count": 1, "of": 6}
    assert "my_vote" not in json.dumps(public)
    assert spy.view(state, voter)["me"]["my_vote"] == civ
    assert "my_vote" not in spy.view(state, civ)["me"]


def test_vote_result_is_a_tally_not_a_ballot_list() -> None:
    state, _ = new(6, seed=4)
    describe_round(state)
    target = role_of(state, "civilian")[0]
    events = vote_out(state, target)
    res = find(events, "vote_result").data
    assert res["out"] == target
    assert res["tally"][target] == 5 and sum(res["tally"].values()) == 6
    assert set(res) == {"round", "pk", "tally", "abstained", "out", "pk_candidates"}


def test_vote_ends_at_the_deadline_with_missing_votes_as_abstentions() -> None:
    state, _ = new(6, seed=4)
    describe_round(state)
    target = role_of(state, "civilian")[0]
    voters = [p for p in state["voters"] if p != target][:2]
    for v in voters:
        ok(spy.act(state, v, {"vote": target}, T0))
    assert state["phase"] == "vote"
    events = spy.tick(state, T0 + 60).events
    res = find(events, "vote_result").data
    assert res["out"] == target and res["abstained"] == 4


def test_abstaining_is_allowed_and_all_abstain_means_nobody_out() -> None:
    state, _ = new(5)
    describe_round(state)
    events = vote(state, {})
    res = find(events, "vote_result").data
    assert res["out"] is None and res["abstained"] == 5 and res["pk_candidates"] == []
    assert state["round"] == 2 and len(state["alive"]) == 5


def test_vote_refusals() -> None:
    state, _ = new(6)
    describe_round(state)
    a, b = state["voters"][:2]
    assert spy.act(state, a, {"vote": a}, T0).code == "cannot_vote_self"
    assert spy.act(state, a, {"vote": "nobody"}, T0).code == "invalid_target"
    assert spy.act(state, a, {"vote": 3}, T0).code == "invalid_target"
    ok(spy.act(state, a, {"vote": b}, T0))
    assert spy.act(state, a, {"vote": b}, T0).code == "already_voted"
    assert spy.act(state, a, {"vote": None}, T0).code == "already_voted"


def test_voting_during_descriptions_is_wrong_phase() -> None:
    state, _ = new(5)
    p = state["players"][0]
    assert spy.act(state, p, {"vote": state["players"][1]}, T0).code == "wrong_phase"
    assert spy.act(state, p, {"guess": "x"}, T0).code == "wrong_phase"


def test_describing_during_the_vote_is_wrong_phase() -> None:
    state, _ = new(5)
    describe_round(state)
    assert spy.act(state, state["players"][0], {"describe": "late"}, T0).code == "wrong_phase"


def test_strangers_and_the_eliminated_are_refused() -> None:
    state, _ = new(6)
    victim = role_of(state, "civilian")[0]
    round_out(state, victim)
    assert spy.act(state, "stranger", {"describe": "hi"}, T0).code == "not_a_player"
    assert spy.act(state, victim, {"describe": "hi"}, T0).code == "eliminated"


@pytest.mark.parametrize("action", [{}, {"dance": 1}, {"describe": "a", "vote": None}, "describe", {"describe": 5}])
def test_malformed_actions_are_invalid(action: Any) -> None:
    state, _ = new(5)
    assert spy.act(state, spy.view(state, None)["turn"], action, T0).code == "invalid_action"


def test_every_refusal_leaves_the_state_unchanged() -> None:
    state, _ = new(6, seed=11)
    who = spy.view(state, None)["turn"]
    word = state["words"].get(state["roles"][who]) or ""
    attempts: list[tuple[str, Any]] = [
        ("stranger", {"describe": "x"}),
        (state["players"][0] if state["players"][0] != who else state["players"][1], {"describe": "x"}),
        (who, {"describe": ""}),
        (who, {"describe": f"it is {word}" if word else "x" * 500}),
        (who, {"vote": None}),
        (who, {"guess": "x"}),
        (who, {"nonsense": 1}),
    ]
    for player, action in attempts:
        before = copy.deepcopy(state)
        assert isinstance(spy.act(state, player, action, T0), Refusal)
        assert state == before
    describe_round(state)
    a = state["voters"][0]
    for action in ({"vote": a}, {"vote": "zz"}):
        before = copy.deepcopy(state)
        assert isinstance(spy.act(state, a, action, T0), Refusal)
        assert state == before


# ----------------------------------------------------------------------------- PK

def tie_two(state: dict) -> tuple[str, str, list[Event]]:
    """A 3-3 tie (or similar) between two civilians in a 6-player room."""
    x, y = role_of(state, "civilian")[:2]
    others = [p for p in state["voters"] if p not in (x, y)]
    choices = {x: y, y: x}
    for i, p in enumerate(others):
        choices[p] = x if i % 2 == 0 else y
    return x, y, vote(state, choices)


def test_a_tie_goes_to_a_pk_round() -> None:
    state, _ = new(6, spies=1, blanks=0)
    describe_round(state)
    x, y, events = tie_two(state)
    res = find(events, "vote_result").data
    assert res["out"] is None and sorted(res["pk_candidates"]) == sorted([x, y])
    assert find(events, "pk").data["players"] == [p for p in state["order"] if p in (x, y)]
    assert state["phase"] == "pk_describe" and state["round"] == 1
    assert find(events, "turn").data["pk"] is True


def test_in_a_pk_only_the_tied_describe_and_only_the_others_vote() -> None:
    state, _ = new(6, spies=1, blanks=0)
    describe_round(state)
    x, y, _ = tie_two(state)
    outsider = next(p for p in state["alive"] if p not in (x, y))
    assert spy.act(state, outsider, {"describe": "me too"}, T0).code == "not_your_turn"
    events = describe_round(state)
    opened = find(events, "vote_open").data
    assert sorted(opened["candidates"]) == sorted([x, y]) and opened["voters"] == 4 and opened["pk"]
    assert spy.act(state, x, {"vote": y}, T0).code == "not_a_voter"
    assert spy.act(state, outsider, {"vote": outsider}, T0).code == "cannot_vote_self"
    other = next(p for p in state["alive"] if p not in (x, y, outsider))
    assert spy.act(state, outsider, {"vote": other}, T0).code == "invalid_target"
    events = vote(state, {v: x for v in state["voters"]})
    assert find(events, "vote_result").data["out"] == x
    assert find(events, "eliminated").data == {"player": x, "round": 1, "reason": "vote"}


def test_a_second_tie_means_nobody_is_out() -> None:
    state, _ = new(6, spies=1, blanks=0)
    describe_round(state)
    x, y, _ = tie_two(state)
    describe_round(state)
    voters = state["voters"]
    events = vote(state, {v: (x if i % 2 == 0 else y) for i, v in enumerate(voters)})
    res = find(events, "vote_result").data
    assert res["out"] is None and res["pk"] is True and res["pk_candidates"] == []
    assert "eliminated" not in kinds(events) and "pk" not in kinds(events)
    assert state["round"] == 2 and len(state["alive"]) == 6 and state["phase"] == "describe"


# ----------------------------------------------------------------------------- leaks

def leak_game(word_pair: tuple[str, str], lang: str = "zh", seed: int = 1, **config: Any) -> tuple[dict, str, str]:
    """A game, the speaker whose turn it is and that speaker's word (a non-blank speaker)."""
    content = Content(items=(pair(1, *word_pair, lang=lang),))
    for s in range(seed, seed + 50):
        state, _ = new(5, seed=s, content=content, **config)
        who = spy.view(state, None)["turn"]
        if state["roles"][who] != "blank":
            return state, who, state["words"][state["roles"][who]]
    raise AssertionError("no seed with a worded first speaker")


def test_saying_your_word_is_refused_with_a_private_warning() -> None:
    state, who, word = leak_game(("苹果", "香蕉"))
    before = copy.deepcopy(state)
    r = spy.act(state, who, {"describe": f"我最喜欢{word}了"}, T0)
    assert isinstance(r, Refusal) and r.code == "word_in_description" and r.data == {"penalty": "warn"}
    assert state == before


def test_a_warned_player_can_try_again_within_the_turn() -> None:
    state, who, word = leak_game(("苹果", "香蕉"))
    assert spy.act(state, who, {"describe": word}, T0).code == "word_in_description"
    ok(spy.act(state, who, {"describe": "一种水果"}, T0))


def test_the_other_word_is_not_a_leak() -> None:
    state, who, word = leak_game(("苹果", "香蕉"))
    other = ({"苹果", "香蕉"} - {word}).pop()
    ok(spy.act(state, who, {"describe": f"不是{other}"}, T0))


def test_leak_penalty_eliminate_takes_the_player_out_without_publishing_the_text() -> None:
    state, who, word = leak_game(("苹果", "香蕉"), leak_penalty="eliminate")
    events = ok(spy.act(state, who, {"describe": f"就是{word}"}, T0))
    assert find(events, "leak").to == (who,)
    assert find(events, "eliminated").data == {"player": who, "round": 1, "reason": "word_in_description"}
    assert who not in state["alive"]
    assert word not in json.dumps([e.data for e in events if e.to == "all"], ensure_ascii=False)
    assert word not in json.dumps(spy.view(state, None), ensure_ascii=False)


def test_blank_has_no_word_to_leak() -> None:
    content = Content(items=(pair(1),))
    for s in range(200):
        state, _ = new(5, seed=s, content=content, leak_penalty="eliminate")
        who = spy.view(state, None)["turn"]
        if state["roles"][who] == "blank":
            events = ok(spy.act(state, who, {"describe": "苹果 香蕉"}, T0))
            assert kinds(events)[0] == "described"
            return
    raise AssertionError("no blank spoke first")


# ----------------------------------------------------------------------------- blank guess

def blank_game(**config: Any) -> dict:
    state, _ = new(6, seed=5, spies=1, blanks=1, **config)
    return state


def test_blank_voted_out_gets_to_guess() -> None:
    state = blank_game()
    blank = role_of(state, "blank")[0]
    events = round_out(state, blank)
    assert kinds(events)[-2:] == ["eliminated", "blank_guess_open"]
    assert find(events, "eliminated").data == {"player": blank, "round": 1, "reason": "vote"}
    assert find(events, "blank_guess_open").data == {"player": blank, "deadline": T0 + 60}
    assert state["phase"] == "blank_guess"
    civ = role_of(state, "civilian")[0]
    assert spy.act(state, civ, {"guess": "x"}, T0).code == "not_your_turn"
    assert spy.act(state, blank, {"guess": " "}, T0).code == "empty_guess"


@pytest.mark.parametrize("form", ["plain", "traditional", "pinyin"])
def test_a_right_guess_wins_for_the_blank(form: str) -> None:
    state = blank_game()
    blank = role_of(state, "blank")[0]
    round_out(state, blank)
    word = state["words"]["civilian"]
    guess = {"plain": word, "traditional": {"苹果": "蘋果", "香蕉": "香蕉"}[word],
             "pinyin": {"苹果": "píng guǒ", "香蕉": "xiang1jiao1"}[word]}[form]
    events = ok(spy.act(state, blank, {"guess": guess}, T0))
    assert find(events, "blank_guess_result").data["correct"] is True
    fin = find(events, "finished").data
    assert fin["winner"] == "blank" and fin["winners"] == [blank]
    res = spy.result(state)
    assert [p.player for p in res.players if p.won] == [blank]


def test_a_wrong_guess_does_not_publish_the_guess_and_play_goes_on() -> None:
    state = blank_game()
    blank = role_of(state, "blank")[0]
    round_out(state, blank)
    events = ok(spy.act(state, blank, {"guess": state["words"]["spy"]}, T0))
    assert find(events, "blank_guess_result").data == {"player": blank, "correct": False, "timed_out": False}
    assert state["words"]["spy"] not in json.dumps([e.data for e in events], ensure_ascii=False)
    assert state["round"] == 2 and state["phase"] == "describe"


def test_the_guess_times_out() -> None:
    state = blank_game()
    blank = role_of(state, "blank")[0]
    round_out(state, blank)
    events = spy.tick(state, T0 + 60).events
    assert find(events, "blank_guess_result").data["timed_out"] is True
    assert state["phase"] == "describe"


def test_the_guess_is_only_once() -> None:
    state = blank_game()
    blank = role_of(state, "blank")[0]
    round_out(state, blank)
    ok(spy.act(state, blank, {"guess": "nope"}, T0))
    assert spy.act(state, blank, {"guess": "again"}, T0).code in ("wrong_phase", "eliminated")


# ----------------------------------------------------------------------------- winning

def test_civilians_win_when_every_spy_is_out() -> None:
    state, _ = new(6, spies=1, blanks=1)
    events = round_out(state, role_of(state, "spy")[0])
    fin = find(events, "finished").data
    assert fin["winner"] == "civilians" and state["finished"] and state["deadline"] is None
    assert fin["roles"] == state["roles"]
    assert fin["words"] == {"civilian": state["words"]["civilian"], "spy": state["words"]["spy"]}
    assert find(events, "finished").to == "all"


def test_with_blank_must_die_civilians_also_need_the_blank_out() -> None:
    state, _ = new(6, seed=2, spies=1, blanks=1, blank_must_die=True)
    events = round_out(state, role_of(state, "spy")[0])
    assert "finished" not in kinds(events)
    blank = role_of(state, "blank")[0]
    round_out(state, blank)
    events = ok(spy.act(state, blank, {"guess": "wrong"}, T0))
    assert find(events, "finished").data["winner"] == "civilians"


def test_spies_win_when_they_match_the_civilians() -> None:
    state, _ = new(5, seed=3, spies=2, blanks=0)  # 3 civilians, 2 spies
    events = round_out(state, role_of(state, "civilian")[0])
    fin = find(events, "finished").data
    assert fin["winner"] == "spies" and sorted(fin["winners"]) == sorted(role_of(state, "spy"))


def test_spy_wins_at_three_when_configured() -> None:
    state, _ = new(4, spies=1, blanks=0, spy_wins_at_three=True)
    events = round_out(state, role_of(state, "civilian")[0])
    assert find(events, "finished").data["winner"] == "spies"


def test_without_spy_wins_at_three_the_game_goes_on_at_three() -> None:
    state, _ = new(4, spies=1, blanks=0)
    events = round_out(state, role_of(state, "civilian")[0])
    assert "finished" not in kinds(events) and len(state["alive"]) == 3
    events = round_out(state, role_of(state, "civilian")[1])
    assert find(events, "finished").data["winner"] == "spies"


def test_the_round_limit_ends_the_game_for_surviving_spies() -> None:
    state, _ = new(5, max_rounds=2)
    describe_round(state), vote(state, {})
    events = describe_round(state) + vote(state, {})
    fin = find(events, "finished").data
    assert fin["winner"] == "spies" and fin["reason"] == "max_rounds"


def test_acting_after_the_end_is_game_over() -> None:
    state, _ = new(6)
    round_out(state, role_of(state, "spy")[0])
    assert spy.act(state, state["players"][0], {"describe": "x"}, T0).code == "game_over"
    assert spy.tick(state, T0 + 10_000).events == []


def test_roles_stay_hidden_on_elimination_by_default() -> None:
    state, _ = new(7)
    victim = role_of(state, "civilian")[0]
    events = round_out(state, victim)
    assert "role" not in find(events, "eliminated").data
    assert all("role" not in r for r in spy.view(state, None)["out"])


def test_reveal_on_elimination_shows_the_role() -> None:
    state, _ = new(7, reveal_on_elimination=True)
    victim = role_of(state, "civilian")[0]
    events = round_out(state, victim)
    assert find(events, "eliminated").data["role"] == "civilian"


def test_finished_view_reveals_everything() -> None:
    state, _ = new(6)
    round_out(state, role_of(state, "spy")[0])
    v = spy.view(state, None)
    assert v["roles"] == state["roles"] and v["winner"] == "civilians"
    assert v["words"] == {"civilian": state["words"]["civilian"], "spy": state["words"]["spy"]}


# ----------------------------------------------------------------------------- scoring

def test_scores_by_role_rounds_and_votes_against_spies() -> None:
    state, _ = new(6, seed=8, spies=1, blanks=0)
    spy_id = role_of(state, "spy")[0]
    c1, c2 = role_of(state, "civilian")[:2]
    describe_round(state)
    vote(state, {})  # round 1: nobody out
    describe_round(state)
    choices = {v: spy_id for v in state["voters"] if v != spy_id}
    choices[c1] = None  # c1 abstains
    choices[spy_id] = c1
    vote(state, choices)
    assert state["winner"] == "civilians"
    res = {p.player: p for p in spy.result(state).players}
    assert res[c2].won and res[c2].score == 10 + 2 * 2 + 3
    assert res[c2].stats["role"] == "civilian" and res[c2].stats["votes_against_spies"] == 1
    assert res[c1].score == 10 + 2 * 2 + 0
    assert not res[spy_id].won and res[spy_id].score == 2 * 1 and res[spy_id].stats["rounds_survived"] == 1
    assert min(p.rank for p in res.values()) == 1
    assert spy.result(state).summary["winner"] == "civilians"


def test_spy_win_is_worth_twenty() -> None:
    state, _ = new(4, spies=1, blanks=0, spy_wins_at_three=True)
    round_out(state, role_of(state, "civilian")[0])
    res = {p.player: p for p in spy.result(state).players}
    s = role_of(state, "spy")[0]
    assert res[s].won and res[s].score == 20 + 2 * 1 and res[s].rank == 1


# ----------------------------------------------------------------------------- content

def test_a_group_never_gets_one_of_its_last_20_pairs() -> None:
    items = tuple(pair(i, f"词{i}甲", f"词{i}乙") for i in range(25))
    recent = tuple(f"p{i}" for i in range(20))
    picked = set()
    for seed in range(60):
        state, _ = new(5, seed=seed, content=Content(items=items, recent=recent))
        assert state["pair_id"] not in recent
        assert state["content_used"] == [state["pair_id"]]
        picked.add(state["pair_id"])
    assert picked == {f"p{i}" for i in range(20, 25)}


def test_when_every_pair_is_recent_the_least_recent_is_used() -> None:
    items = tuple(pair(i, f"词{i}甲", f"词{i}乙") for i in range(3))
    state, _ = new(5, content=Content(items=items, recent=("p2", "p0", "p1")))  # newest first
    assert state["pair_id"] == "p1"


def test_lang_setting_picks_pairs_in_that_language() -> None:
    items = (pair(1), pair(2, "apple", "pear", lang="en"))
    for seed in range(10):
        state, _ = new(5, seed=seed, content=Content(items=items), lang="en")
        assert state["pair_id"] == "p2"


def test_invalid_items_are_skipped_when_picking() -> None:
    items = ({"id": "bad", "lang": "zh", "words": ["同", "同"], "category": "food", "difficulty": 1}, pair(1))
    for seed in range(10):
        state, _ = new(5, seed=seed, content=Content(items=items))
        assert state["pair_id"] == "p1"


GOOD = {"id": "z1", "lang": "zh", "words": ["苹果", "香蕉"], "category": "food", "difficulty": 2}


@pytest.mark.parametrize("change, field", [
    ({}, None),
    ({"id": ""}, "id"),
    ({"id": 5}, "id"),
    ({"lang": "fr"}, "lang"),
    ({"words": ["苹果"]}, "words"),
    ({"words": "苹果 香蕉"}, "words"),
    ({"words": ["苹果", " "]}, "words[1]"),
    ({"words": [3, "香蕉"]}, "words[0]"),
    ({"words": ["苹果", "蘋果"]}, "words"),
    ({"words": ["Apple", "apple!"]}, "words"),
    ({"category": "cars"}, "category"),
    ({"difficulty": 4}, "difficulty"),
    ({"difficulty": True}, "difficulty"),
    ({"difficulty": "1"}, "difficulty"),
])
def test_validate_item(change: dict, field: str | None) -> None:
    problems = spy.validate_item({**GOOD, **change})
    assert [f for f, _ in problems] == ([] if field is None else [field])


def test_validate_item_reports_every_problem() -> None:
    problems = spy.validate_item({"words": ["a", "a"], "difficulty": 0})
    assert {f for f, _ in problems} == {"id", "lang", "words", "category", "difficulty"}


def test_a_game_starts_from_the_builtin_packs() -> None:
    from games.content import builtin_items

    items = builtin_items("spy")
    if not items:
        pytest.skip("no built-in spy packs yet")
    assert all(spy.validate_item(it) == [] for it in items)
    for lang in ("zh", "en"):
        state, events = new(6, content=Content(items=items), lang=lang)
        chosen = next(it for it in items if it["id"] == state["pair_id"])
        assert chosen["lang"] == lang and sorted(state["words"].values()) == sorted(chosen["words"])
