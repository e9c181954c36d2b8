"""Split brain: the owner is paused (SIGSTOP) past its lease, another node takes the room and
carries on, the old owner wakes (SIGCONT): its commits are refused by the fencing epoch, it
stands down, and nothing is written twice."""
from __future__ import annotations

import pytest

from tests.nodes.game import Kill, play
from tests.nodes.harness import Cluster

pytestmark = pytest.mark.timeout(180)


async def test_a_paused_owner_wakes_to_find_its_room_moved_and_stands_down() -> None:
    async with Cluster(3, seed=21) as cluster:
        out = await play(cluster, "g-split", kill=Kill(after=0.6, pause=True), seed=21)
        assert out.problems == [], cluster.logs()
        assert len(out.paused) == 1
        stale = cluster.nodes[out.paused[0]]
        assert await cluster.epoch(out.room) == 2  # one change of owner; the old one never took it back
        log = stale.log()
        assert "standing down" in log or "lost the lease" in log, log[-3000:]
