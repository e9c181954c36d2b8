"""The foundation's promise: a bot using only the SDK runs a quiz and a check-in round in
a group and reads who leads."""
from __future__ import annotations

import pytest

from sdk import Client, InvalidRequest, MoveRefused
from server.clock import ManualClock
from server.run import EmbeddedServer

MEMBERS = [("u1", "Alice"), ("u2", "Bob"), ("u3", "Carol"), ("u4", "Dave")]


async def _answer_round(bot: Client, room: str, question: dict, skip: str | None = None) -> None:
    for i, (member, _) in enumerate(MEMBERS):
        if member == skip:
            continue
        answer = i % len(question["choices"]) if question.get("choices") else "不知道"
        await bot.act(room, {"answer": answer}, player=member)


async def test_a_scripted_bot_runs_a_five_question_quiz_and_a_checkin_then_reads_the_board(
        server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 5, "seconds": 20, "reveal_seconds": 3})
        for member, name in MEMBERS:
            await bot.join(room.id, member, name)
        await bot.start(room.id)
        totals: dict[str, int] = {}
        for n in range(5):
            question = (await bot.next_event("question", timeout=5)).data
            # Everyone but the last member answers; the question then closes on its timer.
            await clock.advance(1)
            await _answer_round(bot, room.id, question, skip="u4")
            await clock.advance(25)
            reveal = (await bot.next_event("reveal", timeout=5)).data
            assert reveal["index"] == n
            for member, pts in reveal["points"].items():
                totals[member] = totals.get(member, 0) + pts  # points include the streak bonus
        over = await bot.next_event("game_over", timeout=5)
        result = over.result
        assert result is not None and len(result.players) == 4
        assert {p.player: p.score for p in result.players} == totals

        for member, name in MEMBERS:
            outcome = await bot.checkin("g1", member, name)
            assert outcome.points > 0 and outcome.streak == 1 and not outcome.already
        again = await bot.checkin("g1", "u1", "Alice")
        assert again.already and again.points == 0 and again.streak == 1

        board = await bot.board("g1", game="quiz", limit=10)
        assert {e.member: e.score for e in board} == totals
        assert [e.score for e in board] == sorted(totals.values(), reverse=True)
        assert [e.rank for e in board] == list(range(1, len(board) + 1))


async def test_a_member_answering_twice_is_refused_and_keeps_the_first_answer(
        server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1})
        await bot.join(room.id, "u1", "Alice")
        await bot.join(room.id, "u2", "Bob")
        await bot.start(room.id)
        await bot.act(room.id, {"answer": 0}, player="u1")
        try:
            await bot.act(room.id, {"answer": 1}, player="u1")
        except MoveRefused as err:
            assert err.code == "already_answered"
        else:
            raise AssertionError("a second answer was accepted")
        view = await bot.view(room.id, player="u1")
        assert view["view"]["you"]["answer"] in (0, "A") or view["view"]["you"]["answered"]


async def test_the_game_over_event_carries_each_members_result_and_the_room_can_play_again(
        server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "quiz", {"questions": 1, "seconds": 10})
        await bot.join(room.id, "u1", "Alice")
        await bot.start(room.id)
        await clock.advance(60)
        first = (await bot.next_event("game_over", timeout=5)).result
        assert first is not None and first.round == 1
        await bot.start(room.id)
        await clock.advance(60)
        second = (await bot.next_event("game_over", timeout=5)).result
        assert second is not None and second.round == 2


async def test_a_group_never_gets_a_spy_pair_from_its_recent_window_which_it_can_set(
        server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"recent": {"spy": 3}})
        used: list[str] = []
        for _ in range(5):
            room = await bot.create_room("g1", "spy", {"lang": "en"})
            for i in range(4):
                await bot.join(room.id, f"u{i}", f"P{i}")
            await bot.start(room.id)
            state = server.services.rooms.rooms[room.id].data["state"]
            pair = state["content_used"][0]
            assert pair not in used[-3:]
            used.append(pair)
            await bot.close_room(room.id)
        assert await server.services.store.recent(bot.app, "g1", "spy") == used[::-1][:3]


async def test_a_bad_recent_window_is_refused_naming_the_setting(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        with pytest.raises(InvalidRequest) as err:
            await bot.set_group("g1", {"recent": {"spy": -1}})
        assert err.value.data["field"] == "recent"
