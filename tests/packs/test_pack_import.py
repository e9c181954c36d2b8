"""Importing for an app: strict stores all or nothing, skip stores the good items, and in
both modes every bad item is reported."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from server.auth import create_app
from server.packs import import_pack, load_pack
from server.store import Store

HEADER = ["id", "question", "choice_a", "choice_b", "answer", "category", "difficulty", "lang"]


def sheet(tmp_path: Path, rows: list[list[Any]], name: str = "bank.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def good_row(n: int) -> list[Any]:
    return [f"q{n}", f"Question {n}?", "yes", "no", "A", "general", 1, "en"]


async def test_strict_stores_every_item_of_a_clean_file(store: Store, tmp_path: Path) -> None:
    app, _ = await create_app(store, "bot")
    pack = load_pack(sheet(tmp_path, [good_row(n) for n in range(5)]))
    outcome = await import_pack(store, app.id, pack, "strict", at=100.0)
    assert (outcome.stored, outcome.bad, outcome.problems) == (5, 0, [])
    assert [it["id"] for it in await store.pack_items(app.id, "quiz")] == [f"q{n}" for n in range(5)]
    assert await store.list_packs(app.id) == [{"kind": "quiz", "name": "bank", "count": 5, "at": 100.0}]


async def test_strict_stores_nothing_when_one_item_is_bad(store: Store, tmp_path: Path) -> None:
    app, _ = await create_app(store, "bot")
    rows = [good_row(n) for n in range(5)]
    rows[3][6] = 4
    outcome = await import_pack(store, app.id, load_pack(sheet(tmp_path, rows)), "strict", at=1.0)
    assert outcome.stored == 0 and outcome.bad == 1
    assert [(p.number, p.field) for p in outcome.problems] == [(5, "difficulty")]
    assert await store.list_packs(app.id) == []


async def test_skip_stores_the_good_items_and_reports_each_bad_one(store: Store, tmp_path: Path) -> None:
    app, _ = await create_app(store, "bot")
    rows = [good_row(n) for n in range(6)]
    rows[1][1] = ""
    rows[4][7] = "fr"
    rows[5][0] = "q0"
    outcome = await import_pack(store, app.id, load_pack(sheet(tmp_path, rows)), "skip", at=1.0)
    assert (outcome.stored, outcome.bad) == (3, 3)
    assert [(p.number, p.field) for p in outcome.problems] == [(3, "question"), (6, "lang"), (7, "id")]
    assert [it["id"] for it in await store.pack_items(app.id, "quiz")] == ["q0", "q2", "q3"]


async def test_a_problem_with_the_file_itself_blocks_skip_mode_too(store: Store, tmp_path: Path) -> None:
    app, _ = await create_app(store, "bot")
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"campfire_pack": 9, "kind": "quiz", "name": "p", "items": [
        {"id": "a", "lang": "en", "type": "text", "question": "Q?", "answer": "a", "category": "c",
         "difficulty": 1}]}))
    outcome = await import_pack(store, app.id, load_pack(path), "skip", at=1.0)
    assert outcome.stored == 0 and "file itself" in outcome.reason
    assert await store.list_packs(app.id) == []


async def test_importing_a_pack_again_replaces_it_and_says_how_big_it_was(store: Store, tmp_path: Path) -> None:
    app, _ = await create_app(store, "bot")
    await import_pack(store, app.id, load_pack(sheet(tmp_path, [good_row(n) for n in range(4)])), "strict", at=1.0)
    outcome = await import_pack(store, app.id, load_pack(sheet(tmp_path, [good_row(9)])), "strict", at=2.0)
    assert (outcome.stored, outcome.replaced) == (1, 4)
    assert [it["id"] for it in await store.pack_items(app.id, "quiz")] == ["q9"]
