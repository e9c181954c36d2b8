"""``group.cooling`` (docs/operators.md, "Webhooks"): the hourly check sends one event per group
that crosses into the cooling alarm, and none again while it stays cold."""
from __future__ import annotations

import json

import httpx

from server.clock import ManualClock
from server.demo_activity import seed_demo_activity
from server.run import EmbeddedServer
from server.store import Store
from server.webhooks.dispatch import COOLING_EVERY
from tests.ops.receiver import Receiver


async def test_a_group_crossing_into_the_alarm_is_reported_once(server: EmbeddedServer, clock: ManualClock,
                                                                store: Store, app_key: str) -> None:
    app = (await server.services.auth.bot(app_key)).app
    await seed_demo_activity(store, app, clock.now(), "Asia/Shanghai")  # some groups cool down
    headers = {"authorization": f"Bearer {app_key}"}
    async with Receiver().running() as receiver, httpx.AsyncClient(base_url=server.http) as http:
        response = await http.post("/v1/webhooks", json={"url": receiver.url, "events": ["group.cooling"]},
                                   headers=headers)
        assert response.status_code == 201
        await clock.advance(COOLING_EVERY)
        await server.services.webhooks.settled()
        cooling = {g["id"] for g in (await http.get("/v1/console/groups", headers=headers)).json()["groups"]
                   if g["cooling"]}
        assert cooling, "the demo data has groups that cool down"
        await receiver.wait_for(len(cooling))
        reported = [json.loads(r.body)["data"]["group"] for r in receiver.received]
        assert sorted(reported) == sorted(cooling)
        await clock.advance(COOLING_EVERY)  # still cold an hour later: nothing new
        await server.services.webhooks.settled()
        assert len(receiver.received) == len(cooling)
