"""Deciding whether what a member typed names the secret answer (a song title, a quiz answer).

Members answer in a chat box on a phone: with traditional or simplified characters, in
pinyin when their input method is awkward, with typos, with or without spaces. A matcher
that is too strict makes the game feel broken; one that is too loose lets "两只" take a
round that "两只老虎" should. The rules, in the order they are tried for every candidate
(the target and each alias):

1. **Exact after folding.** ``games.text.fold`` removes case, full/half width, spaces,
   punctuation and symbols, and maps traditional to simplified characters.
2. **Small typos.** Optimal-string-alignment distance (a swap of two neighbours counts as
   one typo) within a budget that grows with the target's folded length:

   ==========================  =======  =======  =======
   target is …                 0 typos  1 typo   2 typos
   ==========================  =======  =======  =======
   Latin letters / digits      ≤ 3      4 – 7    ≥ 8
   Han characters (any Han)    ≤ 4      5 – 8    ≥ 9
   ==========================  =======  =======  =======

   Han is stricter because one character carries about as much as a syllable: "两只老虎"
   and "两只老鼠" differ by one character and are different songs.
3. **Pinyin.** For a target with Han characters, its toneless pinyin ("liangzhilaohu") is a
   candidate too, compared with the answer after tone marks, tone digits, spaces and case
   are dropped ("liǎng zhī lǎo hǔ", "liang3zhi1lao3hu3", "Liang Zhi Lao Hu"), with the
   Latin typo budget of the pinyin's length. "ü" may be typed as "u", "v" or "ü".
4. **Homophones.** An all-Han answer of the same length as an all-Han target of at least 3
   characters, with the same toneless pinyin, is accepted: that is the input method picking
   the wrong candidate ("两支老虎"), not a different answer.

And one rule over all of them: an answer shorter than the target's length minus its typo
budget is never accepted, so a prefix ("两只", "jingle") never takes a round.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Sequence

from rapidfuzz.distance import OSA

from games.text import fold, has_han, pinyin, strip_tones

How = Literal["exact", "typo", "pinyin", "homophone"]

# (longest length with this many typos allowed, typos): first row that fits wins.
LATIN_BUDGET: tuple[tuple[int, int], ...] = ((3, 0), (7, 1))
LATIN_MAX_TYPOS = 2
HAN_BUDGET: tuple[tuple[int, int], ...] = ((4, 0), (8, 1))
HAN_MAX_TYPOS = 2
HOMOPHONE_MIN_HAN = 3


@dataclass(frozen=True, slots=True)
class Match:
    """Why an answer was accepted: which candidate (the target or an alias, as written),
    by which rule, and how many typos it took."""

    candidate: str
    how: How
    typos: int = 0


def typo_budget(folded_target: str) -> int:
    """How many typos an answer to this (already folded) target may contain."""
    n = len(folded_target)
    table, top = (HAN_BUDGET, HAN_MAX_TYPOS) if has_han(folded_target) else (LATIN_BUDGET, LATIN_MAX_TYPOS)
    for longest, typos in table:
        if n <= longest:
            return typos
    return top


def _is_all_han(text: str) -> bool:
    return bool(text) and all(has_han(ch) for ch in text)


@lru_cache(maxsize=4096)
def _pinyin_key(text: str) -> str:
    """Toneless pinyin with ü/v folded to u, so the member's spelling of ü never matters."""
    return pinyin(text).replace("v", "u").replace("ü", "u")


@lru_cache(maxsize=4096)
def _typed_pinyin(given: str) -> str:
    """What a member typed, read as pinyin: tones (marks or digits), spaces, case dropped.
    Empty when it is not plain Latin letters afterwards (then it is not pinyin)."""
    text = unicodedata.normalize("NFKC", given)
    text = fold(strip_tones(text)).replace("v", "u")
    return text if text and text.isascii() and text.isalpha() else ""


def _within(given: str, target: str) -> int | None:
    """Typos between two folded strings, or None when over the target's budget or too short."""
    budget = typo_budget(target)
    if len(given) < len(target) - budget:
        return None
    d = OSA.distance(given, target, score_cutoff=budget)
    return d if d <= budget else None


def _match_one(given_raw: str, given: str, candidate: str) -> Match | None:
    target = fold(candidate)
    if not target:
        # A title of only punctuation ("?!"): nothing to fold to, compare as written.
        return Match(candidate, "exact") if given_raw.strip() == candidate.strip() else None
    if given == target:
        return Match(candidate, "exact")
    typos = _within(given, target)
    if typos is not None:
        return Match(candidate, "typo", typos)
    if has_han(target):
        typed = _typed_pinyin(given_raw)
        if typed:
            key = _pinyin_key(target)
            if typed == key:
                return Match(candidate, "pinyin")
            typos = _within(typed, key)
            if typos is not None:
                return Match(candidate, "pinyin", typos)
        if (_is_all_han(given) and _is_all_han(target) and len(target) >= HOMOPHONE_MIN_HAN
                and len(given) == len(target) and _pinyin_key(given) == _pinyin_key(target)):
            return Match(candidate, "homophone")
    return None


def match(given: str, target: str, aliases: Sequence[str] = ()) -> Match | None:
    """The best way ``given`` names ``target`` or one of its ``aliases``, or None.

    Exact matches beat pinyin and homophones, which beat typo matches; among equals the
    target beats aliases (in their order)."""
    folded = fold(given)
    if not folded and not given.strip():
        return None
    rank = {"exact": 0, "pinyin": 1, "homophone": 1, "typo": 2}
    best: Match | None = None
    for candidate in (target, *aliases):
        if not candidate:
            continue
        m = _match_one(given, folded, candidate)
        if m is None:
            continue
        if best is None or (rank[m.how], m.typos) < (rank[best.how], best.typos):
            best = m
            if m.how == "exact":
                break
    return best


def is_match(given: str, target: str, aliases: Sequence[str] = ()) -> bool:
    """Does what a member typed name the target (or one of its aliases)? See module doc."""
    return match(given, target, aliases) is not None
