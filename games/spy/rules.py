"""Who's the Spy (谁是卧底) as a sans-I/O state machine.

Phases: describe -> vote -> (pk_describe -> pk_vote) -> (blank_guess) -> next round ...
-> finished. Secrets in the state: ``roles``, ``words`` and ``votes`` (who voted for
whom). They leave only through ``view``/events built here, and those are written so
that before "finished" a player sees only their own word, nobody sees a role (except
the moment the blank is announced as guessing, which the rules make unavoidable), and
votes appear only as counts.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence, cast

from games.base import (
    ConfigError,
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
from games.rng import Rng
from games.spy.deal import (
    BLANK,
    CIVILIAN,
    MAX_PLAYERS,
    MIN_PLAYERS,
    SPY,
    deal_roles,
    pick_pair,
    role_counts,
    validate_item,
)
from games.spy.leak import guess_matches, leaks
from games.text import fold

MAX_DESCRIPTION = 200
MAX_GUESS = 50

# Points (see docs/games/spy.md).
WIN_POINTS = {CIVILIAN: 10, SPY: 20, BLANK: 30}
POINTS_PER_ROUND = 2
POINTS_PER_SPY_VOTE = 3

SIDE_OF = {CIVILIAN: "civilians", SPY: "spies", BLANK: "blank"}

meta = GameMeta(
    name="spy",
    title_zh="谁是卧底",
    title_en="Who's the Spy",
    min_players=MIN_PLAYERS,
    max_players=MAX_PLAYERS,
    usage_zh="每人私下收到一个词，卧底的词与大家略有不同，白板没有词。轮流描述自己的词（不能说出词本身），"
             "然后投票找出卧底。动作：{\"describe\": 文本}、{\"vote\": 玩家或 null}、{\"guess\": 文本}（白板出局时猜词）。",
    usage_en="Everyone privately gets a word; the spies' word differs slightly and the blank gets none. "
             "Take turns describing your word without saying it, then vote out whom you suspect. "
             "Actions: {\"describe\": text}, {\"vote\": player or null}, {\"guess\": text} (the blank, once voted out).",
    config=(
        ConfigField("spies", int, None, "卧底人数（默认按人数查表）", "number of spies (default: by player count)",
                    min=1, max=5, optional=True),
        ConfigField("blanks", int, None, "白板人数（0 或 1，默认按人数查表）", "number of blanks (0 or 1; default: by player count)",
                    min=0, max=1, optional=True),
        ConfigField("describe_seconds", int, 60, "每人描述时限（秒）", "seconds for each description", min=10, max=600),
        ConfigField("vote_seconds", int, 60, "投票时限（秒）", "seconds for each vote", min=10, max=600),
        ConfigField("guess_seconds", int, 60, "白板猜词时限（秒）", "seconds for the blank's guess", min=10, max=600),
        ConfigField("reveal_on_elimination", bool, False, "出局时公开身份", "reveal a player's role when they are out"),
        ConfigField("leak_penalty", str, "warn", "描述中说出自己的词：warn 警告并退回，eliminate 直接出局",
                    "saying your own word: warn (refused, try again) or eliminate", choices=("warn", "eliminate")),
        ConfigField("blank_must_die", bool, False, "平民需同时淘汰白板才算获胜", "civilians must also vote out the blank to win"),
        ConfigField("spy_wins_at_three", bool, False, "卧底存活到最后三人即获胜", "a spy alive among the last three wins"),
        ConfigField("max_rounds", int, 10, "最多轮数，之后卧底（或白板）获胜", "round limit; then surviving spies (or the blank) win",
                    min=1, max=50),
        ConfigField("lang", str, None, "词库语言（zh/en，默认不限）", "word-pair language (zh/en; default any)",
                    choices=("zh", "en"), optional=True),
    ),
    late_join=False,
    content_kind="spy",
    remember_recent=20,
)

__all__ = ["meta", "start", "act", "tick", "view", "result", "validate_item"]


# --------------------------------------------------------------------------- start

def start(config: Mapping[str, Any] | None, players: Sequence[str], seed: int, now: float,
          content: Content) -> Step:
    cfg = resolve_config(meta, config)
    players = list(players)
    if len(set(players)) != len(players):
        raise ConfigError(["players must be distinct"])
    counts = role_counts(len(players), cfg["spies"], cfg["blanks"])
    rng = Rng.from_seed(seed)
    pair = pick_pair(content, rng, cfg["lang"])
    roles = deal_roles(players, counts, rng)
    flip = rng.below(2)
    words = {CIVILIAN: pair["words"][flip], SPY: pair["words"][1 - flip]}
    order = list(players)
    rng.shuffle(order)
    state: State = {
        "game": "spy",
        "config": cfg,
        "players": players,
        "roles": roles,
        "words": words,
        "pair_id": pair["id"],
        "content_used": [pair["id"]],
        "counts": {"civilians": counts[0], "spies": counts[1], "blanks": counts[2]},
        "alive": list(players),
        "out": [],
        "round": 0,
        "order": order,
        "phase": "describe",
        "speakers": [],
        "turn": 0,
        "descriptions": [],
        "skips": {p: 0 for p in players},
        "voters": [],
        "candidates": [],
        "votes": {},
        "pk": [],
        "last_tally": None,
        "guesser": None,
        "stats": {p: {"votes_against_spies": 0, "votes_cast": 0} for p in players},
        "out_round": {},
        "deadline": None,
        "finished": False,
        "winner": None,
        "end_reason": None,
        "rng": 0,
    }
    events = [Event("started", {"players": players, "counts": dict(state["counts"])})]
    for p in players:
        word = words.get(roles[p])
        events.append(Event("your_word", {"word": word, "blank": word is None}, (p,)))
    _begin_round(state, rng, now, events, first=True)
    state["rng"] = rng.state
    return Step(state, events)


# --------------------------------------------------------------------------- act

def act(state: State, player: str, action: Mapping[str, Any], now: float) -> Step | Refusal:
    if state["finished"]:
        return refuse("game_over", "the game is over")
    if player not in state["roles"]:
        return refuse("not_a_player", "you are not in this game")
    if not isinstance(action, Mapping) or len(action) != 1 or next(iter(action)) not in ("describe", "vote", "guess"):
        return refuse("invalid_action", "send exactly one of describe, vote or guess")
    kind, value = next(iter(action.items()))
    if kind == "guess":
        return _guess(state, player, value, now)
    if player not in state["alive"]:
        return refuse("eliminated", "you are out of this game")
    if kind == "describe":
        return _describe(state, player, value, now)
    return _vote(state, player, value, now)


def _text_refusal(text: Any, what: str, empty_hint: str, limit: int) -> Refusal | None:
    """Descriptions and guesses alike: text, not blank once folded, not over ``limit``."""
    if not isinstance(text, str):
        return refuse("invalid_action", f"a {what} is text")
    if not fold(text):
        return refuse(f"empty_{what}", empty_hint)
    if len(text) > limit:
        return refuse(f"{what}_too_long", f"at most {limit} characters", max=limit)
    return None


def _describe(state: State, player: str, text: Any, now: float) -> Step | Refusal:
    if state["phase"] not in ("describe", "pk_describe"):
        return refuse("wrong_phase", "it is not time to describe")
    if _speaker(state) != player:
        return refuse("not_your_turn", "it is not your turn", turn=_speaker(state))
    refusal = _text_refusal(text, "description", "say something about your word", MAX_DESCRIPTION)
    if refusal is not None:
        return refusal
    word = state["words"].get(state["roles"][player])
    leaked = leaks(word, text)
    if leaked and state["config"]["leak_penalty"] == "warn":
        # A refusal reaches only the one who acted: it is the private warning.
        return refuse("word_in_description", "your description contains your own word; say it another way",
                      penalty="warn")
    rng = Rng(state["rng"])
    events: list[Event] = []
    pk = state["phase"] == "pk_describe"
    if leaked:
        events.append(Event("leak", {"penalty": "eliminate"}, (player,)))
        state["descriptions"].append({"round": state["round"], "player": player, "text": None,
                                      "pk": pk, "skipped": False, "leaked": True})
        _eliminate(state, player, "word_in_description", now, events)
        if not state["finished"]:
            if pk:  # the leaker is this round's elimination; the PK is called off
                _end_round(state, rng, now, events)
            else:
                _next_turn(state, rng, now, events)
    else:
        state["descriptions"].append({"round": state["round"], "player": player, "text": text,
                                      "pk": pk, "skipped": False})
        events.append(Event("described", {"player": player, "text": text, "round": state["round"], "pk": pk}))
        _next_turn(state, rng, now, events)
    state["rng"] = rng.state
    return Step(state, events)


def _vote(state: State, player: str, target: Any, now: float) -> Step | Refusal:
    if state["phase"] not in ("vote", "pk_vote"):
        return refuse("wrong_phase", "it is not time to vote")
    if player not in state["voters"]:
        return refuse("not_a_voter", "players in a PK do not vote in it")
    if player in state["votes"]:
        return refuse("already_voted", "you have already voted")
    if target is not None:
        if target == player:
            return refuse("cannot_vote_self", "you cannot vote for yourself")
        if not isinstance(target, str) or target not in state["candidates"]:
            return refuse("invalid_target", "vote for one of the candidates, or null to abstain",
                          candidates=list(state["candidates"]))
    state["votes"][player] = target
    events = [Event("voted", {"count": len(state["votes"]), "of": len(state["voters"])})]
    if len(state["votes"]) == len(state["voters"]):
        rng = Rng(state["rng"])
        _close_vote(state, rng, now, events)
        state["rng"] = rng.state
    return Step(state, events)


def _guess(state: State, player: str, text: Any, now: float) -> Step | Refusal:
    if state["phase"] != "blank_guess":
        return refuse("wrong_phase", "there is no guess to make now")
    if player != state["guesser"]:
        return refuse("not_your_turn", "only the blank who was voted out guesses")
    refusal = _text_refusal(text, "guess", "guess a word", MAX_GUESS)
    if refusal is not None:
        return refusal
    rng = Rng(state["rng"])
    events: list[Event] = []
    _resolve_guess(state, rng, guess_matches(text, state["words"][CIVILIAN]), now, events)
    state["rng"] = rng.state
    return Step(state, events)


# --------------------------------------------------------------------------- tick

def tick(state: State, now: float) -> Step:
    events: list[Event] = []
    deadline = state["deadline"]
    if state["finished"] or deadline is None or now < deadline:
        return Step(state, events)
    rng = Rng(state["rng"])
    phase = state["phase"]
    if phase in ("describe", "pk_describe"):
        player = _speaker(state)
        state["skips"][player] += 1
        state["descriptions"].append({"round": state["round"], "player": player, "text": None,
                                      "pk": phase == "pk_describe", "skipped": True})
        events.append(Event("skipped", {"player": player, "round": state["round"], "pk": phase == "pk_describe"}))
        _next_turn(state, rng, now, events)
    elif phase in ("vote", "pk_vote"):
        _close_vote(state, rng, now, events)
    elif phase == "blank_guess":
        _resolve_guess(state, rng, False, now, events, timed_out=True)
    state["rng"] = rng.state
    return Step(state, events)


# --------------------------------------------------------------------------- flow

def _speaker(state: State) -> str | None:
    if state["phase"] not in ("describe", "pk_describe") or state["turn"] >= len(state["speakers"]):
        return None
    return cast(str, state["speakers"][state["turn"]])


def _begin_round(state: State, rng: Rng, now: float, events: list[Event], first: bool = False) -> None:
    state["round"] += 1
    alive = set(state["alive"])
    order = [p for p in state["order"] if p in alive]
    if not first:  # the same seating, one place further on each round
        order = order[1:] + order[:1]
    state["order"] = order
    state["pk"] = []
    state["last_tally"] = None
    events.append(Event("round", {"round": state["round"], "order": list(order)}))
    _open_describe(state, list(order), "describe", now, events)


def _open_describe(state: State, speakers: list[str], phase: str, now: float, events: list[Event]) -> None:
    state["phase"] = phase
    state["speakers"] = speakers
    state["turn"] = 0
    state["voters"], state["candidates"], state["votes"] = [], [], {}
    _announce_turn(state, now, events)


def _announce_turn(state: State, now: float, events: list[Event]) -> None:
    state["deadline"] = now + state["config"]["describe_seconds"]
    events.append(Event("turn", {"player": _speaker(state), "deadline": state["deadline"],
                                 "round": state["round"], "pk": state["phase"] == "pk_describe"}))


def _next_turn(state: State, rng: Rng, now: float, events: list[Event]) -> None:
    state["turn"] += 1
    alive = set(state["alive"])
    while state["turn"] < len(state["speakers"]) and state["speakers"][state["turn"]] not in alive:
        state["turn"] += 1
    if state["turn"] < len(state["speakers"]):
        _announce_turn(state, now, events)
    else:
        _open_vote(state, rng, now, events)


def _open_vote(state: State, rng: Rng, now: float, events: list[Event]) -> None:
    pk = state["phase"] == "pk_describe"
    state["phase"] = "pk_vote" if pk else "vote"
    if pk:
        state["candidates"] = [p for p in state["pk"] if p in state["alive"]]
        state["voters"] = [p for p in state["alive"] if p not in state["pk"]]
    else:
        state["candidates"] = list(state["alive"])
        state["voters"] = list(state["alive"])
    state["votes"] = {}
    state["deadline"] = now + state["config"]["vote_seconds"]
    events.append(Event("vote_open", {"round": state["round"], "pk": pk, "candidates": list(state["candidates"]),
                                      "voters": len(state["voters"]), "deadline": state["deadline"]}))
    if not state["voters"]:  # everyone left is in the PK: nobody can break the tie
        _close_vote(state, rng, now, events)


def _close_vote(state: State, rng: Rng, now: float, events: list[Event]) -> None:
    pk = state["phase"] == "pk_vote"
    tally = {c: 0 for c in state["candidates"]}
    abstained = len(state["voters"]) - len(state["votes"])  # those who never voted count as abstaining
    for voter, target in state["votes"].items():
        if target is None:
            abstained += 1
            continue
        state["stats"][voter]["votes_cast"] += 1
        tally[target] += 1
        if state["roles"][target] == SPY:
            state["stats"][voter]["votes_against_spies"] += 1
    top = max(tally.values(), default=0)
    leaders = [c for c in state["candidates"] if tally[c] == top] if top > 0 else []
    out = leaders[0] if len(leaders) == 1 else None
    going_to_pk = [p for p in state["order"] if p in leaders] if (not pk and len(leaders) > 1) else []
    summary = {"round": state["round"], "pk": pk, "tally": tally, "abstained": abstained,
               "out": out, "pk_candidates": list(going_to_pk)}
    state["last_tally"] = summary
    state["votes"] = {}
    state["deadline"] = None
    events.append(Event("vote_result", dict(summary, tally=dict(tally), pk_candidates=list(going_to_pk))))
    if going_to_pk:
        state["pk"] = list(going_to_pk)
        events.append(Event("pk", {"round": state["round"], "players": list(going_to_pk)}))
        _open_describe(state, list(going_to_pk), "pk_describe", now, events)
        return
    if out is None:
        _end_round(state, rng, now, events)
        return
    _eliminate(state, out, "vote", now, events)
    if state["finished"] or state["phase"] == "blank_guess":
        return
    _end_round(state, rng, now, events)


def _eliminate(state: State, player: str, reason: str, now: float, events: list[Event]) -> None:
    """Take a player out; a blank voted out guesses first, otherwise see whether it is over."""
    state["alive"].remove(player)
    state["out_round"][player] = state["round"]
    record: dict[str, Any] = {"player": player, "round": state["round"], "reason": reason}
    if state["config"]["reveal_on_elimination"]:
        record["role"] = state["roles"][player]
    state["out"].append(record)
    events.append(Event("eliminated", dict(record)))
    if state["roles"][player] == BLANK and reason == "vote":
        # Announcing the guess tells everyone this player was the blank: the rules need it.
        state["phase"] = "blank_guess"
        state["guesser"] = player
        state["speakers"], state["voters"], state["candidates"] = [], [], []
        state["deadline"] = now + state["config"]["guess_seconds"]
        events.append(Event("blank_guess_open", {"player": player, "deadline": state["deadline"]}))
        return
    winner = _winner(state)
    if winner:
        _finish(state, winner, "eliminated", events)


def _resolve_guess(state: State, rng: Rng, right: bool, now: float, events: list[Event],
                   timed_out: bool = False) -> None:
    player = state["guesser"]
    state["guesser"] = None
    state["deadline"] = None
    events.append(Event("blank_guess_result", {"player": player, "correct": right, "timed_out": timed_out}))
    if right:
        _finish(state, "blank", "blank_guessed", events)
        return
    winner = _winner(state)
    if winner:
        _finish(state, winner, "eliminated", events)
        return
    _end_round(state, rng, now, events)


def _end_round(state: State, rng: Rng, now: float, events: list[Event]) -> None:
    if state["round"] >= state["config"]["max_rounds"]:
        civilians, spies, blanks = _alive_counts(state)
        winner = "spies" if spies else "blank" if blanks and state["config"]["blank_must_die"] else "civilians"
        _finish(state, winner, "max_rounds", events)
        return
    _begin_round(state, rng, now, events)


def _alive_counts(state: State) -> tuple[int, int, int]:
    roles = [state["roles"][p] for p in state["alive"]]
    return roles.count(CIVILIAN), roles.count(SPY), roles.count(BLANK)


def _winner(state: State) -> str | None:
    civilians, spies, blanks = _alive_counts(state)
    cfg = state["config"]
    if spies == 0 and (blanks == 0 or not cfg["blank_must_die"]):
        return "civilians"
    if spies > 0 and spies >= civilians:
        return "spies"
    if spies > 0 and cfg["spy_wins_at_three"] and len(state["alive"]) <= 3:
        return "spies"
    if spies == 0 and civilians <= 1:
        return "blank"  # blank_must_die, one civilian left: nobody can outvote the blank
    return None


def _finish(state: State, winner: str, reason: str, events: list[Event]) -> None:
    state["finished"] = True
    state["phase"] = "finished"
    state["deadline"] = None
    state["winner"] = winner
    state["end_reason"] = reason
    state["speakers"], state["voters"], state["candidates"], state["votes"] = [], [], [], {}
    events.append(Event("finished", {
        "winner": winner,
        "reason": reason,
        "winners": _winners(state),
        "roles": dict(state["roles"]),
        "words": {"civilian": state["words"][CIVILIAN], "spy": state["words"][SPY]},
        "pair_id": state["pair_id"],
        "rounds": state["round"],
    }))


def _winners(state: State) -> list[str]:
    """Everyone on the winning side, eliminated or not (a room has at most one blank)."""
    return [p for p in state["players"] if SIDE_OF[state["roles"][p]] == state["winner"]]


# --------------------------------------------------------------------------- view

def view(state: State, viewer: str | None) -> dict[str, Any]:
    finished = state["finished"]
    phase = state["phase"]
    out: dict[str, Any] = {
        "game": "spy",
        "phase": phase,
        "round": state["round"],
        "order": list(state["order"]),
        "turn": _speaker(state),
        "deadline": state["deadline"],
        "players": list(state["players"]),
        "alive": list(state["alive"]),
        "out": [dict(r) for r in state["out"]],
        "counts": dict(state["counts"]),
        "descriptions": [{k: v for k, v in d.items()} for d in state["descriptions"]],
        "skips": dict(state["skips"]),
        "pk": list(state["pk"]),
        "last_tally": _copy_tally(state["last_tally"]),
        "guesser": state["guesser"],
        "finished": finished,
    }
    if phase in ("vote", "pk_vote"):
        out["vote"] = {"candidates": list(state["candidates"]), "count": len(state["votes"]),
                       "of": len(state["voters"])}
    if viewer is not None and viewer in state["roles"]:
        word = state["words"].get(state["roles"][viewer])
        me: dict[str, Any] = {"word": word, "blank": word is None, "alive": viewer in state["alive"]}
        if phase in ("vote", "pk_vote"):
            me["can_vote"] = viewer in state["voters"]
            me["voted"] = viewer in state["votes"]
            if viewer in state["votes"]:
                me["my_vote"] = state["votes"][viewer]  # only ever your own
        out["me"] = me
    if finished:
        out["winner"] = state["winner"]
        out["end_reason"] = state["end_reason"]
        out["winners"] = _winners(state)
        out["roles"] = dict(state["roles"])
        out["words"] = {"civilian": state["words"][CIVILIAN], "spy": state["words"][SPY]}
    return out


def _copy_tally(t: dict[str, Any] | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return dict(t, tally=dict(t["tally"]), pk_candidates=list(t["pk_candidates"]))


# --------------------------------------------------------------------------- result

def _rounds_survived(state: State, player: str) -> int:
    if player in state["out_round"]:
        return cast(int, state["out_round"][player] - 1)
    return cast(int, state["round"])


def result(state: State) -> GameResult:
    winners = set(_winners(state)) if state["finished"] else set()
    scores: dict[str, int] = {}
    stats: dict[str, dict[str, Any]] = {}
    for p in state["players"]:
        role = state["roles"][p]
        survived = _rounds_survived(state, p)
        spy_votes = state["stats"][p]["votes_against_spies"]
        scores[p] = (WIN_POINTS[role] if p in winners else 0) + POINTS_PER_ROUND * survived \
            + POINTS_PER_SPY_VOTE * spy_votes
        stats[p] = {"role": role, "rounds_survived": survived, "votes_against_spies": spy_votes,
                    "votes_cast": state["stats"][p]["votes_cast"], "skipped": state["skips"][p],
                    "alive_at_end": p in state["alive"]}
    ranked = rank_by_score(scores, state["players"])
    return GameResult(
        game="spy",
        players=tuple(PlayerResult(p, score, rank, p in winners, stats[p]) for p, score, rank in ranked),
        summary={"winner": state["winner"], "reason": state["end_reason"], "rounds": state["round"],
                 "pair_id": state["pair_id"],
                 "words": {"civilian": state["words"][CIVILIAN], "spy": state["words"][SPY]}},
    )
