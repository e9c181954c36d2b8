"""Secrets never leak, over many random games: 520 seeded games played in-process by a
random bot (innocent clues, attempts to say its own word, junk moves, timeouts, random and
abstaining votes, blank guesses). After every step we check every event a player or "all"
receives and every player's and the public view: before "finished", nobody sees another
player's word, and nobody sees a role."""
from __future__ import annotations

import copy
import json
import random
import re
from typing import Any

import games.spy as spy
from games.base import Content, Event, Refusal, Step

GAMES = 520

PAIRS = (
    {"id": "z1", "lang": "zh", "words": ["苹果", "香蕉"], "category": "food", "difficulty": 1},
    {"id": "z2", "lang": "zh", "words": ["月亮", "太阳"], "category": "nature", "difficulty": 2},
    {"id": "e1", "lang": "en", "words": ["zebra", "okapi"], "category": "animals", "difficulty": 2},
    {"id": "e2", "lang": "en", "words": ["violin", "cello"], "category": "culture", "difficulty": 3},
)
ALL_WORDS = {w for p in PAIRS for w in p["words"]}
CLUES = ("it is common", "很常见", "有颜色的", "you can find it outside", "小朋友喜欢", "round-ish", "嗯……",
         "not sure", "一种东西", "big", "small!", "在家里也有")


_ROLE_VALUE = re.compile(r'"(?:spy|civilian|blank|spies|civilians)"(?!:)')
_ROLE_KEY = re.compile(r'"(?:role|roles|winner|winners|words)":')
_FORBIDDEN = {own: re.compile("|".join(sorted(ALL_WORDS - {own}))) for own in ALL_WORDS | {None}}


def assert_clean(payload: Any, own_word: str | None, where: str) -> None:
    """No word but ``own_word``, and no role, anywhere in ``payload`` (scanned as JSON text)."""
    if isinstance(payload, dict) and payload.get("game") == "spy":  # the game's name, not a role
        payload = {k: v for k, v in payload.items() if k != "game"}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    assert not _FORBIDDEN[own_word].search(text), f"{where}: a word leaked in {text}"
    assert not _ROLE_VALUE.search(text), f"{where}: a role leaked in {text}"
    assert not _ROLE_KEY.search(text), f"{where}: a role key in {text}"


def own_word(state: dict, player: str) -> str | None:
    return state["words"].get(state["roles"][player])


def check_events(state: dict, events: list[Event]) -> None:
    for e in events:
        if e.kind == "finished":
            return
        if e.to == "bots":
            continue
        if e.to == "all":  # no word at all: stricter than checking each recipient
            assert_clean(e.data, None, f"public event {e.kind}")
        else:
            for p in e.to:
                assert_clean(e.data, own_word(state, p), f"event {e.kind} to {p}")
        if e.kind == "voted":
            assert set(e.data) == {"count", "of"}
        if e.kind == "vote_result":
            assert set(e.data) == {"round", "pk", "tally", "abstained", "out", "pk_candidates"}


def check_views(state: dict) -> None:
    if state["finished"]:
        return
    public = spy.view(state, None)
    assert_clean(public, None, "public view")
    for p in state["players"]:
        mine = spy.view(state, p)
        me = mine.pop("me")
        assert_clean(me, own_word(state, p), f"view of {p} (me)")
        if mine != public:  # equal content was just checked; anything else is checked in full
            assert_clean(mine, own_word(state, p), f"view of {p}")


def random_config(r: random.Random, n: int) -> dict[str, Any]:
    cfg: dict[str, Any] = {
        "leak_penalty": r.choice(["warn", "eliminate"]),
        "blank_must_die": r.random() < 0.3,
        "spy_wins_at_three": r.random() < 0.3,
        "max_rounds": r.randint(1, 8),
        "lang": r.choice([None, "zh", "en"]),
    }
    if r.random() < 0.3:
        blanks = r.randint(0, 1)
        max_spies = (n - blanks - 1) // 2
        cfg["blanks"], cfg["spies"] = blanks, r.randint(1, max_spies)
    return cfg


def bot_move(r: random.Random, state: dict, now: float) -> tuple[str, dict[str, Any]] | None:
    """One move someone might make now (or None: let the clock run)."""
    players = state["players"]
    phase = state["phase"]
    roll = r.random()
    if roll < 0.08:  # junk from anyone
        return r.choice(players + ["stranger"]), r.choice([
            {"describe": r.choice(CLUES)}, {"vote": r.choice(players + [None, "nobody"])},
            {"guess": "香蕉"}, {"describe": ""}, {"dance": True}, {"vote": 7},
        ])
    if phase in ("describe", "pk_describe"):
        if roll < 0.15:
            return None
        who = spy.view(state, None)["turn"]
        word = own_word(state, who)
        if word and roll < 0.25:
            return who, {"describe": r.choice([f"{word}", f"像{word}一样", f"my {word.upper()}!"])}
        return who, {"describe": r.choice(CLUES)}
    if phase in ("vote", "pk_vote"):
        if roll < 0.12:
            return None
        pending = [v for v in state["voters"] if v not in state["votes"]]
        voter = r.choice(pending)
        target = r.choice(state["candidates"] + [None])
        return voter, {"vote": target}
    if phase == "blank_guess":
        if roll < 0.3:
            return None
        guesser = state["guesser"]
        return guesser, {"guess": r.choice([state["words"]["civilian"], "something", "太阳"])}
    return None


def play(seed: int) -> dict:
    r = random.Random(seed)
    n = r.randint(4, 12)
    players = [f"p{i}" for i in range(n)]
    cfg = random_config(r, n)
    recent = tuple(r.sample([p["id"] for p in PAIRS], r.randint(0, 3)))
    now = 0.0
    step = spy.start(cfg, players, seed, now, Content(items=PAIRS, recent=recent))
    state = step.state
    check_events(state, step.events)
    check_views(state)
    for _ in range(5_000):
        if state["finished"]:
            break
        move = bot_move(r, state, now)
        if move is None:
            now = state["deadline"]
            out: Step | Refusal = spy.tick(state, now)
        else:
            player, action = move
            snapshot = copy.deepcopy(state) if r.random() < 0.05 else None
            out = spy.act(state, player, action, now)
            if isinstance(out, Refusal):
                if snapshot is not None:
                    assert state == snapshot, f"refusal {out.code} changed the state"
                continue
        check_events(state, out.events)
        check_views(state)
    assert state["finished"], f"game {seed} did not end"
    return state


def test_no_secret_reaches_anyone_before_the_end_in_random_games() -> None:
    winners: dict[str, int] = {}
    for seed in range(GAMES):
        state = play(seed)
        winners[state["winner"]] = winners.get(state["winner"], 0) + 1
        assert json.loads(json.dumps(state)) == state
        result = spy.result(state)
        assert {p.player for p in result.players} == set(state["players"])
    # the bot explores every ending
    assert set(winners) == {"civilians", "spies", "blank"}, winners
