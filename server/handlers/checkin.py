"""Daily check-in frames. The rules are pure (games/checkin.py); this module loads the
member's record with its version, calls them, and saves the new record together with its
points in one transaction keyed by (group, member, day), so a retried or doubled check-in
counts once. The save is refused when the record changed since it was read (a make-up and a
check-in at once); the rule then runs again on the fresh record (server/records.py), so
neither loses the other's day, and a reply only ever reports what was saved."""
from __future__ import annotations

from typing import Any

from games import checkin as rules
from games.base import ConfigError, Refusal
from server import access
from server.handlers import Context, handler
from server.protocol import ProtocolError
from server.records import change_atomically
from server.scoring.records import checkin_record
from server.store import ResultRecord
from server.validate import Id, Int, Schema, Text


async def _config(ctx: Context, group: str) -> rules.CheckinConfig:
    settings = await ctx.services.store.get_group_settings(ctx.principal.app, group)
    tz = settings.get("timezone", ctx.services.settings.default_timezone)
    try:
        return rules.CheckinConfig.from_settings({"timezone": tz, **settings.get("checkin", {})})
    except ConfigError as exc:  # settings are checked when set; this guards older rows
        raise ProtocolError("invalid_config", f"the group's check-in settings are invalid: {exc}") from None


def _member(ctx: Context, group: str, player: str | None) -> str:
    return access.member_record(ctx.principal, group, player)


async def _result(ctx: Context, group: str, member: str, outcome: rules.CheckinOutcome, now: float,
                  cfg: rules.CheckinConfig) -> ResultRecord:
    app = ctx.principal.app
    app_record = await ctx.services.store.get_app(app)
    return checkin_record(app, group, member, outcome.day, outcome.points, now, cfg.timezone,
                          app_record.settings if app_record else {})


@handler("checkin", Schema(group=Id(), player=Id(required=False), name=Text(64, required=False)))
async def check_in(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    group = data["group"]
    member = _member(ctx, group, data["player"])
    cfg = await _config(ctx, group)
    store = ctx.services.store
    app = ctx.principal.app
    now = ctx.services.clock.now()

    async def attempt() -> rules.CheckinOutcome:
        record, version = await store.load_checkin(app, group, member)
        outcome = rules.check_in(record, now, cfg)
        if outcome.already:
            return outcome
        result = await _result(ctx, group, member, outcome, now, cfg)
        if await store.save_checkin(app, group, member, outcome.record, result, version=version):
            return outcome
        # The day's points were applied before, but the record lost the day (written by a
        # version that saved them apart): put the day back, without points, and say so.
        repaired = {**outcome.record, "total_points": (record or {}).get("total_points", 0)}
        await store.save_checkin(app, group, member, repaired, version=version)
        return rules.check_in(repaired, now, cfg)

    outcome = await change_atomically(attempt)
    reply = _reply(member, outcome)
    if not outcome.already:  # webhooks and metrics (server/observe.py)
        ctx.services.rooms.local.observer.checkin(app, group, member, reply)
    return reply


@handler("checkin.makeup", Schema(group=Id(), player=Id(required=False), day=Text(10)))
async def make_up(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    group = data["group"]
    member = _member(ctx, group, data["player"])
    cfg = await _config(ctx, group)
    store = ctx.services.store
    app = ctx.principal.app
    now = ctx.services.clock.now()

    async def attempt() -> rules.CheckinOutcome:
        record, version = await store.load_checkin(app, group, member)
        outcome = rules.make_up(record, data["day"], now, cfg)
        if isinstance(outcome, Refusal):
            raise ProtocolError(outcome.code, outcome.message, **outcome.data)
        result = await _result(ctx, group, member, outcome, now, cfg)
        if not await store.save_checkin(app, group, member, outcome.record, result, version=version):
            raise ProtocolError("already_checked_in", f"{data['day']} is already checked in")
        return outcome

    return _reply(member, await change_atomically(attempt))


def _reply(member: str, outcome: rules.CheckinOutcome) -> dict[str, Any]:
    """The outcome as the wire shows it: everything but the stored record."""
    out = outcome.to_dict()
    out.pop("record")
    return {"member": member, **out}


@handler("checkin.calendar", Schema(group=Id(), player=Id(required=False),
                                    year=Int(required=False, min=2000, max=2100),
                                    month=Int(required=False, min=1, max=12)))
async def calendar(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    group = data["group"]
    member = _member(ctx, group, data["player"])
    cfg = await _config(ctx, group)
    today = rules.local_day(ctx.services.clock.now(), cfg.timezone)
    year, month = data["year"] or today.year, data["month"] or today.month
    record = await ctx.services.store.get_checkin(ctx.principal.app, group, member)
    cal = rules.calendar(record, year, month, today, cfg)
    current, longest = rules.streaks((record or {}).get("days", []), today)
    return {"member": member, "streak": current, "longest": longest,
            "total_points": (record or {}).get("total_points", 0), **cal}
