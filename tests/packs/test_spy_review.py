"""The review rule for Who's the Spy pairs: a pair that is one thing under two names is
flagged by the game's validator, and so by `campfire packs validate`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from games.content import builtin_items
from games.spy.deal import validate_item
from games.spy.review import SYNONYMS, pair_problems
from server.packs import load_pack


def pair(a: str, b: str, lang: str = "zh") -> dict[str, object]:
    return {"id": "p1", "lang": lang, "words": [a, b], "category": "other", "difficulty": 2}


@pytest.mark.parametrize(("a", "b"), [
    ("学霸", "尖子生"), ("夜猫子", "熬夜党"), ("第一名", "冠军"), ("汤圆", "元宵"),
    ("password", "passcode"), ("chips", "fries"), ("Fries", "chips"), ("cup", "mug"),
])
def test_listed_synonyms_are_flagged(a: str, b: str) -> None:
    assert any("synonyms" in reason for _, reason in validate_item(pair(a, b)))


@pytest.mark.parametrize(("a", "b", "why"), [
    ("牛奶", "奶牛", "same characters"),
    ("苹果", "苹果汁", "contains"),
    ("bell", "bell tower", "contains"),
    ("chip", "chips", "contains"),
    ("mouse", "mouse's", "contains"),
    ("蜜蜂", "蜂蜜", "same characters"),
])
def test_shared_characters_and_contained_words_are_flagged(a: str, b: str, why: str) -> None:
    assert any(why in reason for reason in pair_problems([a, b]))


@pytest.mark.parametrize(("a", "b"), [("学霸", "书呆子"), ("老虎", "狮子"), ("password", "username"),
                                      ("chips", "popcorn"), ("cup", "bowl")])
def test_different_things_pass(a: str, b: str) -> None:
    assert pair_problems([a, b]) == []


def test_synonym_groups_are_folded_lists_of_two_or_more_distinct_words() -> None:
    for group in SYNONYMS:
        assert len(group) >= 2 and len(set(group)) == len(group), group


def test_no_builtin_pair_is_flagged() -> None:
    flagged = {it["id"]: pair_problems(it["words"]) for it in builtin_items("spy")}
    assert {k: v for k, v in flagged.items() if v} == {}


def test_the_pack_validator_reports_a_synonym_pair_at_its_line(tmp_path: Path) -> None:
    items = [pair("老虎", "狮子") | {"id": "ok"}, pair("学霸", "尖子生") | {"id": "same"}]
    pack = {"campfire_pack": 1, "kind": "spy", "name": "t", "items": items}
    path = tmp_path / "spy.json"
    path.write_text(json.dumps(pack, ensure_ascii=False, indent=2), encoding="utf-8")
    problems = load_pack(path).all_problems()
    assert [(p.item_id, p.field) for p in problems] == [("same", "words")]
    assert "synonyms" in problems[0].reason
