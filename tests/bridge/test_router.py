"""Handlers by decorator over a real server's events."""
from __future__ import annotations

import asyncio

from sdk import Client
from sdk.router import Router
from server.clock import ManualClock


async def _until(cond, timeout: float = 5.0) -> None:
    async def wait() -> None:
        while not cond():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(wait(), timeout)


async def test_handlers_run_by_kind_and_game_with_a_context(bot: Client, clock: ManualClock) -> None:
    router = Router()
    seen: list[tuple[str, str | None, str | None]] = []
    questions: list[str] = []

    @router.on("question", game="quiz")
    async def ask(event, ctx) -> None:
        questions.append(event.data["text"])
        seen.append(("question", ctx.game, ctx.group))

    @router.on("question", game="spy")
    async def never(event) -> None:
        raise AssertionError("a quiz question reached a spy handler")

    @router.on(["reveal", "game_over"])
    async def later(event) -> None:
        seen.append((event.kind, None, None))

    task = asyncio.create_task(router.run(bot))
    room = await bot.create_room("g1", "quiz", {"questions": 1, "seconds": 10})
    await bot.join(room.id, "u1", "Alice")
    await bot.start(room.id)
    await _until(lambda: questions)
    await clock.advance(15)
    await _until(lambda: any(k == "game_over" for k, _, _ in seen))
    task.cancel()
    assert seen[0] == ("question", "quiz", "g1")
    assert [k for k, _, _ in seen] == ["question", "reveal", "game_over"]


async def test_private_events_can_be_routed_apart(bot: Client) -> None:
    router = Router()
    dms: list[list[str]] = []
    public: list[str] = []

    @router.on("your_word", private=True)
    async def dm(event) -> None:
        dms.append(event.to)

    @router.on(private=False, where=lambda ev: ev.kind in ("round", "turn"))
    async def shown(event) -> None:
        public.append(event.kind)

    task = asyncio.create_task(router.run(bot))
    room = await bot.create_room("g1", "spy", {})
    for i in range(4):
        await bot.join(room.id, f"u{i}", f"P{i}")
    await bot.start(room.id)
    await _until(lambda: len(dms) == 4 and "turn" in public)
    task.cancel()
    assert sorted(to[0] for to in dms) == ["u0", "u1", "u2", "u3"]
    assert public[:2] == ["round", "turn"]


async def test_a_failing_handler_does_not_stop_the_others() -> None:
    router = Router()
    child = router.include(Router("child"))
    ran: list[str] = []

    @router.on("announce")
    async def boom(event) -> None:
        raise RuntimeError("bug in a handler")

    @child.on("announce")
    async def fine(event) -> None:
        ran.append("child")

    class Ev:
        room, seq, kind, data, to = "r1", 1, "announce", {"text": "hi"}, None

    assert await router.dispatch(Ev()) == 2
    assert ran == ["child"]
