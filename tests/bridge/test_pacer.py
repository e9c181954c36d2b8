"""Pacing: at most ``rate`` messages a second per chat, queued ones merged, nothing lost."""
from __future__ import annotations

import asyncio

from sdk.bridge import OutgoingMessage, Pacer


class Recorder:
    def __init__(self, time) -> None:
        self.time = time
        self.sent: list[tuple[float, OutgoingMessage]] = []

    async def send(self, m: OutgoingMessage) -> None:
        self.sent.append((self.time.now, m))


async def test_messages_queued_together_go_out_as_one(fake_time) -> None:
    rec = Recorder(fake_time)
    pacer = Pacer(rec.send, rate=1, burst=1, clock=fake_time.clock, sleep=fake_time.sleep)
    for i in range(5):
        pacer.put(OutgoingMessage("g", f"line {i}"))
    await pacer.drain()
    assert [m.text for _, m in rec.sent] == ["line 0\nline 1\nline 2\nline 3\nline 4"]


async def test_no_chat_gets_more_than_rate_messages_a_second(fake_time) -> None:
    rec = Recorder(fake_time)
    pacer = Pacer(rec.send, rate=2, burst=1, max_chars=6, clock=fake_time.clock, sleep=fake_time.sleep)
    for i in range(10):
        pacer.put(OutgoingMessage("g", f"m{i}"))  # too long to merge two into 6 chars... "m0\nm1" is 5
    await pacer.drain()
    times = [t for t, _ in rec.sent]
    assert all(b - a >= 0.5 - 1e-9 for a, b in zip(times, times[1:]))
    assert "".join(m.text for _, m in rec.sent).replace("\n", "") == "".join(f"m{i}" for i in range(10))


async def test_a_merge_stops_at_max_chars(fake_time) -> None:
    rec = Recorder(fake_time)
    pacer = Pacer(rec.send, rate=1, burst=1, max_chars=10, clock=fake_time.clock, sleep=fake_time.sleep)
    for text in ("aaaa", "bbbb", "cccc"):
        pacer.put(OutgoingMessage("g", text))
    await pacer.drain()
    assert [m.text for _, m in rec.sent] == ["aaaa\nbbbb", "cccc"]


async def test_each_group_and_each_dm_has_its_own_pace(fake_time) -> None:
    rec = Recorder(fake_time)
    pacer = Pacer(rec.send, rate=1, burst=1, clock=fake_time.clock, sleep=fake_time.sleep)
    pacer.put(OutgoingMessage("g1", "to g1"))
    pacer.put(OutgoingMessage("g2", "to g2"))
    pacer.put(OutgoingMessage("g1", "secret", member="u1", private=True))
    await pacer.drain()
    assert all(t == 0 for t, _ in rec.sent) and len(rec.sent) == 3
    dm = next(m for _, m in rec.sent if m.private)
    assert dm.member == "u1" and dm.group == "g1"


async def test_messages_put_before_start_wait_and_then_merge(fake_time) -> None:
    rec = Recorder(fake_time)
    pacer = Pacer(rate=1, burst=1, clock=fake_time.clock, sleep=fake_time.sleep)
    pacer.put(OutgoingMessage("g", "a"))
    pacer.put(OutgoingMessage("g", "b"))
    assert pacer.pending() == 2
    pacer.start(rec.send)
    await pacer.drain()
    assert [m.text for _, m in rec.sent] == ["a\nb"]


async def test_a_failing_send_does_not_stop_the_queue(fake_time) -> None:
    sent: list[str] = []

    async def flaky(m: OutgoingMessage) -> None:
        if m.text == "boom":
            raise RuntimeError("platform said no")
        sent.append(m.text)

    pacer = Pacer(flaky, rate=1, burst=1, max_chars=1, clock=fake_time.clock, sleep=fake_time.sleep)
    pacer.put(OutgoingMessage("g", "boom"))
    await asyncio.sleep(0)
    pacer.put(OutgoingMessage("g", "ok"))
    await pacer.drain()
    assert sent == ["ok"]
