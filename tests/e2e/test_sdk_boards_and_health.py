"""The SDK reaches every board, activity and health frame."""
from __future__ import annotations

import pytest

from sdk import Client, Forbidden
from server.run import EmbeddedServer


async def test_the_sdk_reads_ranks_neighbours_and_a_friends_ranking(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        for i, member in enumerate(["a", "b", "c", "d", "e"]):
            await bot.board_op(member, "set", 10 * (5 - i), group="g1", game="quiz", key=f"seed-{member}")
        top = await bot.board("g1", game="quiz", limit=3)
        assert [e.member for e in top] == ["a", "b", "c"]
        page, cursor = await bot.board_page("g1", game="quiz", limit=3)
        rest, end = await bot.board_page("g1", game="quiz", limit=3, cursor=cursor)
        assert [e.member for e in page + rest] == ["a", "b", "c", "d", "e"] and end is None
        assert (await bot.board_rank("d", group="g1", game="quiz")).rank == 4
        assert [e.member for e in await bot.board_around("c", group="g1", game="quiz", before=1, after=1)] == ["b", "c", "d"]
        friends = await bot.board_within(["e", "b"], group="g1", game="quiz")
        assert [(e.member, e.rank) for e in friends] == [("b", 1), ("e", 2)]


async def test_the_sdk_reports_activity_once_per_batch_and_reads_health(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        events = [{"kind": "message", "member": "a", "count": 3}, {"kind": "message", "member": "b"}]
        assert await bot.report_activity("g1", events, batch="b-1") is True
        assert await bot.report_activity("g1", events, batch="b-1") is False
        ranked = await bot.activity("g1")
        assert [e.member for e in ranked] == ["a", "b"]
        assert (await bot.member_activity("g1", "a")).rank == 1
        report = await bot.health("g1")
        assert report["group"] == "g1"


async def test_a_member_cannot_read_another_groups_board(server: EmbeddedServer, app_key: str) -> None:
    async with Client(server.url, app_key) as bot:
        token = await bot.mint_token("g1", "u1")
    async with Client(server.url, token=token) as member:
        assert await member.board("g1") == []
        with pytest.raises(Forbidden):
            await member.board("g2")
