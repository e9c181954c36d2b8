"""``campfire packs``: what an operator runs, what it prints, and what it stores."""
from __future__ import annotations

import asyncio
import csv
import io
import random
import re
from pathlib import Path
from typing import Any, Callable

import pytest

from server.auth import create_app
from server.cli import main
from server.packs.progress import Progress
from server.store import open_store

HEADER = ["id", "type", "question", "choice_a", "choice_b", "choice_c", "choice_d", "answer", "category",
          "difficulty", "lang"]


def good_row(row: int) -> list[Any]:
    return [f"q-{row}", "choice", f"Question {row}: which?", f"w{row}", f"x{row}", f"y{row}", f"z{row}",
            "ABCD"[row % 4], "general", row % 3 + 1, "en" if row % 2 else "zh"]


def _set(**cells: Any) -> Callable[[list[Any]], None]:
    def apply(row: list[Any]) -> None:
        for column, value in cells.items():
            row[HEADER.index(column)] = value
    return apply


# Varied mistakes, each with the field it must be reported on.
FAULTS: list[tuple[str, Callable[[list[Any]], None]]] = [
    ("question", _set(question="")),
    ("answer", _set(choice_d="", answer="D")),  # the answer names an empty choice
    ("difficulty", _set(difficulty=5)),
    ("lang", _set(lang="fr")),
    ("choices", _set(choice_b="", choice_c="", choice_d="", answer="A")),  # one choice only
    ("choices", lambda r: r.__setitem__(4, r[3])),  # two choices the same
    ("category", _set(category="")),
    ("id", _set(id="q-2")),  # a duplicate of row 2's id
    ("type", _set(type="essay")),
    ("answer", _set(type="text", choice_a="", choice_b="", choice_c="", choice_d="", answer="")),
    ("difficulty", _set(difficulty="hard")),
    ("answer", _set(answer="maybe")),
]


def fault(row: int, kind: int) -> tuple[list[Any], str]:
    """A row with one kind of mistake, and the field it must be reported on."""
    field, apply = FAULTS[kind % len(FAULTS)]
    line = good_row(row)
    apply(line)
    return line, field


def make_app(db: Path) -> str:
    async def go() -> str:
        store = await open_store(str(db))
        try:
            app, _ = await create_app(store, "bot")
            return app.id
        finally:
            await store.close()
    return asyncio.run(go())


def stored(db: Path, app: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    async def go() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        store = await open_store(str(db))
        try:
            return await store.list_packs(app), await store.pack_items(app, "quiz")
        finally:
            await store.close()
    return asyncio.run(go())


def write_rows(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def read_report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_10000_row_bank_with_50_bad_rows_imports_the_rest_and_reports_exactly_those(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(4)
    bad = dict(zip(sorted(rng.sample(range(3, 10_002), 50)), range(50)))  # row -> fault kind (row 2 stays good)
    rows: list[list[Any]] = [HEADER]
    expected: dict[int, str] = {}
    for row in range(2, 10_002):
        if row in bad:
            line, field = fault(row, bad[row])
            expected[row] = field
        else:
            line = good_row(row)
        rows.append(line)
    path = write_rows(tmp_path / "bank.csv", rows)
    db, report = tmp_path / "c.db", tmp_path / "problems.csv"
    app = make_app(db)

    code = main(["packs", "import", str(path), "--app", app, "--mode", "skip", "--store", str(db),
                 "--report", str(report), "--no-progress"])

    assert code == 1  # problems were found, even though the good rows went in
    out = capsys.readouterr().out
    assert "10,000 rows: 9,950 good, 50 bad" in out
    assert "skip: stored 9,950 items as quiz pack 'bank'" in out
    problems = read_report(report)
    assert {int(p["number"]) for p in problems} == set(expected)
    for row, field in expected.items():
        assert any(int(p["number"]) == row and p["field"] == field for p in problems), (row, field)
    assert all(f"row {row} " in out for row in expected)
    packs, items = stored(db, app)
    assert packs[0]["count"] == 9_950 and len(items) == 9_950
    kept = {it["id"] for it in items}
    assert not {f"q-{row}" for row in expected} & kept
    assert [it["id"] for it in items].count("q-2") == 1


def test_strict_import_of_the_same_file_stores_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [HEADER, good_row(2), fault(3, 2)[0], good_row(4)]
    db = tmp_path / "c.db"
    app = make_app(db)
    assert main(["packs", "import", str(write_rows(tmp_path / "b.csv", rows)), "--app", app,
                 "--store", str(db)]) == 1
    assert "strict: nothing was stored" in capsys.readouterr().out
    assert stored(db, app) == ([], [])


def test_validate_prints_every_problem_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [HEADER, good_row(2), fault(3, 0)[0], fault(4, 3)[0]]
    report = tmp_path / "r.csv"
    assert main(["packs", "validate", str(write_rows(tmp_path / "b.csv", rows)), "--report", str(report)]) == 1
    out = capsys.readouterr().out
    assert "row 3 [q-3]  question: must be a non-empty string" in out
    assert 'row 4 [q-4]  lang: must be \'zh\' or \'en\' (got "fr")' in out
    assert read_report(report) == [
        {"location": "row", "number": "3", "id": "q-3", "field": "question", "reason": "must be a non-empty string"},
        {"location": "row", "number": "4", "id": "q-4", "field": "lang", "reason": 'must be \'zh\' or \'en\' (got "fr")'},
    ]


def test_validate_exits_0_for_a_clean_file_and_2_for_an_unreadable_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs", "validate", str(write_rows(tmp_path / "b.csv", [HEADER, good_row(2)]))]) == 0
    assert "ok: no problems" in capsys.readouterr().out
    assert main(["packs", "validate", str(tmp_path / "nope.csv")]) == 2


def test_import_for_an_unknown_app_stores_nothing_and_exits_2(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    make_app(db)
    path = write_rows(tmp_path / "b.csv", [HEADER, good_row(2)])
    assert main(["packs", "import", str(path), "--app", "app_nope", "--store", str(db)]) == 2


def test_list_and_delete_an_apps_packs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.db"
    app = make_app(db)
    path = write_rows(tmp_path / "b.csv", [HEADER, good_row(2), good_row(3)])
    assert main(["packs", "import", str(path), "--app", app, "--name", "trivia", "--store", str(db)]) == 0
    capsys.readouterr()
    assert main(["packs", "list", "--app", app, "--store", str(db)]) == 0
    assert re.search(r"^quiz\s+trivia\s+2\s", capsys.readouterr().out, re.M)
    assert main(["packs", "delete", "trivia", "--app", app, "--kind", "quiz", "--store", str(db)]) == 0
    assert stored(db, app) == ([], [])


def test_the_progress_bar_redraws_at_most_ten_times_a_second_and_ends_with_the_count() -> None:
    now = [0.0]
    out = io.StringIO()
    bar = Progress(out, "checking", clock=lambda: now[0])
    for done in range(1, 1001):
        now[0] = done * 0.001  # a thousand rows in one second
        bar.update(done, 1000)
    bar.finish(1000)
    assert bar.draws == 11  # ten in the second, one final
    assert out.getvalue().endswith("\rchecking [" + "#" * 30 + "] 1,000/1,000 rows\n")


def test_a_forced_progress_bar_goes_to_stderr_not_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_rows(tmp_path / "b.csv", [HEADER, good_row(2), good_row(3)])
    assert main(["packs", "validate", str(path), "--progress"]) == 0
    captured = capsys.readouterr()
    assert "2/2 rows" in captured.err and "\r" not in captured.out
