"""Quiz (答题): everyone answers the same timed questions; fast right answers score more.

Scoring follows Kahoot, because chat groups already know it: a right answer is worth
``base`` points at the start of the timer, falling linearly to half of that at the deadline,
so speed matters but never more than being right. An answer in the first half second gets
the full ``base`` (nobody should lose points to network jitter). Consecutive right answers
add a streak bonus. Whether an answer was right stays secret until the reveal, so nobody
can copy the first fast answerer.

The state is plain JSON data. The questions picked at start are copied into it, so a
snapshot restored on another node reveals the same answers even if the packs changed.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Mapping, Sequence, cast

from games import scoreboard
from games.base import (
    ConfigField,
    Content,
    Event,
    GameMeta,
    GameResult,
    Refusal,
    State,
    Step,
    refuse,
    resolve_config,
)
from games.matching import is_match
from games.rng import Rng
from games.text import fold, has_han

LETTERS = "ABCDEF"
FULL_POINTS_WINDOW = 0.5  # seconds: answers this fast get the whole base
MAX_ANSWER_CHARS = 200
MAX_CHOICES = 6
MIN_CHOICES = 2

meta = GameMeta(
    name="quiz",
    title_zh="答题",
    title_en="Quiz",
    min_players=1,
    max_players=500,
    usage_zh=(
        "每题限时作答，每人每题只能答一次。选择题回复选项字母（A–F）、序号或选项原文；"
        "填空题直接回复答案。答对越快得分越高，连续答对有连击加分。"
    ),
    usage_en=(
        "Each question has a timer and you get one answer per question. For multiple choice "
        "reply with the letter (A–F), the 0-based index or the choice's text; otherwise type "
        "the answer. Faster right answers score more, and answer streaks earn a bonus."
    ),
    config=(
        ConfigField("questions", int, 5, "题目数量", "number of questions", min=1, max=50),
        ConfigField("seconds", int, 20, "每题作答秒数", "seconds to answer each question", min=5, max=300),
        ConfigField("base", int, 1000, "答对的基础分", "points for a right answer", min=1, max=100000),
        ConfigField("streak_bonus", int, 100, "连击每题加分", "bonus per consecutive right answer after the first",
                    min=0, max=100000),
        ConfigField("streak_cap", int, 500, "连击加分上限", "most bonus a streak can add to one answer",
                    min=0, max=100000),
        ConfigField("reveal_seconds", int, 3, "公布答案后停留秒数", "seconds the answer is shown before the next question",
                    min=0, max=60),
        ConfigField("lang", str, "any", "题目语言", "question language", choices=("zh", "en", "any")),
        ConfigField("category", str, None, "题目分类，可用逗号分隔多个（留空为任意）",
                    "question categories, comma-separated (empty for any)", optional=True),
        ConfigField("difficulty", int, None, "只出这一难度（1 易 – 3 难，留空为任意）",
                    "only this difficulty (1 easy – 3 hard; empty for any)", min=1, max=3, optional=True),
    ),
    late_join=True,
    content_kind="quiz",
    remember_recent=200,
)

_ITEM_FIELDS = frozenset(
    {"id", "lang", "type", "question", "choices", "answer", "aliases", "explanation", "category", "difficulty",
     "fact", "source"}
)

# The built-in packs file questions under these keys; a group may name a category in either
# language ("history" or "历史").
CATEGORY_NAMES: dict[str, tuple[str, ...]] = {
    "history": ("历史",), "geography": ("地理",), "science": ("科学",), "language": ("语言", "语言与成语", "成语"),
    "literature": ("文学",), "music": ("音乐",), "film": ("影视", "电影", "movies"), "sport": ("体育", "sports"),
    "food": ("美食", "饮食"), "life": ("生活", "生活常识", "everyday life"), "art": ("艺术",),
    "nature": ("自然", "动物", "animals"),
}


def category_keys(name: str) -> set[str]:
    """Every folded name a category goes by: "历史" -> {"历史", "history"}."""
    folded = fold(name)
    for key, names in CATEGORY_NAMES.items():
        if folded in {fold(key), *(fold(n) for n in names)}:
            return {fold(key), *(fold(n) for n in names)}
    return {folded}


# ---------------------------------------------------------------------------------------
# Content


def validate_item(item: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every problem with one question, as (field, reason), so a pack report is complete."""
    if not isinstance(item, Mapping):
        return [("item", "must be an object")]
    problems: list[tuple[str, str]] = []

    def nonempty_str(key: str) -> bool:
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append((key, "must be a non-empty string"))
            return False
        return True

    for key in sorted(set(item) - _ITEM_FIELDS, key=str):
        problems.append((str(key), "unknown field"))
    nonempty_str("id")
    if item.get("lang") not in ("zh", "en"):
        problems.append(("lang", "must be 'zh' or 'en'"))
    if nonempty_str("question") and len(item["question"]) > 1000:
        problems.append(("question", "must be at most 1000 characters"))
    nonempty_str("category")
    difficulty = item.get("difficulty")
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
        problems.append(("difficulty", "must be 1, 2 or 3"))
    for key in ("explanation", "fact", "source"):
        if key in item and not isinstance(item[key], str):
            problems.append((key, "must be a string"))

    kind = item.get("type")
    answer = item.get("answer")
    if kind == "choice":
        choices = item.get("choices")
        if not isinstance(choices, list) or not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
            problems.append(("choices", f"must be a list of {MIN_CHOICES} to {MAX_CHOICES} strings"))
            choices = None
        elif not all(isinstance(c, str) and c.strip() for c in choices):
            problems.append(("choices", "every choice must be a non-empty string"))
            choices = None
        elif len({fold(c) or c.strip() for c in choices}) != len(choices):
            problems.append(("choices", "choices must differ from each other"))
        if isinstance(answer, bool) or not isinstance(answer, int):
            problems.append(("answer", "must be the 0-based index of the right choice"))
        elif choices is not None and not 0 <= answer < len(choices):
            problems.append(("answer", f"must be between 0 and {len(choices) - 1}"))
        if "aliases" in item:
            problems.append(("aliases", "only text questions have aliases"))
    elif kind == "text":
        if not isinstance(answer, str) or not answer.strip():
            problems.append(("answer", "must be a non-empty string"))
        if "choices" in item:
            problems.append(("choices", "only choice questions have choices"))
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            problems.append(("aliases", "must be a list of non-empty strings"))
    else:
        problems.append(("type", "must be 'choice' or 'text'"))
    return problems


def _pick_questions(config: Mapping[str, Any], content: Content, rng: Rng) -> list[dict[str, Any]]:
    """Fresh questions first (chosen at random), then the least recently used ones."""
    lang, category, difficulty = config["lang"], config["category"], config.get("difficulty")
    wanted_category: set[str] | None = None
    if category:
        wanted_category = set()
        for name in category.replace("，", ",").split(","):
            if name.strip():
                wanted_category |= category_keys(name)

    def fits(item: Mapping[str, Any]) -> bool:
        if validate_item(item):
            return False  # a broken item in an app's pack must not break a running game
        if lang != "any" and item["lang"] != lang:
            return False
        if difficulty is not None and item["difficulty"] != difficulty:
            return False
        return not wanted_category or fold(item["category"]) in wanted_category

    recent = set(content.recent)
    candidates = [it for it in content.fresh_first() if fits(it)]
    fresh = [it for it in candidates if it["id"] not in recent]
    stale = [it for it in candidates if it["id"] in recent]  # oldest use first
    n = config["questions"]
    if len(fresh) >= n:
        chosen = rng.sample(fresh, n)
    else:
        chosen = fresh + stale[: n - len(fresh)]
        rng.shuffle(chosen)
    seen: set[str] = set()
    unique = []
    for item in chosen:  # an id repeated across packs is asked once
        if item["id"] not in seen:
            seen.add(item["id"])
            unique.append(item)
    return [_copy_question(it) for it in unique]


def _copy_question(item: Mapping[str, Any]) -> dict[str, Any]:
    q: dict[str, Any] = {
        "id": item["id"],
        "lang": item["lang"],
        "type": item["type"],
        "question": item["question"],
        "answer": item["answer"],
        "explanation": item.get("explanation", ""),
        "category": item["category"],
        "difficulty": item["difficulty"],
    }
    if item["type"] == "choice":
        q["choices"] = list(item["choices"])
    else:
        q["aliases"] = list(item.get("aliases", []))
    return q


# ---------------------------------------------------------------------------------------
# Scoring


def speed_points(t: float, seconds: float, base: int) -> int:
    """Points for a right answer given ``t`` seconds after the question was asked."""
    if t < FULL_POINTS_WINDOW:
        return base
    t = min(t, seconds)
    return round((1 - t / seconds / 2) * base)


def streak_points(streak: int, per: int, cap: int) -> int:
    """Bonus for the ``streak``-th consecutive right answer (the first earns nothing)."""
    return min(per * max(streak - 1, 0), cap)


# ---------------------------------------------------------------------------------------
# Lifecycle


def start(config: Mapping[str, Any] | None, players: Sequence[str], seed: int | str, now: float,
          content: Content | None = None) -> Step:
    cfg = resolve_config(meta, config)
    roster = list(dict.fromkeys(players))
    if len(roster) < meta.min_players:
        raise ValueError("a quiz needs at least one player")
    if len(roster) > meta.max_players:
        raise ValueError(f"a quiz takes at most {meta.max_players} players")
    if content is None:
        from games.content import builtin_items

        content = Content(items=builtin_items("quiz"))
    rng = Rng.from_seed(seed)
    questions = _pick_questions(cfg, content, rng)
    if not questions:
        where = ([f"lang={cfg['lang']}"] + ([f"category={cfg['category']}"] if cfg["category"] else [])
                 + ([f"difficulty={cfg['difficulty']}"] if cfg.get("difficulty") else []))
        raise ValueError(f"no quiz questions match ({', '.join(where)})")
    state: State = {
        "game": "quiz",
        "config": cfg,
        "rng": rng.state,
        "players": [],
        "questions": questions,
        "content_used": [q["id"] for q in questions],
        "index": 0,
        "phase": "question",
        "asked_at": now,
        "deadline": None,
        "finished": False,
        "answers": {},
        "scores": {},
        "streak": {},
        "stats": {},
        # player -> [time, arrival] of the answer that last raised their score (or of
        # joining): the earlier of two equal scores ranks first.
        "reached": {},
        "last_reveal": None,
        "ranking": None,
    }
    for p in roster:
        _add_player(state, p, now)
    return Step(state, [_ask(state, now)])


def join(state: State, player: str, now: float) -> Step | Refusal:
    refusal = scoreboard.join_refusal(state, player, meta)
    if refusal is not None:
        return refusal
    _add_player(state, player, now)
    return Step(state, [scoreboard.joined(state, player)])


def act(state: State, player: str, action: Mapping[str, Any], now: float) -> Step | Refusal:
    if state["finished"]:
        return refuse("game_over", "the quiz is over")
    if player not in state["scores"]:
        return refuse("not_a_player", "join the quiz to answer")
    if not isinstance(action, Mapping) or action.get("type", "answer") != "answer" or "answer" not in action:
        return refuse("invalid_action", "send {'type': 'answer', 'answer': ...}")
    asked_for = action.get("index")
    if asked_for is not None and (isinstance(asked_for, bool) or not isinstance(asked_for, int)):
        return refuse("invalid_action", "'index' must be the question's index")
    if state["phase"] != "question":
        return refuse("wrong_phase", "wait for the next question")
    if now > state["deadline"] or (asked_for is not None and asked_for < state["index"]):
        return refuse("too_late", "time is up for this question", index=state["index"])
    if asked_for is not None and asked_for != state["index"]:
        return refuse("invalid_action", "that question has not been asked yet")
    if player in state["answers"]:
        return refuse("already_answered", "one answer per question")
    question = state["questions"][state["index"]]
    parsed = _parse_answer(question, action["answer"])
    if isinstance(parsed, Refusal):
        return parsed

    t = max(0.0, now - state["asked_at"])
    right = _is_right(question, parsed)
    order = len(state["answers"]) + 1  # arrival order breaks ties between equal `now`s
    state["answers"][player] = {"given": parsed, "right": right, "t": t, "at": now, "n": order}
    events = [
        Event("answer_received", {"index": state["index"], "answer": parsed}, (player,)),
        Event("answered", {"player": player, "count": len(state["answers"]), "of": len(state["players"])}),
    ]
    if all(p in state["answers"] for p in state["players"]):
        events.extend(_reveal(state, now))
    return Step(state, events)


def tick(state: State, now: float) -> Step:
    if state["finished"] or state["deadline"] is None or now < state["deadline"]:
        return Step(state, [])
    if state["phase"] == "question":
        return Step(state, _reveal(state, now))
    state["index"] += 1
    return Step(state, [_ask(state, now)])


# ---------------------------------------------------------------------------------------
# Internals


def _add_player(state: State, player: str, now: float) -> None:
    state["players"].append(player)
    state["scores"][player] = 0
    state["streak"][player] = 0
    state["stats"][player] = {"right": 0, "answered": 0, "best_streak": 0}
    state["reached"][player] = [now, 0]


def _public_question(state: State) -> dict[str, Any]:
    q = state["questions"][state["index"]]
    out: dict[str, Any] = {
        "index": state["index"],
        "total": len(state["questions"]),
        "id": q["id"],
        "type": q["type"],
        "text": q["question"],
        "choices": list(q["choices"]) if q["type"] == "choice" else None,
        "category": q["category"],
        "difficulty": q["difficulty"],
    }
    return out


def _ask(state: State, now: float) -> Event:
    state["phase"] = "question"
    state["asked_at"] = now
    state["deadline"] = now + state["config"]["seconds"]
    state["answers"] = {}
    state["last_reveal"] = None
    data = _public_question(state)
    data.update(seconds=state["config"]["seconds"], deadline=state["deadline"])
    return Event("question", data)


def _parse_answer(question: Mapping[str, Any], given: Any) -> Any:
    """The answer in canonical form (choice index, or the text as typed), or a Refusal.

    An answer we cannot read is refused rather than counted wrong, so a slip of the thumb
    ("G" with four choices) does not cost the member their one answer."""
    if question["type"] == "choice":
        n = len(question["choices"])
        if isinstance(given, bool):
            return refuse("invalid_answer", "answer with a letter, an index or a choice")
        if isinstance(given, int):
            if 0 <= given < n:
                return given
            return refuse("invalid_answer", f"the index must be between 0 and {n - 1}")
        if isinstance(given, str) and len(given) <= MAX_ANSWER_CHARS:
            folded = fold(given)
            letter = unicodedata.normalize("NFKC", folded).upper()
            if len(letter) == 1 and letter in LETTERS[:n]:
                return LETTERS.index(letter)
            for i, choice in enumerate(question["choices"]):
                if folded and folded == fold(choice) or given.strip() == choice.strip():
                    return i
        return refuse("invalid_answer", f"answer with a letter A–{LETTERS[n - 1]} or one of the choices")
    if isinstance(given, (int, float)) and not isinstance(given, bool):
        given = str(given)
    if not isinstance(given, str) or not given.strip():
        return refuse("invalid_answer", "type your answer")
    if len(given) > MAX_ANSWER_CHARS:
        return refuse("invalid_answer", f"answers are at most {MAX_ANSWER_CHARS} characters")
    return given.strip()


def _is_right(question: Mapping[str, Any], given: Any) -> bool:
    if question["type"] == "choice":
        return cast(bool, given == question["answer"])
    target, aliases = question["answer"], question.get("aliases", [])
    if fold(target).isdigit():
        # Numbers are exact: a one-digit "typo" in a year is a different year.
        return fold(given) in {fold(c) for c in (target, *aliases)}
    return is_match(given, target, aliases)


def _reveal(state: State, now: float) -> list[Event]:
    cfg = state["config"]
    question = state["questions"][state["index"]]
    points: dict[str, int] = {}
    bonus: dict[str, int] = {}
    right: list[str] = []
    for p in state["players"]:
        answer = state["answers"].get(p)
        stats = state["stats"][p]
        if answer is not None:
            stats["answered"] += 1
        if answer is None or not answer["right"]:
            state["streak"][p] = 0
            points[p], bonus[p] = 0, 0
            continue
        right.append(p)
        stats["right"] += 1
        state["streak"][p] += 1
        stats["best_streak"] = max(stats["best_streak"], state["streak"][p])
        bonus[p] = streak_points(state["streak"][p], cfg["streak_bonus"], cfg["streak_cap"])
        points[p] = speed_points(answer["t"], cfg["seconds"], cfg["base"]) + bonus[p]
        if points[p] > 0:
            state["scores"][p] += points[p]
            state["reached"][p] = [answer["at"], answer["n"]]
    right.sort(key=lambda p: (state["answers"][p]["t"], state["answers"][p]["n"]))

    answer_text = question["choices"][question["answer"]] if question["type"] == "choice" else question["answer"]
    reveal = {
        "index": state["index"],
        "total": len(state["questions"]),
        "id": question["id"],
        "type": question["type"],
        "text": question["question"],
        "answer": answer_text,
        "answer_index": question["answer"] if question["type"] == "choice" else None,
        "explanation": question["explanation"],
        "answers": {p: a["given"] for p, a in state["answers"].items()},
        "right": right,
        "points": points,
        "bonus": bonus,
        "streaks": dict(state["streak"]),
        "scores": dict(state["scores"]),
    }
    state["phase"] = "reveal"
    state["last_reveal"] = reveal
    events = [Event("reveal", reveal)]
    last = state["index"] + 1 >= len(state["questions"])
    if last:
        events.append(_finish(state))
    elif cfg["reveal_seconds"] == 0:
        state["index"] += 1
        events.append(_ask(state, now))
    else:
        state["deadline"] = now + cfg["reveal_seconds"]
    return events


def _finish(state: State) -> Event:
    return scoreboard.finish(state, questions=len(state["questions"]))


# ---------------------------------------------------------------------------------------
# Views and results


def view(state: State, viewer: str | None) -> dict[str, Any]:
    """The public view, plus the viewer's own answer to the current question if they gave one.
    The right answer appears only once revealed (``reveal``), never in ``question``."""
    out: dict[str, Any] = {
        "game": "quiz",
        "phase": state["phase"],
        "index": state["index"],
        "total": len(state["questions"]),
        "question": _public_question(state),
        "deadline": state["deadline"],
        "seconds": state["config"]["seconds"],
        "players": list(state["players"]),
        "scores": dict(state["scores"]),
        "answered_count": len(state["answers"]),
        "reveal": state["last_reveal"],
        "ranking": state["ranking"],
    }
    if viewer is not None and viewer in state["scores"]:
        mine = state["answers"].get(viewer)
        out["you"] = {
            "player": viewer,
            "answered": mine is not None,
            "answer": mine["given"] if mine is not None else None,
            "score": state["scores"][viewer],
            "streak": state["streak"][viewer],
        }
    return out


def result(state: State) -> GameResult:
    players = scoreboard.player_results(state, won=lambda r: r["rank"] == 1)
    return GameResult(game="quiz", players=players, summary={"questions": len(state["questions"])})


# ---------------------------------------------------------------------------------------
# Pack review: questions that answer each other


GIVEAWAY_MIN_HAN = 2  # a shorter answer (one character) appears in too many sentences to mean anything
GIVEAWAY_MIN_LATIN = 4


def _answer_text(item: Mapping[str, Any]) -> str | None:
    if item.get("type") == "choice":
        choices, answer = item.get("choices"), item.get("answer")
        if isinstance(choices, list) and isinstance(answer, int) and 0 <= answer < len(choices):
            value = choices[answer]
            return value if isinstance(value, str) else None
        return None
    answer = item.get("answer")
    return answer if isinstance(answer, str) else None


def _answer_key(answer: str) -> tuple[str, str | tuple[str, ...]] | None:
    """How an answer is looked for in other text: folded Han characters, or a run of Latin
    words; None when it is too short to mean anything (one character, a small number)."""
    a = fold(answer)
    if has_han(a):
        return ("han", a) if len(a) >= GIVEAWAY_MIN_HAN else None
    if len(a) < GIVEAWAY_MIN_LATIN or a.isdigit() and len(a) < 3:
        return None
    words = tuple(_WORDS.findall(unicodedata.normalize("NFKC", answer).casefold()))
    return ("latin", words) if words else None


_WORDS = re.compile(r"[^\W_]+")


_STOP_WORDS = frozenset("which what who whom whose when where why how many much the a an of in on at to for and or "
                        "is are was were be been does did do has have had it its this that these those by from "
                        "with as called known name named first".split())
_STOP_BIGRAMS = frozenset("哪个 哪位 哪座 哪一 哪里 什么 是谁 是哪 下列 一年 中国 世界 位于 一般 通常 叫什 么？ 多少 属于 "
                          "的是 是什 指的 出自 来自".split())
COMMON_SHARE = 0.02  # a word in more than this share of a pack's questions says nothing about one of them


def _tokens(text: str) -> set[str]:
    """What a question is about: its rarer English words and Chinese character pairs."""
    text = unicodedata.normalize("NFKC", text).casefold()
    words = {w for w in _WORDS.findall(text) if not has_han(w) and len(w) >= 3 and w not in _STOP_WORDS}
    han = "".join(ch if has_han(ch) else " " for ch in text)
    pairs = {han[k:k + 2] for k in range(len(han) - 1) if " " not in han[k:k + 2]} - _STOP_BIGRAMS
    return words | pairs


def review_pack(items: Sequence[Mapping[str, Any]]) -> list[tuple[int, str, str]]:
    """Pack-wide problems, as (index of the item, field, reason): a question whose text or
    explanation contains the answer of another question in the same language and is about
    the same thing (shares one of that question's rarer words or character pairs), so that
    one revealed question would answer the other in the same game. Indexed by answer, so a
    10,000-question pack is reviewed in a moment."""
    han: dict[str, list[tuple[int, Any, Any, str]]] = {}
    latin: dict[tuple[str, ...], list[tuple[int, Any, Any, str]]] = {}
    topics: dict[int, set[str]] = {}
    frequency: dict[str, int] = {}
    for i, it in enumerate(items):
        if not isinstance(it, Mapping):
            continue
        question = it.get("question")
        topics[i] = _tokens(question) if isinstance(question, str) else set()
        for token in topics[i]:
            frequency[token] = frequency.get(token, 0) + 1
        answer = _answer_text(it)
        key = _answer_key(answer) if answer else None
        if key is None or answer is None:
            continue
        topics[i] -= _tokens(answer)
        entry = (i, it.get("id"), it.get("lang"), answer)
        if key[0] == "han":
            han.setdefault(str(key[1]), []).append(entry)
        else:
            latin.setdefault(tuple(key[1]), []).append(entry)
    common = max(3, int(len(items) * COMMON_SHARE))
    han_lengths = sorted({len(k) for k in han})
    latin_lengths = sorted({len(k) for k in latin})
    problems: list[tuple[int, str, str]] = []
    for j, other in enumerate(items):
        if not isinstance(other, Mapping):
            continue
        for field in ("question", "explanation"):
            text = other.get(field)
            if not isinstance(text, str) or not text:
                continue
            found: list[tuple[int, Any, Any, str]] = []
            folded = fold(text)
            for n in han_lengths:
                for k in range(len(folded) - n + 1):
                    found.extend(han.get(folded[k:k + n], ()))
            words = _WORDS.findall(unicodedata.normalize("NFKC", text).casefold())
            for n in latin_lengths:
                for k in range(len(words) - n + 1):
                    found.extend(latin.get(tuple(words[k:k + n]), ()))
            if not found:
                continue
            about = _tokens(text)
            hit = next((e for e in sorted(found) if e[0] != j and e[2] == other.get("lang")
                        and any(frequency.get(t, 0) <= common for t in topics[e[0]] & about)), None)
            if hit is not None:
                problems.append((j, field, f"gives away the answer of question '{hit[1]}' ({hit[3]})"))
    return problems
