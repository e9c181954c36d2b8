"""Quiz packs are reviewed as a whole: a question whose text or explanation holds another
question's answer is flagged, so one revealed question never answers the next."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from games.quiz import review_pack

ROOT = Path(__file__).resolve().parents[2]


def text_q(qid: str, question: str, answer: str, explanation: str = "", lang: str = "zh") -> dict[str, Any]:
    return {"id": qid, "lang": lang, "type": "text", "question": question, "answer": answer,
            "explanation": explanation, "category": "history", "difficulty": 1}


def test_an_explanation_that_answers_another_question_is_flagged() -> None:
    items = [text_q("a", "秦始皇统一六国是在哪一年？", "公元前221年"),
             text_q("b", "秦朝的第一位皇帝是谁？", "秦始皇", "嬴政于公元前221年统一六国，自称始皇帝。")]
    assert review_pack(items) == [(1, "explanation", "gives away the answer of question 'a' (公元前221年)")]


def test_a_question_text_that_answers_another_is_flagged_in_english_on_word_boundaries() -> None:
    items = [text_q("a", "Which planet is nicknamed the Red Planet?", "Mars", lang="en"),
             text_q("b", "Why does Mars look red?", "rusty dust", lang="en"),
             text_q("c", "Which sweet is made from marshmallow and looks red?", "s'more", lang="en")]
    assert [(i, f) for i, f, _ in review_pack(items)] == [(1, "question")]


def test_an_answer_named_about_something_else_is_not_a_giveaway() -> None:
    items = [text_q("a", "中国的首都是哪座城市？", "北京"), text_q("b", "故宫有多少年历史？", "600年", "故宫位于北京中轴线上。")]
    assert review_pack(items) == []


def test_other_languages_and_one_character_answers_are_not_giveaways() -> None:
    items = [text_q("a", "一加一等于几？", "二"), text_q("b", "二月有几天？", "28"),
             text_q("c", "What is Beijing?", "a city", lang="en"), text_q("d", "首都是？", "北京")]
    assert review_pack(items) == []


def test_validate_builtin_passes_and_counts_every_kind() -> None:
    done = subprocess.run([sys.executable, "-m", "server.cli", "packs", "validate", "--builtin"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    for kind in ("quiz:", "spy:", "song:"):
        assert kind in done.stdout
    assert done.stdout.rstrip().endswith("ok: no problems")
