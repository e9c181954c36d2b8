"""Daily check-in: the rules a member meets when they send 签到 / 补签."""
from __future__ import annotations

import copy
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from games.base import ConfigError, Refusal
from games.checkin import (
    CheckinConfig,
    CheckinOutcome,
    calendar,
    check_in,
    local_day,
    make_up,
    makeup_points_for,
    meta,
    points_for,
    result_key,
    streaks,
)
from games.text import to_traditional

SH = "Asia/Shanghai"
DEFAULT = CheckinConfig()


def at(local: str, tz: str = SH) -> float:
    """Epoch seconds for a wall-clock time ('2026-11-20 09:00') in a timezone."""
    return datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(tz)).timestamp()


def checked(outcome: CheckinOutcome | Refusal) -> CheckinOutcome:
    assert isinstance(outcome, CheckinOutcome), outcome
    return outcome


def run_days(days: list[str], config: CheckinConfig = DEFAULT, hour: str = "09:00") -> CheckinOutcome:
    """Check in at ``hour`` (group time) on each day in order; return the last outcome."""
    record = None
    outcome = None
    for d in days:
        outcome = check_in(record, at(f"{d} {hour}", config.timezone), config)
        record = outcome.record
    assert outcome is not None
    return outcome


def consecutive(start: str, n: int) -> list[str]:
    first = date.fromisoformat(start)
    return [date.fromordinal(first.toordinal() + i).isoformat() for i in range(n)]


# ---------------------------------------------------------------- meta and config

def test_meta_describes_a_one_member_activity_named_checkin() -> None:
    described = meta.describe()
    assert described["name"] == "checkin"
    assert (meta.min_players, meta.max_players) == (1, 1)
    assert meta.title_zh and meta.title_en and meta.usage_zh and meta.usage_en
    assert {f["name"] for f in described["config"]} == set(DEFAULT.to_dict())


def test_default_settings_are_the_documented_ones() -> None:
    assert CheckinConfig.from_settings({}).to_dict() == {
        "timezone": "Asia/Shanghai", "base_points": 10, "streak_bonus": 2, "streak_bonus_cap": 20,
        "cycle": None, "makeup_cards": 2, "makeup_days": 7, "makeup_points": 0.5,
    }
    assert CheckinConfig.from_settings(None) == DEFAULT


def test_config_round_trips_through_to_dict_as_json() -> None:
    cfg = CheckinConfig.from_settings({"timezone": "Europe/Berlin", "cycle": [1, 2, 3, 4, 5, 6, 50],
                                       "makeup_points": 1})
    again = CheckinConfig.from_settings(json.loads(json.dumps(cfg.to_dict())))
    assert again == cfg
    assert again.makeup_points == 1.0 and isinstance(again.makeup_points, float)


def test_config_validation_names_every_problem_at_once() -> None:
    with pytest.raises(ConfigError) as err:
        CheckinConfig.from_settings({
            "timezone": "Mars/Olympus_Mons",
            "base_points": -1,
            "streak_bonus": "2",
            "streak_bonus_cap": True,
            "cycle": [1, 2, 3],
            "makeup_cards": 40,
            "makeup_days": 1.5,
            "makeup_points": 1.5,
            "colour": "red",
        })
    problems = err.value.problems
    for name in ("timezone", "base_points", "streak_bonus", "streak_bonus_cap", "cycle",
                 "makeup_cards", "makeup_days", "makeup_points", "colour"):
        assert any(name in p for p in problems), (name, problems)
    assert len(problems) == 9


def test_cycle_entries_must_be_non_negative_integers() -> None:
    with pytest.raises(ConfigError) as err:
        CheckinConfig.from_settings({"cycle": [1, 2, 3, 4, 5, -6, "7"]})
    assert err.value.problems == [
        "'cycle' entries must be integers from 0 to 1000000 (bad day [6, 7])"]


def test_nan_makeup_share_is_refused() -> None:
    with pytest.raises(ConfigError):
        CheckinConfig.from_settings({"makeup_points": float("nan")})


# ---------------------------------------------------------------- the day boundary

def test_2330_utc_is_already_the_next_day_in_shanghai() -> None:
    now = at("2026-11-20 23:30", "UTC")
    assert local_day(now, "UTC") == date(2026, 11, 20)
    assert local_day(now, SH) == date(2026, 11, 21)


def test_day_rolls_over_at_shanghai_midnight_not_utc_midnight() -> None:
    first = check_in(None, at("2026-11-20 23:59", SH), DEFAULT)
    second = check_in(first.record, at("2026-11-21 00:00", SH), DEFAULT)
    assert (first.day, second.day) == ("2026-11-20", "2026-11-21")
    assert not second.already and second.streak == 2


def test_same_instants_are_one_day_for_a_utc_group() -> None:
    utc = CheckinConfig(timezone="UTC")
    first = check_in(None, at("2026-11-20 23:59", SH), utc)  # 15:59 UTC
    second = check_in(first.record, at("2026-11-21 00:00", SH), utc)  # 16:00 UTC
    assert second.already and second.day == "2026-11-20"


def test_new_york_days_follow_local_midnight_across_spring_forward() -> None:
    ny = CheckinConfig(timezone="America/New_York")
    # 2026-03-08 is only 23 hours long in New York (02:00 EST jumps to 03:00 EDT).
    assert local_day(at("2026-03-08 00:00", "UTC") + 5 * 3600 - 1, ny.timezone) == date(2026, 3, 7)
    assert local_day(at("2026-03-08 05:00", "UTC"), ny.timezone) == date(2026, 3, 8)
    assert local_day(at("2026-03-09 03:59", "UTC"), ny.timezone) == date(2026, 3, 8)
    assert local_day(at("2026-03-09 04:00", "UTC"), ny.timezone) == date(2026, 3, 9)
    early = check_in(None, at("2026-03-08 00:10", "America/New_York"), ny)
    late = check_in(early.record, at("2026-03-08 23:50", "America/New_York"), ny)
    assert late.already  # 22h40m later, still the same short day
    nextday = check_in(late.record, at("2026-03-09 00:05", "America/New_York"), ny)
    assert not nextday.already and nextday.streak == 2


def test_new_york_long_fall_back_day_is_still_one_day() -> None:
    ny = CheckinConfig(timezone="America/New_York")
    # 2026-11-01 lasts 25 hours: 00:30 EDT and 23:30 EST are 24 hours apart, same day.
    first = check_in(None, at("2026-11-01 00:30", "America/New_York"), ny)
    again = check_in(first.record, at("2026-11-01 00:30", "America/New_York") + 24 * 3600, ny)
    assert again.already and again.day == "2026-11-01"
    after = check_in(again.record, at("2026-11-02 00:01", "America/New_York"), ny)
    assert after.day == "2026-11-02" and after.streak == 2


# ---------------------------------------------------------------- the group changes its timezone

LA = CheckinConfig(timezone="America/Los_Angeles")


def test_a_group_moving_west_cannot_check_in_again_for_its_yesterday() -> None:
    # 10:00 in Shanghai on the 20th is 18:00 on the 19th in Los Angeles.
    first = check_in(None, at("2026-11-20 10:00"), DEFAULT)
    moved = check_in(first.record, at("2026-11-20 10:30"), LA)
    assert moved.already and moved.points == 0 and moved.record["days"] == ["2026-11-20"]
    back = check_in(moved.record, at("2026-11-20 11:00"), DEFAULT)
    assert back.already and back.total_points == first.total_points


def test_a_group_moving_east_cannot_check_in_again_on_the_day_it_jumped_into() -> None:
    # 20:00 on the 19th in Los Angeles is 12:00 on the 20th in Shanghai.
    first = check_in(None, at("2026-11-19 20:00", "America/Los_Angeles"), LA)
    moved = check_in(first.record, at("2026-11-19 21:00", "America/Los_Angeles"), DEFAULT)
    assert moved.already and moved.points == 0 and moved.record["days"] == ["2026-11-19"]


def test_after_a_timezone_change_the_next_day_of_the_new_zone_earns_points() -> None:
    first = check_in(None, at("2026-11-20 10:00"), DEFAULT)
    nxt = check_in(first.record, at("2026-11-21 00:30", "America/Los_Angeles"), LA)
    assert not nxt.already and nxt.day == "2026-11-21" and nxt.streak == 2


def test_a_record_written_before_last_at_existed_still_refuses_a_day_behind_its_latest() -> None:
    legacy = {"days": ["2026-11-20"], "made_up": [], "cards": {}, "longest": 1, "total_points": 10,
              "last": "2026-11-20"}
    assert check_in(legacy, at("2026-11-20 10:00"), LA).already


# ---------------------------------------------------------------- one check-in a day

def test_first_check_in_earns_base_points_and_starts_a_record() -> None:
    outcome = check_in(None, at("2026-11-20 08:00"), DEFAULT)
    assert not outcome.already and not outcome.made_up
    assert (outcome.day, outcome.streak, outcome.longest) == ("2026-11-20", 1, 1)
    assert (outcome.points, outcome.total_points, outcome.total_days) == (10, 10, 1)
    assert outcome.cards_left == 2
    assert outcome.record == {"days": ["2026-11-20"], "made_up": [], "cards": {}, "longest": 1,
                              "total_points": 10, "last": "2026-11-20", "last_at": at("2026-11-20 08:00")}


def test_second_check_in_the_same_day_is_friendly_and_earns_nothing() -> None:
    first = run_days(consecutive("2026-11-18", 3))
    again = check_in(first.record, at("2026-11-20 22:00"), DEFAULT)
    assert again.already and again.points == 0
    assert again.streak == 3 and again.total_points == first.total_points
    assert again.record == first.record
    assert again.message_zh == "今天已经签到过啦，当前连续 3 天"
    assert again.message_en == "Already checked in today — 3-day streak"


def test_success_message_names_streak_and_points() -> None:
    outcome = run_days(consecutive("2026-11-18", 3))
    assert outcome.message_zh == "签到成功！连续 3 天，获得 14 分"
    assert outcome.message_en == "Checked in! 3-day streak, +14 points"
    assert outcome.message == {"zh": outcome.message_zh, "zh-Hant": to_traditional(outcome.message_zh),
                               "en": outcome.message_en}


def test_check_in_does_not_mutate_the_given_record() -> None:
    record = run_days(consecutive("2026-11-18", 2)).record
    before = copy.deepcopy(record)
    check_in(record, at("2026-11-20 09:00"), DEFAULT)
    make_up(record, "2026-11-15", at("2026-11-20 09:00"), DEFAULT)
    assert record == before


def test_record_and_outcome_are_plain_json() -> None:
    outcome = run_days(consecutive("2026-11-18", 3))
    assert json.loads(json.dumps(outcome.to_dict())) == outcome.to_dict()


# ---------------------------------------------------------------- streaks

def test_streak_continues_on_consecutive_days() -> None:
    assert run_days(consecutive("2026-11-01", 5)).streak == 5


def test_missing_a_day_breaks_the_streak() -> None:
    outcome = run_days(["2026-11-01", "2026-11-02", "2026-11-04"])
    assert outcome.streak == 1 and outcome.longest == 2
    assert outcome.points == 10


def test_longest_streak_is_kept_after_a_break() -> None:
    outcome = run_days(consecutive("2026-11-01", 4) + consecutive("2026-11-10", 2))
    assert (outcome.streak, outcome.longest) == (2, 4)
    assert outcome.record["longest"] == 4


def test_streak_counts_from_yesterday_until_today_is_over() -> None:
    days = ["2026-11-18", "2026-11-19"]
    assert streaks(days, "2026-11-20") == (2, 2)      # today not yet checked in: still alive
    assert streaks(days, "2026-11-21") == (0, 2)      # yesterday missed: broken
    assert streaks(days + ["2026-11-20"], date(2026, 11, 20)) == (3, 3)
    assert streaks([], "2026-11-20") == (0, 0)


def test_streaks_finds_the_longest_run_anywhere() -> None:
    days = consecutive("2026-01-30", 5) + consecutive("2026-03-01", 3) + ["2026-03-10"]
    assert streaks(days, "2026-03-10") == (1, 5)


def test_streak_crosses_month_and_year_boundaries() -> None:
    assert run_days(consecutive("2026-12-30", 4)).streak == 4


# ---------------------------------------------------------------- rewards

def test_linear_bonus_adds_per_day_after_the_first() -> None:
    assert [points_for(n, DEFAULT) for n in (1, 2, 3, 5)] == [10, 12, 14, 18]


def test_streak_bonus_stops_at_its_cap() -> None:
    assert [points_for(n, DEFAULT) for n in (10, 11, 12, 100)] == [28, 30, 30, 30]
    cfg = CheckinConfig(base_points=5, streak_bonus=3, streak_bonus_cap=7)
    assert [points_for(n, cfg) for n in (1, 2, 3, 4)] == [5, 8, 11, 12]


def test_points_and_total_follow_the_bonus_over_a_streak() -> None:
    outcome = run_days(consecutive("2026-11-01", 12))
    assert outcome.points == 30
    assert outcome.total_points == sum(min(10 + 2 * i, 30) for i in range(12))


def test_seven_day_cycle_replaces_base_and_bonus_and_repeats() -> None:
    cfg = CheckinConfig.from_settings({"cycle": [5, 5, 10, 5, 5, 10, 50]})
    earned = []
    record = None
    for d in consecutive("2026-11-01", 9):
        outcome = check_in(record, at(f"{d} 12:00"), cfg)
        record = outcome.record
        earned.append(outcome.points)
    assert earned == [5, 5, 10, 5, 5, 10, 50, 5, 5]


def test_cycle_starts_over_when_the_streak_breaks() -> None:
    cfg = CheckinConfig.from_settings({"cycle": [1, 2, 3, 4, 5, 6, 7]})
    outcome = run_days(consecutive("2026-11-01", 3) + ["2026-11-05"], cfg)
    assert outcome.points == 1


def test_makeup_share_rounds_half_up_in_decimal() -> None:
    assert makeup_points_for(5, DEFAULT) == 3       # 2.5 → 3
    assert makeup_points_for(15, CheckinConfig(makeup_points=0.7)) == 11  # 10.5 → 11
    assert makeup_points_for(14, CheckinConfig(makeup_points=0.0)) == 0


# ---------------------------------------------------------------- make-ups

def test_make_up_fills_a_missed_day_for_a_share_of_its_points() -> None:
    record = run_days(["2026-11-18", "2026-11-20"]).record
    outcome = checked(make_up(record, "2026-11-19", at("2026-11-20 21:00"), DEFAULT))
    assert outcome.made_up and outcome.day == "2026-11-19"
    assert outcome.points == 6                     # a 2-day streak pays 12; half of it
    assert outcome.streak == 3 and outcome.longest == 3
    assert outcome.total_points == 10 + 10 + 6
    assert outcome.cards_left == 1
    assert outcome.record["made_up"] == ["2026-11-19"]
    assert outcome.record["cards"] == {"2026-11": 1}
    assert outcome.record["days"] == ["2026-11-18", "2026-11-19", "2026-11-20"]


def test_make_up_joins_two_streaks_into_one() -> None:
    record = run_days(consecutive("2026-11-10", 3) + consecutive("2026-11-14", 4)).record
    assert record["longest"] == 4
    outcome = checked(make_up(record, "2026-11-13", at("2026-11-17 20:00"), DEFAULT))
    assert outcome.streak == 8 and outcome.longest == 8
    assert outcome.points == 8                     # the 13th ends a 4-day run: 16, half is 8


def test_make_up_with_no_check_ins_yet_is_allowed() -> None:
    outcome = checked(make_up(None, "2026-11-19", at("2026-11-20 09:00"), DEFAULT))
    assert outcome.points == 5 and outcome.streak == 1 and outcome.total_days == 1


def test_make_up_of_today_or_the_future_is_refused() -> None:
    now = at("2026-11-20 09:00")
    for day in ("2026-11-20", "2026-11-21"):
        refusal = make_up(None, day, now, DEFAULT)
        assert isinstance(refusal, Refusal) and refusal.code == "makeup_not_past"


def test_make_up_reaches_back_makeup_days_and_no_further() -> None:
    now = at("2026-11-20 09:00")
    assert isinstance(make_up(None, "2026-11-13", now, DEFAULT), CheckinOutcome)  # 7 days ago
    refusal = make_up(None, "2026-11-12", now, DEFAULT)                           # 8 days ago
    assert isinstance(refusal, Refusal) and refusal.code == "makeup_too_old"
    assert refusal.data == {"day": "2026-11-12", "makeup_days": 7}


def test_make_up_of_a_day_already_checked_in_is_refused() -> None:
    record = run_days(["2026-11-18"]).record
    refusal = make_up(record, "2026-11-18", at("2026-11-20 09:00"), DEFAULT)
    assert isinstance(refusal, Refusal) and refusal.code == "already_checked_in"


def test_make_up_of_a_malformed_day_is_refused() -> None:
    refusal = make_up(None, "yesterday", at("2026-11-20 09:00"), DEFAULT)
    assert isinstance(refusal, Refusal) and refusal.code == "invalid_day"


def test_make_up_cards_run_out_within_a_month() -> None:
    now = at("2026-11-20 09:00")
    record = checked(make_up(None, "2026-11-15", now, DEFAULT)).record
    second = checked(make_up(record, "2026-11-16", now, DEFAULT))
    assert second.cards_left == 0
    refusal = make_up(second.record, "2026-11-17", now, DEFAULT)
    assert isinstance(refusal, Refusal) and refusal.code == "no_makeup_cards"
    assert refusal.data == {"month": "2026-11", "cards_per_month": 2}


def test_make_up_cards_reset_next_month() -> None:
    record = None
    for day in ("2026-11-25", "2026-11-26"):
        record = checked(make_up(record, day, at("2026-11-30 09:00"), DEFAULT)).record
    assert make_up(record, "2026-11-27", at("2026-11-30 09:00"), DEFAULT).code == "no_makeup_cards"
    # On 1 December the month's cards are fresh, and they may still reach back into November.
    outcome = checked(make_up(record, "2026-11-27", at("2026-12-01 09:00"), DEFAULT))
    assert outcome.cards_left == 1
    assert outcome.record["cards"] == {"2026-11": 2, "2026-12": 1}


def test_card_month_follows_the_group_timezone() -> None:
    record = None
    for day in ("2026-11-25", "2026-11-26"):
        record = checked(make_up(record, day, at("2026-11-30 09:00"), DEFAULT)).record
    # 2026-11-30 17:00 UTC is already 1 December in Shanghai: a new month's cards.
    assert isinstance(make_up(record, "2026-11-27", at("2026-11-30 17:00", "UTC"), DEFAULT),
                      CheckinOutcome)


def test_no_cards_configured_means_no_make_ups() -> None:
    cfg = CheckinConfig(makeup_cards=0)
    assert make_up(None, "2026-11-19", at("2026-11-20 09:00"), cfg).code == "no_makeup_cards"
    assert check_in(None, at("2026-11-20 09:00"), cfg).cards_left == 0


def test_check_in_reports_cards_left_this_month() -> None:
    record = checked(make_up(None, "2026-11-19", at("2026-11-20 09:00"), DEFAULT)).record
    assert check_in(record, at("2026-11-20 10:00"), DEFAULT).cards_left == 1
    assert check_in(record, at("2026-12-01 10:00"), DEFAULT).cards_left == 2


def test_make_up_does_not_rewrite_points_already_earned() -> None:
    record = run_days(["2026-11-18", "2026-11-20"]).record
    outcome = checked(make_up(record, "2026-11-19", at("2026-11-20 21:00"), DEFAULT))
    tomorrow = check_in(outcome.record, at("2026-11-21 09:00"), DEFAULT)
    assert tomorrow.streak == 4 and tomorrow.points == 16
    assert tomorrow.total_points == 10 + 10 + 6 + 16


def test_make_up_message_is_ready_to_show() -> None:
    record = run_days(["2026-11-18", "2026-11-20"]).record
    outcome = checked(make_up(record, "2026-11-19", at("2026-11-20 21:00"), DEFAULT))
    assert outcome.message_zh == "补签成功！补上 2026-11-19，获得 6 分，当前连续 3 天，本月还剩 1 张补签卡"
    assert outcome.message_en == "Made up 2026-11-19: +6 points, now a 3-day streak; 1 make-up card left this month"


def test_make_up_with_the_cycle_pays_a_share_of_that_days_cycle_reward() -> None:
    cfg = CheckinConfig.from_settings({"cycle": [1, 1, 1, 1, 1, 1, 40]})
    record = run_days(consecutive("2026-11-01", 6) + ["2026-11-08"], cfg).record
    outcome = checked(make_up(record, "2026-11-07", at("2026-11-08 20:00"), cfg))
    assert outcome.points == 20 and outcome.streak == 8


# ---------------------------------------------------------------- calendar

def test_calendar_marks_every_day_of_the_month() -> None:
    record = run_days(["2026-02-02", "2026-02-03", "2026-02-05"]).record
    record = checked(make_up(record, "2026-02-04", at("2026-02-05 10:00"), DEFAULT)).record
    cal = calendar(record, 2026, 2, "2026-02-06")
    assert cal["month"] == "2026-02" and len(cal["days"]) == 28
    status = {e["day"]: e["status"] for e in cal["days"]}
    assert status["2026-02-01"] == "missed"
    assert [status[f"2026-02-0{n}"] for n in (2, 3, 4, 5)] == ["checked", "checked", "made_up", "checked"]
    assert status["2026-02-06"] == "future"          # today, not checked in yet: not missed yet
    assert status["2026-02-28"] == "future"
    assert [e["day"] for e in cal["days"] if e["today"]] == ["2026-02-06"]
    assert (cal["count"], cal["checked"], cal["made_up"], cal["missed"]) == (4, 3, 1, 1)
    assert (cal["cards_used"], cal["cards_left"]) == (1, 1)


def test_calendar_of_an_empty_record_and_a_leap_february() -> None:
    cal = calendar(None, 2028, 2, date(2028, 3, 1), CheckinConfig(makeup_cards=3))
    assert len(cal["days"]) == 29
    assert all(e["status"] == "missed" for e in cal["days"])
    assert (cal["count"], cal["cards_used"], cal["cards_left"]) == (0, 0, 3)


# ---------------------------------------------------------------- keys and determinism

def test_result_key_is_stable_per_group_member_and_day() -> None:
    assert result_key("g1", "alice", "2026-11-20") == "checkin:g1:alice:2026-11-20"
    assert result_key("g1", "alice", date(2026, 11, 20)) == "checkin:g1:alice:2026-11-20"


def test_same_inputs_give_the_same_outcomes() -> None:
    def history() -> list[dict]:
        record = None
        out = []
        for i, d in enumerate(consecutive("2026-11-01", 10)):
            if i % 4 == 3:
                continue
            o = check_in(record, at(f"{d} 09:00"), DEFAULT)
            record = o.record
            out.append(o.to_dict())
        o = make_up(record, "2026-11-08", at("2026-11-10 12:00"), DEFAULT)
        out.append(o.to_dict())
        out.append(calendar(o.record, 2026, 11, "2026-11-10"))
        return out

    assert history() == history()
