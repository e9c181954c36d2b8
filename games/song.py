"""Song guessing (猜歌): a clip plays, members type the title in chat, the first right title
takes the round.

Why "first right answer wins" rather than quiz-style "everyone answers once": in a chat
group the guesses are public messages, so once someone types the title everyone has seen
it; the round has to end there. Wrong guesses cost nothing (they are refused with
``wrong_answer`` and change no state), so members guess freely, as they would aloud.

Scoring (T = ``round_seconds``, t = seconds since the clip started, clamped to [0, T])::

    title  = round(base × (1 − t / T / 2))      # full base at once, half at the buzzer
    artist = round(base × artist_share)          # once per player per round; not for
                                                 # "traditional" / 民歌 melodies

Hints arrive every ``hint_seconds`` while the round lasts, in this order, skipping any
that do not apply: the artist's initial (or "a traditional tune"), the title's length as
＊＊＊, the title's initials (pinyin initials for a Chinese title), one lyric line.

Secrets: the title, artist and aliases live only in the state until the round's
``reveal`` event. The clip URL names the item id, so demo ids are opaque ("s07").
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
from games.matching import is_match, judge
from games.melody import MAX_CLIP_SECONDS, MAX_TEMPO, MIN_TEMPO, MelodyError, clip_seconds, parse
from games.rng import Rng
from games.text import fold, has_han, pinyin_initials

MAX_ANSWER_CHARS = 200
MIN_CLIP_SECONDS = 2.0
MAX_LYRIC_CHARS = 200
MAX_LYRICS = 4
MEDIA_PREFIX = "/media/songs/"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
TRADITIONAL_ZH = ("民歌", "民谣", "童谣", "传统")
MASK = "＊"
SKIP_WORDS = frozenset({"跳过", "skip", "pass", "下一首", "换一首"})

meta = GameMeta(
    name="song",
    title_zh="猜歌",
    title_en="Name That Tune",
    min_players=1,
    max_players=500,
    usage_zh=(
        "每轮播放一段旋律，在群里直接发歌名（中文、英文、拼音都行，错一两个字也算）。"
        "第一个答对的人赢下这一轮，越快得分越高；只答出作者也能拿部分分（民歌除外）。"
        "每隔一段时间会给提示。发送“跳过”投票跳过，超过半数即揭晓答案。"
    ),
    usage_en=(
        "Each round plays a tune: type its title in chat (Chinese, English or pinyin; small "
        "typos are fine). The first right title wins the round, and faster is worth more; "
        "naming only the composer earns part of the points (not for traditional tunes). Hints "
        "come on a timer. Vote to skip; more than half of the players ends the round."
    ),
    config=(
        ConfigField("rounds", int, 5, "轮数", "number of rounds", min=1, max=30),
        ConfigField("round_seconds", int, 45, "每轮秒数", "seconds per round", min=10, max=300),
        ConfigField("hint_seconds", int, 10, "提示间隔秒数", "seconds between hints", min=3, max=120),
        ConfigField("base", int, 1000, "猜中歌名的基础分", "points for the title", min=1, max=100000),
        ConfigField("artist_share", float, 0.3, "只猜中作者得分比例", "share of base for naming the artist",
                    min=0.0, max=1.0),
        ConfigField("reveal_seconds", int, 5, "揭晓后停留秒数", "seconds the answer is shown before the next round",
                    min=0, max=60),
        ConfigField("category", str, None, "曲目分类（留空为任意）", "song category (empty for any)", optional=True),
    ),
    late_join=True,
    content_kind="song",
    remember_recent=50,
)

_ITEM_FIELDS = frozenset({"id", "title", "artist", "aliases", "clip", "lyrics", "category", "difficulty",
                          "public_domain"})


# ---------------------------------------------------------------------------------------
# Content


def is_traditional(artist: Mapping[str, Any]) -> bool:
    """Folk tunes have no author to name, so naming "民歌" earns nothing."""
    en = artist.get("en") or ""
    zh = artist.get("zh") or ""
    return en.strip().lower().startswith("traditional") or any(m in zh for m in TRADITIONAL_ZH)


def _names(block: Any) -> list[str]:
    """The zh/en names of a title or artist block plus its aliases, non-empty ones only."""
    if not isinstance(block, Mapping):
        return []
    out = [block.get(k) for k in ("zh", "en")] + list(block.get("aliases") or [])
    return [s for s in out if isinstance(s, str) and s.strip()]


def validate_item(item: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every problem with one song, as (field, reason). Notes must parse and the clip must
    last 2–30 s; a lyric line may not give the title away."""
    if not isinstance(item, Mapping):
        return [("item", "must be an object")]
    problems: list[tuple[str, str]] = []
    for key in sorted(set(item) - _ITEM_FIELDS, key=str):
        problems.append((str(key), "unknown field"))

    item_id = item.get("id")
    if not isinstance(item_id, str) or not ID_PATTERN.match(item_id):
        problems.append(("id", "must be 1–64 letters, digits, '-' or '_' (it appears in the clip URL)"))

    def names_block(key: str, allow_aliases: bool) -> None:
        block = item.get(key)
        if not isinstance(block, Mapping):
            problems.append((key, "must be an object with 'zh' and/or 'en'"))
            return
        allowed = {"zh", "en"} | ({"aliases"} if allow_aliases else set())
        for extra in sorted(set(block) - allowed, key=str):
            problems.append((f"{key}.{extra}", "unknown field"))
        present = [k for k in ("zh", "en") if k in block]
        if not present:
            problems.append((key, "needs 'zh' or 'en'"))
        for k in present:
            value = block[k]
            if not isinstance(value, str) or not value.strip() or len(value) > 200:
                problems.append((f"{key}.{k}", "must be a non-empty string of at most 200 characters"))
            elif not fold(value):
                problems.append((f"{key}.{k}", "must contain letters or characters, not only punctuation"))
        if "aliases" in block:
            aliases = block["aliases"]
            if not isinstance(aliases, list) or not all(isinstance(a, str) and fold(a) for a in aliases):
                problems.append((f"{key}.aliases", "must be a list of non-empty strings"))

    names_block("title", allow_aliases=False)
    if "artist" in item:  # optional for an app's own songs: then there is no artist credit or hint
        names_block("artist", allow_aliases=True)

    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and fold(a) for a in aliases):
        problems.append(("aliases", "must be a list of non-empty strings"))

    clip = item.get("clip")
    if not isinstance(clip, Mapping):
        problems.append(("clip", "must be an object: {'notes', 'tempo'}, {'url'} or {'file'}"))
    else:
        problems.extend(_clip_problems(clip))

    if "lyrics" in item:
        lyrics = item["lyrics"]
        if (not isinstance(lyrics, list) or not 1 <= len(lyrics) <= MAX_LYRICS
                or not all(isinstance(line, str) and line.strip() and len(line) <= MAX_LYRIC_CHARS
                           for line in lyrics)):
            problems.append(("lyrics", f"must be a list of 1–{MAX_LYRICS} non-empty lines of at most "
                                       f"{MAX_LYRIC_CHARS} characters"))
        else:
            secrets = _names(item.get("title")) + (aliases if isinstance(aliases, list) else [])
            for i, line in enumerate(lyrics):
                folded_line = fold(line)
                for s in secrets:
                    if isinstance(s, str) and len(fold(s)) >= 2 and fold(s) in folded_line:
                        problems.append((f"lyrics[{i}]", f"gives the title away ({s!r})"))
                        break

    category = item.get("category")
    if not isinstance(category, str) or not category.strip():
        problems.append(("category", "must be a non-empty string"))
    difficulty = item.get("difficulty")
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
        problems.append(("difficulty", "must be 1, 2 or 3"))
    basis = item.get("public_domain")
    if basis is not None and (not isinstance(basis, str) or not basis.strip()):
        problems.append(("public_domain", "must say why the melody is public domain (\"traditional\" or "
                                          "\"composer died 1827\")"))
    return problems


def _clip_problems(clip: Mapping[str, Any]) -> list[tuple[str, str]]:
    forms = [k for k in ("notes", "url", "file") if k in clip]
    if len(forms) != 1:
        return [("clip", "needs exactly one of 'notes' (with 'tempo'), 'url' or 'file'")]
    form = forms[0]
    allowed = {"notes", "tempo"} if form == "notes" else {form, "seconds"}
    extra = sorted(set(clip) - allowed, key=str)
    if extra:
        return [(f"clip.{k}", "unknown field") for k in extra]
    if form == "notes":
        tempo = clip.get("tempo")
        if (isinstance(tempo, bool) or not isinstance(tempo, (int, float))
                or not MIN_TEMPO <= tempo <= MAX_TEMPO):
            return [("clip.tempo", f"must be a number from {MIN_TEMPO} to {MAX_TEMPO} (quarter notes a minute)")]
        try:
            seconds = clip_seconds(parse(clip["notes"]), tempo)
        except MelodyError as e:
            return [("clip.notes", str(e))]
        if not MIN_CLIP_SECONDS <= seconds <= MAX_CLIP_SECONDS:
            return [("clip.notes", f"the clip lasts {seconds:.1f} s; it must last "
                                   f"{MIN_CLIP_SECONDS:.0f}–{MAX_CLIP_SECONDS:.0f} s")]
        return []
    value = clip[form]
    if not isinstance(value, str) or not value.strip() or len(value) > 1000:
        return [(f"clip.{form}", "must be a non-empty string of at most 1000 characters")]
    if form == "url" and not value.startswith(("https://", "http://", "/")):
        return [("clip.url", "must start with https://, http:// or /")]
    if "seconds" in clip and (isinstance(clip["seconds"], bool) or not isinstance(clip["seconds"], (int, float))
                              or not 0 < clip["seconds"] <= 600):
        return [("clip.seconds", "must be a number of seconds (0–600)")]
    return []


def _pick_songs(config: Mapping[str, Any], content: Content, rng: Rng) -> list[dict[str, Any]]:
    """Songs the group has not heard lately first (at random), then the longest-unheard."""
    wanted = fold(config["category"]) if config["category"] else None

    def fits(item: Mapping[str, Any]) -> bool:
        if validate_item(item):
            return False  # a broken item in an app's pack must not break a running game
        return wanted is None or fold(item["category"]) == wanted

    recent = set(content.recent)
    seen: set[str] = set()
    candidates = []
    for it in content.fresh_first():
        if fits(it) and it["id"] not in seen:  # an id repeated across packs is played once
            seen.add(it["id"])
            candidates.append(it)
    fresh = [it for it in candidates if it["id"] not in recent]
    stale = [it for it in candidates if it["id"] in recent]  # least recently heard first
    n = config["rounds"]
    if len(fresh) >= n:
        chosen = rng.sample(fresh, n)
    else:
        chosen = fresh + stale[: n - len(fresh)]
        rng.shuffle(chosen)
    return [_copy_song(it) for it in chosen]


def _copy_song(item: Mapping[str, Any]) -> dict[str, Any]:
    """A plain copy kept in the state, so a restored room reveals the same song."""
    artist = item.get("artist") or {}
    song: dict[str, Any] = {
        "id": item["id"],
        "title": {k: item["title"][k] for k in ("zh", "en") if item["title"].get(k)},
        "artist": {k: artist[k] for k in ("zh", "en") if artist.get(k)},
        "artist_aliases": list(artist.get("aliases", [])),
        "traditional": is_traditional(artist),
        "aliases": list(item.get("aliases", [])),
        "clip": dict(item["clip"]),
        "lyrics": list(item.get("lyrics", [])),
        "category": item["category"],
        "difficulty": item["difficulty"],
    }
    return song


# ---------------------------------------------------------------------------------------
# Scoring and hints


def title_points(t: float, seconds: float, base: int) -> int:
    """Points for the title named ``t`` seconds into a round of ``seconds``."""
    t = min(max(t, 0.0), seconds)
    return round(base * (1 - t / seconds / 2))


def artist_points(base: int, share: float) -> int:
    return round(base * share)


def _mask(text: str) -> str:
    """Letters and characters become ＊; spaces and punctuation stay, to show the shape."""
    return "".join(MASK if unicodedata.category(ch)[0] in "LN" else ch for ch in text)


def _initials(title: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if title.get("zh"):
        zh = title["zh"]
        out["zh"] = pinyin_initials(zh).upper() if has_han(zh) else _word_initials(zh)
    if title.get("en"):
        out["en"] = _word_initials(title["en"])
    return out


def _word_initials(text: str) -> str:
    words = [w for w in re.split(r"[\s\-–—/]+", unicodedata.normalize("NFKC", text)) if fold(w)]
    return " ".join(fold(w)[0].upper() for w in words)


def build_hints(song: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The hints for one song, in the order they are given."""
    hints: list[dict[str, Any]] = []
    if song["traditional"]:
        hints.append({"kind": "traditional", "zh": "这是一首传统民歌/民间曲调", "en": "a traditional tune"})
    elif song["artist"]:
        artist = song["artist"]
        hints.append({"kind": "artist_initial",
                      **{k: unicodedata.normalize("NFKC", v).strip()[0].upper() for k, v in artist.items()}})
    hints.append({"kind": "length", **{k: _mask(v) for k, v in song["title"].items()}})
    hints.append({"kind": "initials", **_initials(song["title"])})
    if song["lyrics"]:
        hints.append({"kind": "lyric", "text": song["lyrics"][0]})
    return hints


def _public_clip(song: Mapping[str, Any]) -> dict[str, Any]:
    clip = song["clip"]
    if "notes" in clip:
        from games.content import builtin_items

        builtin = {it["id"]: it for it in builtin_items("song")}
        seconds = round(clip_seconds(clip["notes"], clip["tempo"]), 3)
        if song["id"] in builtin and builtin[song["id"]]["clip"] == clip:
            return {"url": f"{MEDIA_PREFIX}{song['id']}.wav", "seconds": seconds}
        # An app's own melody: the bot renders it with games.melody (there is no media file).
        return {"notes": clip["notes"], "tempo": clip["tempo"], "seconds": seconds}
    return dict(clip)


# ---------------------------------------------------------------------------------------
# Lifecycle


def start(config: Mapping[str, Any] | None, players: Sequence[str], seed: int | str, now: float,
          content: Content | None = None) -> Step:
    cfg = resolve_config(meta, config)
    roster = list(dict.fromkeys(players))
    if len(roster) < meta.min_players:
        raise ValueError("song guessing needs at least one player")
    if len(roster) > meta.max_players:
        raise ValueError(f"song guessing takes at most {meta.max_players} players")
    if content is None:
        from games.content import builtin_items

        content = Content(items=builtin_items("song"))
    rng = Rng.from_seed(seed)
    songs = _pick_songs(cfg, content, rng)
    if not songs:
        raise ValueError("no songs match" + (f" (category={cfg['category']})" if cfg["category"] else ""))
    state: State = {
        "game": "song",
        "config": cfg,
        "rng": rng.state,
        "players": [],
        "songs": songs,
        "content_used": [s["id"] for s in songs],
        "index": 0,
        "phase": "playing",
        "started_at": now,
        "ends_at": now,
        "deadline": None,
        "finished": False,
        "hints": [],        # every hint of the current round (secret until given)
        "hint_times": [],
        "hints_given": 0,
        "artist_credited": [],
        "skip_votes": [],
        "scores": {},
        "stats": {},
        "reached": {},
        "last_reveal": None,
        "ranking": None,
    }
    for p in roster:
        _add_player(state, p, now)
    return Step(state, [_begin_round(state, now)])


def join(state: State, player: str, now: float) -> Step | Refusal:
    refusal = scoreboard.join_refusal(state, player, meta)
    if refusal is not None:
        return refusal
    _add_player(state, player, now)
    return Step(state, [scoreboard.joined(state, player)])


def act(state: State, player: str, action: Mapping[str, Any], now: float) -> Step | Refusal:
    if state["finished"]:
        return refuse("game_over", "the game is over")
    if player not in state["scores"]:
        return refuse("not_a_player", "join the game to answer")
    if not isinstance(action, Mapping):
        return refuse("invalid_action", "send {'answer': text} or {'skip': true}")
    if (action.get("skip") is True or action.get("type") == "skip") and "answer" not in action:
        return _vote_skip(state, player, now)
    given = action.get("answer")
    if not isinstance(given, str) or not given.strip():
        return refuse("invalid_action", "send {'answer': text} or {'skip': true}")
    if len(given) > MAX_ANSWER_CHARS:
        return refuse("invalid_answer", f"answers are at most {MAX_ANSWER_CHARS} characters")
    if state["phase"] != "playing":
        return refuse("wrong_phase", "wait for the next song")
    if now >= state["ends_at"]:
        return refuse("too_late", "time is up for this song", index=state["index"])

    song = state["songs"][state["index"]]
    title = song["title"]
    names = [title[k] for k in ("zh", "en") if k in title] + song["aliases"]
    artist_names = [song["artist"][k] for k in ("zh", "en") if k in song["artist"]] + song["artist_aliases"]
    verdict = judge(given, names[0], names[1:], artists=artist_names)
    if verdict == "exact":
        t = max(0.0, now - state["started_at"])
        points = title_points(t, state["config"]["round_seconds"], state["config"]["base"])
        state["scores"][player] += points
        state["reached"][player] = now
        state["stats"][player]["titles"] += 1
        return Step(state, _reveal(state, now, winner=player, points=points))

    if not song["traditional"] and artist_names and is_match(given, artist_names[0], artist_names[1:]):
        if player in state["artist_credited"]:
            return refuse("already_credited", "you already named the artist this round")
        points = artist_points(state["config"]["base"], state["config"]["artist_share"])
        state["artist_credited"].append(player)
        state["scores"][player] += points
        if points > 0:
            state["reached"][player] = now
        state["stats"][player]["artists"] += 1
        # Who earned it and how much, but not the name: that waits for the reveal.
        return Step(state, [Event("artist_credit", {"index": state["index"], "player": player,
                                                    "points": points, "score": state["scores"][player]})])
    if fold(given) in SKIP_WORDS:
        return _vote_skip(state, player, now)  # typed in chat: "跳过" is a vote, not a guess
    if verdict == "close":
        # Only the guesser sees a refusal: "almost" helps them without telling the room anything.
        return refuse("wrong_answer", "almost: check the spelling", almost=True)
    return refuse("wrong_answer", "that is not it")


def tick(state: State, now: float) -> Step:
    if state["finished"] or state["deadline"] is None or now < state["deadline"]:
        return Step(state, [])
    if state["phase"] == "reveal":
        state["index"] += 1
        return Step(state, [_begin_round(state, now)])
    if now >= state["ends_at"]:
        return Step(state, _reveal(state, now, winner=None, points=0, reason="timeout"))
    events = []
    while state["hints_given"] < len(state["hint_times"]) and state["hint_times"][state["hints_given"]] <= now:
        events.append(Event("hint", {"index": state["index"], "n": state["hints_given"] + 1,
                                     **state["hints"][state["hints_given"]]}))
        state["hints_given"] += 1
    state["deadline"] = _next_deadline(state)
    return Step(state, events)


# ---------------------------------------------------------------------------------------
# Internals


def _add_player(state: State, player: str, now: float) -> None:
    state["players"].append(player)
    state["scores"][player] = 0
    state["stats"][player] = {"titles": 0, "artists": 0}
    state["reached"][player] = now


def _next_deadline(state: State) -> float:
    if state["hints_given"] < len(state["hint_times"]):
        return cast(float, min(state["hint_times"][state["hints_given"]], state["ends_at"]))
    return cast(float, state["ends_at"])


def _begin_round(state: State, now: float) -> Event:
    cfg = state["config"]
    song = state["songs"][state["index"]]
    state["phase"] = "playing"
    state["started_at"] = now
    state["ends_at"] = now + cfg["round_seconds"]
    state["hints"] = build_hints(song)
    times = [now + cfg["hint_seconds"] * (k + 1) for k in range(len(state["hints"]))]
    state["hint_times"] = [t for t in times if t < state["ends_at"]]
    state["hints_given"] = 0
    state["artist_credited"] = []
    state["skip_votes"] = []
    state["last_reveal"] = None
    state["deadline"] = _next_deadline(state)
    return Event("round", _public_round(state))


def _public_round(state: State) -> dict[str, Any]:
    song = state["songs"][state["index"]]
    return {
        "index": state["index"],
        "total": len(state["songs"]),
        "clip": _public_clip(song),
        "category": song["category"],
        "difficulty": song["difficulty"],
        "started_at": state["started_at"],
        "deadline": state["ends_at"],
        "seconds": state["config"]["round_seconds"],
        "hint_times": list(state["hint_times"]),
    }


def _vote_skip(state: State, player: str, now: float) -> Step | Refusal:
    if state["phase"] != "playing":
        return refuse("wrong_phase", "wait for the next song")
    if now >= state["ends_at"]:
        return refuse("too_late", "time is up for this song", index=state["index"])
    if player in state["skip_votes"]:
        return refuse("already_voted", "you already voted to skip")
    state["skip_votes"].append(player)
    votes, of = len(state["skip_votes"]), len(state["players"])
    if votes * 2 > of:
        return Step(state, _reveal(state, now, winner=None, points=0, reason="skipped"))
    return Step(state, [Event("skip_vote", {"index": state["index"], "player": player, "votes": votes,
                                            "needed": of // 2 + 1})])


def _reveal(state: State, now: float, winner: str | None, points: int, reason: str = "won") -> list[Event]:
    song = state["songs"][state["index"]]
    reveal = {
        "index": state["index"],
        "total": len(state["songs"]),
        "id": song["id"],
        "reason": reason,  # won | timeout | skipped
        "title": dict(song["title"]),
        "artist": dict(song["artist"]),
        "traditional": song["traditional"],
        "aliases": list(song["aliases"]),
        "lyrics": list(song["lyrics"]),
        "winner": winner,
        "points": points,
        "seconds": round(now - state["started_at"], 3) if winner else None,
        "artist_credited": list(state["artist_credited"]),
        "scores": dict(state["scores"]),
    }
    state["phase"] = "reveal"
    state["last_reveal"] = reveal
    events = [Event("reveal", reveal)]
    if state["index"] + 1 >= len(state["songs"]):
        events.append(_finish(state))
    elif state["config"]["reveal_seconds"] == 0:
        state["index"] += 1
        events.append(_begin_round(state, now))
    else:
        state["deadline"] = now + state["config"]["reveal_seconds"]
    return events


def _finish(state: State) -> Event:
    return scoreboard.finish(state, rounds=len(state["songs"]))


# ---------------------------------------------------------------------------------------
# Views and results


def view(state: State, viewer: str | None) -> dict[str, Any]:
    """Public: the clip, the hints given so far, scores, skip votes, the last reveal.
    Never the current song's title, artist, aliases or hints not yet given."""
    playing = state["phase"] == "playing"
    out: dict[str, Any] = {
        "game": "song",
        "phase": state["phase"],
        "index": state["index"],
        "total": len(state["songs"]),
        "round": _public_round(state) if playing else None,
        "hints": [{"n": i + 1, **h} for i, h in enumerate(state["hints"][: state["hints_given"]])] if playing else [],
        "deadline": state["deadline"],
        "players": list(state["players"]),
        "scores": dict(state["scores"]),
        "skip_votes": len(state["skip_votes"]) if playing else 0,
        "skip_needed": len(state["players"]) // 2 + 1,
        "reveal": state["last_reveal"],
        "ranking": state["ranking"],
    }
    if viewer is not None and viewer in state["scores"]:
        out["you"] = {
            "player": viewer,
            "score": state["scores"][viewer],
            "artist_credited": playing and viewer in state["artist_credited"],
            "voted_skip": playing and viewer in state["skip_votes"],
        }
    return out


def result(state: State) -> GameResult:
    players = scoreboard.player_results(state, won=lambda r: r["rank"] == 1 and r["score"] > 0)
    return GameResult(game="song", players=players, summary={"rounds": len(state["songs"]),
                                                             "songs": [s["id"] for s in state["songs"]]})
