"""The built-in Who's the Spy word packs: checked straight from the JSON so a bad pair is caught
before any game ever deals it."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from games.text import to_simplified

CONTENT = Path(__file__).resolve().parents[2] / "games" / "content"
CATEGORIES = {"food", "places", "objects", "people", "animals", "nature", "activities", "culture",
              "jobs", "tech", "other"}
PACKS = {
    # lang: (file, pack name, minimum pairs, minimum pairs per category)
    "zh": ("spy_zh.json", "spy-zh-core", 400, 30),
    "en": ("spy_en.json", "spy-en-core", 250, 20),
}
ITEM_KEYS = {"id", "lang", "words", "category", "difficulty"}
EN_TOKEN = re.compile(r"^(?:[a-z][a-z'-]*|[A-Z][a-z'-]+)$")


def load(lang: str) -> dict[str, Any]:
    return json.loads((CONTENT / PACKS[lang][0]).read_text(encoding="utf-8"))


def items(lang: str) -> list[dict[str, Any]]:
    return load(lang)["items"]


def is_han(ch: str) -> bool:
    return "CJK UNIFIED IDEOGRAPH" in unicodedata.name(ch, "")


langs = pytest.mark.parametrize("lang", sorted(PACKS))


@langs
def test_pack_header_is_a_cc0_spy_pack(lang: str) -> None:
    pack = load(lang)
    assert pack["campfire_pack"] == 1
    assert pack["kind"] == "spy"
    assert pack["name"] == PACKS[lang][1]
    assert pack["license"] == "CC0-1.0"
    assert isinstance(pack["description"], str) and pack["description"].strip()
    assert isinstance(pack["items"], list)


@langs
def test_pack_has_enough_pairs(lang: str) -> None:
    assert len(items(lang)) >= PACKS[lang][2]


@langs
def test_every_item_has_exactly_the_pack_fields(lang: str) -> None:
    for item in items(lang):
        assert set(item) == ITEM_KEYS, item
        assert item["lang"] == lang, item


@langs
def test_categories_are_known_and_each_is_well_stocked(lang: str) -> None:
    counts = Counter(item["category"] for item in items(lang))
    assert set(counts) == CATEGORIES
    thin = {cat: n for cat, n in counts.items() if n < PACKS[lang][3]}
    assert not thin


@langs
def test_difficulty_is_one_two_or_three_and_all_are_used(lang: str) -> None:
    values = [item["difficulty"] for item in items(lang)]
    assert all(type(v) is int for v in values)
    assert set(values) == {1, 2, 3}


@langs
def test_ids_follow_lang_category_number_and_are_unique(lang: str) -> None:
    ids = [item["id"] for item in items(lang)]
    assert len(ids) == len(set(ids))
    for item in items(lang):
        assert re.fullmatch(rf"{lang}-{item['category']}-\d{{3}}", item["id"]), item["id"]


@langs
def test_each_pair_is_two_different_words_neither_inside_the_other(lang: str) -> None:
    for item in items(lang):
        words = item["words"]
        assert isinstance(words, list) and len(words) == 2, item
        a, b = (w.casefold() for w in words)
        assert a != b, item
        assert a not in b and b not in a, item


@langs
def test_no_pair_appears_twice_in_either_order(lang: str) -> None:
    pairs = Counter(frozenset(w.casefold() for w in item["words"]) for item in items(lang))
    assert [sorted(p) for p, n in pairs.items() if n > 1] == []


def test_chinese_words_are_one_to_five_simplified_characters() -> None:
    for item in items("zh"):
        for word in item["words"]:
            assert 1 <= len(word) <= 5, item
            assert all(is_han(ch) for ch in word), item
            assert to_simplified(word) == word, item


def test_english_words_are_one_or_two_lowercase_words() -> None:
    for item in items("en"):
        for word in item["words"]:
            tokens = word.split(" ")
            assert 1 <= len(tokens) <= 2, item
            assert all(EN_TOKEN.match(t) for t in tokens), item


@langs
def test_every_item_passes_the_spy_game_validator(lang: str) -> None:
    spy = pytest.importorskip("games.spy")
    if getattr(spy, "__file__", None) is None:
        pytest.skip("games.spy is only a namespace directory so far; the game module is not written yet")
    problems = {item["id"]: spy.validate_item(item) for item in items(lang)}
    assert {k: v for k, v in problems.items() if v} == {}


def test_packs_are_what_the_game_loads() -> None:
    from games.content import builtin_items

    loaded = {item["id"] for item in builtin_items("spy")}
    assert {item["id"] for lang in PACKS for item in items(lang)} <= loaded
