"""Does a description give away the speaker's own word? And is a blank's guess right?

Why this is its own module: the judgement has to be tolerant (members type the word in
pinyin, in traditional characters, with spaces or dots inserted to dodge a naive check)
without punishing innocent descriptions (an English "cat" must not fire on "category").
The choices, also written up in docs/games/spy.md:

* Chinese words (any Han character): the folded word inside the folded description
  (``fold`` drops spaces/punctuation and maps traditional to simplified), or the word
  spelled character by character as either the character or any of its pinyin readings,
  tones as marks or digits ignored ("ping2 guo3", "píng guǒ", "苹guo"). A spelling that is
  pure pinyin and shorter than four letters (鱼 "yu", 茶 "cha") only counts as a whole
  latin token, so "chat" does not leak 茶. Han homophones (平果 for 苹果) are not judged:
  too many innocent words share syllables.
* English words: a word of six or more folded characters leaks when it appears anywhere in
  the folded description ("ele-phant", "ELEPHANTS!"); a shorter word leaks only when a run
  of consecutive latin tokens spells exactly the word, or the word plus "s"/"es" ("c a t",
  "Cats!", "app le"), so "pineapple" does not leak "apple" and "category" does not leak "cat".
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from games.text import fold, has_han, pinyin, strip_tones

_LONG_ENGLISH = 6
_SHORT_PINYIN = 4
_WORD_TOKEN = re.compile(r"[\u3400-\u9fff]+|[^\W_\u3400-\u9fff]+")  # Han runs apart from latin runs
_LETTERS = re.compile(r"[a-z]+")


def _latin_plain(text: str) -> str:
    """Folded text with tone marks and tone digits removed ("Píng2 guǒ" -> "pingguo")."""
    return strip_tones(fold(text))


def _tokens(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Latin tokens with the word boundaries the member typed (fold would erase them)."""
    flat = unicodedata.normalize("NFKC", text).casefold()
    return pattern.findall(strip_tones(flat) if pattern is _LETTERS else flat)


def _readings(ch: str) -> list[str]:
    from pypinyin import Style
    from pypinyin import pinyin as heteronyms

    out: list[str] = []
    for reading in heteronyms(ch, style=Style.NORMAL, heteronym=True, errors="ignore")[:1]:
        for r in reading:
            for alt in (r, r.replace("v", "u"), r.replace("ü", "u")):
                if alt and alt not in out:
                    out.append(alt)
    return out


@lru_cache(maxsize=512)
def _han_pattern(word: str) -> tuple[re.Pattern[str], str]:
    """A regex over ``_latin_plain`` text spelling the word char by char, and its plain pinyin."""
    folded = fold(word)
    context = re.findall(r"[a-z]+", pinyin(word))  # contextual reading of the whole word
    parts: list[str] = []
    han_index = 0
    for ch in folded:
        if has_han(ch):
            alts = [ch] + _readings(ch)
            if han_index < len(context) and context[han_index] not in alts:
                alts.append(context[han_index])
            han_index += 1
            parts.append("(?:" + "|".join(re.escape(a) for a in sorted(alts, key=len, reverse=True)) + ")")
        else:
            parts.append(re.escape(strip_tones(ch)))
    return re.compile("".join(parts)), strip_tones(pinyin(word))


def _leaks_han(word: str, description: str) -> bool:
    if fold(word) in fold(description):
        return True
    pattern, plain_pinyin = _han_pattern(word)
    text = _latin_plain(description)
    for match in pattern.finditer(text):
        spelled = match.group(0)
        if has_han(spelled) or len(spelled) >= _SHORT_PINYIN:
            return True
    # overlapping matches are not found by finditer; short pure-pinyin words: whole tokens
    if len(plain_pinyin) < _SHORT_PINYIN:
        return plain_pinyin in _tokens(description, _LETTERS)
    return False


def _leaks_english(word: str, description: str) -> bool:
    target = fold(word)
    if not target:
        return False
    if len(target) >= _LONG_ENGLISH:
        return target in fold(description)
    wanted = {target, target + "s", target + "es"}
    longest = len(target) + 2
    tokens = _tokens(description, _WORD_TOKEN)
    for i in range(len(tokens)):
        run = ""
        for tok in tokens[i:]:
            run += tok
            if run in wanted:
                return True
            if len(run) > longest:
                break
    return False


def leaks(word: str | None, description: str) -> bool:
    """True when ``description`` gives away ``word`` (None: a blank has nothing to leak)."""
    if not word:
        return False
    if has_han(word):
        return _leaks_han(word, description)
    return _leaks_english(word, description)


def guess_matches(guess: str, word: str) -> bool:
    """A blank's guess: same folded text, or (for Chinese words) the same toneless pinyin."""
    g, w = fold(guess), fold(word)
    if not g:
        return False
    if g == w:
        return True
    if has_han(word):
        return strip_tones(pinyin(guess)) == strip_tones(pinyin(word))
    return False
