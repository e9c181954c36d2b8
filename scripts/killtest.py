"""kill -9 the owner of a live quiz at seeded random points, many times over, on three real
`campfire serve` processes sharing one test-started redis-server.

    python scripts/killtest.py [--runs 50] [--seed 1]

Each run plays a quiz with the bot and three members spread over the nodes, kills the room's
owner at a point drawn from the seed (some seconds in, on the n-th question or reveal, at
game over, or while a member's answer is being relayed), lets the members on the killed
node move to another node and resume, and checks: every acknowledged answer is in the log,
the result is applied exactly once, the room finishes by itself, and every watcher's stream
is exactly the log. The killed node is restarted before the next run. Prints one line per
run and the totals: "lost 0, duplicated 0, stuck 0" is the pass. Exit status 1 otherwise.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.nodes.game import Kill, play  # noqa: E402
from tests.nodes.harness import Cluster  # noqa: E402


def kill_point(rng: random.Random) -> tuple[str, Kill]:
    choice = rng.randrange(5)
    if choice == 0:
        after = round(rng.uniform(0.1, 4.0), 2)
        return f"after {after}s", Kill(after=after)
    if choice == 1:
        n = rng.randint(1, 3)
        return f"question {n}", Kill(kind="question", nth=n)
    if choice == 2:
        n = rng.randint(1, 3)
        return f"reveal {n}", Kill(kind="reveal", nth=n)
    if choice == 3:
        return "game over", Kill(kind="game_over")
    n = rng.randint(1, 9)
    return f"relayed answer {n}", Kill(relay=True, nth=n)


async def main(runs: int, seed: int) -> int:
    rng = random.Random(seed)
    lost = duplicated = stuck = streams = 0
    failovers: list[float] = []
    async with Cluster(3, seed=seed) as cluster:
        for i in range(runs):
            label, kill = kill_point(rng)
            out = await play(cluster, f"kt{i}", kill=kill, seed=seed * 1000 + i, bot_node=i)
            lost, duplicated, stuck = lost + out.lost, duplicated + out.duplicated, stuck + out.stuck
            if out.failover_seconds is not None:
                failovers.append(out.failover_seconds)
            other = [p for p in out.problems if not p.startswith(("acknowledged", "room ", "the game ended"))]
            print(f"run {i + 1:2d}: kill at {label:18s} node {out.killed or '-'} acked {out.acked} "
                  f"fail-over {out.failover_seconds or 0:.2f}s problems {len(out.problems)}", flush=True)
            for problem in out.problems:
                print(f"        {problem}", flush=True)
            streams += len(other)
            if out.problems:
                print(cluster.logs()[-6000:], flush=True)
            for index in out.killed:
                await cluster.restart(cluster.nodes[index])
    print(f"\n{runs} runs: lost {lost}, duplicated {duplicated}, stuck {stuck} (stream errors {streams})")
    if failovers:
        failovers.sort()
        print(f"fail-over (kill -9 to a live node holding the room): p50 {statistics.median(failovers):.2f}s, "
              f"max {failovers[-1]:.2f}s")
    return 1 if (lost or duplicated or stuck or streams) else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.runs, args.seed)))
