"""Deciding whether what a member typed names the secret answer (a song title, a quiz answer,
a drawing's word), the same way for every game: ``judge(guess, answer, aliases, lang)``.

Members answer in a chat box on a phone: in characters (simplified or traditional), in
pinyin, in English with typos, wrapped in chat ("是茉莉花吧", "I think it's Greensleeves?"),
with the composer added. A matcher that is too strict makes the game feel broken; one that
is too loose hands a round to "两只老鼠" when the song is "两只老虎". The answer is compared
in its own script:

**Wrapping** (tried in addition to the answer as typed). Filler and question words around
the answer are dropped (我猜…, 是…吧, …吗, 应该是…, "I think it's…", "is it…?"); a trailing
part in brackets ("欢乐颂（贝多芬）") and an artist named before or after the title
("Ode to Joy by Beethoven", "贝多芬的欢乐颂") are dropped; a leading English article ("the",
"a", "an") and a key or catalogue qualifier ("in D", "Op. 9", "D大调") may be left out on
either side. Aliases carry other titles (regional ones such as 驪歌 for Auld Lang Syne).

**Chinese answers, typed in characters.** Compared after ``games.text.fold`` (case, width,
spaces, punctuation; traditional folded to simplified). Also accepted: a homophone typed
by the input method (same length, at least 3 characters, every character sharing a reading
with the one it replaces: "两支老虎"); on a long title (7 characters or more) one missing or
one extra character. Nothing else: a different character is a different word ("老鼠" is
not "老虎", "一氧化碳" is not "二氧化碳").

**Chinese answers, typed in pinyin.** The letters must spell the title's syllables exactly,
using any reading of each character (polyphones: 长 chang/zhang); tones (marks or digits),
spaces, apostrophes and case are ignored; ü may be typed u, v or ü. No letter-level typo
allowance: "liang zhi lao shu" is two mice, "chuan" is not 春. On a long title (7 syllables
or more) one whole syllable may be missing. Initials alone ("lzlh") are not an answer.

**English (and other Latin-letter) answers.** Accents are folded ("Fur Elise"). Typos
within a budget that grows with the answer's folded length (optimal string alignment: a
swap of neighbours is one typo): up to 3 letters none, 4–7 one, 8 or more two. But a
typed word that is itself a different English word is never a typo ("dice" for "mice",
"bars" for "Mars", "mices" for "miles"; an inflection of the same word, "bell"/"bells",
is fine), and digits must be exact (1948 is not 1949).

**One character.** A title of a single character or letter is only taken exactly (after
folding and unwrapping): no pinyin, no homophone.

``judge`` says ``"exact"`` (accepted), ``"close"`` (not accepted, but one step from it: a
game may send the guesser a private "almost" hint) or ``"no"``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from rapidfuzz.distance import OSA

from games.text import fold, has_han, to_simplified
from games.words import is_word, same_word

How = Literal["exact", "typo", "pinyin", "homophone"]
Verdict = Literal["exact", "close", "no"]

# (longest length with this many typos allowed, typos): first row that fits wins.
LATIN_BUDGET: tuple[tuple[int, int], ...] = ((3, 0), (7, 1))
LATIN_MAX_TYPOS = 2
HOMOPHONE_MIN_HAN = 3
LONG_TITLE = 7  # characters or syllables from which one may be missing (or, for characters, extra)

ZH_PREFIXES = ("我猜是", "我猜", "我觉得是", "我觉得", "我想是", "我估计是", "估计是", "应该是", "可能是", "大概是",
               "也许是", "好像是", "感觉是", "肯定是", "一定是", "答案是", "难道是", "是不是", "这是", "这首是",
               "这首歌是", "这首歌叫", "歌名是", "就是", "是")
ZH_SUFFIXES = ("对不对", "是不是", "没错吧", "对吧", "是吧", "吧", "吗", "嘛", "呢", "啊", "呀", "啦", "哦", "咯")
EN_PREFIXES = ("i think it's", "i think it is", "i think its", "i think", "i guess it's", "i guess", "i bet it's",
               "my guess is", "my guess:", "the answer is", "answer is", "answer:", "it's", "its", "it is",
               "is it", "is this", "this is", "that's", "that is", "is that", "could it be", "might be", "maybe",
               "perhaps", "probably", "how about", "what about", "definitely", "surely", "obviously")
EN_SUFFIXES = ("i think", "i guess", "maybe", "perhaps", "probably", "right", "lol", "haha", "for sure")
ARTICLES = ("the", "a", "an")
ARTIST_JOINERS_AFTER = ("by", "from", "of")  # "Ode to Joy by Beethoven"
ARTIST_JOINERS_BEFORE = ("的", "之", "s")  # "贝多芬的欢乐颂", "Beethoven's Ode to Joy" (apostrophe folded)

_BRACKETED_TAIL = re.compile(r"^(.+?)\s*[(\[（【〈《<][^()\[\]（）【】]*[)\]）】〉》>]\s*$")
_QUALIFIER_TAIL = re.compile(
    r"^(.+?)[\s,]+(?:in\s+[a-g](?:\s*(?:flat|sharp|♭|♯|#|b))?(?:\s+(?:major|minor))?"
    r"|(?:op|opus|no|bwv|k|kv|hob)\.?\s*[\dxvi]+(?:[\s,]+(?:no|nr)\.?\s*\d+)?)\s*$", re.IGNORECASE)
_QUALIFIER_HEAD_ZH = re.compile(r"^[A-Ga-g][#b♭♯]?[大小]调(?:的)?(.+)$")
_QUALIFIER_TAIL_ZH = re.compile(r"^(.+?)[（(]?[A-Ga-g][#b♭♯]?[大小]调[)）]?$")
_EN_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Match:
    """Why an answer was accepted: which candidate (the target or an alias, as written),
    by which rule, and how many typos (or missing characters/syllables) it took."""

    candidate: str
    how: How
    typos: int = 0


def typo_budget(folded_target: str) -> int:
    """How many letter typos an answer to this (folded, Latin) target may contain. Chinese
    answers have none: see the module doc."""
    if has_han(folded_target):
        return 0
    n = len(folded_target)
    for longest, typos in LATIN_BUDGET:
        if n <= longest:
            return typos
    return LATIN_MAX_TYPOS


# --- unwrapping what was typed -----------------------------------------------------------------

def _plain(text: str) -> str:
    """NFKC, case-folded, spaces collapsed: the form the filler and article rules read."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if has_han(text):
        text = to_simplified(text)  # so the filler words below need only their simplified forms
    return " ".join(text.replace("’", "'").split())


def _strip_punct_edges(text: str) -> str:
    return text.strip(" \t?!.,;:~…'\"-—–=、，。？！；：～·")


def _strip_filler(text: str) -> str:
    """Drop chat filler around an answer, repeatedly ("我猜是茉莉花吧？" -> "茉莉花")."""
    previous = None
    while previous != text:
        previous = text
        text = _strip_punct_edges(text)
        for p in ZH_PREFIXES:
            if text.startswith(p) and len(text) > len(p):
                text = text[len(p):]
                break
        for s in ZH_SUFFIXES:
            if text.endswith(s) and len(text) > len(s):
                text = text[: -len(s)]
                break
        for p in EN_PREFIXES:
            if text.startswith(p + " ") or (p.endswith(":") and text.startswith(p)):
                text = text[len(p):].lstrip()
                break
        for s in EN_SUFFIXES:
            if text.endswith(" " + s):
                text = text[: -len(s) - 1].rstrip(" ,")
                break
    return text


def _drop_article(text: str) -> str:
    for article in ARTICLES:
        if text.startswith(article + " ") and len(text) > len(article) + 1:
            return text[len(article) + 1:]
    return text


def _drop_qualifiers(text: str) -> set[str]:
    """The title without a key or catalogue number ("canon in d" -> "canon", "d大调卡农" -> "卡农")."""
    out = set()
    for pattern in (_QUALIFIER_TAIL, _QUALIFIER_HEAD_ZH, _QUALIFIER_TAIL_ZH):
        m = pattern.match(text)
        if m:
            out.add(m.group(1).strip())
    return out


def _guess_forms(guess: str) -> set[str]:
    """Every reading of what was typed, unwrapped: as typed, without filler, without a
    bracketed tail, without a leading article (all plain text, not yet folded)."""
    plain = _plain(guess)
    forms = {plain}
    unwrapped = _strip_filler(plain)
    forms.add(unwrapped)
    for f in list(forms):
        m = _BRACKETED_TAIL.match(f)
        if m:
            forms.add(_strip_filler(m.group(1)))
    for f in list(forms):
        forms.add(_drop_article(f))
    return {f for f in forms if f}


def _candidate_forms(candidate: str) -> set[str]:
    plain = _plain(candidate)
    forms = {plain, _drop_article(plain)}
    for f in list(forms):
        forms |= _drop_qualifiers(f)
    return {f for f in forms if len(fold(f)) >= 2 or f == plain}


def _without_artist(folded: str, artists: Iterable[str]) -> set[str]:
    """The folded guess with an artist's name taken off its end or start."""
    out = set()
    for artist in artists:
        a = fold(artist)
        if len(a) < 2 or len(folded) <= len(a):
            continue
        if folded.endswith(a):
            rest = folded[: -len(a)]
            out.add(rest)
            out.update(rest[: -len(j)] for j in ARTIST_JOINERS_AFTER if rest.endswith(j) and len(rest) > len(j))
        if folded.startswith(a):
            rest = folded[len(a):]
            out.add(rest)
            out.update(rest[len(j):] for j in ARTIST_JOINERS_BEFORE if rest.startswith(j) and len(rest) > len(j))
    return {f for f in out if f}


# --- Chinese -------------------------------------------------------------------------------------

@lru_cache(maxsize=8192)
def _readings(ch: str) -> frozenset[str]:
    """Every toneless pinyin reading of one character (ü as u); a non-Han character reads as itself."""
    if not has_han(ch):
        return frozenset({ch})
    from pypinyin import Style, pinyin

    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="default")[0]
    return frozenset(r.replace("ü", "u").replace("v", "u") for r in found if r)


@lru_cache(maxsize=4096)
def _phrase_readings(folded: str) -> tuple[frozenset[str], ...]:
    """Per character: its readings, with the reading pypinyin picks in context added."""
    from pypinyin import Style, lazy_pinyin

    in_context = lazy_pinyin(folded, style=Style.NORMAL, errors="default")
    readings = [set(_readings(ch)) for ch in folded]
    if len(in_context) == len(folded):
        for i, r in enumerate(in_context):
            readings[i].add(r.replace("ü", "u").replace("v", "u"))
    return tuple(frozenset(r) for r in readings)


@lru_cache(maxsize=4096)
def _typed_pinyin(guess: str) -> str:
    """What was typed, read as pinyin letters: tone marks and digits, spaces, apostrophes and
    case dropped, ü/v as u. Empty when anything but Latin letters is left (not pinyin)."""
    text = unicodedata.normalize("NFKD", guess.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and not ch.isdigit())
    text = "".join(ch for ch in text if not (ch.isspace() or ch in "'’-_.,?!"))
    text = unicodedata.normalize("NFKC", text).replace("v", "u")
    return text if text and text.isascii() and text.isalpha() else ""


def _spells(letters: str, readings: Sequence[frozenset[str]], skips: int) -> bool:
    """Can ``letters`` be cut into one reading per character, leaving out at most ``skips``
    whole characters?"""
    n = len(readings)

    @cache
    def go(i: int, pos: int, left: int) -> bool:
        if i == n:
            return pos == len(letters)
        if left and go(i + 1, pos, left - 1):
            return True
        return any(letters.startswith(r, pos) and go(i + 1, pos + len(r), left) for r in readings[i])

    return go(0, 0, skips)


def _han_verdict(given: str, target: str) -> tuple[Verdict, How, int]:
    """Characters against a title with Han characters (both folded)."""
    if given == target:
        return "exact", "exact", 0
    if len(target) == 1:
        return ("close" if has_han(given) and len(given) <= 2 else "no"), "exact", 0
    if len(given) == len(target) and len(target) >= HOMOPHONE_MIN_HAN and all(has_han(c) for c in given + target):
        a, b = _phrase_readings(given), _phrase_readings(target)
        if all(x & y for x, y in zip(a, b)):
            return "exact", "homophone", 0
    d = OSA.distance(given, target)
    if len(target) >= LONG_TITLE and d == 1 and len(given) != len(target):
        return "exact", "typo", 1
    return ("close" if d <= 1 + len(target) // 6 else "no"), "typo", d


def _pinyin_verdict(letters: str, target: str) -> tuple[Verdict, How, int]:
    """Typed pinyin against a title with Han characters (folded)."""
    readings = _phrase_readings(target)
    if len(target) == 1:
        return ("close" if _spells(letters, readings, 0) else "no"), "pinyin", 0
    if _spells(letters, readings, 0):
        return "exact", "pinyin", 0
    if sum(1 for c in target if has_han(c)) >= LONG_TITLE and _spells(letters, readings, 1):
        return "exact", "pinyin", 1
    key = "".join(min(r) for r in readings)
    d = OSA.distance(letters, key)
    return ("close" if len(letters) > len(target) and d <= 1 + len(key) // 8 else "no"), "pinyin", d


# --- Latin ---------------------------------------------------------------------------------------

def _deaccent(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _words(plain: str) -> list[str]:
    return _EN_WORD.findall(_deaccent(plain).replace("'", ""))


def _latin_verdict(given_plain: str, given: str, target_plain: str, target: str) -> tuple[Verdict, How, int]:
    """A Latin-letter guess against a Latin-letter title (both folded and de-accented)."""
    if given == target:
        return "exact", "exact", 0
    if len(target) == 1:
        return "no", "typo", 0
    budget = typo_budget(target)
    d = OSA.distance(given, target, score_cutoff=budget + 1)
    if d > budget + 1:
        return "no", "typo", d
    if d > budget or (any(c.isdigit() for c in given + target) and _digits(given) != _digits(target)):
        return ("close" if len(target) >= 4 else "no"), "typo", d
    if _word_conflict(_words(given_plain), _words(target_plain)):
        return "close", "typo", d
    return "exact", "typo", d


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _word_conflict(given: list[str], target: list[str]) -> bool:
    """Is some typed word a real English word other than the one it stands for?"""
    if not target:
        return False
    for word in given:
        if word in target or not word.isalpha():
            continue
        nearest = min(target, key=lambda t: (OSA.distance(word, t), abs(len(t) - len(word))))
        if not same_word(word, nearest) and is_word(word):
            return True
    return False


# --- judging -------------------------------------------------------------------------------------

_RANK = {"exact": 0, "pinyin": 1, "homophone": 1, "typo": 2}


def _one(guess_forms: set[str], artists: Sequence[str], candidate: str) -> tuple[Verdict, Match | None]:
    """The best verdict for one candidate over every reading of the guess."""
    best: tuple[Verdict, Match | None] = ("no", None)
    for cand_plain in _candidate_forms(candidate):
        target = fold(cand_plain)
        han = has_han(target)
        if not han:
            target = fold(_deaccent(cand_plain))
        if not target:
            # A title of only punctuation ("?!"): nothing to fold to, compare as written.
            if any(g.strip() == cand_plain.strip() for g in guess_forms):
                return "exact", Match(candidate, "exact")
            continue
        for g_plain in guess_forms:
            folded = fold(g_plain) if han else fold(_deaccent(g_plain))
            options = {folded} | _without_artist(folded, artists)
            for given in options:
                if not given:
                    continue
                if han:
                    letters = _typed_pinyin(g_plain) if given == folded else _typed_pinyin(given)
                    if has_han(given) or not letters:
                        verdict, how, typos = _han_verdict(given, target)
                    else:
                        verdict, how, typos = _pinyin_verdict(letters, target)
                elif has_han(given):
                    continue
                else:
                    words_of = g_plain if given == folded else given
                    verdict, how, typos = _latin_verdict(words_of, given, cand_plain, target)
                if verdict == "exact":
                    m = Match(candidate, how, typos)
                    if best[1] is None or (_RANK[m.how], m.typos) < (_RANK[best[1].how], best[1].typos):
                        best = ("exact", m)
                    if how == "exact":
                        return best
                elif verdict == "close" and best[0] == "no":
                    best = ("close", None)
    return best


def _verdict(guess: str, answer: str, aliases: Sequence[str], artists: Sequence[str]) -> tuple[Verdict, Match | None]:
    if not isinstance(guess, str) or not guess.strip() or len(guess) > 500:
        return "no", None
    forms = _guess_forms(guess)
    if not any(fold(f) for f in forms) and not any(fold(c) == "" for c in (answer, *aliases) if c):
        return "no", None
    verdict: Verdict = "no"
    best: Match | None = None
    for candidate in (answer, *aliases):
        if not candidate:
            continue
        v, m = _one(forms, artists, candidate)
        if m is not None and (best is None or (_RANK[m.how], m.typos) < (_RANK[best.how], best.typos)):
            best = m
            if m.how == "exact":
                break
        elif v == "close":
            verdict = "close"
    return ("exact", best) if best is not None else (verdict, None)


def judge(guess: str, answer: str, aliases: Sequence[str] = (), lang: str | None = None,
          artists: Sequence[str] = ()) -> Verdict:
    """Does ``guess`` name ``answer`` (or one of its ``aliases``)? ``"exact"``: yes;
    ``"close"``: no, but nearly (worth a private "almost"); ``"no"``.

    ``lang`` is the language the game is played in ("zh", "en" or None). The rules are the
    same for both (each answer is compared in its own script); it is accepted so that games
    pass it and the rules may grow per language. ``artists`` are names (the composer, the
    singer) a member may add before or after a title."""
    del lang  # see the docstring: every answer is already compared in its own script
    return _verdict(guess, answer, aliases, artists)[0]


def match(given: str, target: str, aliases: Sequence[str] = (), artists: Sequence[str] = ()) -> Match | None:
    """How ``given`` names ``target`` or one of its ``aliases``, or None when it does not.
    Exact beats pinyin and homophones, which beat typos; among equals the target beats the
    aliases (in their order)."""
    return _verdict(given, target, aliases, artists)[1]


def is_match(given: str, target: str, aliases: Sequence[str] = (), artists: Sequence[str] = ()) -> bool:
    """Does what a member typed name the target (or one of its aliases)? See the module doc."""
    return match(given, target, aliases, artists) is not None
