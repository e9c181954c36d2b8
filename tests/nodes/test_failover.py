"""kill -9 of a room's owner at different points of a quiz played across three nodes: another
node takes the room over and finishes it, no acknowledged answer is lost, the result is
applied exactly once, and watchers on the surviving nodes keep their connections and see
every event once, in order. (scripts/killtest.py runs many more seeded points.)"""
from __future__ import annotations

import pytest

from tests.nodes.game import Kill, play
from tests.nodes.harness import Cluster

pytestmark = pytest.mark.timeout(180)

POINTS = {
    "mid-question": Kill(after=0.8),
    "after-the-first-reveal": Kill(kind="reveal", nth=1),
    "during-a-relayed-answer": Kill(relay=True, nth=2),
    "at-game-over": Kill(kind="game_over"),
}


@pytest.mark.parametrize("point", list(POINTS))
async def test_killing_the_owner_loses_nothing_and_the_game_finishes(point: str) -> None:
    seed = 100 + list(POINTS).index(point)
    async with Cluster(3, seed=seed) as cluster:
        out = await play(cluster, f"g-{point}", kill=POINTS[point], seed=seed)
        assert out.problems == [], cluster.logs()
        assert len(out.killed) == 1
        for name, (node, moves) in out.reconnects.items():
            if node not in out.killed:
                assert moves == 0, f"{name} on a surviving node had to reconnect"
