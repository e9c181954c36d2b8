"""Daily check-in (签到/打卡): streaks, rewards and make-up cards, as pure functions.

Check-in is not a room game. When a member checks in, the server loads the member's
record (a plain JSON dict), calls :func:`check_in` or :func:`make_up`, stores the new
record and applies ``outcome.points`` once under :func:`result_key`. Nothing here reads
a clock: ``now`` (epoch seconds) comes in, and the calendar day is the day *in the
group's timezone*, because a Shanghai group expects the day to turn over at its own
midnight, not at 08:00 when UTC does.

Record format (kept small: one ISO string per day checked in)::

    {"days": ["2026-11-20", ...],   # sorted, every day checked in or made up
     "made_up": ["2026-11-18"],     # sorted, the subset of days filled by a make-up card
     "cards": {"2026-11": 1},       # make-up cards used, by month of use (group's time)
     "longest": 5,                  # longest streak ever
     "total_points": 120,
     "last": "2026-11-20",          # latest day in "days", or None
     "last_at": 1795000000.0}       # when the latest check-in (not make-up) happened, epoch s

When a group changes its timezone, its calendar days shift under its members. The rule that
keeps one check-in per day (docs/games/checkin.md): a check-in earns points only when the
group's today, in its current timezone, is after every day already checked in *and* after
the day on which, by that same clock, the member last checked in. So a group moving west
(Shanghai → Los Angeles, where it is still yesterday) cannot fill yesterday with a second
check-in, and one moving east cannot check in again on the day its clock just jumped into.
Either answers "already checked in", kindly, like any second check-in that day.
"""
from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from games.base import ConfigError, ConfigField, GameMeta, Refusal, refuse

Record = dict[str, Any]
DayLike = date | str

_MAX_POINTS = 1_000_000

meta = GameMeta(
    name="checkin",
    title_zh="每日签到",
    title_en="Daily check-in",
    min_players=1,
    max_players=1,
    usage_zh="每天发送「签到」打卡一次，连续签到奖励更多积分；错过了可以用补签卡「补签 2026-11-20」"
    "补上最近几天（每月有限）；「签到日历」查看本月记录。",
    usage_en="Send 'checkin' once a day; consecutive days earn more points. Missed a day? Use a "
    "make-up card ('makeup 2026-11-20') for a recent day (a few per month). 'checkin calendar' "
    "shows this month.",
    config=(
        ConfigField("timezone", str, "Asia/Shanghai", "群所在时区（IANA 名称），决定每天几点换日",
                    "The group's IANA timezone; the day turns over at its midnight"),
        ConfigField("base_points", int, 10, "每次签到的基础积分", "Points for any check-in",
                    min=0, max=_MAX_POINTS),
        ConfigField("streak_bonus", int, 2, "连续签到第二天起每天多加的积分",
                    "Extra points per consecutive day after the first", min=0, max=_MAX_POINTS),
        ConfigField("streak_bonus_cap", int, 20, "连续签到加成的上限", "Most the streak bonus can add",
                    min=0, max=_MAX_POINTS),
        ConfigField("cycle", list, None, "可选：7 天循环奖励表，设置后取代基础分+加成",
                    "Optional 7-day reward table; replaces base + bonus when set", optional=True),
        ConfigField("makeup_cards", int, 2, "每个自然月的补签卡数量", "Make-up cards per calendar month",
                    min=0, max=31),
        ConfigField("makeup_days", int, 7, "补签最多能补几天前", "How many days back a make-up may reach",
                    min=0, max=366),
        ConfigField("makeup_points", float, 0.5, "补签获得正常积分的比例",
                    "Share of the normal points a make-up earns", min=0.0, max=1.0),
    ),
)

_FIELDS = {f.name: f for f in meta.config}


@dataclass(frozen=True, slots=True)
class CheckinConfig:
    """A group's check-in settings, validated once by :meth:`from_settings`."""

    timezone: str = "Asia/Shanghai"
    base_points: int = 10
    streak_bonus: int = 2
    streak_bonus_cap: int = 20
    cycle: tuple[int, ...] | None = None
    makeup_cards: int = 2
    makeup_days: int = 7
    makeup_points: float = 0.5

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> "CheckinConfig":
        """Fill defaults and check every setting; a ConfigError lists all problems at once,
        so an operator fixes the whole settings form in one go."""
        given = dict(settings or {})
        problems = [f"unknown setting '{key}'" for key in given if key not in _FIELDS]
        values: dict[str, Any] = {}
        for f in meta.config:
            value = given.get(f.name, f.default)
            problem = _check_field(f, value)
            if problem:
                problems.append(problem)
                continue
            if f.type is float and value is not None:
                value = float(value)
            if f.name == "cycle" and value is not None:
                value = tuple(value)
            values[f.name] = value
        if problems:
            raise ConfigError(problems)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return {
            "timezone": self.timezone,
            "base_points": self.base_points,
            "streak_bonus": self.streak_bonus,
            "streak_bonus_cap": self.streak_bonus_cap,
            "cycle": list(self.cycle) if self.cycle is not None else None,
            "makeup_cards": self.makeup_cards,
            "makeup_days": self.makeup_days,
            "makeup_points": self.makeup_points,
        }


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_field(f: ConfigField, value: Any) -> str | None:
    if value is None and f.optional:
        return None
    if f.name == "timezone":
        if not isinstance(value, str) or not value:
            return f"'timezone' must be an IANA timezone name like 'Asia/Shanghai', got {value!r}"
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return f"'timezone' {value!r} is not a known IANA timezone"
        return None
    if f.name == "cycle":
        if not isinstance(value, (list, tuple)):
            return f"'cycle' must be a list of 7 integers, got {type(value).__name__}"
        if len(value) != 7:
            return f"'cycle' must have exactly 7 entries, got {len(value)}"
        bad = [i + 1 for i, v in enumerate(value) if not _is_int(v) or not 0 <= v <= _MAX_POINTS]
        if bad:
            return f"'cycle' entries must be integers from 0 to {_MAX_POINTS} (bad day {bad})"
        return None
    if f.type is float:
        ok = isinstance(value, float) or _is_int(value)
    else:
        ok = _is_int(value)
    if not ok:
        return f"'{f.name}' must be {f.type.__name__}, got {type(value).__name__}"
    if value != value:  # NaN
        return f"'{f.name}' must be a number"
    if f.min is not None and value < f.min:
        return f"'{f.name}' must be at least {f.min}"
    if f.max is not None and value > f.max:
        return f"'{f.name}' must be at most {f.max}"
    return None


@dataclass(frozen=True, slots=True)
class CheckinOutcome:
    """What a check-in or make-up did. ``record`` is the new record to store; the input
    record is never changed, so a failed store write leaves nothing half-applied."""

    record: Record
    already: bool
    day: str
    streak: int
    longest: int
    points: int
    total_points: int
    total_days: int
    cards_left: int
    message_zh: str
    message_en: str
    made_up: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> dict[str, str]:
        from games.text import to_traditional

        return {"zh": self.message_zh, "zh-Hant": to_traditional(self.message_zh), "en": self.message_en}

    def to_dict(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "already": self.already,
            "made_up": self.made_up,
            "day": self.day,
            "streak": self.streak,
            "longest": self.longest,
            "points": self.points,
            "total_points": self.total_points,
            "total_days": self.total_days,
            "cards_left": self.cards_left,
            "message": self.message,
        }


# ---------------------------------------------------------------- days and streaks

def local_day(now: float, tz: str | ZoneInfo) -> date:
    """The calendar day at ``now`` in the group's timezone (DST handled by zoneinfo)."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    return datetime.fromtimestamp(now, zone).date()


def _as_date(day: DayLike) -> date:
    if isinstance(day, datetime):
        return day.date()
    if isinstance(day, date):
        return day
    return date.fromisoformat(day)


def _run_ending(days: set[date], end: date) -> int:
    """How many consecutive days in ``days`` end at ``end`` (0 when ``end`` is absent)."""
    n = 0
    while end - timedelta(days=n) in days:
        n += 1
    return n


def streaks(days: Iterable[DayLike], today: DayLike) -> tuple[int, int]:
    """(current, longest). The current streak counts back from today, or from yesterday
    when today is not checked in yet: a streak isn't broken until its day is over."""
    have = {_as_date(d) for d in days}
    today_d = _as_date(today)
    start = today_d if today_d in have else today_d - timedelta(days=1)
    current = _run_ending(have, start)
    longest = 0
    for d in have:
        if d - timedelta(days=1) not in have:  # d starts a run
            n = 1
            while d + timedelta(days=n) in have:
                n += 1
            longest = max(longest, n)
    return current, longest


# ---------------------------------------------------------------- rewards

def points_for(streak: int, config: CheckinConfig) -> int:
    """Normal points for a check-in that makes a ``streak``-day streak (streak >= 1)."""
    streak = max(1, streak)
    if config.cycle is not None:
        return config.cycle[(streak - 1) % 7]
    return config.base_points + min(config.streak_bonus * (streak - 1), config.streak_bonus_cap)


def makeup_points_for(normal: int, config: CheckinConfig) -> int:
    """``normal × makeup_points`` rounded half up (2.5 → 3), in decimal so 15 × 0.7 is 10.5,
    not 10.4999…"""
    share = Decimal(repr(config.makeup_points)) * normal
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# ---------------------------------------------------------------- records

def _month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _load(record: Mapping[str, Any] | None) -> tuple[set[date], set[date], dict[str, int], int, int]:
    record = record or {}
    days = {_as_date(d) for d in record.get("days", [])}
    made_up = {_as_date(d) for d in record.get("made_up", [])}
    cards = {str(k): int(v) for k, v in dict(record.get("cards", {})).items()}
    return days, made_up, cards, int(record.get("longest", 0)), int(record.get("total_points", 0))


def _dump(days: set[date], made_up: set[date], cards: dict[str, int], longest: int,
          total_points: int, last_at: float | None) -> Record:
    record: Record = {
        "days": [d.isoformat() for d in sorted(days)],
        "made_up": [d.isoformat() for d in sorted(made_up)],
        "cards": {k: cards[k] for k in sorted(cards) if cards[k]},
        "longest": longest,
        "total_points": total_points,
        "last": max(days).isoformat() if days else None,
    }
    if last_at is not None:
        record["last_at"] = last_at
    return record


def _checked_in_today(days: set[date], last_at: float | None, today: date, zone: str) -> bool:
    """Whether today (in the group's current zone) already has its check-in: today is in the
    record, or is not after its latest day (the zone moved west), or the last check-in
    happened today by this zone's clock (the zone moved east). See the module docstring."""
    if today in days or (days and max(days) > today):
        return True
    return last_at is not None and local_day(last_at, zone) >= today


def _cards_left(cards: Mapping[str, int], month: str, config: CheckinConfig) -> int:
    return max(0, config.makeup_cards - int(cards.get(month, 0)))


def check_in(record: Mapping[str, Any] | None, now: float, config: CheckinConfig) -> CheckinOutcome:
    """Check a member in for today (in the group's timezone). A second check-in on the same
    day is not an error: it answers kindly, earns nothing and returns the record unchanged."""
    today = local_day(now, config.timezone)
    days, made_up, cards, longest, total = _load(record)
    last_at = (record or {}).get("last_at")
    cards_left = _cards_left(cards, _month_key(today), config)
    if _checked_in_today(days, last_at, today, config.timezone):
        current, computed = streaks(days, max(today, max(days, default=today)))
        longest = max(longest, computed)
        return CheckinOutcome(
            record=_dump(days, made_up, cards, longest, total, last_at),
            already=True, day=today.isoformat(), streak=current, longest=longest, points=0,
            total_points=total, total_days=len(days), cards_left=cards_left,
            message_zh=f"今天已经签到过啦，当前连续 {current} 天",
            message_en=f"Already checked in today — {current}-day streak",
        )
    days.add(today)
    current, computed = streaks(days, today)
    longest = max(longest, computed)
    points = points_for(current, config)
    total += points
    return CheckinOutcome(
        record=_dump(days, made_up, cards, longest, total, now),
        already=False, day=today.isoformat(), streak=current, longest=longest, points=points,
        total_points=total, total_days=len(days), cards_left=cards_left,
        message_zh=f"签到成功！连续 {current} 天，获得 {points} 分",
        message_en=f"Checked in! {current}-day streak, +{points} points",
    )


def make_up(record: Mapping[str, Any] | None, day: DayLike, now: float,
            config: CheckinConfig) -> CheckinOutcome | Refusal:
    """补签: spend one of this month's cards to fill a missed recent day. The filled day
    joins the streaks around it; it earns ``makeup_points`` of what checking in that day
    would have earned (the streak ending on that day, after filling it). Later days keep
    the points they already earned."""
    try:
        target = _as_date(day)
    except (TypeError, ValueError):
        return refuse("invalid_day", "日期格式应为 YYYY-MM-DD / The day must look like YYYY-MM-DD",
                      day=str(day))
    today = local_day(now, config.timezone)
    days, made_up, cards, longest, total = _load(record)
    month = _month_key(today)
    left = _cards_left(cards, month, config)
    iso = target.isoformat()
    if left <= 0:
        return refuse("no_makeup_cards",
                      f"本月补签卡已用完（每月 {config.makeup_cards} 张）/ "
                      f"No make-up cards left this month ({config.makeup_cards} a month)",
                      month=month, cards_per_month=config.makeup_cards)
    if target >= today:
        return refuse("makeup_not_past",
                      "只能补签今天之前的日子，今天请直接签到 / "
                      "Only a past day can be made up; check in for today instead",
                      day=iso, today=today.isoformat())
    if (today - target).days > config.makeup_days:
        return refuse("makeup_too_old",
                      f"只能补签最近 {config.makeup_days} 天 / "
                      f"Only the last {config.makeup_days} days can be made up",
                      day=iso, makeup_days=config.makeup_days)
    if target in days:
        return refuse("already_checked_in", f"{iso} 已经签到过了 / {iso} is already checked in",
                      day=iso)
    days.add(target)
    made_up.add(target)
    cards[month] = cards.get(month, 0) + 1
    normal = points_for(_run_ending(days, target), config)
    points = makeup_points_for(normal, config)
    total += points
    current, computed = streaks(days, today)
    longest = max(longest, computed)
    left -= 1
    return CheckinOutcome(
        record=_dump(days, made_up, cards, longest, total, (record or {}).get("last_at")),
        already=False, made_up=True, day=iso, streak=current, longest=longest, points=points,
        total_points=total, total_days=len(days), cards_left=left,
        message_zh=f"补签成功！补上 {iso}，获得 {points} 分，当前连续 {current} 天，"
        f"本月还剩 {left} 张补签卡",
        message_en=f"Made up {iso}: +{points} points, now a {current}-day streak; "
        f"{left} make-up card{'s' if left != 1 else ''} left this month",
        extra={"normal_points": normal},
    )


def calendar(record: Mapping[str, Any] | None, year: int, month: int, today: DayLike,
             config: CheckinConfig | None = None) -> dict[str, Any]:
    """One month for a 签到日历. Each day is "checked", "made_up", "missed" (over and not
    checked in) or "future" (not over yet: today counts as future until checked in)."""
    config = config or CheckinConfig()
    today_d = _as_date(today)
    days, made_up, cards, _, _ = _load(record)
    key = f"{year:04d}-{month:02d}"
    entries = []
    counts = {"checked": 0, "made_up": 0, "missed": 0, "future": 0}
    for n in range(1, _calendar.monthrange(year, month)[1] + 1):
        d = date(year, month, n)
        if d in made_up and d in days:
            status = "made_up"
        elif d in days:
            status = "checked"
        elif d < today_d:
            status = "missed"
        else:
            status = "future"
        counts[status] += 1
        entries.append({"day": d.isoformat(), "status": status, "today": d == today_d})
    used = int(cards.get(key, 0))
    return {
        "month": key,
        "days": entries,
        "count": counts["checked"] + counts["made_up"],
        "checked": counts["checked"],
        "made_up": counts["made_up"],
        "missed": counts["missed"],
        "cards_used": used,
        "cards_left": max(0, config.makeup_cards - used),
    }


def result_key(group: str, member: str, day: DayLike) -> str:
    """The idempotency key under which a check-in's points are applied exactly once."""
    return f"checkin:{group}:{member}:{_as_date(day).isoformat()}"
