"""The webhook store (server/webhooks/store.py) on both stores: hooks, a deduplicating durable
queue with claims, the per-hook delivery log and remembered flags."""
from __future__ import annotations

from typing import Any

from server.store import Store
from server.webhooks.store import CLAIM_LEASE, webhook_store


def delivery(event_id: str, at: float = 100.0, hook: str = "wh_1") -> dict[str, Any]:
    return {"id": f"{hook}:{event_id}", "app": "app_1", "hook": hook, "event": "checkin", "event_id": event_id,
            "body": "{}", "created_at": at, "next_at": at, "attempts": 0, "state": "pending",
            "last_status": None, "last_error": None, "last_at": None}


async def test_hooks_are_kept_per_app_and_deleted(store: Store) -> None:
    hooks = webhook_store(store)
    await hooks.put_hook({"id": "wh_1", "app": "app_1", "url": "https://a", "events": ["checkin"], "created_at": 1})
    await hooks.put_hook({"id": "wh_2", "app": "app_2", "url": "https://b", "events": ["checkin"], "created_at": 2})
    assert [h["id"] for h in await hooks.list_hooks("app_1")] == ["wh_1"]
    assert await hooks.delete_hook("app_1", "wh_1") and not await hooks.delete_hook("app_1", "wh_1")
    assert await hooks.list_hooks("app_1") == []


async def test_an_event_queued_twice_for_a_hook_is_one_delivery(store: Store) -> None:
    hooks = webhook_store(store)
    assert await hooks.enqueue(delivery("e1"))
    assert not await hooks.enqueue(delivery("e1"))
    assert await hooks.pending() == 1


async def test_a_claimed_delivery_is_hidden_until_its_lease_ends(store: Store) -> None:
    hooks = webhook_store(store)
    await hooks.enqueue(delivery("e1", at=100.0))
    assert await hooks.claim_due(99.0, 10) == []
    [claimed] = await hooks.claim_due(100.0, 10)
    assert claimed["event_id"] == "e1"
    assert await hooks.claim_due(100.0 + CLAIM_LEASE - 1, 10) == []  # another sender sees nothing
    assert [d["event_id"] for d in await hooks.claim_due(100.0 + CLAIM_LEASE, 10)] == ["e1"]  # a dead sender's


async def test_a_saved_attempt_sets_the_next_due_time_and_a_delivered_one_leaves_the_queue(store: Store) -> None:
    hooks = webhook_store(store)
    await hooks.enqueue(delivery("e1", at=100.0))
    [d] = await hooks.claim_due(100.0, 10)
    d.update(attempts=1, last_status=500, next_at=110.0)
    await hooks.save(d)
    assert await hooks.next_due() == 110.0
    [d] = await hooks.claim_due(110.0, 10)
    d.update(attempts=2, last_status=200, state="delivered")
    await hooks.save(d)
    assert await hooks.next_due() is None and await hooks.pending() == 0
    [logged] = await hooks.deliveries("app_1", "wh_1", 10)
    assert logged["state"] == "delivered" and logged["attempts"] == 2


async def test_a_flag_swap_returns_the_previous_value(store: Store) -> None:
    hooks = webhook_store(store)
    assert await hooks.swap_flag("app_1", "cooling:g1", True) is False
    assert await hooks.swap_flag("app_1", "cooling:g1", True) is True
    assert await hooks.swap_flag("app_1", "cooling:g1", False) is True
    assert await hooks.swap_flag("app_2", "cooling:g1", False) is False
