"""Period ids in the group's timezone; aliases; seasons."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from server.scoring.periods import parse_seasons, periods_at, resolve, valid_period


def t(y: int, mo: int, d: int, h: int, mi: int, tz: str) -> float:
    return dt.datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(tz)).timestamp()


def test_a_result_counts_for_all_time_its_day_week_and_month() -> None:
    assert periods_at(t(2026, 11, 22, 20, 0, "Asia/Shanghai"), "Asia/Shanghai") == [
        "all", "d2026-11-22", "w2026-W47", "m2026-11"]


def test_iso_weeks_belong_to_their_iso_year() -> None:
    assert periods_at(t(2027, 1, 1, 12, 0, "UTC"), "UTC")[2] == "w2026-W53"


def test_an_unknown_timezone_falls_back_to_the_default() -> None:
    at = t(2026, 11, 22, 23, 30, "Asia/Shanghai")
    assert periods_at(at, "Mars/Olympus") == periods_at(at, "Asia/Shanghai")


def test_seasons_include_both_end_dates() -> None:
    seasons = parse_seasons([{"name": "s1", "start": "2026-11-01", "end": "2026-11-22"},
                             {"name": "bad", "start": "nope", "end": "2026-11-22"}])
    assert [s.name for s in seasons] == ["s1"]
    assert periods_at(t(2026, 11, 22, 23, 59, "UTC"), "UTC", seasons)[-1] == "ss1"
    assert "ss1" not in periods_at(t(2026, 11, 23, 0, 0, "UTC"), "UTC", seasons)


@pytest.mark.parametrize(("alias", "expected"), [
    ("day", "d2026-11-23"), ("yesterday", "d2026-11-22"), ("week", "w2026-W48"),
    ("last-week", "w2026-W47"), ("month", "m2026-11"), ("last-month", "m2026-10"), ("all", "all"),
    ("d2026-01-01", "d2026-01-01"),
])
def test_aliases_resolve_in_the_groups_timezone(alias: str, expected: str) -> None:
    now = dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.UTC).timestamp()  # 00:30 on the 23rd in Shanghai
    assert resolve(alias, now, "Asia/Shanghai") == expected


@pytest.mark.parametrize(("period", "ok"), [
    ("all", True), ("d2026-11-22", True), ("d2026-02-30", False), ("w2026-W47", True), ("w2026-W54", False),
    ("m2026-11", True), ("m2026-13", False), ("sautumn", True), ("x", False), ("week", True),
])
def test_period_ids_are_checked(period: str, ok: bool) -> None:
    assert valid_period(period) is ok
