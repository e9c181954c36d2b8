"""RSS over many finished games: does a server's memory stay flat as games come and go?
(issue 10, item 6: finished rooms used to stay in memory, ~13-16 KB each.)

    python scripts/rss_games.py [--games 1000]

Runs a real server in this process (SQLite in a temporary directory, a manual clock so each
one-question quiz ends at once) and one bot that plays the games one after another, printing
the process's RSS and the rooms held in memory every 100 games. A measurement, not a test:
the point is the trend (flat) and the rooms held (0 between games).
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import random
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sdk import Client  # noqa: E402
from server.auth import create_app  # noqa: E402
from server.clock import ManualClock  # noqa: E402
from server.config import Settings  # noqa: E402
from server.run import EmbeddedServer  # noqa: E402
from server.store import open_store  # noqa: E402


def rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def main(games: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(host="127.0.0.1", port=0, store=f"{tmp}/c.db", data_dir=f"{tmp}/data",
                            frames_per_second=1e6, frame_burst=1_000_000)
        store = await open_store(settings.store)
        clock = ManualClock()
        seeds = random.Random(1).getrandbits
        server = EmbeddedServer(settings, clock=clock, store=store, seeds=lambda: seeds(62))
        _, key = await create_app(store, "rss-bot")
        async with server.running(), Client(server.url, key) as bot:
            print(f"{'games':>6} {'RSS KB':>8} {'rooms in memory':>16}")
            for n in range(1, games + 1):
                room = await bot.create_room("g1", "quiz", {"questions": 1, "seconds": 10})
                await bot.join(room.id, "u1", "Ann")
                await bot.start(room.id)
                await bot.next_event("question", timeout=10)
                await bot.act(room.id, {"answer": 0}, player="u1")
                await clock.advance(11)
                await bot.next_event("game_over", timeout=10)
                await bot.request("room.unwatch", {"room": room.id})
                if n % 100 == 0 or n == 1:
                    gc.collect()
                    print(f"{n:>6} {rss_kb():>8} {len(server.services.rooms.rooms):>16}", flush=True)
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=1000)
    asyncio.run(main(parser.parse_args().games))
