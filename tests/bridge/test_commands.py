"""How messages read as commands: the natural Chinese and English forms, and what is not one."""
from __future__ import annotations

import pytest

from sdk.bridge.commands import Intent, parse, parse_day, seat_number


@pytest.mark.parametrize("text, intent", [
    ("投3", Intent("vote", "3")),
    ("投 3号", Intent("vote", "3号")),
    ("我投3号", Intent("vote", "3号")),
    ("投票给 2", Intent("vote", "2")),
    ("vote 3", Intent("vote", "3")),
    ("Vote #3", Intent("vote", "#3")),
    ("投 @bob", Intent("vote", "@bob")),
    ("／ＱＵＩＺ", Intent("quiz")),
    ("!签到", Intent("checkin")),
    ("签到日历", Intent("calendar")),
    ("补签 11-20", Intent("makeup", "11-20")),
    ("补签11月20日", Intent("makeup", "11月20日")),
    ("猜歌", Intent("song")),
    ("猜 苹果", Intent("guess", "苹果")),
    ("排行榜 答题", Intent("board", "答题")),
])
def test_command_forms(text: str, intent: Intent) -> None:
    assert parse(text) == intent


@pytest.mark.parametrize("text", ["投资", "投3个硬币", "猜歌词", "voted", "guessing", "A", "今天签到了吗", "",
                                  "补签 明天", "签到吧"])
def test_not_commands(text: str) -> None:
    assert parse(text) is None


def test_seat_numbers() -> None:
    assert [seat_number(s) for s in ("3", "3号", "#12", "No.4", "x")] == [3, 3, 12, 4, None]


def test_a_month_day_after_today_means_last_year() -> None:
    assert parse_day("11-20", 2026, 11, 22) == "2026-11-20"
    assert parse_day("12-31", 2026, 1, 2) == "2025-12-31"
    assert parse_day("20号", 2026, 11, 22) == "2026-11-20"
    assert parse_day("2-30", 2026, 3, 1) is None
