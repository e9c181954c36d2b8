"""A pretend group around a Bridge connected to a real in-process Campfire server."""
from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator

import pytest

from sdk import Client
from sdk.bridge import Bridge, IncomingMessage, OutgoingMessage
from server.run import EmbeddedServer


class FakeTime:
    """The pacer's clock: sleeping moves it forward at once, so tests never wait."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.gate: asyncio.Event | None = None  # when set up, sleeping waits for it (to let a queue build)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.gate is not None:
            await self.gate.wait()
        self.now += seconds
        await asyncio.sleep(0)


class Chat:
    """Members typing into one group; everything the bridge sends lands in ``sent``."""

    def __init__(self, bridge: Bridge, group: str = "g1") -> None:
        self.bridge = bridge
        self.group = group
        self.sent: list[OutgoingMessage] = []
        self._arrived = asyncio.Condition()
        self.names: dict[str, str] = {}
        self._cursor = (0, 0)  # (message index, offset) just after the last expected text
        self._dms: set[int] = set()

    async def send(self, message: OutgoingMessage) -> None:
        async with self._arrived:
            self.sent.append(message)
            self._arrived.notify_all()

    async def say(self, member: str, text: str, mentions: tuple[str, ...] = ()) -> list[OutgoingMessage]:
        name = self.names.setdefault(member, member.capitalize())
        return await self.bridge.handle(IncomingMessage(self.group, member, name, text, mentions))

    async def expect(self, needle: str, *, private_to: str | None = None, timeout: float = 5.0) -> OutgoingMessage:
        """Wait until ``needle`` has been said after whatever the last expect matched (the
        pacer may merge several lines into one message, so the cursor is within a message)."""
        async def find() -> OutgoingMessage:
            async with self._arrived:
                while True:
                    for i in range(self._cursor[0] if private_to is None else 0, len(self.sent)):
                        m = self.sent[i]
                        if private_to is not None:
                            if m.private and m.member == private_to and needle in m.text and i not in self._dms:
                                self._dms.add(i)
                                return m
                            continue
                        if m.private:
                            continue
                        start = self._cursor[1] if i == self._cursor[0] else 0
                        at = m.text.find(needle, start)
                        if at >= 0:
                            self._cursor = (i, at + len(needle))
                            return m
                    await self._arrived.wait()

        try:
            return await asyncio.wait_for(find(), timeout)
        except TimeoutError:
            raise AssertionError(f"nobody said {needle!r}; sent: {[m.text for m in self.sent]}") from None

    def transcript(self) -> str:
        return "\n".join(m.text for m in self.sent)


@pytest.fixture
async def bot(server: EmbeddedServer, app_key: str) -> AsyncIterator[Client]:
    async with Client(server.url, app_key) as client:
        yield client


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def chat(bot: Client, fake_time: FakeTime) -> AsyncIterator[Chat]:
    bridge = Bridge(bot, lang="zh", rate=1.0, burst=1000, clock=fake_time.clock, sleep=fake_time.sleep,
                    today=lambda: (2026, 1, 1),
                    game_config={"quiz": {"questions": 3, "seconds": 20, "reveal_seconds": 3}})
    c = Chat(bridge)
    task = asyncio.create_task(bridge.run(c.send))
    yield c
    task.cancel()
    await bridge.close()


@pytest.fixture
async def new_chat(server: EmbeddedServer, app_key: str, fake_time: FakeTime) -> AsyncIterator[Any]:
    """Opens another bot connection with a fresh bridge (a bot that restarted)."""
    opened: list[tuple[Client, asyncio.Task[None], Chat]] = []

    async def make(group: str = "g1") -> Chat:
        client = Client(server.url, app_key)
        await client.connect()
        c = Chat(Bridge(client, lang="zh", burst=1000, clock=fake_time.clock, sleep=fake_time.sleep), group)
        opened.append((client, asyncio.create_task(c.bridge.run(c.send)), c))
        return c

    yield make
    for client, task, c in opened:
        task.cancel()
        await c.bridge.close()
        await client.close()


@pytest.fixture
async def en_chat(bot: Client, fake_time: FakeTime) -> AsyncIterator[Chat]:
    bridge = Bridge(bot, lang="en", burst=1000, clock=fake_time.clock, sleep=fake_time.sleep,
                    game_config={"quiz": {"questions": 2, "seconds": 20, "reveal_seconds": 3, "lang": "en"}})
    c = Chat(bridge, group="g-en")
    task = asyncio.create_task(bridge.run(c.send))
    yield c
    task.cancel()
    await bridge.close()

