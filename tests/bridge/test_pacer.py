"""Pacing: at most ``rate`` messages a second per chat, queued ones merged, nothing lost."""
from __future__ import annotations

import asyncio

from sdk.bridge import PLATFORM_PACE, Advice, DeliveryFailed, OutgoingMessage, Pacer, advise


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


async def test_a_send_the_platform_will_never_take_is_given_up_and_the_queue_goes_on(fake_time) -> None:
    sent: list[str] = []
    failures: list[DeliveryFailed] = []

    class Forbidden(Exception):
        status = 403  # e.g. a member who blocks DMs

    async def flaky(m: OutgoingMessage) -> None:
        if m.text == "boom":
            raise Forbidden("no")
        sent.append(m.text)

    pacer = Pacer(flaky, rate=1, burst=1, max_chars=1, clock=fake_time.clock, sleep=fake_time.sleep,
                  on_failure=failures.append)
    pacer.put(OutgoingMessage("g", "boom"))
    await asyncio.sleep(0)
    pacer.put(OutgoingMessage("g", "ok"))
    await pacer.drain()
    assert sent == ["ok"]
    assert [(f.kind, f.message.text, f.attempts) for f in failures] == [("delivery_failed", "boom", 1)]


async def test_a_failed_send_is_retried_with_backoff_before_anything_queued_after_it(fake_time) -> None:
    sent: list[tuple[float, str]] = []
    failures_left = {"first": 3}

    async def flaky(m: OutgoingMessage) -> None:
        if failures_left.get(m.text, 0) > 0:
            failures_left[m.text] -= 1
            raise ConnectionError("network blip")
        sent.append((fake_time.now, m.text))

    pacer = Pacer(flaky, rate=100, burst=100, max_chars=1, clock=fake_time.clock, sleep=fake_time.sleep,
                  backoff=(1.0, 60.0))
    pacer.put(OutgoingMessage("g", "first"))
    pacer.put(OutgoingMessage("g", "second"))
    await pacer.drain()
    assert [text for _, text in sent] == ["first", "second"]
    assert fake_time.sleeps[:3] == [1.0, 2.0, 4.0]


async def test_a_send_failing_past_the_bound_is_given_up_with_an_event(fake_time) -> None:
    failures: list[DeliveryFailed] = []

    async def down(m: OutgoingMessage) -> None:
        raise ConnectionError("platform unreachable")

    async def notify(failure: DeliveryFailed) -> None:
        failures.append(failure)

    pacer = Pacer(down, rate=100, burst=100, clock=fake_time.clock, sleep=fake_time.sleep,
                  give_up_after=100.0, backoff=(1.0, 30.0), on_failure=notify)
    pacer.put(OutgoingMessage("g", "lost cause"))
    await pacer.drain()
    assert len(failures) == 1 and failures[0].message.text == "lost cause"
    assert isinstance(failures[0].error, ConnectionError)
    assert sum(fake_time.sleeps) <= 100.0
    assert failures[0].attempts == len(fake_time.sleeps) + 1


async def test_the_platforms_advised_delay_is_waited_before_the_retry(fake_time) -> None:
    class RetryAfter(Exception):
        retry_after = 17

    calls: list[float] = []

    async def limited(m: OutgoingMessage) -> None:
        calls.append(fake_time.now)
        if len(calls) == 1:
            raise RetryAfter()

    pacer = Pacer(limited, rate=100, burst=100, clock=fake_time.clock, sleep=fake_time.sleep)
    pacer.put(OutgoingMessage("g", "hello"))
    await pacer.drain()
    assert calls == [0.0, 17.0]


def test_advice_reads_status_codes_headers_and_onebot_retcodes() -> None:
    class Http(Exception):
        def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
            self.status = status
            self.response = type("R", (), {"headers": headers or {}})()

    class ActionFailed(Exception):
        def __init__(self, retcode: int) -> None:
            self.info = {"retcode": retcode, "status": "failed"}

    assert advise(Http(429, {"Retry-After": "2.5"})) == Advice(True, 2.5)
    assert advise(Http(503)) == Advice(True)
    assert advise(Http(404)) == Advice(False)
    assert advise(ActionFailed(100)) == Advice(False)
    assert advise(ActionFailed(103)) == Advice(True)
    assert advise(TypeError("bug in send")) == Advice(False)


def test_platform_paces_stay_within_each_documented_limit() -> None:
    rate, burst = PLATFORM_PACE["telegram"]
    assert burst + rate * 60 <= 20 + 1e-9  # 20 messages a minute per group
    rate, burst = PLATFORM_PACE["discord"]
    assert burst + rate * 5 <= 5 + 1e-9  # 5 messages per 5 seconds per channel
