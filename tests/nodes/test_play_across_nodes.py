"""Three `campfire serve` processes on one Redis play games together: the bot on one node,
members on the others, every input relayed to the room's one owner."""
from __future__ import annotations

from typing import AsyncIterator

import pytest

from tests.nodes.game import play
from tests.nodes.harness import Agent, Cluster

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
async def cluster() -> AsyncIterator[Cluster]:
    async with Cluster(3, seed=7) as c:
        yield c


async def test_a_quiz_with_members_on_three_nodes_is_played_to_one_result(cluster: Cluster) -> None:
    out = await play(cluster, "g-play", seed=7)
    assert out.problems == [], cluster.logs()
    assert out.acked >= 3


async def test_only_the_owner_node_applies_a_rooms_inputs(cluster: Cluster) -> None:
    bot = Agent("bot", [n.url for n in cluster.nodes], 0, key=cluster.key)
    await bot.connect()
    room = (await bot.request("room.create", {"group": "g-own", "game": "quiz"}))["data"]["room"]["id"]
    owner = await cluster.owner(room)
    assert owner is cluster.nodes[0]
    for i, node in enumerate(cluster.nodes[1:], start=1):
        other = Agent(f"bot{i}", [node.url], 0, key=cluster.key)
        await other.connect()
        reply = await other.request("room.join", {"room": room, "player": f"m{i}"})
        assert reply["type"] == "ok", reply
        await other.close()
    assert await cluster.owner(room) is cluster.nodes[0]  # still: the others relayed
    view = await bot.request("room.get", {"room": room})
    assert [p["player"] for p in view["data"]["room"]["players"]] == ["m1", "m2"]
    await bot.close()


async def test_a_member_on_another_node_is_refused_a_room_of_another_group(cluster: Cluster) -> None:
    bot = Agent("bot", [n.url for n in cluster.nodes], 0, key=cluster.key)
    await bot.connect()
    room = (await bot.request("room.create", {"group": "g-a", "game": "quiz"}))["data"]["room"]["id"]
    token = (await bot.request("token.mint", {"group": "g-b", "player": "x"}))["data"]["token"]
    stranger = Agent("x", [cluster.nodes[1].url], 0, token=token)
    await stranger.connect()
    for frame in ("room.join", "room.get", "room.watch"):
        reply = await stranger.request(frame, {"room": room})
        assert reply["type"] == "error" and reply["data"]["code"] == "unknown_room", (frame, reply)
    assert stranger.events == []
    await stranger.close()
    await bot.close()
