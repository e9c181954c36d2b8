"""The SDK given several nodes' URLs moves to another node when its node dies, resumes every
room it watches there, and carries on with the room the dead node owned."""
from __future__ import annotations

import asyncio

import pytest

from sdk import Client
from sdk.errors import ServerError
from tests.nodes.harness import Cluster

pytestmark = pytest.mark.timeout(120)


async def test_a_client_with_several_urls_moves_on_and_resumes_when_its_node_is_killed() -> None:
    async with Cluster(3, seed=31) as cluster:
        urls = [n.url for n in cluster.nodes]
        async with Client(urls, cluster.key, backoff=(0.05, 0.5)) as bot:
            room = await bot.create_room("g-sdk", "quiz")
            await bot.announce(room.id, {"n": 0})
            assert (await bot.next_event("announce", timeout=5)).data == {"n": 0}
            cluster.nodes[0].kill()  # the node the client is on, and the room's owner
            for _ in range(100):
                try:
                    await bot.announce(room.id, {"n": 1})
                    break
                except ServerError:  # `unavailable` while the room moves, or the connection dropping
                    await asyncio.sleep(0.1)
                except Exception:
                    await asyncio.sleep(0.1)
            ev = await bot.next_event("announce", timeout=15)
            assert ev.data == {"n": 1}
            assert bot.reconnects == 1 and bot.url != urls[0]
            seqs = [e.seq for e in await cluster.store.read_events(room.id, 0)]  # type: ignore[union-attr]
            assert seqs == list(range(1, len(seqs) + 1))
