"""When does a description give away the speaker's own word? A table: each row is
(rule it documents, the word, the description, leaks?). Read the ids as the specification;
docs/games/spy.md explains the choices."""
from __future__ import annotations

import pytest

import games.spy as spy
from games.base import Content, Refusal, Step
from games.spy.leak import guess_matches, leaks

L = True   # leaks: refused (or eliminated)
OK = False  # innocent: accepted

CASES: list[tuple[str, str, str, bool]] = [
    # --- Chinese: the word itself, however dressed up ---------------------------------
    ("han-exact", "苹果", "苹果", L),
    ("han-inside-sentence", "苹果", "我每天都吃苹果", L),
    ("han-traditional", "苹果", "蘋果很甜", L),
    ("han-traditional-word-simplified-text", "蘋果", "苹果很甜", L),
    ("han-spaces-inserted", "苹果", "苹 果", L),
    ("han-punctuation-inserted", "苹果", "苹-果！", L),
    ("han-fullwidth-space", "苹果", "苹　果", L),
    ("han-dots", "香蕉", "香.蕉", L),
    # --- Chinese in pinyin ------------------------------------------------------------
    ("pinyin-plain", "苹果", "pingguo", L),
    ("pinyin-spaced", "苹果", "ping guo", L),
    ("pinyin-upper", "苹果", "PING GUO", L),
    ("pinyin-tone-digits", "苹果", "ping2 guo3", L),
    ("pinyin-tone-marks", "苹果", "píng guǒ", L),
    ("pinyin-tone-marks-joined", "苹果", "píngguǒ", L),
    ("pinyin-in-sentence", "苹果", "它叫 pingguo 吧", L),
    ("pinyin-mixed-with-han", "苹果", "苹guo", L),
    ("pinyin-mixed-other-way", "苹果", "ping果", L),
    ("pinyin-v-for-u-umlaut", "绿色", "lvse", L),
    ("pinyin-u-for-u-umlaut", "绿色", "lü se", L),
    ("pinyin-polyphone-context", "银行", "yin hang", L),
    ("pinyin-polyphone-other-reading", "银行", "yinxing", L),
    ("pinyin-short-word-whole-token", "茶", "cha", L),
    ("pinyin-short-word-with-tone", "茶", "chá", L),
    ("pinyin-short-word-tone-digit", "茶", "cha2", L),
    # --- Chinese: innocent descriptions -------------------------------------------------
    ("han-innocent", "苹果", "一种红色的水果", OK),
    ("han-half-the-word", "苹果", "果汁", OK),
    ("han-homophone-not-judged", "苹果", "平果", OK),
    ("other-word-of-pair", "苹果", "不是香蕉", OK),
    ("pinyin-short-word-inside-english", "茶", "we chat a lot", OK),
    ("pinyin-short-word-inside-longer-token", "鱼", "yummy", OK),
    ("pinyin-initials-not-judged", "苹果", "pg", OK),
    ("english-description-of-han-word", "苹果", "a red fruit", OK),
    # --- English: case, punctuation, inserted spaces --------------------------------------
    ("en-exact", "apple", "apple", L),
    ("en-upper-bang", "apple", "APPLE!", L),
    ("en-in-sentence", "apple", "I eat an apple a day", L),
    ("en-spaces-inserted", "apple", "app le", L),
    ("en-dots-inserted", "apple", "a.p.p.l.e", L),
    ("en-plural", "apple", "two apples", L),
    ("en-plural-es", "bus", "the buses", L),
    ("en-fullwidth", "apple", "ＡＰＰＬＥ", L),
    ("en-next-to-han", "cat", "我喜欢cat", L),
    ("en-long-word-inside-compound", "elephant", "elephants", L),
    ("en-long-word-hyphenated", "elephant", "ele-phant", L),
    ("en-long-word-glued", "elephant", "babyelephant", L),
    ("en-multiword", "ice cream", "I love icecream", L),
    # --- English: a short word inside an unrelated longer word is innocent ---------------
    ("en-short-inside-longer", "cat", "a category of things", OK),
    ("en-apple-in-pineapple", "apple", "not a pineapple", OK),
    ("en-across-words", "seal", "a sea lion", OK),
    ("en-art-in-start", "art", "start here", OK),
    ("en-innocent", "apple", "a red fruit", OK),
]


@pytest.mark.parametrize("word, description, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_leak_table(word: str, description: str, expected: bool) -> None:
    assert leaks(word, description) is expected


def test_no_word_never_leaks() -> None:
    assert leaks(None, "苹果 apple") is False


GUESSES = [
    ("exact", "苹果", "苹果", True),
    ("traditional", "蘋果", "苹果", True),
    ("spaces-punct", "苹 果！", "苹果", True),
    ("pinyin", "ping guo", "苹果", True),
    ("pinyin-tones", "píng2 guǒ", "苹果", True),
    ("english-case", "Apple!", "apple", True),
    ("wrong", "香蕉", "苹果", False),
    ("part", "苹", "苹果", False),
    ("empty", "  ", "苹果", False),
    ("english-wrong", "pear", "apple", False),
]


@pytest.mark.parametrize("guess, word, expected", [g[1:] for g in GUESSES], ids=[g[0] for g in GUESSES])
def test_blank_guess_table(guess: str, word: str, expected: bool) -> None:
    assert guess_matches(guess, word) is expected


def english_game(**config: object) -> tuple[dict, str, str]:
    content = Content(items=({"id": "e1", "lang": "en", "words": ["apple", "pear"], "category": "food",
                              "difficulty": 1},))
    for seed in range(100):
        state = spy.start(config, ["a", "b", "c", "d"], seed, 0.0, content).state
        who = spy.view(state, None)["turn"]
        word = state["words"].get(state["roles"][who])
        if word == "apple":
            return state, who, word
    raise AssertionError("no seed found")


@pytest.mark.parametrize("text", ["APPLE!", "app le", "apples are red"])
def test_english_leak_is_refused_in_game(text: str) -> None:
    state, who, _ = english_game()
    r = spy.act(state, who, {"describe": text}, 0.0)
    assert isinstance(r, Refusal) and r.code == "word_in_description"


@pytest.mark.parametrize("text", ["it grows on trees", "pineapple is different", "red or green"])
def test_innocent_english_is_accepted_in_game(text: str) -> None:
    state, who, _ = english_game()
    assert isinstance(spy.act(state, who, {"describe": text}, 0.0), Step)
