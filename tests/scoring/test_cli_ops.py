"""``campfire board …``, ``campfire health …``, ``campfire activity``, ``campfire season``
against a real SQLite file, read as an operator would."""
from __future__ import annotations

import asyncio
import json
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
    tomorrow = str(time.time() + 86_400)  # the games' day is complete by then
    assert main(["health", "g1", "--store", db, "--at", tomorrow]) == 0
    out = capsys.readouterr().out
    for label in ("state", "stickiness (WAU/MAU)", "participation (30 days)", "last 7 days vs baseline",
                  "top member / top 3 share", "members at risk", "likely key members"):
        assert label in out
    assert "host" in out.split("likely key members", 1)[1]


def test_health_of_an_unknown_group_is_an_error(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["health", "nope", "--store", db]) == 1
    assert "no group 'nope'" in capsys.readouterr().err


def test_health_without_a_group_lists_every_group(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["health", "--store", db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["group", "state", "since"] and out[2].split()[:2] == ["g1", "new"]


def test_health_settings_are_set_validated_and_shown(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["health", "--store", db, "--set", "message_cap=5", "--set", "activity_weights.message=0.2"]) == 0
    assert main(["health", "g1", "--store", db, "--set", "cooling_share=0.7"]) == 0
    capsys.readouterr()
    assert main(["health", "g1", "--store", db, "--settings", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["set"] == {"cooling_share": 0.7}
    assert shown["effective"]["message_cap"] == 5 and shown["effective"]["activity_weights"]["message"] == 0.2
    assert main(["health", "--store", db, "--set", "cooling_share=3"]) == 2
    assert "between" in capsys.readouterr().err
    assert main(["health", "g1", "--store", db, "--set", "cooling_share=null", "--settings"]) == 0
    assert "* cooling_share" not in capsys.readouterr().out


def test_seasons_are_added_and_listed(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["season", "add", "--store", db, "winter", "2026-12-01", "2027-02-28"]) == 0
    main(["season", "list", "--store", db])
    assert "swinter" in capsys.readouterr().out
    assert main(["season", "add", "--store", db, "bad", "2026-12-01", "2026-11-01"]) == 2


def test_an_unknown_app_is_an_error(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["activity", "--store", db, "--app", "nope"]) == 2
    assert main(["activity", "--store", db]) == 0
    assert "g1" in capsys.readouterr().out
