"""Gomoku (五子棋) through the real server: members move on their own connections, the robot
answers in the same step, the move timer runs on the server's clock, the result reaches
the group's boards, and a spectator's stream carries every stone in order."""
from __future__ import annotations

from sdk import Client, MoveRefused
from server.clock import ManualClock
from server.run import EmbeddedServer


async def member(server: EmbeddedServer, bot: Client, player: str, name: str) -> Client:
    token = await bot.mint_token("g1", player, name)
    client = Client(server.url, token=token)
    await client.connect()
    return client


async def stones_seen(client: Client) -> list[tuple[str, str]]:
    await client.ping()
    return [(e.data["player"], e.data["at"]) for e in client.pending_events() if e.kind == "stone"]


async def test_two_members_play_to_five_in_a_row_and_the_board_records_it(
        server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        ann = await member(server, bot, "ann", "Ann")
        bo = await member(server, bot, "bo", "Bo")
        try:
            room = await bot.create_room("g1", "gomoku", {"move_seconds": 30})
            await ann.join(room.id)
            await bo.join(room.id)
            await bot.start(room.id)
            for a, b in [("H8", "A1"), ("I8", "A2"), ("J8", "A3"), ("K8", "A4")]:
                await ann.act(room.id, {"type": "move", "at": a})
                await bo.act(room.id, {"type": "move", "at": b})
            await ann.act(room.id, {"type": "move", "at": "L8"})
            over = await bot.next_event("game_over", timeout=5)
            assert over.data["result"]["players"][0]["player"] == "ann"
            assert over.data["result"]["players"][0]["won"] is True
            assert [e.member for e in await bot.board("g1", game="gomoku")][:1] == ["ann"]
            assert (await stones_seen(bo))[-1] == ("ann", "L8")
        finally:
            await ann.close()
            await bo.close()


async def test_a_move_out_of_turn_or_on_a_stone_is_refused_with_its_code(
        server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "gomoku")
        await bot.join(room.id, "ann", "Ann")
        await bot.join(room.id, "bo", "Bo")
        await bot.start(room.id)
        refusals = []
        for player, at in [("bo", "H8"), ("ann", "H8"), ("bo", "8h"), ("bo", "Z99")]:
            try:
                await bot.act(room.id, {"type": "move", "at": at}, player=player)
            except MoveRefused as exc:
                refusals.append(exc.code)
        assert refusals == ["not_your_turn", "occupied", "invalid_move"]


async def test_a_member_alone_plays_the_robot_which_answers_at_once(
        server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "gomoku", {"robot_level": 2})
        await bot.join(room.id, "ann", "Ann")
        await bot.start(room.id)
        await bot.act(room.id, {"type": "move", "at": "H8"}, player="ann")
        view = (await bot.view(room.id, player="ann"))["view"]
        assert len(view["moves"]) == 2 and view["to_move"] == "ann"
        assert view["players"] == ["ann", "@robot"]


async def test_the_move_timer_runs_on_the_server_and_loses_the_game(
        server: EmbeddedServer, clock: ManualClock, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "gomoku", {"move_seconds": 20})
        await bot.join(room.id, "ann", "Ann")
        await bot.join(room.id, "bo", "Bo")
        await bot.start(room.id)
        await bot.act(room.id, {"type": "move", "at": "H8"}, player="ann")
        await clock.advance(21)
        ended = await bot.next_event("gomoku_game_over", timeout=5)
        assert ended.data["winner"] == "ann" and ended.data["reason"] == "time"


async def test_a_spectator_who_watches_late_receives_every_stone_in_order(
        server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        room = await bot.create_room("g1", "gomoku")
        await bot.join(room.id, "ann", "Ann")
        await bot.join(room.id, "bo", "Bo")
        await bot.start(room.id)
        played = ["H8", "H9", "J8", "J9", "K8"]
        for i, at in enumerate(played):
            await bot.act(room.id, {"type": "move", "at": at}, player="ann" if i % 2 == 0 else "bo")
        watcher = await member(server, bot, "cy", "Cy")
        try:
            await watcher.watch(room.id, after=0)
            assert [at for _, at in await stones_seen(watcher)] == played
        finally:
            await watcher.close()
