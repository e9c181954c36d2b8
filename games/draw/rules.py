"""Draw & guess (你画我猜) as a pure state machine.

Turns: every member draws ``rounds`` times, in join order. A turn has three phases:
``choosing`` (the drawer alone sees 2–3 words and picks one before a deadline, else the
first is taken), ``drawing`` (strokes go to everyone; the others guess by typing; hints
reveal the length at once, then characters as time runs out) and ``reveal`` (the word is
shown to all for a few seconds).

Secrets: the offered words and the chosen word reach only the drawer (and the bots, who
relay privately) until the turn is revealed; a member who guessed right is told the word
privately. A wrong guess is echoed to the room as chat, but never one that contains the
word, names it, or comes close (that is answered only to its author, "almost"), so the
echo never gives the word away.

Scoring: a right guess earns more the sooner it comes (and a little more for the first);
the drawer earns for each member who guessed, so drawing clearly pays.
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
from games.draw import strokes as S
from games.matching import judge
from games.rng import Rng
from games.text import fold, has_han, pinyin

GUESS_MAX = 50
FIRST_BONUS = 20
DRAWER_PER_GUESS = 20

meta = GameMeta(
    name="draw",
    title_zh="你画我猜",
    title_en="Draw & guess",
    min_players=2,
    max_players=16,
    usage_zh="轮流作画：画的人从 2–3 个词里选一个，在画板上画出来；其他人打字猜词，猜得越快分越高，"
    "画的人按猜中人数得分。接近答案时只会私下提示「差一点」。随时间推移会提示字数和个别字。",
    usage_en="Take turns drawing: the drawer picks one of 2–3 words and draws it; everyone else "
    "types guesses. Faster right guesses score more; the drawer scores for each member who "
    "guessed. A close guess gets a private 'almost'. Hints reveal the length, then letters.",
    config=(
        ConfigField("rounds", int, 1, "每人作画次数", "turns each member draws", min=1, max=5),
        ConfigField("choices", int, 3, "可选词数", "words offered to the drawer", min=2, max=3),
        ConfigField("choose_seconds", int, 15, "选词秒数", "seconds to pick a word", min=5, max=60),
        ConfigField("draw_seconds", int, 80, "作画秒数", "seconds to draw and guess", min=20, max=300),
        ConfigField("reveal_seconds", int, 5, "公布答案停留秒数", "seconds the word is shown after a turn",
                    min=0, max=30),
        ConfigField("lang", str, "zh", "词语语言", "word language", choices=("zh", "en")),
        ConfigField("category", str, None, "词语分类（留空为任意）", "word category (empty for any)",
                    optional=True),
        ConfigField("difficulty", int, None, "难度 1–3（留空为任意）", "difficulty 1–3 (empty for any)",
                    min=1, max=3, optional=True),
    ),
    late_join=True,
    content_kind="draw",
    remember_recent=300,
)

_ITEM_FIELDS = frozenset({"id", "lang", "word", "aliases", "category", "difficulty"})


def validate_item(item: Mapping[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for key in item:
        if key not in _ITEM_FIELDS:
            problems.append((str(key), "unknown field"))
    if not isinstance(item.get("id"), str) or not item.get("id"):
        problems.append(("id", "a non-empty string"))
    if item.get("lang") not in ("zh", "en"):
        problems.append(("lang", "zh or en"))
    word = item.get("word")
    if not isinstance(word, str) or not fold(word) or len(word) > 20:
        problems.append(("word", "a word or short phrase of at most 20 characters"))
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and fold(a) for a in aliases):
        problems.append(("aliases", "a list of other accepted names"))
    if not isinstance(item.get("category"), str) or not item.get("category"):
        problems.append(("category", "a non-empty string"))
    if item.get("difficulty") not in (1, 2, 3):
        problems.append(("difficulty", "1, 2 or 3"))
    return problems


# ---------------------------------------------------------------------------------------
# Lifecycle


def start(config: Mapping[str, Any] | None, players: Sequence[str], seed: int | str, now: float,
          content: Content | None = None) -> Step:
    cfg = resolve_config(meta, config)
    roster = list(dict.fromkeys(players))
    if len(roster) < meta.min_players:
        raise ValueError("draw & guess needs at least two members")
    if content is None:
        from games.content import builtin_items

        content = Content(items=builtin_items("draw"))
    words = _words(cfg, content)
    turns = len(roster) * cfg["rounds"]
    if len(words) < cfg["choices"]:
        raise ValueError(f"draw & guess needs at least {cfg['choices']} words (lang={cfg['lang']})")
    rng = Rng.from_seed(seed)
    deck = _deal(words, content, rng, turns * cfg["choices"])
    state: State = {
        "game": "draw",
        "config": cfg,
        "rng": rng.state,
        "players": roster,
        "order": [p for _ in range(cfg["rounds"]) for p in roster],
        "deck": deck,  # the words still to offer, in order: secret
        "content_used": [],
        "turn": -1,
        "phase": "choosing",
        "drawer": None,
        "options": [],
        "word": None,
        "picture": {"strokes": [], "points": 0},
        "hints": {"length": 0, "shown": []},
        "hint_at": [],
        "guessed": {},  # player -> seconds after drawing began
        "scores": {p: 0 for p in roster},
        "stats": {p: {"guessed": 0, "drew": 0, "drawn_guesses": 0} for p in roster},
        "drawing_from": None,
        "deadline": None,
        "finished": False,
        "last_word": None,
    }
    return Step(state, _next_turn(state, now))


def join(state: State, player: str, now: float) -> Step | Refusal:
    if state["finished"]:
        return refuse("game_over", "the game is over")
    if player in state["scores"]:
        return refuse("already_joined", "already playing")
    state["players"].append(player)
    state["scores"][player] = 0
    state["stats"][player] = {"guessed": 0, "drew": 0, "drawn_guesses": 0}
    return Step(state, [Event("guesser_joined", {"player": player})])


def act(state: State, player: str, action: Mapping[str, Any], now: float) -> Step | Refusal:
    if state["finished"]:
        return refuse("game_over", "the game is over")
    if player not in state["scores"]:
        return refuse("not_a_player", "join the game to play")
    if not isinstance(action, Mapping):
        return refuse("invalid_action", "an action is a map with a 'type'")
    kind = action.get("type")
    if kind == "choose":
        return _choose(state, player, action, now)
    if kind in ("stroke", "undo", "clear"):
        return _draw(state, player, kind, action)
    if kind == "guess":
        return _guess(state, player, action, now)
    return refuse("invalid_action", "type must be choose, stroke, undo, clear or guess")


def tick(state: State, now: float) -> Step:
    if state["finished"] or state["deadline"] is None or now < state["deadline"]:
        return Step(state, [])
    if state["phase"] == "choosing":
        return Step(state, _begin_drawing(state, 0, now))
    if state["phase"] == "drawing":
        if state["hint_at"] and now >= state["hint_at"][0]:
            state["hint_at"].pop(0)
            events = [_reveal_letter(state)]
            _set_drawing_deadline(state)
            return Step(state, events)
        return Step(state, _end_turn(state, now))
    return Step(state, _next_turn(state, now))


def view(state: State, viewer: str | None) -> dict[str, Any]:
    drawer = state["drawer"]
    out: dict[str, Any] = {
        "game": "draw",
        "phase": "over" if state["finished"] else state["phase"],
        "turn": state["turn"],
        "turns": len(state["order"]),
        "drawer": drawer,
        "players": list(state["players"]),
        "scores": dict(state["scores"]),
        "deadline": state["deadline"],
        "hints": _hint_view(state),
        "guessed": sorted(state["guessed"], key=lambda p: state["guessed"][p]),
        "picture": state["picture"]["strokes"],
        "last_word": state["last_word"],
    }
    knows = viewer is not None and (viewer == drawer or viewer in state["guessed"])
    if state["word"] is not None and (knows or state["phase"] == "reveal"):
        out["word"] = state["word"]["word"]
    if viewer is not None and viewer == drawer and state["phase"] == "choosing":
        out["options"] = [w["word"] for w in state["options"]]
    return out


def result(state: State) -> GameResult:
    ranked = rank_by_score(state["scores"], state["players"])
    top = ranked[0][1] if ranked else 0
    players = tuple(PlayerResult(p, score, rank, won=(rank == 1 and score > 0 and score == top),
                                 stats=dict(state["stats"][p]))
                    for p, score, rank in ranked)
    return GameResult("draw", players, {"turns": len(state["order"])})


# ---------------------------------------------------------------------------------------
# Internals


def _words(cfg: Mapping[str, Any], content: Content) -> list[dict[str, Any]]:
    category = fold(cfg["category"]) if cfg["category"] else None
    out = []
    for item in content.fresh_first():
        if validate_item(item) or item["lang"] != cfg["lang"]:
            continue
        if category is not None and fold(item["category"]) != category:
            continue
        if cfg["difficulty"] is not None and item["difficulty"] != cfg["difficulty"]:
            continue
        out.append(item)
    return out


def _deal(words: list[dict[str, Any]], content: Content, rng: Rng, n: int) -> list[dict[str, Any]]:
    """Fresh words first in a random order, then the least recently used ones; a small pack
    comes round again (each turn's options are still distinct: ``n`` is a multiple of the
    options per turn and the pack holds at least that many)."""
    recent = set(content.recent)
    fresh = [w for w in words if w["id"] not in recent]
    stale = [w for w in words if w["id"] in recent]
    rng.shuffle(fresh)
    cycle = fresh + stale
    chosen = [cycle[i % len(cycle)] for i in range(n)]
    return [{"id": w["id"], "word": w["word"], "aliases": list(w.get("aliases", []))} for w in chosen]


def _next_turn(state: State, now: float) -> list[Event]:
    state["turn"] += 1
    if state["turn"] >= len(state["order"]):
        state["finished"] = True
        state["deadline"] = None
        state["phase"] = "over"
        return []
    drawer = state["order"][state["turn"]]
    if drawer not in state["scores"]:  # pragma: no cover - players never leave a running game
        return _next_turn(state, now)
    cfg = state["config"]
    n = cfg["choices"]
    state["options"], state["deck"] = state["deck"][:n], state["deck"][n:]
    state.update(phase="choosing", drawer=drawer, word=None, guessed={}, hint_at=[],
                 picture={"strokes": [], "points": 0}, hints={"length": 0, "shown": []},
                 drawing_from=None, deadline=now + cfg["choose_seconds"])
    return [
        Event("turn", {"turn": state["turn"], "turns": len(state["order"]), "drawer": drawer,
                       "phase": "choosing", "deadline": state["deadline"]}),
        Event("choose_word", {"options": [w["word"] for w in state["options"]],
                              "deadline": state["deadline"]}, (drawer,)),
    ]


def _choose(state: State, player: str, action: Mapping[str, Any], now: float) -> Step | Refusal:
    if state["phase"] != "choosing":
        return refuse("wrong_phase", "the word has been chosen")
    if player != state["drawer"]:
        return refuse("not_your_turn", "only the drawer chooses the word")
    index = action.get("index")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(state["options"]):
        return refuse("invalid_action", f"'index' is 0 to {len(state['options']) - 1}")
    return Step(state, _begin_drawing(state, index, now))


def _begin_drawing(state: State, index: int, now: float) -> list[Event]:
    cfg = state["config"]
    word = state["options"][index]
    state["word"] = word
    state["content_used"].append(word["id"])
    state["options"] = []
    state["phase"] = "drawing"
    state["drawing_from"] = now
    length = len(_letters(word["word"]))
    state["hints"] = {"length": length, "shown": []}
    seconds = cfg["draw_seconds"]
    # Letters appear at half and three quarters of the time, never the whole word.
    reveals = max(0, min(2, length - 1 if has_han(word["word"]) else length - 2))
    state["hint_at"] = [now + seconds * f for f in (0.5, 0.75)[:reveals]]
    state["drawing_until"] = now + seconds
    _set_drawing_deadline(state)
    return [
        Event("your_word", {"word": word["word"]}, (state["drawer"],)),
        Event("drawing", {"drawer": state["drawer"], "hints": _hint_view(state), "deadline": now + seconds}),
    ]


def _set_drawing_deadline(state: State) -> None:
    state["deadline"] = state["hint_at"][0] if state["hint_at"] else state["drawing_until"]


def _letters(word: str) -> list[int]:
    """Indexes of the characters a hint may show (letters and Han, not spaces)."""
    return [i for i, ch in enumerate(word) if ch.isalnum()]


def _hint_view(state: State) -> dict[str, Any]:
    """The hint as everyone may see it: a mask like ``_ 老 _`` or ``_ _ a _``."""
    word = state["word"]
    if word is None:
        return {"length": 0, "mask": ""}
    shown = set(state["hints"]["shown"])
    mask = "".join(ch if (i in shown or not ch.isalnum()) else "_" for i, ch in enumerate(word["word"]))
    return {"length": state["hints"]["length"], "mask": mask}


def _reveal_letter(state: State) -> Event:
    word = state["word"]["word"]
    hidden = [i for i in _letters(word) if i not in state["hints"]["shown"]]
    rng = Rng(state["rng"])
    state["hints"]["shown"].append(hidden[rng.below(len(hidden))])
    state["rng"] = rng.state
    return Event("hint", _hint_view(state))


def _draw(state: State, player: str, kind: str, action: Mapping[str, Any]) -> Step | Refusal:
    if state["phase"] != "drawing":
        return refuse("wrong_phase", "nobody is drawing now")
    if player != state["drawer"]:
        return refuse("not_your_turn", "only the drawer draws")
    try:
        op: dict[str, Any] = {"undo": True} if kind == "undo" else {"clear": True} if kind == "clear" \
            else S.parse_batch(action)
        S.apply(state["picture"], op)
    except S.StrokeError as exc:
        return refuse(exc.code, str(exc))
    return Step(state, [Event("stroke", op)])


def _guess(state: State, player: str, action: Mapping[str, Any], now: float) -> Step | Refusal:
    text = action.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > GUESS_MAX:
        return refuse("invalid_action", f"'text' is a guess of 1 to {GUESS_MAX} characters")
    if state["phase"] != "drawing":
        return refuse("wrong_phase", "wait for the drawing to start")
    if player == state["drawer"]:
        return refuse("drawer_cannot_guess", "you are drawing")
    if player in state["guessed"]:
        return refuse("already_guessed", "you already guessed it")
    word = state["word"]
    verdict = judge(text, word["word"], word["aliases"], state["config"]["lang"])
    if verdict == "exact":
        return Step(state, _right(state, player, now))
    if verdict == "close":
        return Step(state, [Event("almost", {"text": text}, (player,))])
    if _gives_away(text, word):
        return Step(state, [Event("guess_hidden", {"player": player})])
    return Step(state, [Event("guess", {"player": player, "text": text})])


def _right(state: State, player: str, now: float) -> list[Event]:
    cfg = state["config"]
    t = max(0.0, now - state["drawing_from"])
    first = not state["guessed"]
    state["guessed"][player] = t
    points = 50 + round(50 * max(0.0, 1 - t / cfg["draw_seconds"])) + (FIRST_BONUS if first else 0)
    state["scores"][player] += points
    state["stats"][player]["guessed"] += 1
    drawer = state["drawer"]
    state["scores"][drawer] += DRAWER_PER_GUESS
    state["stats"][drawer]["drawn_guesses"] += 1
    events = [
        Event("you_guessed", {"word": state["word"]["word"], "points": points}, (player,)),
        Event("guessed", {"player": player, "points": points, "count": len(state["guessed"]),
                          "of": len(state["players"]) - 1, "scores": dict(state["scores"])}),
    ]
    if all(p in state["guessed"] for p in state["players"] if p != drawer):
        events.extend(_end_turn(state, now))
    return events


def _end_turn(state: State, now: float) -> list[Event]:
    state["stats"][state["drawer"]]["drew"] += 1
    state["phase"] = "reveal"
    state["hint_at"] = []
    state["last_word"] = state["word"]["word"]
    state["deadline"] = now + state["config"]["reveal_seconds"]
    events = [Event("turn_over", {"turn": state["turn"], "drawer": state["drawer"], "word": state["word"]["word"],
                                  "guessed": sorted(state["guessed"], key=lambda p: state["guessed"][p]),
                                  "scores": dict(state["scores"])})]
    if state["config"]["reveal_seconds"] == 0:
        events.extend(_next_turn(state, now))
    return events


def _gives_away(text: str, word: Mapping[str, Any]) -> bool:
    """Would echoing this guess tell the room the word (it contains it, in any script)?"""
    given = fold(text)
    for candidate in (word["word"], *word["aliases"]):
        target = fold(candidate)
        if target and target in given:
            return True
        if has_han(candidate):
            key = pinyin(candidate).replace(" ", "")
            if key and key in fold(pinyin(text)).replace(" ", ""):
                return True
    return False
