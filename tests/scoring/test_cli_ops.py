"""``campfire board …``, ``campfire health …``, ``campfire activity``, ``campfire season``
against a real SQLite file, read as an operator would."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from games.base import GameResult, PlayerResult
from server.cli import main
from server.scoring.records import game_record
from server.store import AppRecord
from server.store.sqlite_store import SqliteStore


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "ops.db")

    async def fill() -> None:
        store = SqliteStore(path)
        await store.open()
        await store.create_app(AppRecord("app_1", "Demo", 0.0))
        now = time.time()
        for i, (who, score) in enumerate([("小明", 30), ("bob", 20), ("cat", 20)]):
            result = GameResult("quiz", (PlayerResult(who, score, 1, won=True), PlayerResult("host", 1, 2)))
            await store.apply_result(game_record("app_1", "g1", f"r{i}", 1, result, now, "Asia/Shanghai"))
        await store.close()

    asyncio.run(fill())
    return path


def test_board_show_prints_a_ranked_table(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["board", "show", "--store", db, "-g", "g1", "--game", "quiz"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "board g/g1:quiz:all  (4 members)"
    assert out[1].split() == ["rank", "member", "score"]
    assert [line.split()[:2] for line in out[3:]] == [["1", "小明"], ["2", "bob"], ["3", "cat"], ["4", "host"]]


def test_board_show_around_a_member_marks_them(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["board", "show", "--store", db, "-g", "g1", "--period", "day", "--member", "cat"])
    assert "> cat" in capsys.readouterr().out


def test_operator_set_changes_the_board(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["board", "set", "--store", db, "-g", "g1", "bob", "99"]) == 0
    assert "bob now 99.0 (rank 1)" in capsys.readouterr().out


def test_health_prints_every_figure(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["health", "g1", "--store", db]) == 0
    out = capsys.readouterr().out
    for label in ("participation (30 days)", "week over week", "cooling", "members at risk", "likely key members",
                  "played with 2+ others more than once"):
        assert label in out
    assert "host" in out.split("likely key members", 1)[1]


def test_seasons_are_added_and_listed(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["season", "add", "--store", db, "winter", "2026-12-01", "2027-02-28"]) == 0
    main(["season", "list", "--store", db])
    assert "swinter" in capsys.readouterr().out
    assert main(["season", "add", "--store", db, "bad", "2026-12-01", "2026-11-01"]) == 2


def test_an_unknown_app_is_an_error(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["activity", "--store", db, "--app", "nope"]) == 2
    assert main(["activity", "--store", db]) == 0
    assert "g1" in capsys.readouterr().out
