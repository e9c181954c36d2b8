"""Is this an English word? Used by the answer matcher so that a real word is never taken for a
typo of another one ("dice" is not a misspelt "mice", "bars" is not "Mars").

The word list is pyspellchecker's English frequency dictionary (MIT licence, no other
dependencies, about 160,000 words with counts from subtitles). Its long tail holds typos and
fragments ("bels" appears 50 times), so a word counts only above a frequency floor; an
inflected form ("mices") counts when its stem is a common word ("mice").
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

WORD_FLOOR = 150  # below this count an entry is as likely a typo or a fragment as a word
STEM_FLOOR = 2000  # a stem behind an inflection must be common: "bel" (530) does not make "bels" a word
_SUFFIXES = ("'s", "es", "s", "ed", "ing")


@lru_cache(maxsize=1)
def _frequencies() -> Any:
    from spellchecker import SpellChecker  # imported lazily: the dictionary takes a moment to load

    return SpellChecker(language="en", distance=1).word_frequency


def frequency(word: str) -> int:
    """How often ``word`` (lower case) appears in the English frequency list; 0 if never."""
    return int(_frequencies()[word.lower()]) if word else 0


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """The word without one common inflection when that leaves a common word, else the word:
    "mices" -> "mice", "bells" -> "bell", "bels" -> "bels"."""
    w = word.lower()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: -len(suffix)]
            if frequency(base) >= STEM_FLOOR:
                return base
    return w


@lru_cache(maxsize=8192)
def is_word(word: str) -> bool:
    """A real English word (or an inflection of a common one), not a plausible typo."""
    w = word.lower()
    if len(w) < 2 or not w.isalpha():
        return False
    return frequency(w) >= WORD_FLOOR or stem(w) != w


def same_word(a: str, b: str) -> bool:
    """The same word up to an inflection: "bell"/"bells", "mouse"/"mouse's"."""
    a, b = a.lower(), b.lower()
    return a == b or stem(a) == stem(b) or stem(a) == b or a == stem(b)
