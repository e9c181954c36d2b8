"""Activity batches reach the server's activity scores, once each."""
from __future__ import annotations

from sdk import Client
from sdk.activity import ActivityReporter
from sdk.bridge import Bridge, IncomingMessage
from server.clock import ManualClock


async def _score(bot: Client, group: str, member: str) -> float:
    reply = await bot.request("activity.member", {"group": group, "member": member})
    return float(reply["entry"]["score"]) if reply.get("entry") else 0.0


async def test_messages_are_counted_per_member_and_sent_as_one_batch(bot: Client, clock: ManualClock) -> None:
    sent: list[tuple[str, list, str]] = []
    reporter = ActivityReporter(bot, clock=clock.now)
    original = bot.request

    async def spy_request(type_, data=None):
        if type_ == "activity.report":
            sent.append((data["group"], data["events"], data["batch"]))
        return await original(type_, data)

    bot.request = spy_request  # type: ignore[method-assign]
    for _ in range(30):
        reporter.message("g1", "u1")
    reporter.message("g1", "u2")
    reporter.joined("g1", "u3", by="u1")
    assert await reporter.flush() == 1
    (group, events, _batch), = sent
    assert group == "g1"
    assert {(e["kind"], e["member"], e.get("count"), e.get("by")) for e in events} == {
        ("message", "u1", 30, None), ("message", "u2", 1, None), ("join", "u3", None, "u1")}
    assert await _score(bot, "g1", "u1") > await _score(bot, "g1", "u2") > 0


async def test_a_batch_resent_with_its_id_counts_once(bot: Client, clock: ManualClock) -> None:
    reporter = ActivityReporter(bot, clock=clock.now, batch_prefix="fixed")
    reporter.message("g1", "u1", count=10)
    await reporter.flush()
    once = await _score(bot, "g1", "u1")
    await bot.request("activity.report", {"group": "g1", "batch": "fixed-1", "events": [
        {"kind": "message", "member": "u1", "at": clock.now(), "count": 10}]})
    assert await _score(bot, "g1", "u1") == once


async def test_a_failed_flush_keeps_the_batch_for_the_next(bot: Client, clock: ManualClock) -> None:
    class Down:
        async def request(self, *a, **k):
            from sdk import ConnectionLost
            raise ConnectionLost("connection_lost", "down")

    reporter = ActivityReporter(Down(), clock=clock.now, batch_prefix="b")
    reporter.message("g1", "u1")
    assert await reporter.flush() == 0 and reporter.pending() == 1
    reporter.client = bot
    reporter.message("g1", "u1")
    assert await reporter.flush() == 2 and reporter.pending() == 0


async def test_the_bridge_counts_every_message_it_handles(bot: Client, clock: ManualClock) -> None:
    reporter = ActivityReporter(bot, clock=clock.now)
    bridge = Bridge(bot, activity=reporter)
    for text in ("hello", "签到", "nice"):
        await bridge.handle(IncomingMessage("g1", "u9", "Zed", text))
    await reporter.close()
    await bridge.close()
    assert await _score(bot, "g1", "u9") > 0
