"""Text folding shared by every rule that compares what a member typed with a secret.

Members type on phones, in Chinese and English, with full-width digits, traditional
characters, stray spaces and punctuation. ``fold`` maps all of those to one canonical
form so that "蘋 果", "苹果!" and "ＡＰＰＬＥ" compare as intended. Pinyin helpers let a
rule see through a word typed as "pingguo" or "ping2 guo3".
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import OpenCC  # imported lazily: building the converter takes a moment

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_t2s().convert(text))


@lru_cache(maxsize=1)
def _s2tw() -> Any:
    from opencc import OpenCC

    return OpenCC("s2tw")


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """Simplified to Traditional Chinese characters (Taiwan standard, no phrase changes):
    for the sentences Campfire itself writes, shown to groups that read traditional."""
    return str(_s2tw().convert(text))


def _is_noise(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in ("P", "Z", "S", "C")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """NFKC, case-folded, traditional→simplified, with spaces/punctuation/symbols removed.
    Memoised: the same words (pack items, answers) are folded again and again, and the
    traditional→simplified step is the slow part."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch for ch in text if not _is_noise(ch))
    if any(ord(ch) > 0x2E7F for ch in text):
        text = to_simplified(text)
    return text


def has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


def pinyin(text: str) -> str:
    """Toneless pinyin of the Han characters, other characters kept: "苹果a" -> "pingguoa"."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(fold(text), style=Style.NORMAL, errors="default"))


def pinyin_initials(text: str) -> str:
    """First letter of each syllable: "两只老虎" -> "lzlh"."""
    from pypinyin import Style, lazy_pinyin

    return "".join(s[:1] for s in lazy_pinyin(fold(text), style=Style.FIRST_LETTER, errors="default"))


def strip_tones(text: str) -> str:
    """"ping2 guo3" / "píngguǒ" -> "pingguo": members type tones as digits or marks."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch) and not ch.isdigit())
