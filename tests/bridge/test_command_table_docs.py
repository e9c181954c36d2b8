"""docs/sdk.md's command table and the code's agree, row by row."""
from __future__ import annotations

from pathlib import Path

from sdk.bridge import COMMANDS, parse
from sdk.bridge.commands import BY_ACTION

DOC = Path(__file__).resolve().parents[2] / "docs" / "sdk.md"


def _rows() -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("### Command table"):]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        if line.startswith("|") and not line.startswith("|---") and not line.startswith("| Action"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _words(cell: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in cell.split(" / ") if w.strip())


def _examples(cell: str) -> list[str]:
    return [w.strip().strip("`") for w in cell.split(" / ") if w.strip()]


def test_the_docs_list_every_command_once_in_code_order() -> None:
    assert [r[0] for r in _rows()] == [c.action for c in COMMANDS]


def test_every_row_has_the_words_the_code_matches() -> None:
    for action, zh, en, _examples_cell, doc in _rows():
        cmd = BY_ACTION[action]
        assert _words(zh) == cmd.zh, action
        assert _words(en) == cmd.en, action
        assert doc == cmd.doc, action


def test_every_example_in_the_docs_parses_to_its_rows_action() -> None:
    for action, _zh, _en, examples, _doc in _rows():
        assert _examples(examples), action
        for example in _examples(examples):
            intent = parse(example)
            assert intent is not None and intent.action == action, (example, intent)


def test_every_word_alone_or_with_an_argument_parses_to_its_action() -> None:
    for action, zh, en, _examples_cell, _doc in _rows():
        cmd = BY_ACTION[action]
        for word in (*_words(zh), *_words(en)):
            text = {"seat": f"{word} 3", "day": f"{word} 11-20", "text": f"{word} 苹果"}.get(cmd.arg or "", word)
            intent = parse(text)
            assert intent is not None and intent.action == action, (text, intent)
