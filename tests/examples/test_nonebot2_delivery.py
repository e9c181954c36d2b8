"""Delivery through NoneBot's OneBot v11 adapter: an ActionFailed that may pass later (retcode
103, QQ's risk control) and a NetworkError are retried with backoff; one that never will
(retcode 100, bad parameters) is given up at once with a DeliveryFailed."""
from __future__ import annotations

from example_helpers import FakeTime
from nonebot.adapters.onebot.v11.exception import ActionFailed, NetworkError

from sdk.bridge import DeliveryFailed, OutgoingMessage, Pacer


async def test_a_failed_action_and_a_network_error_are_retried_with_backoff() -> None:
    time = FakeTime()
    errors = [ActionFailed(status="failed", retcode=103, data=None, message="发送失败"), NetworkError("websocket closed")]
    delivered: list[float] = []

    async def send(out: OutgoingMessage) -> None:
        if errors:
            raise errors.pop(0)
        delivered.append(time.now)

    pacer = Pacer(send, rate=100, burst=100, clock=time.clock, sleep=time.sleep, backoff=(1.0, 60.0))
    pacer.put(OutgoingMessage("424242", "第 1/5 题"))
    await pacer.drain()
    assert time.sleeps == [1.0, 2.0] and delivered == [3.0]


async def test_an_action_onebot_will_never_accept_is_given_up_with_a_delivery_failed() -> None:
    time = FakeTime()
    failures: list[DeliveryFailed] = []

    async def send(out: OutgoingMessage) -> None:
        raise ActionFailed(status="failed", retcode=100, data=None, message="参数错误")

    pacer = Pacer(send, clock=time.clock, sleep=time.sleep, on_failure=failures.append)
    pacer.put(OutgoingMessage("424242", "签到成功"))
    await pacer.drain()
    assert [f.attempts for f in failures] == [1] and time.sleeps == []
