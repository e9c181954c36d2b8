"""Reading JSON packs: every problem is named, each at the line where its item starts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.packs import Problem, load_pack
from server.packs.kinds import validator_for

CONTENT = Path(__file__).resolve().parents[2] / "games" / "content"


def quiz_item(n: int, **changes: object) -> dict[str, object]:
    item: dict[str, object] = {"id": f"q{n}", "lang": "en", "type": "choice", "question": f"Question {n}?",
                               "choices": ["yes", "no"], "answer": 0, "category": "general", "difficulty": 1}
    item.update(changes)
    return {k: v for k, v in item.items() if v is not None}


def write(tmp_path: Path, text: str, name: str = "pack.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def envelope(items: list[object], **changes: object) -> dict[str, object]:
    pack: dict[str, object] = {"campfire_pack": 1, "kind": "quiz", "name": "test", "license": "CC0-1.0",
                               "description": "for tests", "items": items}
    pack.update(changes)
    return {k: v for k, v in pack.items() if v is not None}


def found(problems: list[Problem]) -> set[tuple[int | None, str]]:
    return {(p.number, p.field) for p in problems}


def test_a_clean_pack_has_no_problems_and_keeps_every_item(tmp_path: Path) -> None:
    items = [quiz_item(i) for i in range(3)]
    pack = load_pack(write(tmp_path, json.dumps(envelope(items), indent=2)))
    assert pack.all_problems() == []
    assert (pack.kind, pack.name, pack.license) == ("quiz", "test", "CC0-1.0")
    assert [e.item for e in pack.good()] == items


def test_problems_carry_the_line_where_each_pretty_printed_item_starts(tmp_path: Path) -> None:
    items = [quiz_item(0), quiz_item(1, difficulty=7), quiz_item(2), quiz_item(3, lang="fr")]
    text = json.dumps(envelope(items), indent=2)
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line == "    {"]
    pack = load_pack(write(tmp_path, text))
    assert [e.number for e in pack.entries] == starts
    assert [(p.number, p.field, p.item_id) for p in pack.all_problems()] == [
        (starts[1], "difficulty", "q1"), (starts[3], "lang", "q3")]


def test_line_numbers_count_blank_lines_and_several_items_on_one_line(tmp_path: Path) -> None:
    a, b, c = (json.dumps(quiz_item(i, **({"question": ""} if i == 2 else {}))) for i in range(3))
    text = ('{"campfire_pack": 1, "kind": "quiz", "name": "t",\n'
            ' "items": [\n'
            f'  {a},\n'
            '\n\n'
            f'  {b}, {c}\n'
            ']}\n')
    pack = load_pack(write(tmp_path, text))
    assert [e.number for e in pack.entries] == [3, 6, 6]
    assert found(pack.all_problems()) == {(6, "question")}


def test_every_problem_of_an_item_is_named_not_just_the_first(tmp_path: Path) -> None:
    bad = quiz_item(0, lang="de", question="", choices=["only one"], answer="A", category=None, difficulty="hard",
                    colour="red")
    text = json.dumps(envelope([bad]), indent=1)
    pack = load_pack(write(tmp_path, text))
    fields = {p.field for p in pack.all_problems()}
    assert {"lang", "question", "choices", "answer", "category", "difficulty", "colour"} <= fields
    assert {p.number for p in pack.all_problems()} == {text.splitlines().index("  {") + 1}


def test_the_offending_value_is_shown_with_the_reason(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, json.dumps(envelope([quiz_item(0, difficulty=9)]))))
    (problem,) = pack.all_problems()
    assert problem.reason.endswith("(got 9)")


def test_envelope_problems_are_all_reported_together_with_item_problems(tmp_path: Path) -> None:
    text = json.dumps({"campfire_pack": 2, "name": "", "licence": "CC0", "items": [quiz_item(0, lang="xx")]},
                      indent=2)
    pack = load_pack(write(tmp_path, text), kind="quiz")
    assert found(pack.all_problems()) == {(2, "campfire_pack"), (None, "kind"), (3, "name"), (4, "licence"),
                                          (6, "lang")}
    assert pack.blocking


def test_an_unknown_kind_is_named_with_the_kinds_there_are(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, json.dumps(envelope([quiz_item(0)], kind="karaoke"), indent=2)))
    (problem,) = pack.all_problems()
    assert (problem.number, problem.field) == (3, "kind")
    assert "karaoke" in problem.reason and "quiz" in problem.reason and "spy" in problem.reason
    assert pack.blocking


def test_a_kind_other_than_the_one_asked_for_is_a_problem(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, json.dumps(envelope([quiz_item(0)]))), kind="spy")
    assert [(p.field, p.reason) for p in pack.all_problems()] == [
        ("kind", "the file says 'quiz' but 'spy' was asked for")]


def test_every_repeat_of_an_id_is_reported_with_where_it_first_appeared(tmp_path: Path) -> None:
    items = [quiz_item(0), quiz_item(1), quiz_item(0), quiz_item(0)]
    text = json.dumps(envelope(items), indent=None).replace("}, {", "},\n{")
    pack = load_pack(write(tmp_path, text))
    dupes = [(p.number, p.reason) for p in pack.all_problems()]
    assert dupes == [(3, "duplicate id 'q0' (first on line 1)"), (4, "duplicate id 'q0' (first on line 1)")]
    assert [e.number for e in pack.good()] == [1, 2]


def test_a_key_given_twice_in_an_item_is_reported_rather_than_silently_overwritten(tmp_path: Path) -> None:
    item = json.dumps(quiz_item(0))[:-1] + ', "answer": 1}'
    text = '{"campfire_pack": 1, "kind": "quiz", "name": "t", "items": [\n' + item + "\n]}"
    pack = load_pack(write(tmp_path, text))
    assert [(p.number, p.field) for p in pack.all_problems()] == [(2, "answer")]


def test_a_syntax_error_names_its_line_and_column(tmp_path: Path) -> None:
    text = json.dumps(envelope([quiz_item(0), quiz_item(1)]), indent=2).replace('"q1",', '"q1"', 1)
    line = next(i + 1 for i, s in enumerate(text.splitlines()) if '"q1"' in s) + 1
    pack = load_pack(write(tmp_path, text))
    (problem,) = pack.all_problems()
    assert (problem.unit, problem.number, problem.field) == ("line", line, "json")
    assert "Expecting ',' delimiter" in problem.reason and pack.blocking


@pytest.mark.parametrize("text, field", [
    ("", "json"),
    ("[1, 2]", "pack"),
    ('{"campfire_pack": 1, "kind": "quiz", "name": "t"}', "items"),
    ('{"campfire_pack": 1, "kind": "quiz", "name": "t", "items": {}}', "items"),
    ('{"campfire_pack": 1, "kind": "quiz", "name": "t", "items": []}', "items"),
    ('{"campfire_pack": 1, "kind": "quiz", "name": "t", "items": [{"difficulty": NaN}]}', "json"),
])
def test_a_file_that_is_not_a_pack_says_why(tmp_path: Path, text: str, field: str) -> None:
    pack = load_pack(write(tmp_path, text))
    assert field in {p.field for p in pack.problems}
    assert pack.blocking


def test_spy_items_are_checked_by_the_spy_game(tmp_path: Path) -> None:
    items = [{"id": "s1", "lang": "zh", "words": ["饺子", "馄饨"], "category": "food", "difficulty": 2},
             {"id": "s2", "lang": "zh", "words": ["饺子", "饺子"], "category": "snacks", "difficulty": 2}]
    pack = load_pack(write(tmp_path, json.dumps(envelope(items, kind="spy"), ensure_ascii=False, indent=2)))
    assert {(p.item_id, p.field) for p in pack.all_problems()} == {("s2", "words"), ("s2", "category")}


@pytest.mark.parametrize("path", sorted(CONTENT.glob("*.json")), ids=lambda p: p.name)
def test_every_built_in_pack_passes(path: Path) -> None:
    kind = json.loads(path.read_text(encoding="utf-8"))["kind"]
    if validator_for(kind) is None:
        pytest.skip(f"no game module checks '{kind}' items yet")
    pack = load_pack(path)
    assert pack.all_problems() == []
    assert pack.entries


DOCS = Path(__file__).resolve().parents[2] / "docs" / "packs.md"


def test_every_full_example_in_the_docs_is_a_valid_pack(tmp_path: Path) -> None:
    blocks = DOCS.read_text(encoding="utf-8").split("```json\n")[1:]
    examples = [b.split("```", 1)[0] for b in blocks if '"items": [\n' in b.split("```", 1)[0]]
    assert {json.loads(e)["kind"] for e in examples} == {"quiz", "spy", "song"}
    for n, example in enumerate(examples):
        pack = load_pack(write(tmp_path, example, f"example{n}.json"))
        assert pack.all_problems() == [], example
